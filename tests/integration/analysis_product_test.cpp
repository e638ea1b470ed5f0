// product-performance on a hand-made dataset (period 2026-06-01..06-30, previous
// 2026-05-02..05-31, as_of 2026-06-30).
#include "tests/integration/analysis_test_util.hpp"

using namespace yimei;
using namespace yimei::test;

namespace {

//  P1: C1 06-01 two lines of 1000 (one purchase day), C2 06-10 500 x2 and 06-20 500
//      -> revenue 3000, quantity 5, orders 4, buyers 2, repeat buyers 1 (C2); previous C1 05-02
//      1000 -> +200%; write-off 06-05 200.
//  P3: C3 06-30 2000 -> 1 buyer; previous 05-31 3000 -> -33.3%; 07-01 is after as_of.
//  P2: write-off only (06-15 400) -> listed with revenue 0.
//  P4: previous period only (05-10 600) -> revenue 0, -100%.   P5: nothing -> not listed.
const char* kData = R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, consultant_id) VALUES
  ('C1', '品一', '13400000001', '2024-01-01', 'K1'),
  ('C2', '品二', '13400000002', '2024-01-01', 'K2'),
  ('C3', '品三', '13400000003', '2024-01-01', 'K2');
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  ('C1', '2026-06-01', 1000.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('C1', '2026-06-01', 1000.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('C2', '2026-06-10', 500.00, '皮肤科', 0, 'K2', 'P1', 2, '微信'),
  ('C2', '2026-06-20', 500.00, '皮肤科', 0, 'K2', 'P1', 1, '微信'),
  ('C1', '2026-05-02', 1000.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('C3', '2026-06-30', 2000.00, '注射科', 0, 'K2', 'P3', 1, '现金'),
  ('C3', '2026-05-31', 3000.00, '注射科', 0, 'K2', 'P3', 1, '现金'),
  ('C3', '2026-07-01', 9999.00, '注射科', 0, 'K2', 'P3', 1, '现金'),
  ('C1', '2026-05-10', 600.00, '注射科', 0, 'K1', 'P4', 1, '现金');
INSERT INTO write_off_records (customer_id, write_off_date, amount, department, product_id, quantity, consultant_id) VALUES
  ('C1', '2026-06-05', 200.00, '皮肤科', 'P1', 1, 'K1'),
  ('C1', '2026-06-15', 400.00, '皮肤科', 'P2', 1, 'K1');
)sql";

class ProductPerformance : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run_script(kAnalysisCatalogSql);
    db_.run_script(kData);
  }
  analysis::AnalysisRequest june() {
    auto r = request("2026-06-30");
    r.from = d("2026-06-01");
    r.to = d("2026-06-30");
    return r;
  }
  ScratchDatabase db_;
};

}  // namespace

TEST_F(ProductPerformance, HandMadeAnswer) {
  auto r = run_ok(db_, "product-performance", june());
  const Table& t = r.table;
  EXPECT_EQ(column_texts(t, "product_id"), (std::vector<std::string>{"P1", "P3", "P2", "P4"}));
  EXPECT_EQ(column_texts(t, "revenue"),
            (std::vector<std::string>{"3000.00", "2000.00", "0.00", "0.00"}));
  EXPECT_EQ(column_texts(t, "quantity"), (std::vector<std::string>{"5", "1", "0", "0"}));
  EXPECT_EQ(column_texts(t, "orders"), (std::vector<std::string>{"4", "1", "0", "0"}));
  EXPECT_EQ(column_texts(t, "buyers"), (std::vector<std::string>{"2", "1", "0", "0"}));
  EXPECT_EQ(column_texts(t, "repeat_buyers"), (std::vector<std::string>{"1", "0", "0", "0"}));
  EXPECT_EQ(column_texts(t, "write_off"),
            (std::vector<std::string>{"200.00", "0.00", "400.00", "0.00"}));
  EXPECT_EQ(column_texts(t, "previous_revenue"),
            (std::vector<std::string>{"1000.00", "3000.00", "0.00", "600.00"}));
  EXPECT_DOUBLE_EQ(*ratio(t, 0, "repeat_rate"), 0.5);
  EXPECT_DOUBLE_EQ(*ratio(t, 0, "change_ratio"), 2.0);
  EXPECT_NEAR(*ratio(t, 1, "change_ratio"), -1.0 / 3.0, 1e-12);
  EXPECT_FALSE(ratio(t, 2, "change_ratio").has_value());
  EXPECT_DOUBLE_EQ(*ratio(t, 3, "change_ratio"), -1.0);
  EXPECT_EQ(text(t, 0, "product_name"), "水光针");

  EXPECT_EQ(summary_text(r, "product_count"), "2");
  EXPECT_EQ(summary_text(r, "revenue"), "5000.00");
  EXPECT_EQ(summary_text(r, "write_off"), "600.00");
  ASSERT_TRUE(r.chart.has_value());
  auto chart = analysis::default_chart(r);
  ASSERT_TRUE(chart.has_value());
  EXPECT_EQ(chart->categories.front(), "水光针");
  EXPECT_DOUBLE_EQ(chart->series.front().values.front(), 3000.0);
}

TEST_F(ProductPerformance, ScopeKeepsOwnCustomersOnly) {
  auto req = june();
  req.scope.consultant_id = "K1";  // C1 only
  auto r = run_ok(db_, "品项", req);
  EXPECT_EQ(column_texts(r.table, "product_id"), (std::vector<std::string>{"P1", "P2", "P4"}));
  EXPECT_EQ(money(r.table, 0, "revenue"), "2000.00");
  EXPECT_EQ(integer(r.table, 0, "repeat_buyers"), 0);
}
