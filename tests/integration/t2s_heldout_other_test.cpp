// The held-out phrasing set of another clinic (tests/fixtures/t2s-heldout-other.jsonl): a dental
// and dermatology chain seeded here into a scratch database from t2s-clinic-other.sql, with its
// own departments, products, product types, consultants and membership levels, asked at as_of
// 2026-03-15 in that clinic's words. The rules engine knows no catalog of its own; every answer
// is compared by result set with gold SQL written for this data.
#include <gtest/gtest.h>

#include "tests/integration/t2s_set_runner.hpp"

TEST(T2sHeldOutOther, AnotherClinicsQuestionsMatchGoldByResultSet) {
  yimei::test::ScratchDatabase clinic;
  clinic.load_fixture("t2s-clinic-other.sql");
  const yimei::test::SetScore s =
      yimei::test::run_t2s_set(clinic, "t2s-heldout-other.jsonl", *yimei::parse_date("2026-03-15"));
  EXPECT_GE(s.total, 40);
  // The target is 90% with the rules alone; this set is kept at 100%.
  EXPECT_EQ(s.passed, s.total);
}
