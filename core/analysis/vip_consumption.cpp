// vip-consumption (VIP顾客消费分析): each VIP's spend, visits and spend per visit in the period
// against the previous period, the declining VIPs, and the VIP share of all consumption.
#include <algorithm>

#include "core/analysis/analyses.hpp"
#include "core/analysis/facts.hpp"

namespace yimei::analysis::detail {
namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

// The VIPs (registered by as_of, scoped) as a filter on the customer facts `alias`.
Sql vip_filter(const ResolvedRequest& req, std::string_view alias) {
  Sql s;
  s << " AND " << alias << ".membership_level IN ";
  s.in_list(req.params.get_list("vip_levels"));
  return s << registered_in_scope(req.as_of, req.scope, alias);
}

Table query_vips(db::Connection& conn, const ResolvedRequest& req, const Date& from, const Date& to,
                 const Date& prev_from, const Date& prev_to) {
  // The VIPs come from the customer facts (level, consultant, name and phone are copies kept by
  // triggers), in customer order, each with one (customer_id, consume_date) range of its records
  // of both periods (skipped for VIPs with no purchase since prev_from); sorted by amount and
  // given consultant names here (see stable_sort_desc, name_consultants). Declining compares
  // DECIMALs exactly: current < decline_ratio x previous.
  Sql q;
  q << "SELECT s.customer_id, s.name, s.phone, s.membership_level,"
       " s.consultant_id AS consultant_name, s.amount, s.visits,"
       " IF(s.visits > 0, ROUND(s.amount / s.visits, 2), NULL) AS amount_per_visit,"
       " s.previous_amount,"
       " IF(s.previous_amount > 0 AND s.amount < CAST("
    << arg(req.params.get_decimal("decline_ratio"))
    << " AS DECIMAL(20,6)) * s.previous_amount, '是', '否') AS declining"
       " FROM (SELECT f.customer_id, f.name, f.phone, f.membership_level, f.consultant_id,"
       "   COALESCE(SUM(IF(r.consume_date >= "
    << arg(from)
    << ", r.amount, 0)), 0.00) AS amount,"
       "   COUNT(DISTINCT IF(r.consume_date >= "
    << arg(from)
    << ", r.consume_date, NULL)) AS visits,"
       "   COALESCE(SUM(IF(r.consume_date <= "
    << arg(prev_to)
    << ", r.amount, 0)), 0.00) AS previous_amount"
       "  FROM analysis_customer_facts f LEFT JOIN consumption_records r"
       "   ON f.last_consume_date >= "
    << arg(prev_from) << " AND r.customer_id = f.customer_id AND r.consume_date BETWEEN "
    << arg(prev_from) << " AND " << arg(to) << "  WHERE 1 = 1" << vip_filter(req, "f")
    << "  GROUP BY f.customer_id) s ORDER BY s.customer_id";
  Table t = run(conn, q);
  stable_sort_desc(t, "amount");
  name_consultants(conn, t, "consultant_name");
  set_labels(t, {{"customer_id", "顾客编号"},
                 {"name", "顾客姓名"},
                 {"phone", "联系电话", ColumnUnit::None, true},
                 {"membership_level", "会员等级"},
                 {"consultant_name", "咨询师"},
                 {"amount", "本期消费", ColumnUnit::Yuan},
                 {"visits", "到店次数", ColumnUnit::Count},
                 {"amount_per_visit", "次均消费", ColumnUnit::Yuan},
                 {"previous_amount", "上期消费", ColumnUnit::Yuan},
                 {"declining", "是否下滑"}});
  // The ratio is for display only (a double); the declining flag above stays exact.
  const int amount = t.column_index("amount");
  const int previous = t.column_index("previous_amount");
  add_column(t, Column{"change_ratio", "环比变化", ColumnType::Real, ColumnUnit::Percent},
             [&](const Row& row) {
               return change_ratio(std::get<Decimal>(row[amount]),
                                   std::get<Decimal>(row[previous]));
             });
  return t;
}

Table vip_by_department(db::Connection& conn, const ResolvedRequest& req, const Date& from,
                        const Date& to) {
  Sql q;
  q << "SELECT r.department, SUM(r.amount) AS amount, COUNT(DISTINCT r.customer_id) AS customers"
       " FROM analysis_customer_facts v JOIN consumption_records r"
       "  ON r.customer_id = v.customer_id AND r.consume_date BETWEEN "
    << arg(from) << " AND " << arg(to) << " WHERE v.last_consume_date >= " << arg(from)
    << vip_filter(req, "v") << " GROUP BY r.department ORDER BY amount DESC, r.department";
  Table t = run(conn, q);
  set_labels(t, {{"department", "科室"},
                 {"amount", "VIP消费", ColumnUnit::Yuan},
                 {"customers", "VIP人数", ColumnUnit::Count}});
  return t;
}

}  // namespace

AnalysisResult vip_consumption(db::Connection& conn, const ResolvedRequest& req,
                               bool with_departments) {
  AnalysisResult r;
  r.to = req.to.value_or(req.as_of);
  r.from = req.from.value_or(add_days(req.as_of, -89));
  const auto [prev_from, prev_to] = previous_period(*r.from, *r.to);
  r.previous_from = prev_from;
  r.previous_to = prev_to;

  r.table = query_vips(conn, req, *r.from, *r.to, prev_from, prev_to);
  std::int64_t active = 0, declining = 0;
  Decimal amount, previous, declining_loss;
  Table declining_rows;
  declining_rows.columns = r.table.columns;
  for (const Row& row : r.table.rows) {
    const Decimal cur = dec_at(r.table, row, "amount");
    const Decimal prev = dec_at(r.table, row, "previous_amount");
    amount += cur;
    previous += prev;
    if (int_at(r.table, row, "visits") > 0) ++active;
    if (str_at(r.table, row, "declining") == "是") {
      ++declining;
      declining_loss += prev - cur;
      declining_rows.rows.push_back(row);
    }
  }
  const Decimal all = revenue_between(conn, *r.from, *r.to, req.scope);
  const auto count = static_cast<std::int64_t>(r.table.rows.size());
  const Value vip_share = share(amount, all);

  Table departments;
  if (with_departments) {
    departments = vip_by_department(conn, req, *r.from, *r.to);
  } else {
    departments.columns = {{"department", "科室", ColumnType::Text},
                           {"amount", "VIP消费", ColumnType::Decimal, ColumnUnit::Yuan},
                           {"customers", "VIP人数", ColumnType::Integer, ColumnUnit::Count}};
  }
  const int dep_amount = departments.column_index("amount");
  add_column(departments, Column{"share", "占VIP消费", ColumnType::Real, ColumnUnit::Percent},
             [&](const Row& row) { return share(std::get<Decimal>(row[dep_amount]), amount); });

  r.summary = {
      item("vip_count", "VIP人数", count, ColumnUnit::Count),
      item("active_vips", "有消费VIP人数", active, ColumnUnit::Count),
      item("vip_amount", "VIP消费", amount, ColumnUnit::Yuan),
      item("total_amount", "全部消费", all, ColumnUnit::Yuan),
      item("vip_share", "VIP消费占比", vip_share, ColumnUnit::Percent),
      item("previous_vip_amount", "上期VIP消费", previous, ColumnUnit::Yuan),
      item("vip_change_ratio", "VIP消费环比", change_ratio(amount, previous), ColumnUnit::Percent),
      item("declining_count", "消费下滑VIP人数", declining, ColumnUnit::Count),
      item("declining_loss", "下滑VIP减少的消费", declining_loss, ColumnUnit::Yuan)};
  r.chart = ChartSuggestion{
      render::ChartKind::Donut, "VIP消费科室分布", "department", {"amount"}, departments,
      ColumnUnit::Yuan};
  r.breakdowns.emplace_back("VIP消费按科室", std::move(departments));
  r.breakdowns.emplace_back("消费下滑VIP", std::move(declining_rows));

  const std::string levels = join(req.params.get_list("vip_levels"), "、");
  r.narrative_zh = period_zh(*r.from, *r.to) + "，VIP（" + levels + "）共 " +
                   std::to_string(count) + " 位，其中 " + std::to_string(active) +
                   " 位有消费，VIP消费 " + yuan(amount) + "，占同期全部消费的 " +
                   percent(vip_share) + "（上期 VIP 消费 " + yuan(previous) + "）。";
  if (declining > 0) {
    r.narrative_zh += "有 " + std::to_string(declining) + " 位VIP本期消费不足上期的 " +
                      percent(req.params.get_decimal("decline_ratio").to_double()) +
                      "，合计少消费 " + yuan(declining_loss) + "，建议咨询师逐一回访。";
  } else {
    r.narrative_zh += "没有VIP的消费较上期明显下滑。";
  }
  return r;
}

}  // namespace yimei::analysis::detail
