// Every public Text2SQL example (tests/fixtures/text2sql-examples.jsonl) and our own held-out
// style set (tests/fixtures/t2s-heldout-style.jsonl) on clinic-a-small with as_of 2026-06-30,
// answered by the rules engine through the product path (guard, read-only account) and compared
// by result set with the gold SQL (or an accepted alternative). Prints a per-category score.
#include <gtest/gtest.h>

#include "tests/integration/t2s_set_runner.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

const Date kAsOf = *parse_date("2026-06-30");

yimei::test::SetScore run_set(const std::string& file) {
  return yimei::test::run_t2s_set(yimei::test::fixture_db(), file, kAsOf);
}

}  // namespace

TEST(T2sExamples, PublicExamplesMatchGoldByResultSet) {
  const yimei::test::SetScore s = run_set("text2sql-examples.jsonl");
  EXPECT_EQ(s.total, 40);
  EXPECT_EQ(s.passed, s.total);
}

TEST(T2sExamples, HeldOutStyleQuestionsMatchGoldByResultSet) {
  const yimei::test::SetScore s = run_set("t2s-heldout-style.jsonl");
  EXPECT_GE(s.total, 40);
  // Our own regression set: every question is expected to pass.
  EXPECT_EQ(s.passed, s.total);
}
