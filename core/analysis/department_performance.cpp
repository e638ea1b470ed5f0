// department-performance (科室业绩): per consumption_records.department the revenue, orders,
// customers, new customers, amount per order and write-offs of the period, against the previous
// period (MoM) and the same dates one year earlier (YoY).
#include "core/analysis/analyses.hpp"

namespace yimei::analysis::detail {
namespace {

struct Periods {
  Date from, to, prev_from, prev_to, yoy_from, yoy_to;
};

Sql between(std::string_view column, const Date& a, const Date& b) {
  Sql s;
  s << column << " BETWEEN " << arg(a) << " AND " << arg(b);
  return s;
}

// Distinct customers of [from, to] from a facts table (alias x) with first and last dates:
// those whose last date lies in the period, plus those with a later last date whose records
// (alias r, joined on `match`) reach into the period; `flag` narrows the records.
Sql distinct_in_period(const Periods& p, const char* table, const char* first, const char* last,
                       const char* group, const char* match, const char* flag) {
  Sql q;
  q << "SELECT " << group << " COUNT(*) AS n FROM " << table << " x WHERE x." << last << " BETWEEN "
    << arg(p.from) << " AND " << arg(p.to) << (*group ? " GROUP BY x.department" : "")
    << " UNION ALL SELECT " << group << " COUNT(*) FROM " << table << " x WHERE x." << last << " > "
    << arg(p.to) << " AND x." << first << " <= " << arg(p.to)
    << " AND EXISTS (SELECT 1 FROM consumption_records r WHERE r.customer_id = x.customer_id"
    << match << flag << " AND r.consume_date BETWEEN " << arg(p.from) << " AND " << arg(p.to) << ")"
    << (*group ? " GROUP BY x.department" : "");
  return q;
}

// The whole clinic (no scope): sums from the daily tables, distinct customers from the
// per-department facts, each a short range; no pass over the records.
Sql departments_from_summaries(const Periods& p) {
  Sql q;
  q << "SELECT d.department, SUM(d.revenue) AS revenue, SUM(d.orders) AS orders,"
       " 0 AS customers, 0 AS new_customers, 0.00 AS write_off, 0.00 AS previous_revenue,"
       " 0.00 AS yoy_revenue FROM analysis_daily_sales d WHERE d.orders > 0 AND "
    << between("d.consume_date", p.from, p.to)
    << " GROUP BY d.department"
       " UNION ALL SELECT d.department, 0.00, 0, 0, 0, 0.00, SUM(d.revenue), 0.00"
       " FROM analysis_daily_sales d WHERE d.orders > 0 AND "
    << between("d.consume_date", p.prev_from, p.prev_to)
    << " GROUP BY d.department"
       " UNION ALL SELECT d.department, 0.00, 0, 0, 0, 0.00, 0.00, SUM(d.revenue)"
       " FROM analysis_daily_sales d WHERE d.orders > 0 AND "
    << between("d.consume_date", p.yoy_from, p.yoy_to)
    << " GROUP BY d.department"
       " UNION ALL SELECT w.department, 0.00, 0, 0, 0, SUM(w.amount), 0.00, 0.00"
       " FROM analysis_daily_write_offs w WHERE w.write_offs > 0 AND "
    << between("w.write_off_date", p.from, p.to)
    << " GROUP BY w.department"
       " UNION ALL SELECT c.department, 0.00, 0, c.n, 0, 0.00, 0.00, 0.00 FROM ("
    << distinct_in_period(p, "analysis_customer_department_facts", "first_date", "last_date",
                          "x.department,", " AND r.department = x.department", "")
    << ") c UNION ALL SELECT c.department, 0.00, 0, 0, c.n, 0.00, 0.00, 0.00 FROM ("
    << distinct_in_period(p, "analysis_customer_department_facts", "first_new_date",
                          "last_new_date", "x.department,", " AND r.department = x.department",
                          " AND r.is_new_customer = 1")
    << ") c";
  return q;
}

// A consultant's customers only: the records of each period, filtered by customer.
Sql departments_from_records(const Periods& p, const Scope& scope) {
  // One branch per period, each a single date range over ix_consumption_date_cover; write-offs
  // are stacked the same way, so a department with only write-offs still gets its row.
  Sql q;
  q << "SELECT r.department, SUM(r.amount) AS revenue, COUNT(*) AS orders,"
       "   COUNT(DISTINCT r.customer_id) AS customers,"
       "   COUNT(DISTINCT IF(r.is_new_customer = 1, r.customer_id, NULL)) AS new_customers,"
       "   0.00 AS write_off, 0.00 AS previous_revenue, 0.00 AS yoy_revenue"
       "  FROM consumption_records r WHERE "
    << between("r.consume_date", p.from, p.to) << scope_on_customer_id(scope, "r.customer_id")
    << "  GROUP BY r.department"
       "  UNION ALL SELECT r.department, 0.00, 0, 0, 0, 0.00, SUM(r.amount), 0.00"
       "  FROM consumption_records r WHERE "
    << between("r.consume_date", p.prev_from, p.prev_to)
    << scope_on_customer_id(scope, "r.customer_id")
    << "  GROUP BY r.department"
       "  UNION ALL SELECT r.department, 0.00, 0, 0, 0, 0.00, 0.00, SUM(r.amount)"
       "  FROM consumption_records r WHERE "
    << between("r.consume_date", p.yoy_from, p.yoy_to)
    << scope_on_customer_id(scope, "r.customer_id")
    << "  GROUP BY r.department"
       "  UNION ALL SELECT w.department, 0.00, 0, 0, 0, SUM(w.amount), 0.00, 0.00"
       "  FROM write_off_records w WHERE "
    << between("w.write_off_date", p.from, p.to) << scope_on_customer_id(scope, "w.customer_id")
    << "  GROUP BY w.department";
  return q;
}

Table query_departments(db::Connection& conn, const Periods& p, const Scope& scope) {
  Sql q;
  q << "SELECT u.department, SUM(u.revenue) AS revenue, CAST(SUM(u.orders) AS SIGNED) AS orders,"
       " CAST(SUM(u.customers) AS SIGNED) AS customers,"
       " CAST(SUM(u.new_customers) AS SIGNED) AS new_customers,"
       " IF(SUM(u.orders) > 0, ROUND(SUM(u.revenue) / SUM(u.orders), 2), NULL)"
       "   AS amount_per_order,"
       " SUM(u.write_off) AS write_off, SUM(u.previous_revenue) AS previous_revenue,"
       " SUM(u.yoy_revenue) AS yoy_revenue FROM ("
    << (scope.consultant_id ? departments_from_records(p, scope) : departments_from_summaries(p))
    << ") u GROUP BY u.department ORDER BY revenue DESC, u.department";
  Table t = run(conn, q);
  set_labels(t, {{"department", "科室"},
                 {"revenue", "业绩", ColumnUnit::Yuan},
                 {"orders", "订单数", ColumnUnit::Count},
                 {"customers", "顾客数", ColumnUnit::Count},
                 {"new_customers", "新客数", ColumnUnit::Count},
                 {"amount_per_order", "客单价", ColumnUnit::Yuan},
                 {"write_off", "划扣金额", ColumnUnit::Yuan},
                 {"previous_revenue", "上期业绩", ColumnUnit::Yuan},
                 {"yoy_revenue", "去年同期业绩", ColumnUnit::Yuan}});
  const int revenue = t.column_index("revenue");
  const int previous = t.column_index("previous_revenue");
  const int last_year = t.column_index("yoy_revenue");
  add_column(
      t, Column{"mom_ratio", "环比", ColumnType::Real, ColumnUnit::Percent}, [&](const Row& row) {
        return change_ratio(std::get<Decimal>(row[revenue]), std::get<Decimal>(row[previous]));
      });
  add_column(
      t, Column{"yoy_ratio", "同比", ColumnType::Real, ColumnUnit::Percent}, [&](const Row& row) {
        return change_ratio(std::get<Decimal>(row[revenue]), std::get<Decimal>(row[last_year]));
      });
  return t;
}

// Distinct customers over all departments (a customer of two departments counts once).
Table query_distinct_customers(db::Connection& conn, const Periods& p, const Scope& scope) {
  Sql q;
  if (scope.consultant_id) {
    q << "SELECT COUNT(DISTINCT r.customer_id) AS customers,"
         " COUNT(DISTINCT IF(r.is_new_customer = 1, r.customer_id, NULL)) AS new_customers"
         " FROM consumption_records r WHERE "
      << between("r.consume_date", p.from, p.to) << scope_on_customer_id(scope, "r.customer_id");
  } else {
    q << "SELECT (SELECT SUM(c.n) FROM ("
      << distinct_in_period(p, "analysis_customer_facts", "first_consume_date", "last_consume_date",
                            "", "", "")
      << ") c) AS customers, (SELECT SUM(c.n) FROM ("
      << distinct_in_period(p, "analysis_customer_facts", "first_new_date", "last_new_date", "", "",
                            " AND r.is_new_customer = 1")
      << ") c) AS new_customers";
  }
  return run(conn, q);
}

std::string signed_percent(const Value& ratio) {
  const std::string p = percent(ratio);
  if (const auto* r = std::get_if<double>(&ratio); r && *r > 0) return "+" + p;
  return p;
}

}  // namespace

AnalysisResult department_performance(db::Connection& conn, const ResolvedRequest& req) {
  AnalysisResult r;
  r.to = req.to.value_or(req.as_of);
  r.from = req.from.value_or(first_of_month(req.as_of));
  Periods p{*r.from, *r.to, {}, {}, {}, {}};
  std::tie(p.prev_from, p.prev_to) = previous_period(p.from, p.to);
  std::tie(p.yoy_from, p.yoy_to) = year_earlier(p.from, p.to);
  r.previous_from = p.prev_from;
  r.previous_to = p.prev_to;

  r.table = query_departments(conn, p, req.scope);
  Decimal revenue, previous, yoy, write_off;
  std::int64_t orders = 0;
  for (const Row& row : r.table.rows) {
    revenue += dec_at(r.table, row, "revenue");
    previous += dec_at(r.table, row, "previous_revenue");
    yoy += dec_at(r.table, row, "yoy_revenue");
    write_off += dec_at(r.table, row, "write_off");
    orders += int_at(r.table, row, "orders");
  }
  const Table distinct = query_distinct_customers(conn, p, req.scope);
  const Value mom = change_ratio(revenue, previous);
  const Value yoy_ratio = change_ratio(revenue, yoy);
  r.summary = {
      item("revenue", "业绩", revenue, ColumnUnit::Yuan),
      item("orders", "订单数", orders, ColumnUnit::Count),
      item("customers", "顾客数", int_of(distinct, "customers"), ColumnUnit::Count),
      item("new_customers", "新客数", int_of(distinct, "new_customers"), ColumnUnit::Count),
      item("write_off", "划扣金额", write_off, ColumnUnit::Yuan),
      item("previous_revenue", "上期业绩", previous, ColumnUnit::Yuan),
      item("mom_ratio", "环比", mom, ColumnUnit::Percent),
      item("yoy_revenue", "去年同期业绩", yoy, ColumnUnit::Yuan),
      item("yoy_ratio", "同比", yoy_ratio, ColumnUnit::Percent)};
  r.chart = ChartSuggestion{render::ChartKind::GroupedBar,
                            "科室业绩（本期、上期、去年同期）",
                            "department",
                            {"revenue", "previous_revenue", "yoy_revenue"},
                            std::nullopt,
                            ColumnUnit::Yuan};

  r.narrative_zh = period_zh(p.from, p.to) + " 全院业绩 " + yuan(revenue) + "，上期（" +
                   period_zh(p.prev_from, p.prev_to) + "）" + yuan(previous) + "，环比 " +
                   signed_percent(mom) + "；去年同期 " + yuan(yoy) + "，同比 " +
                   signed_percent(yoy_ratio) + "。";
  if (!r.table.rows.empty()) {
    const Row& top = r.table.rows.front();
    r.narrative_zh += "业绩最高的科室是 " + str_at(r.table, top, "department") + "（" +
                      yuan(dec_at(r.table, top, "revenue")) + "，占 " +
                      percent(share(dec_at(r.table, top, "revenue"), revenue)) + "）。";
    const Row* best = nullptr;
    const Row* worst = nullptr;
    const int mom_col = r.table.column_index("mom_ratio");
    for (const Row& row : r.table.rows) {
      if (is_null(row[mom_col])) continue;
      const double m = std::get<double>(row[mom_col]);
      if (!best || m > std::get<double>((*best)[mom_col])) best = &row;
      if (!worst || m < std::get<double>((*worst)[mom_col])) worst = &row;
    }
    if (best && worst && best != worst)
      r.narrative_zh += "环比增长最快的是 " + str_at(r.table, *best, "department") + "（" +
                        signed_percent((*best)[mom_col]) + "），变化最弱的是 " +
                        str_at(r.table, *worst, "department") + "（" +
                        signed_percent((*worst)[mom_col]) + "）。";
  }
  return r;
}

}  // namespace yimei::analysis::detail
