// inactive-customers (不活跃顾客): customers whose last consumption, write-off or visit (or
// registration, when none) lies `days` or more before as_of, with lifetime and unspent amounts.
#include <algorithm>

#include "core/analysis/analyses.hpp"
#include "core/analysis/facts.hpp"
#include "core/analysis/year_rows.hpp"

namespace yimei::analysis::detail {

Table select_inactive(db::Connection& conn, const Date& as_of, std::int64_t days,
                      const Scope& scope, const std::optional<Decimal>& min_lifetime,
                      bool order_stats) {
  // Inactive means L <= cutoff (< as_of). A facts row whose stored L (over all dates) is on or
  // before the cutoff is inactive as of as_of too; a row with stored L after as_of may have been
  // inactive at as_of (its later dates do not count), so it is recomputed; rows in between are
  // active. One pass over the facts (they carry the name and phone; most rows match, so the
  // optimizer reads them in primary-key order rather than by ix_facts_last_activity), never the
  // records. Rows come in customer_id order and are sorted by lifetime amount here.
  const Date cutoff = add_days(as_of, static_cast<int>(-days));
  const CustomerFactsExpr e = customer_facts_as_of(as_of);
  Sql q;
  q << "SELECT a.customer_id, a.name, a.phone, a.consultant_id AS consultant_name,"
       " a.membership_level, a.last_activity_date, DATEDIFF("
    << arg(as_of)
    << ", a.last_activity_date) AS days_inactive, a.lifetime_amount, a.unspent_amount";
  if (order_stats)
    q << ", a.orders, IF(a.orders > 0, ROUND(a.lifetime_amount / a.orders, 2), NULL)"
         " AS amount_per_order";
  // A customer who bought within the `days` before as_of is active: that is read from its year
  // rows' day masks (one row by key), before the last dates are looked up in the records (two
  // lookups by the unicode_ci customer id), and it settles most of those recomputed. Such a row
  // keeps its stored date (after as_of, so after the cutoff) and is left out; a row that is
  // listed never bought then.
  q << " FROM (SELECT f.customer_id, f.name, f.phone, f.consultant_id, f.membership_level,"
       " IF(f.last_activity_date > "
    << arg(as_of) << " AND " << bought_between(add_days(cutoff, 1), as_of)
    << ", f.last_activity_date, " << e.last_activity_date << ") AS last_activity_date, "
    << e.lifetime_amount << " AS lifetime_amount, f.unspent_amount";
  if (order_stats) q << ", " << e.orders << " AS orders";
  q << " FROM analysis_customer_facts f WHERE (f.last_activity_date <= " << arg(cutoff)
    << " OR f.last_activity_date > " << arg(as_of) << ")" << registered_in_scope(as_of, scope)
    << ") a WHERE a.last_activity_date <= " << arg(cutoff);
  if (min_lifetime) q << " AND a.lifetime_amount >= " << arg(*min_lifetime);
  q << " ORDER BY a.customer_id";
  Table t = run(conn, q);
  stable_sort_desc(t, "lifetime_amount");
  name_consultants(conn, t, "consultant_name");
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
  return select_inactive(conn, as_of, days, scope, std::nullopt, false);
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
