// inactive-customers on a hand-made dataset whose answer is worked out below (as_of 2026-06-30,
// days 180: inactive iff the last activity L <= 2026-01-01).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/analysis_test_util.hpp"

using namespace yimei;
using namespace yimei::test;

namespace {

// L per customer (by hand):
//  A1 last consumption 2025-12-01 -> 211 days, inactive; lifetime 500 + 300 = 800; balances
//     5000-1000 and 2000-2000 -> unspent 4000.
//  A2 write-off 2026-03-01 after a consumption 2025-11-01 -> active.
//  A3 no records, last_visit_date 2026-05-01 -> active.
//  A4 no records, last_visit_date NULL -> L = register 2024-05-01, 790 days, lifetime 0.
//  A5 consumption 2025-10-01 (800); a 2026-07-15 purchase and a 2026-07-20 visit lie after as_of
//     and are ignored -> 272 days, lifetime 800 (ties with A1: customer_id decides).
//  A6 registered after as_of -> not a customer yet.
//  A7 consumption exactly 2026-01-01 -> 180 days (>= days), inactive, lifetime 100.
//  A8 consumption 2026-01-02 -> 179 days, active.
//  A9 consumption 2025-09-01 (200); its write-off 2026-07-10 is after as_of -> 302 days.
const char* kData = R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, last_visit_date, consultant_id, membership_level) VALUES
  ('A1', '顾一', '13800000001', '2025-01-01', NULL, 'K1', '金卡'),
  ('A2', '顾二', '13800000002', '2025-01-01', NULL, 'K1', '普通'),
  ('A3', '顾三', '13800000003', '2025-01-01', '2026-05-01', 'K2', '普通'),
  ('A4', '顾四', '13800000004', '2024-05-01', NULL, 'K1', '普通'),
  ('A5', '顾五', '13800000005', '2025-01-01', '2026-07-20', 'K2', '银卡'),
  ('A6', '顾六', '13800000006', '2026-08-01', NULL, 'K1', '普通'),
  ('A7', '顾七', '13800000007', '2025-01-01', NULL, NULL, '普通'),
  ('A8', '顾八', '13800000008', '2025-01-01', NULL, 'K2', '普通'),
  ('A9', '顾九', '13800000009', '2025-01-01', NULL, 'K2', '普通');
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  ('A1', '2025-06-01', 300.00, '皮肤科', 1, 'K1', 'P1', 1, '微信'),
  ('A1', '2025-12-01', 500.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('A2', '2025-11-01', 1000.00, '皮肤科', 1, 'K1', 'P1', 1, '现金'),
  ('A5', '2025-10-01', 800.00, '注射科', 1, 'K2', 'P3', 1, '微信'),
  ('A5', '2026-07-15', 9999.00, '注射科', 0, 'K2', 'P3', 1, '微信'),
  ('A7', '2026-01-01', 100.00, '皮肤科', 1, NULL, 'P1', 1, '现金'),
  ('A8', '2026-01-02', 100.00, '皮肤科', 1, 'K2', 'P1', 1, '现金'),
  ('A9', '2025-09-01', 200.00, '皮肤科', 1, 'K2', 'P1', 1, '现金');
INSERT INTO write_off_records (customer_id, write_off_date, amount, department, product_id, quantity, consultant_id) VALUES
  ('A2', '2026-03-01', 100.00, '皮肤科', 'P2', 1, 'K1'),
  ('A9', '2026-07-10', 100.00, '皮肤科', 'P2', 1, 'K2');
INSERT INTO unspent_balances (customer_id, product_id, total_amount, spent_amount, last_write_off_date, expiration_date) VALUES
  ('A1', 'P2', 5000.00, 1000.00, '2025-12-01', '2026-12-01'),
  ('A1', 'P4', 2000.00, 2000.00, '2025-11-01', '2026-11-01'),
  ('A2', 'P2', 1000.00, 100.00, '2026-03-01', '2026-12-01');
)sql";

class InactiveCustomers : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run_script(kAnalysisCatalogSql);
    db_.run_script(kData);
  }
  // A 普通 customer of K1 registered 2025-01-01 (phone 138000000NN), with its purchases (date,
  // amount) in 皮肤科; the first one flagged new.
  void add_buyer(const std::string& id, const std::string& name, int phone,
                 const std::vector<std::pair<std::string, std::string>>& purchases) {
    std::string script =
        "INSERT INTO customers (customer_id, name, phone, register_date, consultant_id, "
        "membership_level) VALUES ('" +
        id + "', '" + name + "', '138000000" + std::to_string(phone) +
        "', '2025-01-01', 'K1', '普通');";
    for (std::size_t i = 0; i < purchases.size(); ++i)
      script +=
          "INSERT INTO consumption_records (customer_id, consume_date, amount, department, "
          "is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES ('" +
          id + "', '" + purchases[i].first + "', " + purchases[i].second + ", '皮肤科', " +
          (i == 0 ? "1" : "0") + ", 'K1', 'P1', 1, '微信');";
    db_.run_script(script);
  }
  ScratchDatabase db_;
};

}  // namespace

TEST_F(InactiveCustomers, HandMadeAnswer) {
  auto r = run_ok(db_, "inactive-customers", request("2026-06-30"));
  const Table& t = r.table;
  EXPECT_EQ(column_texts(t, "customer_id"),
            (std::vector<std::string>{"A1", "A5", "A9", "A7", "A4"}));
  EXPECT_EQ(column_texts(t, "last_activity_date"),
            (std::vector<std::string>{"2025-12-01", "2025-10-01", "2025-09-01", "2026-01-01",
                                      "2024-05-01"}));
  EXPECT_EQ(column_texts(t, "days_inactive"),
            (std::vector<std::string>{"211", "272", "302", "180", "790"}));
  EXPECT_EQ(column_texts(t, "lifetime_amount"),
            (std::vector<std::string>{"800.00", "800.00", "200.00", "100.00", "0.00"}));
  EXPECT_EQ(column_texts(t, "unspent_amount"),
            (std::vector<std::string>{"4000.00", "0.00", "0.00", "0.00", "0.00"}));
  EXPECT_EQ(text(t, 0, "consultant_name"), "甲咨询");
  EXPECT_EQ(text(t, 3, "consultant_name"), "NULL");
  EXPECT_EQ(text(t, 0, "membership_level"), "金卡");
  EXPECT_EQ(t.columns[col(t, "last_activity_date")].type, ColumnType::Date);
  EXPECT_TRUE(t.columns[col(t, "phone")].is_phone);
  EXPECT_EQ(t.columns[col(t, "lifetime_amount")].unit, ColumnUnit::Yuan);
  EXPECT_EQ(t.columns[col(t, "days_inactive")].unit, ColumnUnit::Days);
  EXPECT_EQ(t.columns[col(t, "lifetime_amount")].label, "累计消费");

  EXPECT_EQ(summary_text(r, "inactive_count"), "5");
  EXPECT_EQ(summary_text(r, "total_lifetime_amount"), "1900.00");
  EXPECT_EQ(summary_text(r, "total_unspent_amount"), "4000.00");
  EXPECT_EQ(r.params.at("days"), "180");
  EXPECT_NE(r.narrative_zh.find("5 位顾客"), std::string::npos) << r.narrative_zh;

  const Table& by = breakdown(r, "按咨询师");
  EXPECT_EQ(integer(by, row_of(by, "consultant_name", "乙咨询"), "inactive_count"), 2);
  EXPECT_EQ(integer(by, row_of(by, "consultant_name", "甲咨询"), "inactive_count"), 2);
  EXPECT_EQ(integer(by, row_of(by, "consultant_name", "未分配"), "inactive_count"), 1);
}

TEST_F(InactiveCustomers, DaysParameterMovesTheLine) {
  auto r = run_ok(db_, "inactive-customers", request("2026-06-30", {{"days", "365"}}));
  // Only L <= 2025-06-30: A4 (2024-05-01).
  EXPECT_EQ(column_texts(r.table, "customer_id"), (std::vector<std::string>{"A4"}));
  auto all = run_ok(db_, "不活跃", request("2026-06-30", {{"days", "179"}}));
  // L <= 2026-01-02 adds A8.
  EXPECT_EQ(all.table.rows.size(), 6u);
}

TEST_F(InactiveCustomers, ConsultantScopeSeesOnlyOwnCustomers) {
  auto req = request("2026-06-30");
  req.scope.consultant_id = "K1";
  auto r = run_ok(db_, "inactive-customers", req);
  EXPECT_EQ(column_texts(r.table, "customer_id"), (std::vector<std::string>{"A1", "A4"}));
  EXPECT_EQ(summary_text(r, "total_lifetime_amount"), "800.00");
  req.scope.consultant_id = "K2";
  auto k2 = run_ok(db_, "inactive-customers", req);
  EXPECT_EQ(column_texts(k2.table, "customer_id"), (std::vector<std::string>{"A5", "A9"}));
}

TEST_F(InactiveCustomers, EarlierAsOfSeesEarlierState) {
  // As of 2025-12-31 (cut-off 2025-09-02): A9 (2025-09-01) is 121 days quiet; A3's visit and
  // A7's and A8's purchases lie in 2026, so their L is the registration 2025-01-01 (364 days);
  // A4 609 days; A1 (30 days), A2 (60) and A5 (91) are active; A2's 2026 write-off is ignored.
  auto r = run_ok(db_, "inactive-customers", request("2025-12-31", {{"days", "120"}}));
  EXPECT_EQ(column_texts(r.table, "customer_id"),
            (std::vector<std::string>{"A9", "A3", "A4", "A7", "A8"}));
  EXPECT_EQ(column_texts(r.table, "days_inactive"),
            (std::vector<std::string>{"121", "364", "609", "364", "364"}));
  EXPECT_EQ(column_texts(r.table, "lifetime_amount"),
            (std::vector<std::string>{"200.00", "0.00", "0.00", "0.00", "0.00"}));
}

TEST_F(InactiveCustomers, AnEarlierAsOfSeesPurchasesOnTheWindowsEdges) {
  // As of 2026-05-31 with days 160 (cut-off 2025-12-22, a window across the new year), each E
  // customer also bought on 06-10, after as_of, so its state is recomputed: E1 last bought on the
  // cut-off itself (160 days, inactive); E2 on the window's first day in 2025 and E3 on as_of
  // itself (both active). A1 181 days, A5 242 (its 07-15 purchase is later), A9 272 (its write-off
  // is later), A4 760 from its registration; A2's write-off, A3's visit, A7's and A8's purchases
  // fall in the window.
  add_buyer("E1", "边一", 11, {{"2025-12-22", "100.00"}, {"2026-06-10", "100.00"}});
  add_buyer("E2", "边二", 12, {{"2025-12-23", "100.00"}, {"2026-06-10", "100.00"}});
  add_buyer("E3", "边三", 13, {{"2026-05-31", "100.00"}, {"2026-06-10", "100.00"}});
  auto r = run_ok(db_, "inactive-customers", request("2026-05-31", {{"days", "160"}}));
  EXPECT_EQ(column_texts(r.table, "customer_id"),
            (std::vector<std::string>{"A1", "A5", "A9", "E1", "A4"}));
  EXPECT_EQ(column_texts(r.table, "last_activity_date"),
            (std::vector<std::string>{"2025-12-01", "2025-10-01", "2025-09-01", "2025-12-22",
                                      "2024-05-01"}));
  EXPECT_EQ(column_texts(r.table, "days_inactive"),
            (std::vector<std::string>{"181", "242", "272", "160", "760"}));
  EXPECT_EQ(column_texts(r.table, "lifetime_amount"),
            (std::vector<std::string>{"800.00", "800.00", "200.00", "100.00", "0.00"}));
}

TEST_F(InactiveCustomers, LifetimesAsOfADayWithinAMonth) {
  // A lifetime as of a day within a month, for customers with purchases after it: H1 bought
  // 2025-11-20 (300.00), then 05-25 (50.00) and 08-01 (70.00); H2 2026-05-01 (100.00) and 05-20
  // (30.00); H3 2025-11-15 (200.00) and 2027-01-05 (80.00), a year after as_of's. Each lifetime
  // leaves out everything after as_of, whether as_of's month is read from its later days (05-20)
  // or from its earlier ones (05-05, where H2's 05-01 purchase is the one before as_of).
  add_buyer("H1", "月一", 21,
            {{"2025-11-20", "300.00"}, {"2026-05-25", "50.00"}, {"2026-08-01", "70.00"}});
  add_buyer("H2", "月二", 22, {{"2026-05-01", "100.00"}, {"2026-05-20", "30.00"}});
  add_buyer("H3", "月三", 23, {{"2025-11-15", "200.00"}, {"2027-01-05", "80.00"}});
  const auto lifetimes = [&](const char* as_of, const char* days) {
    auto r = run_ok(db_, "inactive-customers", request(as_of, {{"days", days}}));
    const auto ids = column_texts(r.table, "customer_id");
    const auto amounts = column_texts(r.table, "lifetime_amount");
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (ids[i][0] == 'H') out[ids[i]] = amounts[i];
    return out;
  };
  EXPECT_EQ(lifetimes("2026-05-20", "160"),
            (std::map<std::string, std::string>{{"H1", "300.00"}, {"H3", "200.00"}}));
  EXPECT_EQ(
      lifetimes("2026-05-05", "3"),
      (std::map<std::string, std::string>{{"H1", "300.00"}, {"H2", "100.00"}, {"H3", "200.00"}}));
}

TEST_F(InactiveCustomers, BadParametersAreChineseUserErrors) {
  auto c = db_.pool().acquire();
  auto bad =
      analysis::run_analysis(*c, "inactive-customers", request("2026-06-30", {{"days", "abc"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::BadInput);
  EXPECT_NE(bad.error().message.find("days"), std::string::npos);
  auto unknown =
      analysis::run_analysis(*c, "inactive-customers", request("2026-06-30", {{"window", "3"}}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("没有参数"), std::string::npos);
  auto period = request("2026-06-30");
  period.from = d("2026-01-01");
  period.to = d("2026-02-01");
  EXPECT_FALSE(analysis::run_analysis(*c, "inactive-customers", period).ok());
  auto name = analysis::run_analysis(*c, "no-such-analysis", request("2026-06-30"));
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().kind, ErrorKind::NotFound);
  EXPECT_NE(name.error().message.find("growth-points"), std::string::npos);
}
