// growth-points on a hand-made dataset: every detector's amount, score and rank worked out below
// (as_of 2026-06-30; default parameters; last 90 days' revenue 10,000 is the score's yardstick).
#include "tests/integration/analysis_test_util.hpp"

using namespace yimei;
using namespace yimei::test;

namespace {

//  G1 普通: first purchase 06-01 (皮肤科 1000); balance P2 1000 left, expires 07-10 -> expiring.
//  G2 普通: no purchases; balance P2 3000 left, never written off -> dormant.
//  G3 金卡: 2026-01-10 2000, nothing since -> a declining VIP (previous 90 days 2000, now 0);
//           also the whole closed 二开 cohort (no second purchase: historical rate 0).
//  G4 普通: first purchase 05-15 (注射科 9000), one department only, top fifth by lifetime.
// Detectors (amount = score x 100 / 10,000):
//  10 科室增长与下滑: 注射科 06-01..06-30 is 0 against 9000 in 05-02..05-31 (-100%):
//     9000 x 3 x 0.5 = 13,500.00 -> score 100 (capped), 高
//   5 VIP消费下滑: (2000 - 0) x 0.5 = 1,000.00 -> 10.0, 高
//   3 沉睡余额: 3000 x 0.3 = 900.00 -> 9.0, 高
//   7 跨科室: G4 x (10,000 / 2 orders) x 0.15 = 750.00 -> 7.5, 中
//   4 到期余额: 1000 x 0.5 = 500.00 -> 5.0, 中
//   1, 2 (targets G1 and G4 but historical rate 0), 6, 8, 9: 0.00 -> 0, 低, in catalog order.
const char* kData = R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, consultant_id, membership_level) VALUES
  ('G1', '增一', '13300000001', '2025-01-01', 'K1', '普通'),
  ('G2', '增二', '13300000002', '2025-01-01', 'K1', '普通'),
  ('G3', '增三', '13300000003', '2025-01-01', 'K2', '金卡'),
  ('G4', '增四', '13300000004', '2025-01-01', 'K2', '普通');
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  ('G1', '2026-06-01', 1000.00, '皮肤科', 1, 'K1', 'P1', 1, '微信'),
  ('G3', '2026-01-10', 2000.00, '皮肤科', 1, 'K2', 'P1', 1, '微信'),
  ('G4', '2026-05-15', 9000.00, '注射科', 1, 'K2', 'P3', 1, '银行卡');
INSERT INTO unspent_balances (customer_id, product_id, total_amount, spent_amount, last_write_off_date, expiration_date) VALUES
  ('G1', 'P2', 1000.00, 0.00, '2026-06-01', '2026-07-10'),
  ('G2', 'P2', 3000.00, 0.00, NULL, '2027-01-01');
)sql";

class GrowthPoints : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run_script(kAnalysisCatalogSql);
    db_.run_script(kData);
  }
  ScratchDatabase db_;
};

}  // namespace

TEST_F(GrowthPoints, HandMadeRanking) {
  auto r = run_ok(db_, "growth-points", request("2026-06-30"));
  ASSERT_EQ(r.opportunities.size(), 10u);
  EXPECT_EQ(column_texts(r.table, "key"),
            (std::vector<std::string>{"department-swings", "vip-decline", "dormant-balances",
                                      "cross-department", "expiring-balances", "dormant-high-value",
                                      "new-customer-second-purchase", "membership-upgrade",
                                      "repeat-product-reach", "consultant-gaps"}));
  EXPECT_EQ(column_texts(r.table, "opportunity_amount"),
            (std::vector<std::string>{"13500.00", "1000.00", "900.00", "750.00", "500.00", "0.00",
                                      "0.00", "0.00", "0.00", "0.00"}));
  EXPECT_EQ(column_texts(r.table, "priority"),
            (std::vector<std::string>{"高", "高", "高", "中", "中", "低", "低", "低", "低", "低"}));
  EXPECT_EQ(column_texts(r.table, "target_count"),
            (std::vector<std::string>{"1", "1", "1", "1", "1", "0", "2", "0", "0", "0"}));
  EXPECT_DOUBLE_EQ(*ratio(r.table, 0, "score"), 100.0);
  EXPECT_DOUBLE_EQ(*ratio(r.table, 1, "score"), 10.0);
  EXPECT_DOUBLE_EQ(*ratio(r.table, 3, "score"), 7.5);
  EXPECT_EQ(summary_text(r, "quarter_revenue"), "10000.00");
  EXPECT_EQ(summary_text(r, "total_opportunity"), "16650.00");
  for (const auto& o : r.opportunities) {
    EXPECT_FALSE(o.formula_zh.empty()) << o.key;
    EXPECT_GE(o.actions_zh.size(), 2u) << o.key;
  }
  EXPECT_NE(r.opportunities[1].formula_zh.find("2,000.00元"), std::string::npos)
      << r.opportunities[1].formula_zh;
}

TEST_F(GrowthPoints, DetailReturnsTheFullTargetList) {
  auto swings = run_ok(db_, "growth-points", request("2026-06-30", {{"detail", "1"}}));
  EXPECT_EQ(column_texts(swings.table, "department"), (std::vector<std::string>{"注射科"}));
  EXPECT_EQ(column_texts(swings.table, "trend"), (std::vector<std::string>{"下滑"}));
  EXPECT_EQ(column_texts(swings.table, "shortfall"), (std::vector<std::string>{"9000.00"}));
  auto cross = run_ok(db_, "growth-points", request("2026-06-30", {{"detail", "4"}}));
  EXPECT_EQ(column_texts(cross.table, "customer_id"), (std::vector<std::string>{"G4"}));
  EXPECT_EQ(column_texts(cross.table, "department"), (std::vector<std::string>{"注射科"}));
  EXPECT_TRUE(cross.table.columns[col(cross.table, "phone")].is_phone);
  auto second = run_ok(db_, "growth-points", request("2026-06-30", {{"detail", "7"}}));
  // Open windows (first purchase on or after 04-01, no second yet): G4 (90 - 46 = 44 days left) and
  // G1 (61).
  EXPECT_EQ(column_texts(second.table, "customer_id"), (std::vector<std::string>{"G4", "G1"}));
  EXPECT_EQ(column_texts(second.table, "days_left"), (std::vector<std::string>{"44", "61"}));
}

TEST_F(GrowthPoints, ParametersChangeTheFormulaAndScopeFilters) {
  auto r = run_ok(db_, "增长点",
                  request("2026-06-30", {{"activation_rate", "0.5"}, {"expiring_rate", "1"}}));
  for (const auto& o : r.opportunities) {
    if (o.key == "dormant-balances") {
      EXPECT_EQ(o.opportunity_amount.to_string(), "1500.00");
    }
    if (o.key == "expiring-balances") {
      EXPECT_EQ(o.opportunity_amount.to_string(), "1000.00");
    }
  }
  auto req = request("2026-06-30");
  req.scope.consultant_id = "K1";  // G1 and G2 only: no VIP, no 注射科 revenue
  auto k1 = run_ok(db_, "growth-points", req);
  EXPECT_EQ(summary_text(k1, "quarter_revenue"), "1000.00");
  for (const auto& o : k1.opportunities) {
    if (o.key == "vip-decline" || o.key == "department-swings") {
      EXPECT_TRUE(o.targets.rows.empty()) << o.key;
    }
    if (o.key == "cross-department") {  // G1 is now the top fifth by itself
      EXPECT_EQ(column_texts(o.targets, "customer_id"), (std::vector<std::string>{"G1"}));
    }
  }
}

TEST_F(GrowthPoints, CrossDepartmentAsOfAnEarlierDaySeesOnlyTheDepartmentsOfThen) {
  // G5 bought in 注射科 on 05-20 (9,500) and in 皮肤科 on 06-20. As of 06-10 it has one
  // department and the top lifetime (the top fifth of four paying customers is the first one):
  // the only target. As of 06-30 it has two, and G4's 9,000 is below G5's 10,000: none.
  db_.run_script(R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, consultant_id, membership_level) VALUES
  ('G5', '增五', '13300000005', '2025-01-01', 'K2', '普通');
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  ('G5', '2026-05-20', 9500.00, '注射科', 1, 'K2', 'P3', 1, '微信'),
  ('G5', '2026-06-20', 500.00, '皮肤科', 0, 'K2', 'P1', 1, '微信');
)sql");
  const auto targets = [&](const char* as_of) {
    for (auto& o : run_ok(db_, "growth-points", request(as_of)).opportunities)
      if (o.key == "cross-department") return o.targets;
    ADD_FAILURE() << "no cross-department opportunity";
    return Table{};
  };
  const Table then = targets("2026-06-10");
  EXPECT_EQ(column_texts(then, "customer_id"), (std::vector<std::string>{"G5"}));
  EXPECT_EQ(column_texts(then, "department"), (std::vector<std::string>{"注射科"}));
  EXPECT_EQ(column_texts(then, "lifetime"), (std::vector<std::string>{"9500.00"}));
  EXPECT_EQ(column_texts(then, "last_date"), (std::vector<std::string>{"2026-05-20"}));
  EXPECT_TRUE(targets("2026-06-30").rows.empty());
}

TEST_F(GrowthPoints, ADetectorsDatabaseFailureReachesTheCaller) {
  // Only the balance and product detectors (3, 4 and 8) read the products: they fail on whichever
  // connection they run, after the rest started.
  db_.run_script("RENAME TABLE medical_products TO medical_products_gone");
  auto c = db_.pool().acquire();
  EXPECT_THROW((void)analysis::run_analysis(*c, "growth-points", request("2026-06-30")),
               db::DbError);
}
