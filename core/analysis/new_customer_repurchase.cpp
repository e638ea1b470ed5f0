// new-customer-repurchase (新客二开率): of the customers whose first purchase falls in the
// period, the share who bought again on a later day within `window` days; overall, by cohort
// month, by the consultant and by the department of their first record.
#include <algorithm>

#include "core/analysis/analyses.hpp"

namespace yimei::analysis::detail {

// The window whose repurchase amount analysis_customer_facts keeps (the default of `window`).
constexpr std::int64_t kStoredWindow = 90;

Table query_repurchase_cohort(db::Connection& conn, const Date& as_of, const Date& from,
                              const Date& to, std::int64_t window, const Scope& scope,
                              bool with_amounts) {
  // The cohort is a range of ix_facts_first_consume (F, the first record's consultant and
  // department, the first day's amount and the first later purchase day are kept by triggers;
  // F <= to <= as_of, so they hold as of as_of; the name and phone are copies, present while the
  // customer exists). The window's records are read only for the customers who bought again in it
  // (their repurchase amount). Consultant names are filled in afterwards (name_consultants).
  Sql window_end;
  window_end << "LEAST(k.first_consume_date + INTERVAL " << arg(window) << " DAY, " << arg(as_of)
             << ")";
  Sql again;
  again << "k.second_consume_date <= " << window_end;
  Sql q;
  q << "SELECT k.customer_id, k.name, k.phone, k.first_consume_date AS first_date,"
       " DATE_FORMAT(k.first_consume_date, '%Y-%m') AS cohort_month,"
       " k.first_consultant_id AS consultant_id, k.first_consultant_id AS consultant_name,"
       " k.first_department AS department, k.first_day_amount AS first_amount, IF("
    << again << ", k.second_consume_date, NULL) AS second_date, ";
  if (with_amounts) {
    // The default 90-day window's amount is kept by the triggers; valid when the window closed
    // by as_of. Otherwise the window's records are read.
    Sql read;
    read << "(SELECT SUM(x.amount) FROM consumption_records x WHERE x.customer_id = k.customer_id"
            " AND x.consume_date > k.first_consume_date AND x.consume_date <= "
         << window_end << ")";
    q << "IF(" << again << ", ";
    if (window == kStoredWindow)
      q << "IF(k.first_consume_date + INTERVAL " << arg(window) << " DAY <= " << arg(as_of)
        << ", k.repurchase_90_amount, " << read << ")";
    else
      q << read;
    q << ", 0.00)";
  } else {
    q << "NULL";
  }
  q << " AS repurchase_amount, IF(" << again
    << ", 1, 0) AS repurchased"
       " FROM analysis_customer_facts k WHERE k.register_date IS NOT NULL"
       " AND k.first_consume_date BETWEEN "
    << arg(from) << " AND " << arg(to);
  if (scope.consultant_id) q << " AND k.consultant_id = " << arg(*scope.consultant_id);
  q << " ORDER BY k.first_consume_date, k.customer_id";
  Table t = run(conn, q);
  name_consultants(conn, t, "consultant_name");
  set_labels(t, {{"customer_id", "顾客编号"},
                 {"name", "顾客姓名"},
                 {"phone", "联系电话", ColumnUnit::None, true},
                 {"first_date", "首次消费日期"},
                 {"cohort_month", "首次消费月份"},
                 {"consultant_id", "首单咨询师编号"},
                 {"consultant_name", "首单咨询师"},
                 {"department", "首单科室"},
                 {"first_amount", "首日消费", ColumnUnit::Yuan},
                 {"second_date", "二开日期"},
                 {"repurchase_amount", "窗口内复购金额", ColumnUnit::Yuan},
                 {"repurchased", "是否二开", ColumnUnit::Count}});
  return t;
}

namespace {

// Cohort size, repurchased count and rate per value of `key_column` of the cohort rows.
Table rate_by(const Table& cohort, const std::string& key_column, const std::string& key_label,
              bool sort_by_size) {
  auto groups = group_rows(cohort, key_column, {"repurchased"});
  if (sort_by_size)
    std::stable_sort(groups.begin(), groups.end(),
                     [](const RowGroup& a, const RowGroup& b) { return a.count > b.count; });
  Table t;
  t.columns = {{key_column, key_label, ColumnType::Text},
               {"cohort_size", "新客数", ColumnType::Integer, ColumnUnit::Count},
               {"repurchased", "二开人数", ColumnType::Integer, ColumnUnit::Count},
               {"rate", "二开率", ColumnType::Real, ColumnUnit::Percent}};
  for (const auto& g : groups) {
    const auto rep = static_cast<std::int64_t>(g.sums[0].to_double());
    t.rows.push_back({g.key, g.count, rep, share(rep, g.count)});
  }
  return t;
}

// The row of `t` with the highest (or lowest) rate among groups of at least `min_size`.
const Row* extreme_rate(const Table& t, bool highest, std::int64_t min_size) {
  const Row* best = nullptr;
  for (const Row& r : t.rows) {
    if (std::get<std::int64_t>(r[1]) < min_size || is_null(r[3])) continue;
    const double rate = std::get<double>(r[3]);
    if (!best ||
        (highest ? rate > std::get<double>((*best)[3]) : rate < std::get<double>((*best)[3])))
      best = &r;
  }
  return best;
}

}  // namespace

AnalysisResult new_customer_repurchase(db::Connection& conn, const ResolvedRequest& req) {
  const std::int64_t window = req.params.get_int("window");
  AnalysisResult r;
  // Default: the 180 cohort days whose windows have all closed by as_of.
  r.to = req.to.value_or(add_days(req.as_of, static_cast<int>(-window)));
  r.from = req.from.value_or(add_days(*r.to, -179));

  Table cohort = query_repurchase_cohort(conn, req.as_of, *r.from, *r.to, window, req.scope);
  std::int64_t repurchased = 0;
  for (const Row& row : cohort.rows) repurchased += int_at(cohort, row, "repurchased");
  const auto size = static_cast<std::int64_t>(cohort.rows.size());
  const Value rate = share(repurchased, size);

  r.summary = {item("cohort_size", "新客数", size, ColumnUnit::Count),
               item("repurchased", "二开人数", repurchased, ColumnUnit::Count),
               item("rate", "二开率", rate, ColumnUnit::Percent),
               item("window", "二开窗口天数", window, ColumnUnit::Days)};
  r.table = rate_by(cohort, "cohort_month", "首次消费月份", false);
  Table consultants = rate_by(cohort, "consultant_name", "首单咨询师", true);
  Table departments = rate_by(cohort, "department", "首单科室", true);
  r.chart = ChartSuggestion{
      render::ChartKind::Line, "各月新客二开率", "cohort_month", {"rate"}, std::nullopt,
      ColumnUnit::Percent};

  r.narrative_zh = period_zh(*r.from, *r.to) + " 首次消费的新客共 " + std::to_string(size) +
                   " 位，其中 " + std::to_string(repurchased) + " 位在首次消费后 " +
                   std::to_string(window) + " 天内（不含首日）再次消费，二开率 " + percent(rate) +
                   "。";
  if (const Row* hi = extreme_rate(r.table, true, 5); hi && r.table.rows.size() > 1) {
    const Row* lo = extreme_rate(r.table, false, 5);
    r.narrative_zh += "按首次消费月份看（新客不少于 5 位），" + std::get<Text>((*hi)[0]).str() +
                      " 最高（" + percent((*hi)[3]) + "），" + std::get<Text>((*lo)[0]).str() +
                      " 最低（" + percent((*lo)[3]) + "）。";
  }
  if (const Row* best = extreme_rate(consultants, true, 5)) {
    r.narrative_zh += "新客数不少于 5 位的咨询师中，" + std::get<Text>((*best)[0]).str() +
                      " 的二开率最高（" + percent((*best)[3]) + "）。";
  }
  r.breakdowns.emplace_back("按首单咨询师", std::move(consultants));
  r.breakdowns.emplace_back("按首单科室", std::move(departments));
  r.breakdowns.emplace_back("新客明细", std::move(cohort));
  return r;
}

}  // namespace yimei::analysis::detail
