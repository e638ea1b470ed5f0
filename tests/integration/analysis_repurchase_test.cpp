// new-customer-repurchase on a hand-made dataset; the cohorts and rates are worked out below.
#include "tests/integration/analysis_test_util.hpp"

using namespace yimei;
using namespace yimei::test;

namespace {

// First purchase F, the first record (lowest record_id on F) and the 二开 verdict, window 90:
//  N1 F 2026-01-10: records 101 (K2, 注射科) and 100 (K1, 皮肤科) that day -> first record 100;
//     again 2026-02-15 -> 二开.
//  N2 F 2026-01-20: a second line the same day is not 二开; 2026-05-01 is F+101 -> no.
//  N3 F 2026-02-01: again 2026-05-02 = F+90 exactly -> 二开 (window inclusive).
//  N4 F 2025-12-15: again 2026-03-15 = F+90 -> 二开 (only in the default period).
//  N5 F 2026-03-31: again 2026-06-29 = F+90 -> 二开.
//  N6 F 2026-04-20 (no consultant): again 2026-07-05, after as_of -> not counted.
const char* kData = R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, consultant_id) VALUES
  ('N1', '新一', '13900000001', '2025-01-01', 'K1'),
  ('N2', '新二', '13900000002', '2025-01-01', 'K2'),
  ('N3', '新三', '13900000003', '2025-01-01', 'K1'),
  ('N4', '新四', '13900000004', '2025-01-01', 'K2'),
  ('N5', '新五', '13900000005', '2025-01-01', 'K2'),
  ('N6', '新六', '13900000006', '2025-01-01', 'K1'),
  ('N7', '新七', '13900000007', '2025-01-01', 'K1');
INSERT INTO consumption_records (record_id, customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  (101, 'N1', '2026-01-10', 300.00, '注射科', 1, 'K2', 'P3', 1, '微信'),
  (100, 'N1', '2026-01-10', 200.00, '皮肤科', 1, 'K1', 'P1', 1, '微信'),
  (102, 'N1', '2026-02-15', 500.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  (110, 'N2', '2026-01-20', 400.00, '皮肤科', 1, 'K2', 'P1', 1, '现金'),
  (111, 'N2', '2026-01-20', 100.00, '皮肤科', 1, 'K2', 'P1', 1, '现金'),
  (112, 'N2', '2026-05-01', 600.00, '皮肤科', 0, 'K2', 'P1', 1, '现金'),
  (120, 'N3', '2026-02-01', 1000.00, '注射科', 1, 'K1', 'P3', 1, '微信'),
  (121, 'N3', '2026-05-02', 800.00, '注射科', 0, 'K1', 'P3', 1, '微信'),
  (130, 'N4', '2025-12-15', 700.00, '皮肤科', 1, 'K2', 'P1', 1, '微信'),
  (131, 'N4', '2026-03-15', 300.00, '皮肤科', 0, 'K2', 'P1', 1, '微信'),
  (140, 'N5', '2026-03-31', 900.00, '注射科', 1, 'K2', 'P3', 1, '银行卡'),
  (141, 'N5', '2026-06-29', 100.00, '注射科', 0, 'K2', 'P3', 1, '银行卡'),
  (150, 'N6', '2026-04-20', 500.00, '皮肤科', 1, NULL, 'P1', 1, '现金'),
  (151, 'N6', '2026-07-05', 500.00, '皮肤科', 0, NULL, 'P1', 1, '现金');
)sql";

class Repurchase : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run_script(kAnalysisCatalogSql);
    db_.run_script(kData);
  }
  analysis::AnalysisRequest period(const char* as_of, const char* from, const char* to,
                                   std::map<std::string, std::string> params = {}) {
    auto r = request(as_of, std::move(params));
    r.from = d(from);
    r.to = d(to);
    return r;
  }
  ScratchDatabase db_;
};

}  // namespace

TEST_F(Repurchase, ExplicitPeriodHandAnswer) {
  auto r = run_ok(db_, "new-customer-repurchase", period("2026-06-30", "2026-01-01", "2026-04-30"));
  // Cohort N1, N2, N3, N5, N6; 二开 N1, N3, N5.
  EXPECT_EQ(summary_text(r, "cohort_size"), "5");
  EXPECT_EQ(summary_text(r, "repurchased"), "3");
  EXPECT_DOUBLE_EQ(*summary_ratio(r, "rate"), 0.6);

  const Table& m = r.table;
  EXPECT_EQ(column_texts(m, "cohort_month"),
            (std::vector<std::string>{"2026-01", "2026-02", "2026-03", "2026-04"}));
  EXPECT_EQ(column_texts(m, "cohort_size"), (std::vector<std::string>{"2", "1", "1", "1"}));
  EXPECT_EQ(column_texts(m, "repurchased"), (std::vector<std::string>{"1", "1", "1", "0"}));
  EXPECT_DOUBLE_EQ(*ratio(m, 0, "rate"), 0.5);
  EXPECT_EQ(m.columns[col(m, "rate")].unit, ColumnUnit::Percent);

  const Table& c = breakdown(r, "按首单咨询师");
  EXPECT_EQ(column_texts(c, "consultant_name"),
            (std::vector<std::string>{"甲咨询", "乙咨询", "未分配"}));
  EXPECT_EQ(column_texts(c, "cohort_size"), (std::vector<std::string>{"2", "2", "1"}));
  EXPECT_EQ(column_texts(c, "repurchased"), (std::vector<std::string>{"2", "1", "0"}));

  const Table& dep = breakdown(r, "按首单科室");
  EXPECT_EQ(column_texts(dep, "department"), (std::vector<std::string>{"皮肤科", "注射科"}));
  EXPECT_EQ(column_texts(dep, "cohort_size"), (std::vector<std::string>{"3", "2"}));
  EXPECT_EQ(column_texts(dep, "repurchased"), (std::vector<std::string>{"1", "2"}));

  const Table& detail = breakdown(r, "新客明细");
  const std::size_t n1 = row_of(detail, "customer_id", "N1");
  EXPECT_EQ(text(detail, n1, "consultant_id"), "K1");  // lowest record_id on F
  EXPECT_EQ(text(detail, n1, "department"), "皮肤科");
  EXPECT_EQ(money(detail, n1, "first_amount"), "500.00");
  EXPECT_EQ(text(detail, n1, "second_date"), "2026-02-15");
  const std::size_t n2 = row_of(detail, "customer_id", "N2");
  EXPECT_EQ(integer(detail, n2, "repurchased"), 0);  // same-day line is not 二开
  EXPECT_EQ(integer(detail, row_of(detail, "customer_id", "N3"), "repurchased"), 1);
  EXPECT_EQ(integer(detail, row_of(detail, "customer_id", "N6"), "repurchased"), 0);
  EXPECT_TRUE(detail.columns[col(detail, "phone")].is_phone);
}

TEST_F(Repurchase, DefaultPeriodIsTheLast180ClosedCohortDays) {
  auto r = run_ok(db_, "二开率", request("2026-06-30"));
  // [as_of - 90 - 179, as_of - 90] = [2025-10-04, 2026-04-01]: N4, N1, N2, N3, N5; N2 fails.
  ASSERT_TRUE(r.from && r.to);
  EXPECT_EQ(format_date(*r.from), "2025-10-04");
  EXPECT_EQ(format_date(*r.to), "2026-04-01");
  EXPECT_EQ(summary_text(r, "cohort_size"), "5");
  EXPECT_EQ(summary_text(r, "repurchased"), "4");
}

TEST_F(Repurchase, RecordsAfterAsOfAndTheWindowParameter) {
  // As of 2026-05-01, N3's 05-02 and N5's 06-29 purchases have not happened yet.
  auto early =
      run_ok(db_, "new-customer-repurchase", period("2026-05-01", "2026-01-01", "2026-04-30"));
  EXPECT_EQ(summary_text(early, "cohort_size"), "5");
  EXPECT_EQ(summary_text(early, "repurchased"), "1");
  // window 40: only N1 (36 days) repurchased in time.
  auto w = run_ok(db_, "new-customer-repurchase",
                  period("2026-06-30", "2026-01-01", "2026-04-30", {{"window", "40"}}));
  EXPECT_EQ(summary_text(w, "repurchased"), "1");
  EXPECT_EQ(w.params.at("window"), "40");
}

TEST_F(Repurchase, PeriodBoundsAreInclusiveAndScopeFilters) {
  // [2026-01-10, 2026-03-31] keeps N1 (F = from) and N5 (F = to).
  auto r = run_ok(db_, "new-customer-repurchase", period("2026-06-30", "2026-01-10", "2026-03-31"));
  EXPECT_EQ(column_texts(breakdown(r, "新客明细"), "customer_id"),
            (std::vector<std::string>{"N1", "N2", "N3", "N5"}));
  auto req = period("2026-06-30", "2026-01-01", "2026-04-30");
  req.scope.consultant_id = "K1";  // N1, N3, N6 (N7 never bought)
  auto k1 = run_ok(db_, "new-customer-repurchase", req);
  EXPECT_EQ(summary_text(k1, "cohort_size"), "3");
  EXPECT_EQ(summary_text(k1, "repurchased"), "2");
}

TEST_F(Repurchase, EmptyCohortGivesNullRate) {
  auto r = run_ok(db_, "new-customer-repurchase", period("2026-06-30", "2024-01-01", "2024-12-31"));
  EXPECT_EQ(summary_text(r, "cohort_size"), "0");
  EXPECT_EQ(summary_text(r, "rate"), "NULL");
  EXPECT_TRUE(r.table.rows.empty());
}
