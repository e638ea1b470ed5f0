// Every analysis on the clinic-a-small fixture (as_of 2026-06-30) against an independent SQL
// query written here, differently from the product's (UNION ALL of dates, window functions,
// separate aggregates per period).
#include <set>

#include "tests/integration/analysis_test_util.hpp"

using namespace yimei;
using namespace yimei::test;

namespace {

analysis::AnalysisResult run(const std::string& name, analysis::AnalysisRequest req) {
  return run_ok(fixture_db(), name, std::move(req));
}

}  // namespace

TEST(AnalysisFixture, InactiveCustomersMatchIndependentSql) {
  auto r = run("inactive-customers", request("2026-06-30"));
  const Table expected = fixture_sql(R"sql(
    SELECT c.customer_id, COALESCE(lt.amount, 0) AS lifetime, COALESCE(ub.unspent, 0) AS unspent
    FROM customers c
    LEFT JOIN (SELECT customer_id, MAX(d) AS last_day FROM (
        SELECT customer_id, consume_date AS d FROM consumption_records WHERE consume_date <= '2026-06-30'
        UNION ALL SELECT customer_id, write_off_date FROM write_off_records WHERE write_off_date <= '2026-06-30'
        UNION ALL SELECT customer_id, last_visit_date FROM customers WHERE last_visit_date <= '2026-06-30') u
      GROUP BY customer_id) act ON act.customer_id = c.customer_id
    LEFT JOIN (SELECT customer_id, SUM(amount) AS amount FROM consumption_records
      WHERE consume_date <= '2026-06-30' GROUP BY customer_id) lt ON lt.customer_id = c.customer_id
    LEFT JOIN (SELECT customer_id, SUM(total_amount) - SUM(spent_amount) AS unspent
      FROM unspent_balances GROUP BY customer_id) ub ON ub.customer_id = c.customer_id
    WHERE c.register_date <= '2026-06-30'
      AND DATEDIFF('2026-06-30', COALESCE(act.last_day, c.register_date)) >= 180
    ORDER BY lifetime DESC, c.customer_id)sql");
  ASSERT_GT(expected.rows.size(), 10u);
  ASSERT_EQ(r.table.rows.size(), expected.rows.size());
  Decimal lifetime, unspent;
  for (std::size_t i = 0; i < expected.rows.size(); ++i) {
    ASSERT_EQ(text(r.table, i, "customer_id"), cell(expected, i, 0)) << "row " << i;
    ASSERT_EQ(money(r.table, i, "lifetime_amount"), cell(expected, i, 1)) << "row " << i;
    lifetime += std::get<Decimal>(expected.rows[i][1]);
    unspent += std::get<Decimal>(expected.rows[i][2]);
  }
  EXPECT_EQ(summary_text(r, "inactive_count"), std::to_string(expected.rows.size()));
  EXPECT_EQ(summary_text(r, "total_lifetime_amount"), lifetime.to_string());
  EXPECT_EQ(summary_text(r, "total_unspent_amount"), unspent.to_string());
}

TEST(AnalysisFixture, RepurchaseRateMatchesWindowFunctionSql) {
  auto r = run("new-customer-repurchase", request("2026-06-30"));
  // Default cohort [2025-10-04, 2026-04-01], window 90.
  const Table expected = fixture_sql(R"sql(
    WITH recs AS (
      SELECT customer_id, consume_date, record_id, consultant_id, department,
             MIN(consume_date) OVER (PARTITION BY customer_id) AS f,
             ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY consume_date, record_id) AS n
      FROM consumption_records WHERE consume_date <= '2026-06-30'),
    cohort AS (
      SELECT customer_id, MAX(IF(n = 1, consultant_id, NULL)) AS consultant_id,
             MAX(IF(n = 1, department, NULL)) AS department,
             MAX(consume_date > f AND consume_date <= DATE_ADD(f, INTERVAL 90 DAY)) AS rep
      FROM recs WHERE f BETWEEN '2025-10-04' AND '2026-04-01' GROUP BY customer_id)
    SELECT COUNT(*) AS cohort, SUM(rep) AS rep,
           SUM(consultant_id = 'E001') AS e001, SUM(consultant_id = 'E001' AND rep = 1) AS e001_rep
    FROM cohort)sql");
  const std::int64_t cohort = std::get<std::int64_t>(expected.rows[0][0]);
  ASSERT_GT(cohort, 20);
  EXPECT_EQ(summary_text(r, "cohort_size"), std::to_string(cohort));
  EXPECT_EQ(summary_text(r, "repurchased"), cell(expected, 0, 1));
  EXPECT_NEAR(*summary_ratio(r, "rate"),
              std::get<Decimal>(expected.rows[0][1]).to_double() / static_cast<double>(cohort),
              1e-12);
  const Table& by = breakdown(r, "按首单咨询师");
  const Table name = fixture_sql("SELECT name FROM consultants WHERE consultant_id = 'E001'");
  const std::size_t e001 = row_of(by, "consultant_name", cell(name, 0, 0));
  EXPECT_EQ(text(by, e001, "cohort_size"), cell(expected, 0, 2));
  EXPECT_EQ(text(by, e001, "repurchased"), cell(expected, 0, 3));
  std::int64_t months = 0;
  for (std::size_t i = 0; i < r.table.rows.size(); ++i)
    months += integer(r.table, i, "cohort_size");
  EXPECT_EQ(months, cohort);
}

TEST(AnalysisFixture, DepartmentRevenueMomYoyMatchSeparateSums) {
  auto r = run("department-performance", request("2026-06-30"));
  // June 2026 month to date; previous 2026-05-02..05-31; a year earlier 2025-06-01..06-30.
  const Table cur = fixture_sql(R"sql(
    SELECT department, SUM(amount), COUNT(*), COUNT(DISTINCT customer_id)
    FROM consumption_records WHERE consume_date BETWEEN '2026-06-01' AND '2026-06-30'
    GROUP BY department ORDER BY SUM(amount) DESC, department)sql");
  ASSERT_GE(cur.rows.size(), 3u);
  ASSERT_EQ(r.table.rows.size(), cur.rows.size());
  for (std::size_t i = 0; i < cur.rows.size(); ++i) {
    const std::string dep = cell(cur, i, 0);
    EXPECT_EQ(text(r.table, i, "department"), dep);
    EXPECT_EQ(money(r.table, i, "revenue"), cell(cur, i, 1));
    EXPECT_EQ(text(r.table, i, "orders"), cell(cur, i, 2));
    EXPECT_EQ(text(r.table, i, "customers"), cell(cur, i, 3));
    const Table prev = fixture_sql(
        "SELECT COALESCE(SUM(amount), 0.00) FROM consumption_records WHERE "
        "consume_date BETWEEN '2026-05-02' AND '2026-05-31' AND department = '" +
        dep + "'");
    const Table yoy = fixture_sql(
        "SELECT COALESCE(SUM(amount), 0.00) FROM consumption_records WHERE "
        "consume_date BETWEEN '2025-06-01' AND '2025-06-30' AND department = '" +
        dep + "'");
    const Table wo = fixture_sql(
        "SELECT COALESCE(SUM(amount), 0.00) FROM write_off_records WHERE "
        "write_off_date BETWEEN '2026-06-01' AND '2026-06-30' AND department = '" +
        dep + "'");
    EXPECT_EQ(money(r.table, i, "previous_revenue"), cell(prev, 0, 0)) << dep;
    EXPECT_EQ(money(r.table, i, "yoy_revenue"), cell(yoy, 0, 0)) << dep;
    EXPECT_EQ(money(r.table, i, "write_off"), cell(wo, 0, 0)) << dep;
    const double c = std::get<Decimal>(cur.rows[i][1]).to_double();
    const double p = std::get<Decimal>(prev.rows[0][0]).to_double();
    const double y = std::get<Decimal>(yoy.rows[0][0]).to_double();
    if (p > 0) {
      EXPECT_NEAR(*ratio(r.table, i, "mom_ratio"), c / p - 1, 1e-9) << dep;
    }
    if (y > 0) {
      EXPECT_NEAR(*ratio(r.table, i, "yoy_ratio"), c / y - 1, 1e-9) << dep;
    }
  }
  const Table total = fixture_sql(
      "SELECT SUM(amount) FROM consumption_records WHERE consume_date "
      "BETWEEN '2026-06-01' AND '2026-06-30'");
  EXPECT_EQ(summary_text(r, "revenue"), cell(total, 0, 0));
}

TEST(AnalysisFixture, ProductRevenueOrderAndRepeatBuyersMatch) {
  auto r = run("product-performance", request("2026-06-30"));
  const Table expected = fixture_sql(R"sql(
    SELECT s.product_id, s.revenue, COALESCE(rb.repeaters, 0)
    FROM (SELECT product_id, SUM(amount) AS revenue FROM consumption_records
          WHERE consume_date BETWEEN '2026-04-02' AND '2026-06-30' GROUP BY product_id) s
    LEFT JOIN (SELECT product_id, COUNT(*) AS repeaters FROM (
        SELECT product_id, customer_id FROM consumption_records
        WHERE consume_date BETWEEN '2026-04-02' AND '2026-06-30'
        GROUP BY product_id, customer_id HAVING COUNT(DISTINCT consume_date) >= 2) x
      GROUP BY product_id) rb ON rb.product_id = s.product_id
    ORDER BY s.revenue DESC, s.product_id)sql");
  ASSERT_GE(expected.rows.size(), 10u);
  ASSERT_GE(r.table.rows.size(), expected.rows.size());
  for (std::size_t i = 0; i < expected.rows.size(); ++i) {
    EXPECT_EQ(text(r.table, i, "product_id"), cell(expected, i, 0)) << "rank " << i;
    EXPECT_EQ(money(r.table, i, "revenue"), cell(expected, i, 1)) << "rank " << i;
    EXPECT_EQ(text(r.table, i, "repeat_buyers"), cell(expected, i, 2)) << "rank " << i;
  }
}

TEST(AnalysisFixture, VipFiguresMatchIndependentSql) {
  auto r = run("vip-consumption", request("2026-06-30"));
  const Table expected = fixture_sql(R"sql(
    SELECT COUNT(*), SUM(cur > 0), SUM(cur), SUM(prev > 0 AND cur < 0.5 * prev)
    FROM (SELECT c.customer_id,
            (SELECT COALESCE(SUM(amount), 0) FROM consumption_records r WHERE r.customer_id = c.customer_id
              AND r.consume_date BETWEEN '2026-04-02' AND '2026-06-30') AS cur,
            (SELECT COALESCE(SUM(amount), 0) FROM consumption_records r WHERE r.customer_id = c.customer_id
              AND r.consume_date BETWEEN '2026-01-02' AND '2026-04-01') AS prev
          FROM customers c WHERE c.membership_level IN ('金卡', '钻石')
            AND c.register_date <= '2026-06-30') v)sql");
  EXPECT_EQ(summary_text(r, "vip_count"), cell(expected, 0, 0));
  EXPECT_EQ(summary_text(r, "active_vips"), cell(expected, 0, 1));
  EXPECT_EQ(summary_text(r, "vip_amount"), cell(expected, 0, 2));
  EXPECT_EQ(summary_text(r, "declining_count"), cell(expected, 0, 3));
  EXPECT_GT(std::get<std::int64_t>(summary(r, "declining_count")), 0);
}

TEST(AnalysisFixture, BalanceFiguresMatchIndependentSql) {
  auto r = run("unspent-balances", request("2026-06-30"));
  const Table expected = fixture_sql(R"sql(
    SELECT SUM(b.total_amount - b.spent_amount), COUNT(DISTINCT b.customer_id),
      SUM(b.expiration_date BETWEEN '2026-06-30' AND '2026-07-30'),
      SUM(IF(b.expiration_date BETWEEN '2026-06-30' AND '2026-07-30', b.total_amount - b.spent_amount, 0)),
      SUM((b.last_write_off_date IS NULL OR b.last_write_off_date <= '2026-04-01')
          AND (b.expiration_date IS NULL OR b.expiration_date >= '2026-06-30'))
    FROM unspent_balances b JOIN customers c ON c.customer_id = b.customer_id
    WHERE b.total_amount > b.spent_amount AND c.register_date <= '2026-06-30')sql");
  EXPECT_EQ(summary_text(r, "total_remaining"), cell(expected, 0, 0));
  EXPECT_EQ(summary_text(r, "customer_count"), cell(expected, 0, 1));
  EXPECT_EQ(summary_text(r, "expiring_count"), cell(expected, 0, 2));
  EXPECT_EQ(summary_text(r, "expiring_amount"), cell(expected, 0, 3));
  EXPECT_EQ(summary_text(r, "dormant_count"), cell(expected, 0, 4));
}

TEST(AnalysisFixture, GrowthPointsTenDetectorsRankedWithFullTargetLists) {
  auto r = run("growth-points", request("2026-06-30"));
  ASSERT_EQ(r.opportunities.size(), 10u);
  ASSERT_EQ(r.table.rows.size(), 10u);
  EXPECT_EQ(column_texts(r.table, "rank"),
            (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}));
  std::set<std::string> keys;
  for (std::size_t i = 0; i < r.opportunities.size(); ++i) {
    const auto& o = r.opportunities[i];
    keys.insert(o.key);
    if (i > 0) {
      EXPECT_GE(r.opportunities[i - 1].score, o.score) << o.key;
    }
    EXPECT_FALSE(o.formula_zh.empty()) << o.key;
    EXPECT_GE(o.actions_zh.size(), 2u) << o.key;
    EXPECT_LE(o.actions_zh.size(), 3u) << o.key;
    EXPECT_FALSE(o.evidence.empty()) << o.key;
    EXPECT_TRUE(o.priority_zh == "高" || o.priority_zh == "中" || o.priority_zh == "低");
    EXPECT_EQ(text(r.table, i, "key"), o.key);
    EXPECT_EQ(integer(r.table, i, "target_count"),
              static_cast<std::int64_t>(o.targets.rows.size()));
  }
  EXPECT_EQ(keys.size(), 10u);
  std::size_t with_targets = 0;
  for (const auto& o : r.opportunities) with_targets += o.targets.rows.empty() ? 0 : 1;
  EXPECT_GE(with_targets, 8u) << "most detectors find something on the fixture";

  for (int n = 1; n <= 10; ++n) {
    auto detail = run("growth-points", request("2026-06-30", {{"detail", std::to_string(n)}}));
    const auto& o = r.opportunities[n - 1];
    EXPECT_EQ(detail.table.rows.size(), o.targets.rows.size()) << o.key;
    EXPECT_EQ(detail.table.rows.size(),
              static_cast<std::size_t>(integer(r.table, n - 1, "target_count")));
    EXPECT_NE(detail.title_zh.find(o.title_zh), std::string::npos);
  }
}

TEST(AnalysisFixture, GrowthDetectorsAgreeWithTheAnalysesTheyBuildOn) {
  auto r = run("growth-points", request("2026-06-30"));
  auto find = [&](const std::string& key) -> const analysis::Opportunity& {
    for (const auto& o : r.opportunities)
      if (o.key == key) return o;
    throw std::out_of_range(key);
  };
  auto balances = run("unspent-balances", request("2026-06-30"));
  EXPECT_EQ(find("expiring-balances").targets.rows.size(),
            breakdown(balances, "即将到期").rows.size());
  EXPECT_EQ(find("dormant-balances").targets.rows.size(),
            breakdown(balances, "沉睡余额").rows.size());
  auto vip = run("vip-consumption", request("2026-06-30"));
  EXPECT_EQ(summary_text(vip, "declining_count"),
            std::to_string(find("vip-decline").targets.rows.size()));
  // Dormant high-value customers are inactive customers in the top fifth by lifetime spend.
  auto inactive = run("inactive-customers", request("2026-06-30"));
  std::set<std::string> inactive_ids;
  for (std::size_t i = 0; i < inactive.table.rows.size(); ++i)
    inactive_ids.insert(text(inactive.table, i, "customer_id"));
  const Table& dormant = find("dormant-high-value").targets;
  ASSERT_FALSE(dormant.rows.empty());
  for (std::size_t i = 0; i < dormant.rows.size(); ++i)
    EXPECT_TRUE(inactive_ids.count(text(dormant, i, "customer_id")));
  const Table paying = fixture_sql(
      "SELECT COUNT(*) FROM (SELECT customer_id FROM consumption_records WHERE consume_date <= "
      "'2026-06-30' GROUP BY customer_id HAVING SUM(amount) > 0) x");
  const auto n = std::get<std::int64_t>(paying.rows[0][0]);
  const Table top = fixture_sql(
      "SELECT SUM(amount) AS s FROM consumption_records WHERE consume_date <= "
      "'2026-06-30' GROUP BY customer_id HAVING s > 0 ORDER BY s DESC LIMIT 1 "
      "OFFSET " +
      std::to_string((n + 4) / 5 - 1));
  for (std::size_t i = 0; i < dormant.rows.size(); ++i)
    EXPECT_GE(std::get<Decimal>(dormant.rows[i][col(dormant, "lifetime_amount")]),
              std::get<Decimal>(top.rows[0][0]));
}

TEST(AnalysisFixture, GrowthPointsOnASelectOnlyAccountGivesTheSameRanking) {
  // The read-only account may not create the temporary facts table: the detectors then read the
  // same figures inline.
  db::Connection ro(test::env_readonly_config(fixture_db().name()));
  auto inline_facts = analysis::run_analysis(ro, "growth-points", request("2026-06-30"));
  ASSERT_TRUE(inline_facts.ok()) << inline_facts.error().message;
  auto with_table = run("growth-points", request("2026-06-30"));
  EXPECT_EQ(column_texts(inline_facts->table, "key"), column_texts(with_table.table, "key"));
  EXPECT_EQ(column_texts(inline_facts->table, "opportunity_amount"),
            column_texts(with_table.table, "opportunity_amount"));
  EXPECT_EQ(column_texts(inline_facts->table, "target_count"),
            column_texts(with_table.table, "target_count"));
}

TEST(AnalysisFixture, GrowthPointsOnTwoConnectionsEqualsOneAfterAnother) {
  // Inside a transaction the detectors all run on the caller's connection, one after another.
  auto c = fixture_db().pool().acquire();
  const Table consultant =
      fixture_sql("SELECT MIN(consultant_id) FROM customers WHERE consultant_id IS NOT NULL");
  for (const bool scoped : {false, true}) {
    auto req = request("2026-06-30");
    if (scoped) req.scope.consultant_id = std::get<Text>(consultant.rows.at(0).at(0));
    auto parallel = analysis::run_analysis(*c, "growth-points", req);
    ASSERT_TRUE(parallel.ok()) << parallel.error().message;
    db::Transaction tx(*c, true);
    auto serial = analysis::run_analysis(*c, "growth-points", req);
    ASSERT_TRUE(serial.ok()) << serial.error().message;
    tx.commit();
    EXPECT_EQ(result_dump(*parallel), result_dump(*serial)) << "scoped " << scoped;
    EXPECT_FALSE(parallel->opportunities.front().targets.rows.empty());
  }
}
