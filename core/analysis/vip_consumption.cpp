// vip-consumption (VIP顾客消费分析): each VIP's spend, visits and spend per visit in the period
// against the previous period, the declining VIPs, and the VIP share of all consumption.
#include <cstdint>
#include <utility>
#include <vector>

#include "core/analysis/analyses.hpp"
#include "core/analysis/facts.hpp"
#include "core/analysis/year_rows.hpp"
#include "core/db/parallel.hpp"

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

std::string year_alias(int year) {
  return "y" + std::to_string(year);
}

// A period's amount and purchase days of one customer from its year rows `yYYYY` (one LEFT
// JOIN per year; a missing row counts as nothing).
std::pair<Sql, Sql> customer_period(const Date& from, const Date& to) {
  Sql amount, days;
  days << "CAST(";
  for (const YearTerms& t : period_terms(from, to, false, year_alias)) {
    const std::string plus = amount.text().empty() ? "" : " + ";
    amount << plus << "COALESCE(" << t.amount << ", 0.00)";
    days << plus << "COALESCE(" << t.days << ", 0)";
  }
  days << " AS SIGNED)";
  return {amount, days};
}

// MariaDB's ROUND(amount / visits, 2): the quotient is first rounded to 4 more decimals than
// the amount's, then to cents, both half away from zero; NULL without visits.
Value amount_per_visit(const Decimal& amount, std::int64_t visits) {
  if (visits <= 0) return Value{};
  return divide(divide(amount, visits, amount.scale() + 4), 1, 2);
}

// Inserts amount_per_visit after visits and declining after previous_amount, exactly as SQL gave
// them: DECIMALs throughout; declining iff previous > 0 and current < decline_ratio x previous
// (the ratio to 6 decimals, as CAST(... AS DECIMAL(20,6)) had it). Done here rather than in the
// statement, where each of these would evaluate the period sums again for every VIP.
void add_per_visit_and_declining(Table& t, const Decimal& decline_ratio) {
  const Decimal ratio = decline_ratio.rounded(6);
  const int amount_col = t.column_index("amount");
  const int visits_col = t.column_index("visits");
  const int previous_col = t.column_index("previous_amount");
  std::vector<Column> columns;
  for (int i = 0; i < static_cast<int>(t.columns.size()); ++i) {
    columns.push_back(t.columns[i]);
    if (i == visits_col) columns.push_back(Column{"amount_per_visit", "", ColumnType::Decimal});
    if (i == previous_col) columns.push_back(Column{"declining", "", ColumnType::Text});
  }
  for (Row& row : t.rows) {
    const Decimal cur = std::get<Decimal>(row[amount_col]);
    const Decimal prev = std::get<Decimal>(row[previous_col]);
    const bool declining =
        prev > Decimal{} && cur < multiply(ratio, prev, ratio.scale() + prev.scale());
    Row out;
    out.reserve(columns.size());
    for (int i = 0; i < static_cast<int>(row.size()); ++i) {
      out.push_back(std::move(row[i]));
      if (i == visits_col) out.push_back(amount_per_visit(cur, std::get<std::int64_t>(out.back())));
      if (i == previous_col) out.push_back(std::string(declining ? "是" : "否"));
    }
    row = std::move(out);
  }
  t.columns = std::move(columns);
}

// Periods whose two halves span more calendar years than this are summed from the records: a
// LEFT JOIN per year would pass MariaDB's limit of 61 tables in a join (such periods are rare,
// and they read most records anyway).
constexpr int kMaxYearJoins = 12;

// Both periods' sums per VIP straight from the records (the columns of the year-row statement).
Sql vips_from_records(const ResolvedRequest& req, const Date& from, const Date& to,
                      const Date& prev_from, const Date& prev_to) {
  Sql q;
  q << "SELECT f.customer_id, f.name, f.phone, f.membership_level,"
       " f.consultant_id AS consultant_name,"
       " COALESCE(SUM(IF(r.consume_date >= "
    << arg(from)
    << ", r.amount, 0)), 0.00) AS amount,"
       " COUNT(DISTINCT IF(r.consume_date >= "
    << arg(from)
    << ", r.consume_date, NULL)) AS visits,"
       " COALESCE(SUM(IF(r.consume_date <= "
    << arg(prev_to)
    << ", r.amount, 0)), 0.00) AS previous_amount"
       " FROM analysis_customer_facts f LEFT JOIN consumption_records r"
       "  ON f.last_consume_date >= "
    << arg(prev_from) << " AND r.customer_id = f.customer_id AND r.consume_date BETWEEN "
    << arg(prev_from) << " AND " << arg(to) << " WHERE 1 = 1" << vip_filter(req, "f")
    << " GROUP BY f.customer_id ORDER BY f.customer_id";
  return q;
}

Table query_vips(db::Connection& conn, const ResolvedRequest& req, const Date& from, const Date& to,
                 const Date& prev_from, const Date& prev_to) {
  // The VIPs come from the customer facts (level, consultant, name and phone are copies kept by
  // triggers), in customer order, each joined to its row of every year of the two periods by
  // the binary key (one row per year at most: no grouping, no sort); none for VIPs with no
  // purchase since prev_from. Sorted by amount and given consultant names here (see
  // stable_sort_desc, name_consultants).
  const int first_year = static_cast<int>(prev_from.year());
  const int last_year = static_cast<int>(to.year());
  Sql q;
  if (last_year - first_year + 1 > kMaxYearJoins) {
    q = vips_from_records(req, from, to, prev_from, prev_to);
  } else {
    const auto [amount, visits] = customer_period(from, to);
    const Sql previous = customer_period(prev_from, prev_to).first;
    q << "SELECT f.customer_id, f.name, f.phone, f.membership_level,"
         " f.consultant_id AS consultant_name, "
      << amount << " AS amount, " << visits << " AS visits, " << previous
      << " AS previous_amount FROM analysis_customer_facts f";
    for (int y = first_year; y <= last_year; ++y)
      q << " LEFT JOIN analysis_customer_years " << year_alias(y)
        << " ON f.last_consume_date >= " << arg(prev_from) << " AND " << year_alias(y)
        << ".customer_key = f.customer_id COLLATE utf8mb4_bin AND " << year_alias(y)
        << ".year = " << std::to_string(y);
    q << " WHERE 1 = 1" << vip_filter(req, "f") << " ORDER BY f.customer_id";
  }
  Table t = run(conn, q);

  add_per_visit_and_declining(t, req.params.get_decimal("decline_ratio"));

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
  const int amount_at = t.column_index("amount");
  const int previous_at = t.column_index("previous_amount");
  add_column(t, Column{"change_ratio", "环比变化", ColumnType::Real, ColumnUnit::Percent},
             [&](const Row& row) {
               return change_ratio(std::get<Decimal>(row[amount_at]),
                                   std::get<Decimal>(row[previous_at]));
             });
  return t;
}

Table vip_by_department(db::Connection& conn, const ResolvedRequest& req, const Date& from,
                        const Date& to) {
  // The VIPs' department rows of each year of the period with a purchase in it (a day of the
  // mask; the others add nothing), summed per department. Each year is its own lookup by
  // (year, customer): within one year a VIP has one row per department, so its rows count its
  // VIPs; over several years the rows of each year are gathered first and the VIPs counted
  // once (the key's leading year cannot be a range in a lookup).
  const std::vector<YearTerms> years =
      period_terms(from, to, true, [](int) { return std::string("y"); });
  const auto rows = [&](const YearTerms& t, const char* count) {
    Sql q;
    q << "SELECT y.department, " << (*count ? "COALESCE(SUM(" : "") << t.amount
      << (*count ? "), 0.00)" : "") << " AS amount, " << (*count ? count : "y.customer_key")
      << " FROM analysis_customer_facts f JOIN analysis_customer_department_years y"
         "  ON y.year = "
      << std::to_string(t.year)
      << " AND y.customer_key = f.customer_id COLLATE utf8mb4_bin"
         " WHERE f.last_consume_date >= "
      << arg(from) << vip_filter(req, "f") << " AND (" << t.present << ") <> 0";
    return q;
  };
  Sql q;
  if (years.size() == 1) {
    // Grouped by the department's bytes first (its unicode_ci weights cost ~1 µs a row over the
    // ~80,000 rows of the default period), then the few groups by the collation, as GROUP BY
    // department groups them.
    q << "SELECT b.department, SUM(b.amount) AS amount, CAST(SUM(b.customers) AS SIGNED)"
         " AS customers FROM ("
      << rows(years[0], "COUNT(*) AS customers")
      << " GROUP BY y.department COLLATE utf8mb4_bin) b GROUP BY b.department";
  } else {
    q << "SELECT u.department, COALESCE(SUM(u.amount), 0.00) AS amount,"
         " COUNT(DISTINCT u.customer_key) AS customers FROM (";
    for (std::size_t i = 0; i < years.size(); ++i)
      q << (i ? " UNION ALL " : "") << rows(years[i], "");
    q << ") u GROUP BY u.department";
  }
  q << " ORDER BY amount DESC, department";
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

  // The VIP list and the department split are independent statements of similar length: with
  // the split they run on two connections at once (db::run_parallel), the split's connection
  // also reading the period's total.
  Table departments;
  Decimal all;
  std::vector<db::ConnectionJob> jobs;
  jobs.emplace_back(
      [&](db::Connection& c) { r.table = query_vips(c, req, *r.from, *r.to, prev_from, prev_to); });
  jobs.emplace_back([&](db::Connection& c) {
    if (with_departments) departments = vip_by_department(c, req, *r.from, *r.to);
    all = revenue_between(c, *r.from, *r.to, req.scope);
  });
  db::run_parallel(conn, jobs, with_departments ? 2 : 1);

  std::int64_t active = 0, declining = 0;
  Decimal amount, previous, declining_loss;
  Table declining_rows;
  declining_rows.columns = r.table.columns;
  const auto amount_col = static_cast<std::size_t>(r.table.column_index("amount"));
  const auto previous_col = static_cast<std::size_t>(r.table.column_index("previous_amount"));
  const auto visits_col = static_cast<std::size_t>(r.table.column_index("visits"));
  const auto declining_col = static_cast<std::size_t>(r.table.column_index("declining"));
  for (const Row& row : r.table.rows) {
    const Decimal& cur = std::get<Decimal>(row[amount_col]);
    const Decimal& prev = std::get<Decimal>(row[previous_col]);
    amount += cur;
    previous += prev;
    if (std::get<std::int64_t>(row[visits_col]) > 0) ++active;
    if (std::get<Text>(row[declining_col]) == "是") {
      ++declining;
      declining_loss += prev - cur;
      declining_rows.rows.push_back(row);
    }
  }
  const auto count = static_cast<std::int64_t>(r.table.rows.size());
  const Value vip_share = share(amount, all);

  if (!with_departments) {
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
