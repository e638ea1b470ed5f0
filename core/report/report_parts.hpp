// Internal: one builder per report (one .cpp each), the figures SQL the analyses do not give
// (a day's or a week's revenue, orders, new customers and 划扣, in total and by department; top
// consultants), and the Chinese number formats of the narratives. Builders throw db::DbError
// when the database fails.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/render/chart.hpp"
#include "core/report/report.hpp"

namespace yimei::report::detail {

// What every builder gets: the connection, the request and its validated parameters.
struct Context {
  db::Connection& conn;
  const ReportRequest& request;
  const ReportInfo& info;
  std::map<std::string, std::string> params;  // resolved: every declared key present

  std::int64_t int_param(const std::string& key) const;
  Decimal decimal_param(const std::string& key) const;
  std::vector<std::string> list_param(const std::string& key) const;
  // The last complete day before the slot's date.
  Date yesterday() const { return add_days(request.as_of, -1); }
  // A Report with name, title, as_of and data_through filled in.
  Report start(const Date& data_through) const;
};

Report daily_summary(Context& c);
Report weekly_summary(Context& c);
Report department_mtd(Context& c);
Report growth_top3(Context& c);
Report expiring_balances(Context& c);
Report alert_department_drop(Context& c);
Report alert_vip_gone(Context& c);
Report alert_expiring_amount(Context& c);

// Runs an analysis of the core; a UserError here is a bug in the report (its parameters were
// validated), so it throws std::logic_error.
analysis::AnalysisResult run(Context& c, const std::string& analysis_name, const Date& as_of,
                             std::map<std::string, std::string> params = {},
                             std::optional<Date> from = std::nullopt,
                             std::optional<Date> to = std::nullopt);

// Totals of [from, to]: revenue (sum of consumption amount), orders (consumption records),
// new customers (distinct customers with is_new_customer = 1) and 划扣 (sum of write-offs).
struct PeriodTotals {
  Decimal revenue;
  std::int64_t orders = 0;
  std::int64_t new_customers = 0;
  Decimal write_off;
};
PeriodTotals period_totals(db::Connection& conn, const Date& from, const Date& to);

// Per department (of consumption_records / write_off_records) the four figures of [from, to]
// and of [cmp_from, cmp_to]: columns department, revenue, orders, new_customers, write_off,
// cmp_revenue, cmp_orders, cmp_new_customers, cmp_write_off; by revenue descending, then
// department. Departments with figures in either period only.
Table department_figures(db::Connection& conn, const Date& from, const Date& to,
                         const Date& cmp_from, const Date& cmp_to);

// The `limit` consultants (of the consumption records) with the highest revenue in [from, to]:
// consultant_name, revenue, orders, previous_revenue (of [prev_from, prev_to]); ties by name.
Table top_consultants(db::Connection& conn, const Date& from, const Date& to, const Date& prev_from,
                      const Date& prev_to, std::int64_t limit);

// "实收 …，<cmp_label> …，+x%；订单 … 笔（<cmp_short> … 笔，+x%）；新客 …；划扣 …。" for two
// periods' totals: the comparison period named in full once, then by its short name.
std::string totals_sentence(const PeriodTotals& now, const PeriodTotals& cmp,
                            const std::string& cmp_label, const std::string& cmp_short);
// One "· 科室：实收 …（<cmp_label> …，+x%），订单 …，新客 …，划扣 …" line per row of a
// department_figures table.
std::string department_lines(const Table& figures, const std::string& cmp_label);

// The balances of unspent-balances (analysis core, as_of = the slot's date) expiring in
// [as_of, as_of + days]: their totals, the remaining by department and the customer list.
struct ExpiringBalances {
  Date from, to;
  std::int64_t balances = 0;
  std::int64_t customers = 0;
  Decimal amount;
  Table by_department;  // department, remaining, balances, customers; largest first
  // customer_id, name, phone, consultant_name, product_name, department, remaining,
  // expiration_date; by expiration date, then remaining descending
  Table customer_list;
};
ExpiringBalances expiring_balances_of(Context& c, std::int64_t days);
// "未来 7 天（…）将有 N 笔未划扣余额到期，涉及 M 位顾客，合计 X" (no final period).
std::string expiring_sentence(const ExpiringBalances& e, std::int64_t days);
// "皮肤科 X（n 笔）、…" of by_department.
std::string expiring_departments(const ExpiringBalances& e);

// Cell reads by column name (NULL as 0 / "").
Decimal dec_cell(const Table& t, const Row& row, const std::string& column);
std::int64_t int_cell(const Table& t, const Row& row, const std::string& column);
std::string text_cell(const Table& t, const Row& row, const std::string& column);
// The summary item of an analysis result by key; throws std::logic_error when missing.
const Value& summary_value(const analysis::AnalysisResult& r, const std::string& key);

// "12,345.60元"
std::string yuan(const Decimal& v);
// "33.3%" of a ratio 0.333.
std::string percent(double ratio);
// The change from `previous` to `current`: "+12.5%", "-3.0%", "持平", or "（上期为 0）".
std::string change_text(const Decimal& current, const Decimal& previous);
std::string change_text(std::int64_t current, std::int64_t previous);
// "2026-06-29（周一）"
std::string day_text(const Date& d);
// "2026-06-22 至 2026-06-28"
std::string period_text(const Date& from, const Date& to);
// True when (previous - current) > previous x ratio, exactly (ratio as a decimal like 0.2).
bool dropped_more_than(const Decimal& current, const Decimal& previous, const Decimal& ratio);

// The PNG of a chart; empty (and logged) when drawing fails.
std::vector<std::uint8_t> draw(const render::ChartSpec& spec);
// A bar or grouped-bar chart of `t` (categories from `label`, one series per value column).
render::ChartSpec table_chart(const Table& t, render::ChartKind kind, const std::string& title,
                              const std::string& subtitle, const std::string& label,
                              const std::vector<std::string>& values);

}  // namespace yimei::report::detail
