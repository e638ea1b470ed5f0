// department-performance on a hand-made dataset. as_of 2026-06-15: the default period is
// 2026-06-01..06-15, the previous period 2026-05-17..05-31, the same dates last year
// 2025-06-01..06-15.
#include "tests/integration/analysis_test_util.hpp"

using namespace yimei;
using namespace yimei::test;

namespace {

//  皮肤科 now: C1 06-01 1000 (new), C2 06-15 500, C1 06-15 300 -> 1800, 3 orders, 2 customers,
//     1 new, 600.00 an order; previous: 05-31 800 (05-16 is outside) -> MoM +125%;
//     last year: 2025-06-01 400 + 2025-06-15 600 (06-16 is outside) -> YoY +80%.
//     A 06-16 purchase is after as_of. Write-offs: 06-02 100 (06-16 and 05-31 are outside).
//  注射科 now: C3 06-10 2000 (new); previous 05-20 4000 -> MoM -50%; no last year -> YoY NULL.
//  口腔科: only a write-off 06-05 250.
const char* kData = R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, consultant_id) VALUES
  ('C1', '科一', '13500000001', '2024-01-01', 'K1'),
  ('C2', '科二', '13500000002', '2024-01-01', 'K2'),
  ('C3', '科三', '13500000003', '2024-01-01', 'K1');
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  ('C1', '2026-06-01', 1000.00, '皮肤科', 1, 'K1', 'P1', 1, '微信'),
  ('C2', '2026-06-15', 500.00, '皮肤科', 0, 'K2', 'P1', 1, '微信'),
  ('C1', '2026-06-15', 300.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('C3', '2026-06-16', 9999.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('C2', '2026-05-31', 800.00, '皮肤科', 0, 'K2', 'P1', 1, '现金'),
  ('C2', '2026-05-16', 700.00, '皮肤科', 0, 'K2', 'P1', 1, '现金'),
  ('C1', '2025-06-01', 400.00, '皮肤科', 0, 'K1', 'P1', 1, '现金'),
  ('C2', '2025-06-15', 600.00, '皮肤科', 0, 'K2', 'P1', 1, '现金'),
  ('C2', '2025-06-16', 650.00, '皮肤科', 0, 'K2', 'P1', 1, '现金'),
  ('C3', '2026-06-10', 2000.00, '注射科', 1, 'K1', 'P3', 1, '银行卡'),
  ('C3', '2026-05-20', 4000.00, '注射科', 0, 'K1', 'P3', 1, '银行卡');
INSERT INTO write_off_records (customer_id, write_off_date, amount, department, product_id, quantity, consultant_id) VALUES
  ('C1', '2026-06-05', 250.00, '口腔科', 'P5', 1, 'K1'),
  ('C2', '2026-06-02', 100.00, '皮肤科', 'P2', 1, 'K2'),
  ('C2', '2026-06-16', 999.00, '皮肤科', 'P2', 1, 'K2'),
  ('C2', '2026-05-31', 50.00, '皮肤科', 'P2', 1, 'K2');
)sql";

class DepartmentPerformance : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run_script(kAnalysisCatalogSql);
    db_.run_script(kData);
  }
  ScratchDatabase db_;
};

}  // namespace

TEST_F(DepartmentPerformance, MonthToDateHandAnswer) {
  auto r = run_ok(db_, "department-performance", request("2026-06-15"));
  EXPECT_EQ(format_date(*r.from), "2026-06-01");
  EXPECT_EQ(format_date(*r.to), "2026-06-15");
  EXPECT_EQ(format_date(*r.previous_from), "2026-05-17");
  EXPECT_EQ(format_date(*r.previous_to), "2026-05-31");
  const Table& t = r.table;
  EXPECT_EQ(column_texts(t, "department"),
            (std::vector<std::string>{"注射科", "皮肤科", "口腔科"}));
  EXPECT_EQ(column_texts(t, "revenue"), (std::vector<std::string>{"2000.00", "1800.00", "0.00"}));
  EXPECT_EQ(column_texts(t, "orders"), (std::vector<std::string>{"1", "3", "0"}));
  EXPECT_EQ(column_texts(t, "customers"), (std::vector<std::string>{"1", "2", "0"}));
  EXPECT_EQ(column_texts(t, "new_customers"), (std::vector<std::string>{"1", "1", "0"}));
  EXPECT_EQ(column_texts(t, "amount_per_order"),
            (std::vector<std::string>{"2000.00", "600.00", "NULL"}));
  EXPECT_EQ(column_texts(t, "write_off"), (std::vector<std::string>{"0.00", "100.00", "250.00"}));
  EXPECT_EQ(column_texts(t, "previous_revenue"),
            (std::vector<std::string>{"4000.00", "800.00", "0.00"}));
  EXPECT_EQ(column_texts(t, "yoy_revenue"), (std::vector<std::string>{"0.00", "1000.00", "0.00"}));
  EXPECT_DOUBLE_EQ(*ratio(t, 0, "mom_ratio"), -0.5);
  EXPECT_DOUBLE_EQ(*ratio(t, 1, "mom_ratio"), 1.25);
  EXPECT_DOUBLE_EQ(*ratio(t, 1, "yoy_ratio"), 0.8);
  EXPECT_FALSE(ratio(t, 0, "yoy_ratio").has_value());
  EXPECT_EQ(t.columns[col(t, "mom_ratio")].unit, ColumnUnit::Percent);

  EXPECT_EQ(summary_text(r, "revenue"), "3800.00");
  EXPECT_EQ(summary_text(r, "orders"), "4");
  EXPECT_EQ(summary_text(r, "customers"), "3");
  EXPECT_EQ(summary_text(r, "new_customers"), "2");
  EXPECT_EQ(summary_text(r, "write_off"), "350.00");
  EXPECT_EQ(summary_text(r, "previous_revenue"), "4800.00");
  EXPECT_NEAR(*summary_ratio(r, "mom_ratio"), -1000.0 / 4800.0, 1e-12);
  EXPECT_EQ(summary_text(r, "yoy_revenue"), "1000.00");
  EXPECT_DOUBLE_EQ(*summary_ratio(r, "yoy_ratio"), 2.8);
}

TEST_F(DepartmentPerformance, ExplicitPeriodAndScope) {
  auto req = request("2026-06-15");
  req.from = d("2026-06-10");
  req.to = d("2026-06-15");
  auto r = run_ok(db_, "科室业绩", req);
  // Previous 06-04..06-09 is empty (MoM NULL); last year 2025-06-10..15 holds 600.
  const std::size_t skin = row_of(r.table, "department", "皮肤科");
  EXPECT_EQ(money(r.table, skin, "revenue"), "800.00");
  EXPECT_FALSE(ratio(r.table, skin, "mom_ratio").has_value());
  EXPECT_NEAR(*ratio(r.table, skin, "yoy_ratio"), 800.0 / 600.0 - 1, 1e-12);

  auto scoped = request("2026-06-15");
  scoped.scope.consultant_id = "K1";  // C1 and C3
  auto k1 = run_ok(db_, "department-performance", scoped);
  EXPECT_EQ(money(k1.table, row_of(k1.table, "department", "皮肤科"), "revenue"), "1300.00");
  EXPECT_EQ(money(k1.table, row_of(k1.table, "department", "皮肤科"), "write_off"), "0.00");
  EXPECT_EQ(money(k1.table, row_of(k1.table, "department", "口腔科"), "write_off"), "250.00");
  EXPECT_EQ(summary_text(k1, "revenue"), "3300.00");
}

TEST_F(DepartmentPerformance, PeriodEndingAfterAsOfIsClampedAndReversedIsRefused) {
  auto req = request("2026-06-15");
  req.from = d("2026-06-01");
  req.to = d("2026-06-30");
  auto r = run_ok(db_, "department-performance", req);
  EXPECT_EQ(format_date(*r.to), "2026-06-15");
  EXPECT_EQ(summary_text(r, "revenue"), "3800.00");
  req.from = d("2026-06-20");
  req.to = d("2026-06-10");
  auto c = db_.pool().acquire();
  auto bad = analysis::run_analysis(*c, "department-performance", req);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("晚于"), std::string::npos);
}
