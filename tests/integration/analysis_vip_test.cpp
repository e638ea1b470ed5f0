// vip-consumption on a hand-made dataset (period 2026-06-01..06-30, previous 2026-05-02..05-31).
#include <cctype>

#include "tests/integration/analysis_test_util.hpp"

using namespace yimei;
using namespace yimei::test;

namespace {

//  V1 金卡: 06-01 500 + 300 (one visit), 06-30 200 -> 1000, 2 visits, 500.00 a visit; previous
//     05-02 1000 -> not declining; a 07-01 purchase is after as_of.
//  V2 钻石: 06-10 400, previous 05-31 1000 -> 400 < 0.5 x 1000, declining, change -60%.
//  V3 金卡: nothing now, previous 05-20 200 -> declining.
//  V4 钻石: no records -> 0, no visits, per visit NULL, not declining (previous 0).
//  V5 金卡: 06-15 500, previous 05-15 1000 -> exactly half, not declining.
//  V6 金卡: registered after as_of.  R1 普通: 06-05 5000 (counts in all consumption only).
const char* kData = R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, consultant_id, membership_level) VALUES
  ('V1', '贵一', '13700000001', '2025-01-01', 'K1', '金卡'),
  ('V2', '贵二', '13700000002', '2025-01-01', 'K2', '钻石'),
  ('V3', '贵三', '13700000003', '2025-01-01', 'K1', '金卡'),
  ('V4', '贵四', '13700000004', '2025-01-01', 'K2', '钻石'),
  ('V5', '贵五', '13700000005', '2025-01-01', 'K2', '金卡'),
  ('V6', '贵六', '13700000006', '2026-07-01', 'K1', '金卡'),
  ('R1', '普一', '13700000007', '2025-01-01', 'K1', '普通');
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  ('V1', '2026-06-01', 500.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('V1', '2026-06-01', 300.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('V1', '2026-06-30', 200.00, '注射科', 0, 'K1', 'P3', 1, '微信'),
  ('V1', '2026-05-02', 1000.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('V1', '2026-07-01', 9999.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('V2', '2026-06-10', 400.00, '皮肤科', 0, 'K2', 'P1', 1, '现金'),
  ('V2', '2026-05-31', 1000.00, '注射科', 0, 'K2', 'P3', 1, '现金'),
  ('V3', '2026-05-20', 200.00, '皮肤科', 0, 'K1', 'P1', 1, '现金'),
  ('V3', '2026-05-01', 800.00, '皮肤科', 0, 'K1', 'P1', 1, '现金'),
  ('V5', '2026-06-15', 500.00, '注射科', 0, 'K2', 'P3', 1, '微信'),
  ('V5', '2026-05-15', 1000.00, '注射科', 0, 'K2', 'P3', 1, '微信'),
  ('R1', '2026-06-05', 5000.00, '注射科', 0, 'K1', 'P3', 1, '微信');
)sql";

class VipConsumption : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run_script(kAnalysisCatalogSql);
    db_.run_script(kData);
  }
  analysis::AnalysisRequest june(std::map<std::string, std::string> params = {}) {
    auto r = request("2026-06-30", std::move(params));
    r.from = d("2026-06-01");
    r.to = d("2026-06-30");
    return r;
  }
  ScratchDatabase db_;
};

}  // namespace

TEST_F(VipConsumption, HandMadeAnswer) {
  auto r = run_ok(db_, "vip-consumption", june());
  ASSERT_TRUE(r.previous_from && r.previous_to);
  EXPECT_EQ(format_date(*r.previous_from), "2026-05-02");
  EXPECT_EQ(format_date(*r.previous_to), "2026-05-31");
  const Table& t = r.table;
  EXPECT_EQ(column_texts(t, "customer_id"),
            (std::vector<std::string>{"V1", "V5", "V2", "V3", "V4"}));
  EXPECT_EQ(column_texts(t, "amount"),
            (std::vector<std::string>{"1000.00", "500.00", "400.00", "0.00", "0.00"}));
  EXPECT_EQ(column_texts(t, "visits"), (std::vector<std::string>{"2", "1", "1", "0", "0"}));
  EXPECT_EQ(column_texts(t, "amount_per_visit"),
            (std::vector<std::string>{"500.00", "500.00", "400.00", "NULL", "NULL"}));
  EXPECT_EQ(column_texts(t, "previous_amount"),
            (std::vector<std::string>{"1000.00", "1000.00", "1000.00", "200.00", "0.00"}));
  EXPECT_EQ(column_texts(t, "declining"), (std::vector<std::string>{"否", "否", "是", "是", "否"}));
  EXPECT_DOUBLE_EQ(*ratio(t, 2, "change_ratio"), -0.6);
  EXPECT_FALSE(ratio(t, 4, "change_ratio").has_value());

  EXPECT_EQ(summary_text(r, "vip_count"), "5");
  EXPECT_EQ(summary_text(r, "active_vips"), "3");
  EXPECT_EQ(summary_text(r, "vip_amount"), "1900.00");
  EXPECT_EQ(summary_text(r, "total_amount"), "6900.00");
  EXPECT_NEAR(*summary_ratio(r, "vip_share"), 1900.0 / 6900.0, 1e-12);
  EXPECT_EQ(summary_text(r, "declining_count"), "2");
  EXPECT_EQ(summary_text(r, "previous_vip_amount"), "3200.00");

  const Table& dep = breakdown(r, "VIP消费按科室");
  EXPECT_EQ(column_texts(dep, "department"), (std::vector<std::string>{"皮肤科", "注射科"}));
  EXPECT_EQ(column_texts(dep, "amount"), (std::vector<std::string>{"1200.00", "700.00"}));
  EXPECT_EQ(column_texts(breakdown(r, "消费下滑VIP"), "customer_id"),
            (std::vector<std::string>{"V2", "V3"}));
}

TEST_F(VipConsumption, LevelsAndDeclineRatioAreParameters) {
  auto diamonds = run_ok(db_, "VIP", june({{"vip_levels", "钻石"}}));
  EXPECT_EQ(column_texts(diamonds.table, "customer_id"), (std::vector<std::string>{"V2", "V4"}));
  // 0.3: V2 (400 >= 300) no longer declines; V3 (0 < 60) still does.
  auto strict = run_ok(db_, "vip-consumption", june({{"decline_ratio", "0.3"}}));
  EXPECT_EQ(summary_text(strict, "declining_count"), "1");
  auto bad = request("2026-06-30", {{"decline_ratio", "abc"}});
  auto c = db_.pool().acquire();
  EXPECT_FALSE(analysis::run_analysis(*c, "vip-consumption", bad).ok());
  EXPECT_FALSE(
      analysis::run_analysis(*c, "vip-consumption", request("2026-06-30", {{"vip_levels", " , "}}))
          .ok());
  EXPECT_FALSE(analysis::run_analysis(*c, "vip-consumption",
                                      request("2026-06-30", {{"decline_ratio", "1.5"}}))
                   .ok());
}

TEST_F(VipConsumption, DefaultPeriodAndScope) {
  auto r = run_ok(db_, "vip-consumption", request("2026-06-30"));
  // [2026-04-02, 2026-06-30]: V3's 05-01 and 05-20 purchases now count (1000).
  EXPECT_EQ(format_date(*r.from), "2026-04-02");
  EXPECT_EQ(money(r.table, row_of(r.table, "customer_id", "V3"), "amount"), "1000.00");
  auto req = june();
  req.scope.consultant_id = "K1";  // V1, V3 (and R1 in the total)
  auto k1 = run_ok(db_, "vip-consumption", req);
  EXPECT_EQ(column_texts(k1.table, "customer_id"), (std::vector<std::string>{"V1", "V3"}));
  EXPECT_EQ(summary_text(k1, "total_amount"), "6000.00");
}

TEST_F(VipConsumption, PeriodEdgesInsideMonths) {
  // [06-10, 06-30], previous [05-20, 06-09]: June's first nine days and May's first nineteen lie
  // outside both periods. V1: 06-30 200 now, 06-01 800 before -> declining; V2: 06-10 400 now,
  // 05-31 1000 before -> declining; V3: 05-20 200 before (the first day) -> declining; V5: 06-15
  // 500 now, its 05-15 purchase is before the previous period. R1's 06-05 is outside.
  auto req = june();
  req.from = d("2026-06-10");
  auto r = run_ok(db_, "vip-consumption", req);
  EXPECT_EQ(format_date(*r.previous_from), "2026-05-20");
  EXPECT_EQ(format_date(*r.previous_to), "2026-06-09");
  const Table& t = r.table;
  EXPECT_EQ(column_texts(t, "customer_id"),
            (std::vector<std::string>{"V5", "V2", "V1", "V3", "V4"}));
  EXPECT_EQ(column_texts(t, "amount"),
            (std::vector<std::string>{"500.00", "400.00", "200.00", "0.00", "0.00"}));
  EXPECT_EQ(column_texts(t, "visits"), (std::vector<std::string>{"1", "1", "1", "0", "0"}));
  EXPECT_EQ(column_texts(t, "previous_amount"),
            (std::vector<std::string>{"0.00", "1000.00", "800.00", "200.00", "0.00"}));
  EXPECT_EQ(column_texts(t, "declining"), (std::vector<std::string>{"否", "是", "是", "是", "否"}));
  EXPECT_EQ(summary_text(r, "vip_amount"), "1100.00");
  EXPECT_EQ(summary_text(r, "total_amount"), "1100.00");
  EXPECT_EQ(summary_text(r, "previous_vip_amount"), "2000.00");
  const Table& dep = breakdown(r, "VIP消费按科室");
  EXPECT_EQ(column_texts(dep, "department"), (std::vector<std::string>{"注射科", "皮肤科"}));
  EXPECT_EQ(column_texts(dep, "amount"), (std::vector<std::string>{"700.00", "400.00"}));
  EXPECT_EQ(column_texts(dep, "customers"), (std::vector<std::string>{"2", "1"}));

  // A period within one month, [06-02, 06-29]: V1's 06-01 and 06-30 both fall outside, so V1 has
  // no purchase and no department counts it; the previous period [05-05, 06-01] holds 06-01.
  req.from = d("2026-06-02");
  req.to = d("2026-06-29");
  auto inner = run_ok(db_, "vip-consumption", req);
  const Table& u = inner.table;
  EXPECT_EQ(column_texts(u, "customer_id"),
            (std::vector<std::string>{"V5", "V2", "V1", "V3", "V4"}));
  EXPECT_EQ(column_texts(u, "amount"),
            (std::vector<std::string>{"500.00", "400.00", "0.00", "0.00", "0.00"}));
  EXPECT_EQ(column_texts(u, "previous_amount"),
            (std::vector<std::string>{"1000.00", "1000.00", "800.00", "200.00", "0.00"}));
  const Table& inner_dep = breakdown(inner, "VIP消费按科室");
  EXPECT_EQ(column_texts(inner_dep, "department"), (std::vector<std::string>{"注射科", "皮肤科"}));
  EXPECT_EQ(column_texts(inner_dep, "amount"), (std::vector<std::string>{"500.00", "400.00"}));
  EXPECT_EQ(column_texts(inner_dep, "customers"), (std::vector<std::string>{"1", "1"}));
}

TEST_F(VipConsumption, DepartmentsTheCollationCallsEqualAreOneDepartment) {
  // 'Laser', 'LASER' and 'laser ' are one department under utf8mb4_unicode_ci (case-blind, PAD
  // SPACE): one row of the split with the three VIPs' 175.00, whichever spelling it shows.
  db_.run_script(R"sql(
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  ('V1', '2026-06-20', 100.00, 'Laser', 0, 'K1', 'P1', 1, '微信'),
  ('V2', '2026-06-21', 50.00, 'LASER', 0, 'K2', 'P1', 1, '微信'),
  ('V5', '2026-06-22', 25.00, 'laser ', 0, 'K2', 'P1', 1, '微信');
)sql");
  auto r = run_ok(db_, "vip-consumption", june());
  const Table& dep = breakdown(r, "VIP消费按科室");
  EXPECT_EQ(column_texts(dep, "amount"), (std::vector<std::string>{"1200.00", "700.00", "175.00"}));
  EXPECT_EQ(column_texts(dep, "customers"), (std::vector<std::string>{"2", "2", "3"}));
  std::string laser = column_texts(dep, "department").at(2);
  for (char& ch : laser) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_TRUE(laser == "laser" || laser == "laser ") << laser;
}

TEST_F(VipConsumption, LevelChangesAndNewRecordsCountAtOnce) {
  // V2 leaves the VIP levels, R1 joins them; V4 buys twice on 06-20 and once on 06-21.
  db_.run_script(R"sql(
UPDATE customers SET membership_level = '银卡' WHERE customer_id = 'V2';
UPDATE customers SET membership_level = '钻石' WHERE customer_id = 'R1';
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  ('V4', '2026-06-20', 100.00, '皮肤科', 1, 'K2', 'P1', 1, '微信'),
  ('V4', '2026-06-20', 50.50, '注射科', 0, 'K2', 'P3', 1, '微信'),
  ('V4', '2026-06-21', 49.50, '注射科', 0, 'K2', 'P3', 1, '微信');
)sql");
  auto r = run_ok(db_, "vip-consumption", june());
  const Table& t = r.table;
  EXPECT_EQ(column_texts(t, "customer_id"),
            (std::vector<std::string>{"R1", "V1", "V5", "V4", "V3"}));
  EXPECT_EQ(column_texts(t, "amount"),
            (std::vector<std::string>{"5000.00", "1000.00", "500.00", "200.00", "0.00"}));
  EXPECT_EQ(column_texts(t, "visits"), (std::vector<std::string>{"1", "2", "1", "2", "0"}));
  EXPECT_EQ(text(t, row_of(t, "customer_id", "V4"), "amount_per_visit"), "100.00");
  const Table& dep = breakdown(r, "VIP消费按科室");
  EXPECT_EQ(column_texts(dep, "department"), (std::vector<std::string>{"注射科", "皮肤科"}));
  EXPECT_EQ(column_texts(dep, "amount"), (std::vector<std::string>{"5800.00", "900.00"}));
  EXPECT_EQ(column_texts(dep, "customers"), (std::vector<std::string>{"4", "2"}));
}

namespace {

// The VIP list and the department split straight from the records (the definitions of
// analyses.md), for one request on the fixture: customer_id|amount|visits|previous_amount per
// VIP in the analysis' order, then department|amount|customers.
struct Oracle {
  std::vector<std::string> vips;
  std::vector<std::string> departments;
};

Oracle oracle(const std::string& as_of, const std::string& from, const std::string& to,
              const std::string& prev_from, const std::string& prev_to,
              const std::string& consultant) {
  const std::string vip = " c.membership_level IN ('金卡', '钻石') AND c.register_date <= '" +
                          as_of + "'" +
                          (consultant.empty() ? "" : " AND c.consultant_id = '" + consultant + "'");
  const Table vips =
      fixture_sql("SELECT c.customer_id, COALESCE(SUM(IF(r.consume_date >= '" + from +
                  "', r.amount, 0)), 0) AS amount, COUNT(DISTINCT IF(r.consume_date >= '" + from +
                  "', r.consume_date, NULL)), COALESCE(SUM(IF(r.consume_date <= '" + prev_to +
                  "', r.amount, 0)), 0) FROM customers c LEFT JOIN consumption_records r"
                  " ON r.customer_id = c.customer_id AND r.consume_date BETWEEN '" +
                  prev_from + "' AND '" + to + "' WHERE" + vip +
                  " GROUP BY c.customer_id ORDER BY amount DESC, c.customer_id");
  const Table deps = fixture_sql(
      "SELECT r.department, SUM(r.amount) AS amount, COUNT(DISTINCT r.customer_id)"
      " FROM customers c JOIN consumption_records r ON r.customer_id = c.customer_id"
      " AND r.consume_date BETWEEN '" +
      from + "' AND '" + to + "' WHERE" + vip +
      " GROUP BY r.department ORDER BY amount DESC, r.department");
  Oracle o;
  for (std::size_t i = 0; i < vips.rows.size(); ++i)
    o.vips.push_back(cell(vips, i, 0) + "|" + cell(vips, i, 1) + "|" + cell(vips, i, 2) + "|" +
                     cell(vips, i, 3));
  for (std::size_t i = 0; i < deps.rows.size(); ++i)
    o.departments.push_back(cell(deps, i, 0) + "|" + cell(deps, i, 1) + "|" + cell(deps, i, 2));
  return o;
}

}  // namespace

TEST(VipConsumptionFixture, EveryPeriodMatchesTheRecords) {
  struct Case {
    const char* as_of;
    const char* from;  // "" for the default period
    const char* to;
    const char* prev_from;
    const char* prev_to;
    const char* consultant;
  };
  const Case cases[] = {
      {"2026-06-30", "", "", "2026-01-02", "2026-04-01", ""},  // default: [04-02, 06-30]
      {"2026-06-30", "2026-06-01", "2026-06-30", "2026-05-02", "2026-05-31", ""},
      {"2026-06-30", "2026-03-15", "2026-05-20", "2026-01-07", "2026-03-14", ""},
      {"2026-06-30", "2025-12-20", "2026-01-10", "2025-11-28", "2025-12-19", ""},
      {"2026-06-30", "2026-04-10", "2026-04-20", "2026-03-30", "2026-04-09", ""},
      {"2026-03-31", "", "", "2025-10-03", "2025-12-31", ""},  // default: [01-01, 03-31]
      {"2026-06-30", "2026-03-15", "2026-05-20", "2026-01-07", "2026-03-14", "E005"},
      // 74 calendar years: summed from the records (a join per year would pass MariaDB's limit)
      {"2026-06-30", "1990-01-01", "2026-06-30", "1953-07-04", "1989-12-31", ""},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(std::string(k.as_of) + " " + k.from + ".." + k.to + " " + k.consultant);
    auto req = request(k.as_of);
    if (*k.from) {
      req.from = d(k.from);
      req.to = d(k.to);
    }
    if (*k.consultant) req.scope.consultant_id = k.consultant;
    auto c = fixture_db().pool().acquire();
    auto out = analysis::run_analysis(*c, "vip-consumption", req);
    ASSERT_TRUE(out.ok()) << out.error().message;
    const auto& r = out.value();
    EXPECT_EQ(format_date(*r.previous_from), k.prev_from);
    EXPECT_EQ(format_date(*r.previous_to), k.prev_to);
    const Oracle o = oracle(k.as_of, format_date(*r.from), format_date(*r.to), k.prev_from,
                            k.prev_to, k.consultant);
    std::vector<std::string> vips;
    for (std::size_t i = 0; i < r.table.rows.size(); ++i)
      vips.push_back(text(r.table, i, "customer_id") + "|" + text(r.table, i, "amount") + "|" +
                     text(r.table, i, "visits") + "|" + text(r.table, i, "previous_amount"));
    ASSERT_GT(o.vips.size(), 3u);
    EXPECT_EQ(vips, o.vips);
    const Table& dep = breakdown(r, "VIP消费按科室");
    std::vector<std::string> departments;
    for (std::size_t i = 0; i < dep.rows.size(); ++i)
      departments.push_back(text(dep, i, "department") + "|" + text(dep, i, "amount") + "|" +
                            text(dep, i, "customers"));
    EXPECT_FALSE(o.departments.empty());
    EXPECT_EQ(departments, o.departments);
  }
}
