// inactive-customers (不活跃顾客): customers whose last consumption, write-off or visit (or
// registration, when none) lies `days` or more before as_of, with lifetime and unspent amounts.
#include <algorithm>

#include "core/analysis/analyses.hpp"

namespace yimei::analysis::detail {

Sql customer_facts_sql(const Date& as_of, const Scope& scope, bool extended) {
  // One grouped pass per table (covering indexes on customer_id) instead of correlated
  // subqueries per customer; L = the latest of the three dates, register_date when all are NULL.
  Sql q;
  q << "SELECT c.customer_id, c.name, c.phone, c.consultant_id, c.membership_level,"
       " COALESCE(cons.lifetime, 0.00) AS lifetime_amount,"
       " COALESCE(NULLIF(GREATEST(COALESCE(cons.last_date, DATE'1000-01-01'),"
       "   COALESCE(wo.last_date, DATE'1000-01-01'),"
       "   COALESCE(IF(c.last_visit_date <= "
    << arg(as_of)
    << ", c.last_visit_date, NULL), DATE'1000-01-01')),"
       "   DATE'1000-01-01'), c.register_date) AS last_activity_date,"
       " COALESCE(bal.unspent, 0.00) AS unspent_amount";
  if (extended)
    q << ", COALESCE(cons.orders, 0) AS orders, cons.last_date AS last_consume_date,"
         " COALESCE(cons.single_department, 0) AS single_department, cons.only_department";
  q << " FROM customers c"
       " LEFT JOIN (SELECT customer_id, MAX(consume_date) AS last_date, SUM(amount) AS lifetime";
  if (extended)  // no DISTINCT: one streaming pass over (customer_id, consume_date, amount, dep.)
    q << ", COUNT(*) AS orders, MIN(department) = MAX(department) AS single_department,"
         " MIN(department) AS only_department";
  q << "  FROM consumption_records WHERE consume_date <= " << arg(as_of)
    << "  GROUP BY customer_id) cons ON cons.customer_id = c.customer_id"
       " LEFT JOIN (SELECT customer_id, MAX(write_off_date) AS last_date"
       "  FROM write_off_records WHERE write_off_date <= "
    << arg(as_of)
    << "  GROUP BY customer_id) wo ON wo.customer_id = c.customer_id"
       " LEFT JOIN (SELECT customer_id, SUM(total_amount - spent_amount) AS unspent"
       "  FROM unspent_balances GROUP BY customer_id) bal ON bal.customer_id = c.customer_id"
       " WHERE c.register_date <= "
    << arg(as_of) << scope_on_customer(scope, "c");
  return q;
}

Table select_inactive(db::Connection& conn, const Sql& facts, const Date& as_of, std::int64_t days,
                      const Sql& extra_where, bool order_stats) {
  Sql q;
  q << "SELECT a.customer_id, a.name, a.phone, co.name AS consultant_name, a.membership_level,"
       " a.last_activity_date, DATEDIFF("
    << arg(as_of)
    << ", a.last_activity_date) AS days_inactive, a.lifetime_amount, a.unspent_amount";
  if (order_stats)
    q << ", a.orders, IF(a.orders > 0, ROUND(a.lifetime_amount / a.orders, 2), NULL)"
         " AS amount_per_order";
  q << " FROM " << facts
    << " a LEFT JOIN consultants co ON co.consultant_id = a.consultant_id"
       " WHERE a.last_activity_date <= "
    << arg(add_days(as_of, static_cast<int>(-days))) << extra_where
    << " ORDER BY a.lifetime_amount DESC, a.customer_id";
  Table t = run(conn, q);
  set_labels(t, {{"customer_id", "顾客编号"},
                 {"name", "顾客姓名"},
                 {"phone", "联系电话", ColumnUnit::None, true},
                 {"consultant_name", "咨询师"},
                 {"membership_level", "会员等级"},
                 {"last_activity_date", "最近活跃日期"},
                 {"days_inactive", "未活跃天数", ColumnUnit::Days},
                 {"lifetime_amount", "累计消费", ColumnUnit::Yuan},
                 {"unspent_amount", "未划扣余额", ColumnUnit::Yuan}});
  if (order_stats)
    set_labels(t, {{"orders", "消费笔数", ColumnUnit::Count},
                   {"amount_per_order", "客单价", ColumnUnit::Yuan}});
  return t;
}

Table query_inactive_customers(db::Connection& conn, const Date& as_of, std::int64_t days,
                               const Scope& scope) {
  Sql facts;
  facts << "(" << customer_facts_sql(as_of, scope, false) << ")";
  return select_inactive(conn, facts, as_of, days, {}, false);
}

namespace {

// The inactive customers by consultant: count, lifetime and unspent sums, most first.
Table by_consultant(const Table& rows) {
  auto groups = group_rows(rows, "consultant_name", {"lifetime_amount", "unspent_amount"});
  std::stable_sort(groups.begin(), groups.end(),
                   [](const RowGroup& a, const RowGroup& b) { return a.count > b.count; });
  Table t;
  t.columns = {{"consultant_name", "咨询师", ColumnType::Text},
               {"inactive_count", "不活跃顾客数", ColumnType::Integer, ColumnUnit::Count},
               {"lifetime_amount", "累计消费", ColumnType::Decimal, ColumnUnit::Yuan},
               {"unspent_amount", "未划扣余额", ColumnType::Decimal, ColumnUnit::Yuan}};
  for (auto& g : groups) t.rows.push_back({g.key, g.count, g.sums[0], g.sums[1]});
  return t;
}

}  // namespace

AnalysisResult inactive_customers(db::Connection& conn, const ResolvedRequest& req) {
  const std::int64_t days = req.params.get_int("days");
  AnalysisResult r;
  r.table = query_inactive_customers(conn, req.as_of, days, req.scope);

  Decimal lifetime, unspent;
  for (const Row& row : r.table.rows) {
    lifetime += dec_at(r.table, row, "lifetime_amount");
    unspent += dec_at(r.table, row, "unspent_amount");
  }
  const auto count = static_cast<std::int64_t>(r.table.rows.size());
  r.summary = {item("inactive_count", "不活跃顾客数", count, ColumnUnit::Count),
               item("total_lifetime_amount", "累计消费合计", lifetime, ColumnUnit::Yuan),
               item("total_unspent_amount", "未划扣余额合计", unspent, ColumnUnit::Yuan),
               item("days", "不活跃天数阈值", days, ColumnUnit::Days)};
  Table consultants = by_consultant(r.table);
  r.chart = ChartSuggestion{render::ChartKind::Bar,
                            "各咨询师不活跃顾客数",
                            "consultant_name",
                            {"inactive_count"},
                            consultants,
                            ColumnUnit::Count};
  r.breakdowns.emplace_back("按咨询师", std::move(consultants));

  r.narrative_zh = "截至 " + format_date(req.as_of) + "，共有 " + std::to_string(count) +
                   " 位顾客已 " + std::to_string(days) +
                   " 天以上没有消费、划扣或到店记录，累计消费 " + yuan(lifetime) +
                   "，仍有未划扣余额 " + yuan(unspent) + "。";
  if (count > 0) {
    const Row& top = r.table.rows.front();
    r.narrative_zh += "其中累计消费最高的是 " + str_at(r.table, top, "name") + "（" +
                      yuan(dec_at(r.table, top, "lifetime_amount")) + "，已 " +
                      std::to_string(int_at(r.table, top, "days_inactive")) + " 天未活跃）。";
    r.narrative_zh += unspent.is_zero() ? "建议按累计消费从高到低安排回访。"
                                        : "建议优先回访仍有余额的顾客，邀约到店划扣。";
  }
  return r;
}

}  // namespace yimei::analysis::detail
