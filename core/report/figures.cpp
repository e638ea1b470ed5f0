// The figures SQL of the summaries: totals of a period, the same by department against a
// comparison period, and the top consultants. Every date is a bound parameter.
#include <stdexcept>

#include "core/report/report_parts.hpp"

namespace yimei::report::detail {

PeriodTotals period_totals(db::Connection& conn, const Date& from, const Date& to) {
  const Table t = conn.query(
      "SELECT COALESCE(SUM(r.amount), 0.00) AS revenue, COUNT(*) AS orders,"
      " COUNT(DISTINCT IF(r.is_new_customer = 1, r.customer_id, NULL)) AS new_customers,"
      " (SELECT COALESCE(SUM(w.amount), 0.00) FROM write_off_records w"
      "   WHERE w.write_off_date BETWEEN ? AND ?) AS write_off"
      " FROM consumption_records r WHERE r.consume_date BETWEEN ? AND ?",
      {from, to, from, to});
  if (t.rows.size() != 1) throw std::logic_error("period_totals: expected one row");
  const Row& row = t.rows.front();
  return {dec_cell(t, row, "revenue"), int_cell(t, row, "orders"),
          int_cell(t, row, "new_customers"), dec_cell(t, row, "write_off")};
}

Table department_figures(db::Connection& conn, const Date& from, const Date& to,
                         const Date& cmp_from, const Date& cmp_to) {
  // One branch per (table, period), each a single date range on the records' date index.
  Table t = conn.query(
      "SELECT u.department, SUM(u.revenue) AS revenue, CAST(SUM(u.orders) AS SIGNED) AS orders,"
      " CAST(SUM(u.new_customers) AS SIGNED) AS new_customers, SUM(u.write_off) AS write_off,"
      " SUM(u.cmp_revenue) AS cmp_revenue, CAST(SUM(u.cmp_orders) AS SIGNED) AS cmp_orders,"
      " CAST(SUM(u.cmp_new_customers) AS SIGNED) AS cmp_new_customers,"
      " SUM(u.cmp_write_off) AS cmp_write_off"
      " FROM ("
      "  SELECT r.department, SUM(r.amount) AS revenue, COUNT(*) AS orders,"
      "   COUNT(DISTINCT IF(r.is_new_customer = 1, r.customer_id, NULL)) AS new_customers,"
      "   0.00 AS write_off, 0.00 AS cmp_revenue, 0 AS cmp_orders, 0 AS cmp_new_customers,"
      "   0.00 AS cmp_write_off"
      "  FROM consumption_records r WHERE r.consume_date BETWEEN ? AND ? GROUP BY r.department"
      "  UNION ALL SELECT w.department, 0.00, 0, 0, SUM(w.amount), 0.00, 0, 0, 0.00"
      "  FROM write_off_records w WHERE w.write_off_date BETWEEN ? AND ? GROUP BY w.department"
      "  UNION ALL SELECT r.department, 0.00, 0, 0, 0.00, SUM(r.amount), COUNT(*),"
      "   COUNT(DISTINCT IF(r.is_new_customer = 1, r.customer_id, NULL)), 0.00"
      "  FROM consumption_records r WHERE r.consume_date BETWEEN ? AND ? GROUP BY r.department"
      "  UNION ALL SELECT w.department, 0.00, 0, 0, 0.00, 0.00, 0, 0, SUM(w.amount)"
      "  FROM write_off_records w WHERE w.write_off_date BETWEEN ? AND ? GROUP BY w.department"
      " ) u GROUP BY u.department ORDER BY revenue DESC, u.department",
      {from, to, from, to, cmp_from, cmp_to, cmp_from, cmp_to});
  const struct {
    const char* name;
    const char* label;
    ColumnUnit unit;
  } kLabels[] = {{"department", "科室", ColumnUnit::None},
                 {"revenue", "实收", ColumnUnit::Yuan},
                 {"orders", "订单数", ColumnUnit::Count},
                 {"new_customers", "新客数", ColumnUnit::Count},
                 {"write_off", "划扣", ColumnUnit::Yuan},
                 {"cmp_revenue", "对比期实收", ColumnUnit::Yuan},
                 {"cmp_orders", "对比期订单数", ColumnUnit::Count},
                 {"cmp_new_customers", "对比期新客数", ColumnUnit::Count},
                 {"cmp_write_off", "对比期划扣", ColumnUnit::Yuan}};
  for (const auto& l : kLabels) {
    const int i = t.column_index(l.name);
    if (i < 0) throw std::logic_error(std::string("department_figures: no column ") + l.name);
    t.columns[i].label = l.label;
    t.columns[i].unit = l.unit;
  }
  return t;
}

Table top_consultants(db::Connection& conn, const Date& from, const Date& to, const Date& prev_from,
                      const Date& prev_to, std::int64_t limit) {
  Table t = conn.query(
      "SELECT k.name AS consultant_name, SUM(u.revenue) AS revenue,"
      " CAST(SUM(u.orders) AS SIGNED) AS orders, SUM(u.previous_revenue) AS previous_revenue"
      " FROM ("
      "  SELECT r.consultant_id, SUM(r.amount) AS revenue, COUNT(*) AS orders,"
      "   0.00 AS previous_revenue"
      "  FROM consumption_records r WHERE r.consume_date BETWEEN ? AND ?"
      "   AND r.consultant_id IS NOT NULL GROUP BY r.consultant_id"
      "  UNION ALL SELECT r.consultant_id, 0.00, 0, SUM(r.amount)"
      "  FROM consumption_records r WHERE r.consume_date BETWEEN ? AND ?"
      "   AND r.consultant_id IS NOT NULL GROUP BY r.consultant_id"
      " ) u JOIN consultants k ON k.consultant_id = u.consultant_id"
      " GROUP BY u.consultant_id, k.name HAVING SUM(u.revenue) > 0"
      " ORDER BY revenue DESC, k.name LIMIT ?",
      {from, to, prev_from, prev_to, limit});
  const struct {
    const char* name;
    const char* label;
    ColumnUnit unit;
  } kLabels[] = {{"consultant_name", "咨询师", ColumnUnit::None},
                 {"revenue", "实收", ColumnUnit::Yuan},
                 {"orders", "订单数", ColumnUnit::Count},
                 {"previous_revenue", "前一周实收", ColumnUnit::Yuan}};
  for (const auto& l : kLabels) {
    const int i = t.column_index(l.name);
    if (i < 0) throw std::logic_error(std::string("top_consultants: no column ") + l.name);
    t.columns[i].label = l.label;
    t.columns[i].unit = l.unit;
  }
  return t;
}

}  // namespace yimei::report::detail
