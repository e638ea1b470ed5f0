// Every push report on the clinic-a-small fixture for the slot of 2026-07-01 (data through
// 2026-06-30, the fixture's as_of), checked against independent SQL written here (CASE sums
// over one scan, not the product's UNION ALL) or against the analysis core's own results.
#include <algorithm>
#include <set>

#include "core/report/report.hpp"
#include "tests/integration/analysis_test_util.hpp"

using namespace yimei;
using namespace yimei::test;

namespace {

report::Report build(const std::string& name, const char* as_of,
                     std::map<std::string, std::string> params = {},
                     std::set<std::string> quiet = {}) {
  auto c = fixture_db().pool().acquire();
  auto r = report::build_report(*c, name, {d(as_of), std::move(params), std::move(quiet)});
  if (!r) {
    ADD_FAILURE() << name << ": " << r.error().message;
    return {};
  }
  return std::move(r.value());
}

// "12,345.60元" of a DECIMAL text, as the narratives print money.
std::string yuan_text(const std::string& decimal) {
  const auto dot = decimal.find('.');
  std::string whole = decimal.substr(0, dot), out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  return out + decimal.substr(dot) + "元";
}

bool is_png(const std::vector<std::uint8_t>& b) {
  return b.size() > 8 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "missing 「" << part << "」 in:\n" << text;
}

// Totals of one day or week computed with CASE sums over one scan of each table.
struct Totals {
  std::string revenue, orders, new_customers, write_off;
};
Totals totals(const char* from, const char* to) {
  const std::string range = std::string("'") + from + "' AND '" + to + "'";
  const Table c = fixture_sql(
      "SELECT CAST(COALESCE(SUM(CASE WHEN consume_date BETWEEN " + range +
      " THEN amount END), 0) AS DECIMAL(14,2)), SUM(consume_date BETWEEN " + range +
      "), (SELECT COUNT(*) FROM (SELECT DISTINCT customer_id FROM consumption_records WHERE"
      " is_new_customer = 1 AND consume_date BETWEEN " +
      range + ") n) FROM consumption_records");
  const Table w = fixture_sql("SELECT CAST(COALESCE(SUM(CASE WHEN write_off_date BETWEEN " + range +
                              " THEN amount END), 0) AS DECIMAL(14,2)) FROM write_off_records");
  return {cell(c, 0, 0), cell(c, 0, 1), cell(c, 0, 2), cell(w, 0, 0)};
}

}  // namespace

TEST(PushReportFixture, DailySummaryAgainstIndependentSql) {
  const report::Report r = build("daily-summary", "2026-07-01");
  EXPECT_EQ(format_date(r.data_through), "2026-06-30");
  const Totals day = totals("2026-06-30", "2026-06-30");
  const Totals before = totals("2026-06-23", "2026-06-23");
  ASSERT_NE(day.orders, "0") << "the fixture has records on 2026-06-30";
  expect_contains(r.text_zh, "2026-06-30（周二）");
  expect_contains(r.text_zh, "实收 " + yuan_text(day.revenue) + "，上周同日（2026-06-23） " +
                                 yuan_text(before.revenue));
  expect_contains(r.text_zh, "订单 " + day.orders + " 笔（上周同日 " + before.orders + " 笔");
  expect_contains(r.text_zh,
                  "新客 " + day.new_customers + " 人（上周同日 " + before.new_customers + " 人）");
  expect_contains(r.text_zh, "划扣 " + yuan_text(day.write_off));

  // By department: every department with consumption or write-offs on either day.
  const Table expected = fixture_sql(R"sql(
    SELECT dep,
      CAST(SUM(CASE WHEN k = 'r' AND d = '2026-06-30' THEN amt ELSE 0 END) AS DECIMAL(14,2)),
      SUM(k = 'r' AND d = '2026-06-30'),
      CAST(SUM(CASE WHEN k = 'w' AND d = '2026-06-30' THEN amt ELSE 0 END) AS DECIMAL(14,2)),
      CAST(SUM(CASE WHEN k = 'r' AND d = '2026-06-23' THEN amt ELSE 0 END) AS DECIMAL(14,2)),
      CAST(SUM(CASE WHEN k = 'w' AND d = '2026-06-23' THEN amt ELSE 0 END) AS DECIMAL(14,2))
    FROM (SELECT 'r' AS k, department AS dep, consume_date AS d, amount AS amt FROM consumption_records
          UNION ALL SELECT 'w', department, write_off_date, amount FROM write_off_records) x
    WHERE d IN ('2026-06-30', '2026-06-23') GROUP BY dep ORDER BY dep)sql");
  ASSERT_EQ(r.figures.rows.size(), expected.rows.size());
  for (std::size_t i = 0; i < expected.rows.size(); ++i) {
    const std::string dep = cell(expected, i, 0);
    const std::size_t row = row_of(r.figures, "department", dep);
    EXPECT_EQ(money(r.figures, row, "revenue"), cell(expected, i, 1)) << dep;
    EXPECT_EQ(std::to_string(integer(r.figures, row, "orders")), cell(expected, i, 2)) << dep;
    EXPECT_EQ(money(r.figures, row, "write_off"), cell(expected, i, 3)) << dep;
    EXPECT_EQ(money(r.figures, row, "cmp_revenue"), cell(expected, i, 4)) << dep;
    EXPECT_EQ(money(r.figures, row, "cmp_write_off"), cell(expected, i, 5)) << dep;
    expect_contains(r.text_zh, "· " + dep + "：实收 " + yuan_text(cell(expected, i, 1)));
  }
  EXPECT_TRUE(is_png(r.chart_png));
  EXPECT_FALSE(r.customer_list.has_value());
}

TEST(PushReportFixture, WeeklySummaryAgainstIndependentSql) {
  // 2026-07-01 is a Wednesday: last week is 06-22..06-28, the week before 06-15..06-21.
  const report::Report r = build("weekly-summary", "2026-07-01", {{"top", "3"}});
  EXPECT_EQ(format_date(r.data_through), "2026-06-28");
  const Totals week = totals("2026-06-22", "2026-06-28");
  const Totals before = totals("2026-06-15", "2026-06-21");
  expect_contains(r.text_zh, "上周 2026-06-22 至 2026-06-28");
  expect_contains(r.text_zh, "实收 " + yuan_text(week.revenue) +
                                 "，前一周（2026-06-15 至 2026-06-21） " +
                                 yuan_text(before.revenue));
  expect_contains(r.text_zh, "订单 " + week.orders + " 笔（前一周 " + before.orders + " 笔");
  expect_contains(r.text_zh,
                  "新客 " + week.new_customers + " 人（前一周 " + before.new_customers + " 人）");
  expect_contains(r.text_zh, "划扣 " + yuan_text(week.write_off));

  const Table products = fixture_sql(R"sql(
    SELECT p.product_name, CAST(SUM(r.amount) AS DECIMAL(14,2)) AS rev FROM consumption_records r
    JOIN medical_products p ON p.product_id = r.product_id
    WHERE r.consume_date >= '2026-06-22' AND r.consume_date < '2026-06-29'
    GROUP BY r.product_id, p.product_name ORDER BY rev DESC, r.product_id LIMIT 3)sql");
  ASSERT_EQ(products.rows.size(), 3u);
  expect_contains(r.text_zh, "业绩最高的品项：1. " + cell(products, 0, 0) + " " +
                                 yuan_text(cell(products, 0, 1)));
  expect_contains(r.text_zh, "2. " + cell(products, 1, 0) + " " + yuan_text(cell(products, 1, 1)));
  expect_contains(r.text_zh, "3. " + cell(products, 2, 0) + " " + yuan_text(cell(products, 2, 1)));

  const Table consultants = fixture_sql(R"sql(
    SELECT k.name, CAST(SUM(r.amount) AS DECIMAL(14,2)) AS rev, COUNT(*) FROM consumption_records r
    JOIN consultants k ON k.consultant_id = r.consultant_id
    WHERE r.consume_date >= '2026-06-22' AND r.consume_date < '2026-06-29'
    GROUP BY r.consultant_id, k.name ORDER BY rev DESC, k.name LIMIT 3)sql");
  ASSERT_EQ(consultants.rows.size(), 3u);
  expect_contains(r.text_zh, "业绩最高的咨询师：1. " + cell(consultants, 0, 0) + " " +
                                 yuan_text(cell(consultants, 0, 1)) + "（" +
                                 cell(consultants, 0, 2) + " 单");
  EXPECT_TRUE(is_png(r.chart_png));
}

TEST(PushReportFixture, DepartmentMonthToDateIsTheAnalysisThroughYesterday) {
  const report::Report r = build("department-mtd", "2026-07-01");
  // On the 1st the month to yesterday is the whole of June: department-performance as of 06-30.
  const auto a = run_ok(fixture_db(), "department-performance", request("2026-06-30"));
  ASSERT_EQ(format_date(*a.from), "2026-06-01");
  expect_contains(r.text_zh, "2026-06-01 至 2026-06-30");
  ASSERT_EQ(r.figures.rows.size(), a.table.rows.size());
  EXPECT_EQ(column_texts(r.figures, "department"), column_texts(a.table, "department"));
  EXPECT_EQ(column_texts(r.figures, "revenue"), column_texts(a.table, "revenue"));
  const Table june = fixture_sql(
      "SELECT department, CAST(SUM(amount) AS DECIMAL(14,2)) FROM consumption_records"
      " WHERE consume_date BETWEEN '2026-06-01' AND '2026-06-30' GROUP BY department");
  for (std::size_t i = 0; i < june.rows.size(); ++i) {
    const std::size_t row = row_of(r.figures, "department", cell(june, i, 0));
    EXPECT_EQ(money(r.figures, row, "revenue"), cell(june, i, 1));
    expect_contains(r.text_zh, "· " + cell(june, i, 0) + "：业绩 " + yuan_text(cell(june, i, 1)));
  }
  expect_contains(r.text_zh, "全院业绩 " + yuan_text(summary_text(a, "revenue")));
  EXPECT_TRUE(is_png(r.chart_png));
}

TEST(PushReportFixture, GrowthTop3IsTheTopOfGrowthPoints) {
  const report::Report r = build("growth-top3", "2026-07-01", {{"vip_levels", "金卡,钻石"}});
  const auto a = run_ok(fixture_db(), "growth-points", request("2026-06-30"));
  ASSERT_GE(a.opportunities.size(), 3u);
  ASSERT_EQ(r.figures.rows.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& o = a.opportunities[i];
    EXPECT_EQ(text(r.figures, i, "title"), o.title_zh);
    EXPECT_EQ(money(r.figures, i, "opportunity_amount"), o.opportunity_amount.to_string());
    expect_contains(r.text_zh, std::to_string(i + 1) + ". 【" + o.priority_zh + "】" + o.title_zh +
                                   "：机会 " + yuan_text(o.opportunity_amount.to_string()));
    expect_contains(r.text_zh, o.actions_zh.front());
  }
  EXPECT_EQ(r.text_zh.find(a.opportunities[3].title_zh + "：机会"), std::string::npos);
  EXPECT_TRUE(is_png(r.chart_png));
}

TEST(PushReportFixture, ExpiringBalancesAgainstIndependentSql) {
  const report::Report r = build("expiring-balances", "2026-06-30", {{"days", "30"}});
  const Table expected = fixture_sql(R"sql(
    SELECT COUNT(*), COUNT(DISTINCT b.customer_id),
           CAST(COALESCE(SUM(b.total_amount - b.spent_amount), 0) AS DECIMAL(14,2))
    FROM unspent_balances b JOIN customers c ON c.customer_id = b.customer_id
    WHERE b.total_amount > b.spent_amount AND c.register_date <= '2026-06-30'
      AND b.expiration_date >= '2026-06-30' AND b.expiration_date <= '2026-07-30')sql");
  ASSERT_NE(cell(expected, 0, 0), "0") << "the fixture has balances expiring in 30 days";
  expect_contains(r.text_zh, "未来 30 天（2026-06-30 至 2026-07-30）将有 " + cell(expected, 0, 0) +
                                 " 笔未划扣余额到期，涉及 " + cell(expected, 0, 1) +
                                 " 位顾客，合计 " + yuan_text(cell(expected, 0, 2)));
  ASSERT_TRUE(r.customer_list.has_value());
  EXPECT_EQ(std::to_string(r.customer_list->rows.size()), cell(expected, 0, 0));
  const Table by_department = fixture_sql(R"sql(
    SELECT p.department, CAST(SUM(b.total_amount - b.spent_amount) AS DECIMAL(14,2))
    FROM unspent_balances b JOIN customers c ON c.customer_id = b.customer_id
    JOIN medical_products p ON p.product_id = b.product_id
    WHERE b.total_amount > b.spent_amount AND c.register_date <= '2026-06-30'
      AND b.expiration_date BETWEEN '2026-06-30' AND '2026-07-30' GROUP BY p.department)sql");
  ASSERT_EQ(r.figures.rows.size(), by_department.rows.size());
  for (std::size_t i = 0; i < by_department.rows.size(); ++i)
    EXPECT_EQ(
        money(r.figures, row_of(r.figures, "department", cell(by_department, i, 0)), "remaining"),
        cell(by_department, i, 1));
  // The list names customers, with phones, sorted by expiration date.
  const int phone = r.customer_list->column_index("phone");
  ASSERT_GE(phone, 0);
  EXPECT_TRUE(r.customer_list->columns[phone].is_phone);
  const auto dates = column_texts(*r.customer_list, "expiration_date");
  EXPECT_TRUE(std::is_sorted(dates.begin(), dates.end()));
  // The narrative names no customer.
  for (std::size_t i = 0; i < r.customer_list->rows.size(); ++i)
    EXPECT_EQ(r.text_zh.find(text(*r.customer_list, i, "name")), std::string::npos);
  EXPECT_TRUE(is_png(r.chart_png));
}

TEST(PushReportFixture, DepartmentDropAlertFiresForTheDepartmentsThatFell) {
  // Last 7 days 06-24..06-30 against 06-17..06-23, by an independent CASE query.
  const Table weeks = fixture_sql(R"sql(
    SELECT department,
      CAST(SUM(CASE WHEN consume_date BETWEEN '2026-06-24' AND '2026-06-30' THEN amount ELSE 0 END) AS DECIMAL(14,2)),
      CAST(SUM(CASE WHEN consume_date BETWEEN '2026-06-17' AND '2026-06-23' THEN amount ELSE 0 END) AS DECIMAL(14,2))
    FROM consumption_records WHERE consume_date BETWEEN '2026-06-17' AND '2026-06-30'
    GROUP BY department)sql");
  std::vector<double> drops;
  for (const Row& row : weeks.rows) {
    const double cur = std::get<Decimal>(row[1]).to_double();
    const double prev = std::get<Decimal>(row[2]).to_double();
    drops.push_back(prev > 0 ? (prev - cur) / prev : -1);
  }
  // A threshold between the largest and the second largest drop fires exactly one department.
  std::vector<double> sorted = drops;
  std::sort(sorted.rbegin(), sorted.rend());
  ASSERT_GE(sorted.size(), 2u);
  ASSERT_GT(sorted[0], 0) << "no department fell in the fixture's last week";
  const double threshold = std::max(0.0, (sorted[0] + sorted[1]) / 2);
  char ratio[16];
  std::snprintf(ratio, sizeof ratio, "%.4f", threshold);
  const std::size_t top = std::max_element(drops.begin(), drops.end()) - drops.begin();
  const std::string fell = cell(weeks, top, 0);

  const report::Report r = build("alert-department-drop", "2026-07-01", {{"drop_ratio", ratio}});
  ASSERT_TRUE(r.fired()) << r.text_zh;
  ASSERT_EQ(r.causes.size(), 1u);
  EXPECT_EQ(r.causes[0].key, "department-drop:" + fell);
  expect_contains(r.causes[0].sentence_zh, fell + " 近7天（2026-06-24 至 2026-06-30）业绩 " +
                                               yuan_text(cell(weeks, top, 1)) +
                                               "，较前7天（2026-06-17 至 2026-06-23） " +
                                               yuan_text(cell(weeks, top, 2)));
  expect_contains(r.text_zh, "1 个科室近7天业绩较前7天下降超过");
  expect_contains(r.text_zh, "· " + fell + "：近7天 " + yuan_text(cell(weeks, top, 1)) +
                                 "，前7天 " + yuan_text(cell(weeks, top, 2)));
  EXPECT_TRUE(is_png(r.chart_png));

  // The same cause inside its quiet period is left out: nothing to send.
  const report::Report quiet = build("alert-department-drop", "2026-07-01", {{"drop_ratio", ratio}},
                                     {"department-drop:" + fell});
  EXPECT_FALSE(quiet.fired());
  EXPECT_EQ(quiet.quieted, std::vector<std::string>{"department-drop:" + fell});
  // A threshold above every drop does not fire, and says why.
  const report::Report none = build("alert-department-drop", "2026-07-01", {{"drop_ratio", "1"}});
  EXPECT_FALSE(none.fired());
  expect_contains(none.not_fired_zh, "都没有超过 100.0%");
}

TEST(PushReportFixture, VipGoneAlertIsTheInactiveVipsOfTheAnalysis) {
  const report::Report r =
      build("alert-vip-gone", "2026-07-01", {{"days", "60"}, {"vip_levels", "金卡,钻石"}});
  const auto a =
      run_ok(fixture_db(), "inactive-customers", request("2026-06-30", {{"days", "60"}}));
  std::set<std::string> expected;
  for (std::size_t i = 0; i < a.table.rows.size(); ++i) {
    const std::string level = text(a.table, i, "membership_level");
    if (level == "金卡" || level == "钻石")
      expected.insert("vip-gone:" + text(a.table, i, "customer_id"));
  }
  ASSERT_FALSE(expected.empty()) << "the fixture has VIPs gone 60 days";
  std::set<std::string> got;
  for (const auto& c : r.causes) got.insert(c.key);
  EXPECT_EQ(got, expected);
  ASSERT_TRUE(r.customer_list.has_value());
  EXPECT_EQ(r.customer_list->rows.size(), expected.size());
  expect_contains(r.text_zh, "有 " + std::to_string(expected.size()) + " 位VIP顾客");
  for (std::size_t i = 0; i < r.customer_list->rows.size(); ++i) {
    EXPECT_EQ(r.text_zh.find(text(*r.customer_list, i, "name")), std::string::npos);
    for (const auto& c : r.causes)
      EXPECT_EQ(c.sentence_zh.find(text(*r.customer_list, i, "name")), std::string::npos);
  }
  // With every cause quiet, nothing fires.
  const report::Report quiet = build("alert-vip-gone", "2026-07-01", {{"days", "60"}}, expected);
  EXPECT_FALSE(quiet.fired());
  EXPECT_EQ(quiet.quieted.size(), expected.size());
}

TEST(PushReportFixture, ExpiringAmountAlertComparesWithTheThreshold) {
  const Table sum = fixture_sql(R"sql(
    SELECT CAST(COALESCE(SUM(b.total_amount - b.spent_amount), 0) AS DECIMAL(14,2))
    FROM unspent_balances b JOIN customers c ON c.customer_id = b.customer_id
    WHERE b.total_amount > b.spent_amount AND c.register_date <= '2026-06-30'
      AND b.expiration_date BETWEEN '2026-06-30' AND '2026-07-30')sql");
  const Decimal total = std::get<Decimal>(sum.rows[0][0]);
  ASSERT_TRUE(total > Decimal{});
  const Decimal below = total - Decimal::from_db("0.01");
  const report::Report fired =
      build("alert-expiring-amount", "2026-06-30", {{"days", "30"}, {"amount", below.to_string()}});
  ASSERT_TRUE(fired.fired());
  EXPECT_EQ(fired.causes[0].key, "expiring-amount");
  expect_contains(fired.causes[0].sentence_zh, "合计 " + yuan_text(total.to_string()) + "，超过 " +
                                                   yuan_text(below.to_string()));
  // Exactly at the threshold is not "above" it.
  const report::Report at =
      build("alert-expiring-amount", "2026-06-30", {{"days", "30"}, {"amount", total.to_string()}});
  EXPECT_FALSE(at.fired());
  expect_contains(at.not_fired_zh, "没有超过 " + yuan_text(total.to_string()));
}

TEST(PushReportFixture, UnknownReportsAndBadParametersAreUserErrors) {
  auto c = fixture_db().pool().acquire();
  auto unknown = report::build_report(*c, "monthly", {d("2026-07-01"), {}, {}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::NotFound);
  auto bad = report::build_report(*c, "weekly-summary", {d("2026-07-01"), {{"top", "0"}}, {}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::BadInput);
}
