// growth-points (十大增长点): runs the ten detectors, scores each opportunity against the
// last 90 days' revenue, ranks them, and presents either the overview or, with
// detail=N, the full target list of opportunity N.
#include "core/analysis/growth_points.hpp"

#include "core/analysis/facts.hpp"
#include "core/db/parallel.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>

namespace yimei::analysis::detail {
namespace {

// The score is the opportunity as a percentage of the last 90 days' revenue (the detectors
// state their amounts for about one quarter), capped at 100.
constexpr double kHighScore = 8.0;
constexpr double kMediumScore = 1.5;

// Connections (and threads) the detectors run on at once: their statements keep one server core
// busy each, and the target machine has two.
constexpr int kGrowthWorkers = 2;

double score_of(const Decimal& amount, const Decimal& quarter) {
  if (amount.is_zero() || amount.is_negative()) return 0;
  if (quarter.is_zero() || quarter.is_negative()) return 100;
  const double s = 100.0 * amount.to_double() / quarter.to_double();
  return std::min(100.0, std::round(s * 10.0) / 10.0);
}

std::string priority_of(double score) {
  if (score >= kHighScore) return "高";
  if (score >= kMediumScore) return "中";
  return "低";
}

Table ranking_table(const std::vector<Opportunity>& ops) {
  Table t;
  t.columns = {{"rank", "排名", ColumnType::Integer},
               {"key", "代号", ColumnType::Text},
               {"title", "增长点", ColumnType::Text},
               {"priority", "优先级", ColumnType::Text},
               {"score", "评分", ColumnType::Real},
               {"opportunity_amount", "机会金额", ColumnType::Decimal, ColumnUnit::Yuan},
               {"target_count", "目标数", ColumnType::Integer, ColumnUnit::Count}};
  for (const auto& o : ops)
    t.rows.push_back({std::int64_t{o.rank}, o.key, o.title_zh, o.priority_zh, o.score,
                      o.opportunity_amount, static_cast<std::int64_t>(o.targets.rows.size())});
  return t;
}

std::string actions_text(const Opportunity& o) {
  static const char* kMarks[] = {"①", "②", "③", "④"};
  std::string out;
  for (std::size_t i = 0; i < o.actions_zh.size() && i < 4; ++i)
    out += std::string(i ? "；" : "") + kMarks[i] + o.actions_zh[i];
  return out;
}

void overview(AnalysisResult& r, const GrowthContext& g) {
  Decimal total;
  for (const auto& o : r.opportunities) total += o.opportunity_amount;
  r.table = ranking_table(r.opportunities);
  r.summary = {item("opportunity_count", "增长点数", std::int64_t(r.opportunities.size()),
                    ColumnUnit::Count),
               item("total_opportunity", "机会金额合计", total, ColumnUnit::Yuan),
               item("quarter_revenue", "近90天业绩", g.quarter_revenue, ColumnUnit::Yuan)};
  r.chart = ChartSuggestion{render::ChartKind::Bar, "十大增长点机会金额", "title",
                            {"opportunity_amount"}, std::nullopt,         ColumnUnit::Yuan};
  r.narrative_zh = "基于截至 " + format_date(g.as_of()) + " 的数据识别出 " +
                   std::to_string(r.opportunities.size()) + " 个增长点，机会金额合计 " +
                   yuan(total) + "（各项可能有重叠；近90天业绩 " + yuan(g.quarter_revenue) +
                   "，评分 = 机会金额占近90天业绩的百分比，满分 100）。";
  std::string top;
  for (std::size_t i = 0; i < r.opportunities.size() && i < 3; ++i) {
    const auto& o = r.opportunities[i];
    top += (top.empty() ? "" : "；") + std::to_string(o.rank) + ". " + o.title_zh + "（" +
           o.priority_zh + "，" + yuan(o.opportunity_amount) + "）";
  }
  r.narrative_zh += "最值得优先做的是：" + top + "。查看某一项的完整名单请加参数 detail=N。";
  // One paragraph per opportunity for text and chat replies.
  Table details;
  details.columns = {{"rank", "排名", ColumnType::Integer},
                     {"title", "增长点", ColumnType::Text},
                     {"evidence", "依据", ColumnType::Text},
                     {"formula", "机会金额计算", ColumnType::Text},
                     {"actions", "建议行动", ColumnType::Text}};
  for (const auto& o : r.opportunities) {
    std::string evidence;
    for (const auto& e : o.evidence) {
      std::string v;
      if (const auto* d = std::get_if<Decimal>(&e.value))
        v = e.unit == ColumnUnit::Yuan ? yuan(*d) : d->to_string();
      else if (const auto* i = std::get_if<std::int64_t>(&e.value))
        v = std::to_string(*i);
      else if (e.unit == ColumnUnit::Percent)
        v = percent(e.value);
      else if (const auto* s = std::get_if<Text>(&e.value))
        v = *s;
      else if (const auto* x = std::get_if<double>(&e.value))
        v = fixed1(*x);
      else
        v = "-";
      evidence += (evidence.empty() ? "" : "；") + e.label_zh + " " + v;
    }
    details.rows.push_back(
        {std::int64_t{o.rank}, o.title_zh, evidence, o.formula_zh, actions_text(o)});
  }
  r.breakdowns.emplace_back("增长点详情", std::move(details));
}

void detail_view(AnalysisResult& r, const Opportunity& o) {
  r.title_zh = "十大增长点 · 第" + std::to_string(o.rank) + "项：" + o.title_zh;
  r.table = o.targets;
  r.summary = o.evidence;
  r.summary.push_back(
      item("opportunity_amount", "机会金额", o.opportunity_amount, ColumnUnit::Yuan));
  r.summary.push_back(item("score", "评分", o.score));
  r.summary.push_back(item("priority", "优先级", o.priority_zh));
  r.summary.push_back(item("target_count", "目标数",
                           static_cast<std::int64_t>(o.targets.rows.size()), ColumnUnit::Count));
  r.narrative_zh = o.title_zh + "（优先级" + o.priority_zh + "，评分 " + fixed1(o.score) +
                   "）：共 " + std::to_string(o.targets.rows.size()) + " 个" + o.target_kind_zh +
                   "目标。机会金额 " + yuan(o.opportunity_amount) + "，" + o.formula_zh +
                   "。建议：" + actions_text(o) + "。";
}

}  // namespace

Decimal times(const Decimal& amount, const Decimal& ratio) {
  return multiply(amount, ratio, 2);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

const LifetimeYardsticks& GrowthContext::yardsticks(db::Connection& conn) {
  const std::lock_guard lock(yardsticks_mu_);
  if (!yardsticks_) yardsticks_ = load_lifetime_yardsticks(conn, req);
  return *yardsticks_;
}

const Table& GrowthContext::closed_cohort(db::Connection& conn) {
  const std::lock_guard lock(cohort_mu_);
  if (!closed_cohort_rows_) {
    const std::int64_t window = req.params.get_int("window");
    const Date to = add_days(req.as_of, static_cast<int>(-window));
    closed_cohort_rows_ =
        query_repurchase_cohort(conn, req.as_of, add_days(to, -179), to, window, req.scope);
  }
  return *closed_cohort_rows_;
}

Table GrowthContext::attention_balances(db::Connection& conn, const std::string& word) {
  static const std::vector<std::string> kWords = {"沉睡", "即将到期"};
  const std::lock_guard lock(balances_mu_);
  if (!attention_balance_rows_)
    attention_balance_rows_ =
        query_balances(conn, req.as_of, int_param("expiring_days"), int_param("dormant_days"),
                       req.scope, Sql(" AND (x.is_dormant = 1 OR x.is_expiring = 1)"));
  attention_words_served_.insert(word);
  // Neither flag is ever set on an expired balance, so the status names exactly the flags set.
  Table& all = *attention_balance_rows_;
  const auto status = static_cast<std::size_t>(all.column_index("status"));
  const auto names = [&](const Row& r, const std::string& w) {
    return std::get<Text>(r[status]).view().find(w) != std::string_view::npos;
  };
  // A row still wanted by a word not served yet is copied, any other taken: the 50,000+ dormant
  // balances are then never held twice. Either detector may come first: each gets the same rows.
  Table out;
  out.columns = all.columns;
  std::vector<Row> kept;
  for (Row& r : all.rows) {
    const bool wanted_later = std::any_of(kWords.begin(), kWords.end(), [&](const std::string& w) {
      return !attention_words_served_.count(w) && names(r, w);
    });
    if (names(r, word)) out.rows.push_back(wanted_later ? r : std::move(r));
    if (wanted_later) kept.push_back(std::move(r));
  }
  all.rows = std::move(kept);
  return out;
}

Outcome<AnalysisResult> growth_points(db::Connection& conn, const ResolvedRequest& req) {
  GrowthContext g(req);
  g.facts << "(" << customer_facts_sql(req.as_of, req.scope) << ")";
  g.quarter_revenue = revenue_between(conn, add_days(req.as_of, -89), req.as_of, req.scope);

  // In catalog order: the results keep it (ties in score too).
  static const std::vector<Detector> kDetectors = {
      detect_dormant_high_value, detect_new_customer_second, detect_dormant_balances,
      detect_expiring_balances,  detect_vip_decline,         detect_membership_upgrade,
      detect_cross_department,   detect_repeat_products,     detect_consultant_gaps,
      detect_department_swings};
  // The order they are started in, roughly longest first so that the two connections finish
  // close together (at 1M records on an idle machine: the balances ~0.75-1.1 s, VIP decline
  // ~0.55-0.65 s, the open 二开 cohort with the closed one ~0.5 s, the membership ladder with the
  // lifetimes ~0.5 s, the consultants ~0.3 s, ...). Starting the balances, VIP decline, the
  // ladder, then the cohorts measured 0.1-0.2 s slower than this order.
  static constexpr std::array<std::size_t, 10> kStartOrder = {4, 2, 1, 8, 5, 7, 9, 0, 6, 3};
  std::vector<Opportunity> found(kDetectors.size());
  std::vector<db::ConnectionJob> jobs;
  for (const std::size_t i : kStartOrder)
    jobs.emplace_back([&, i](db::Connection& c) {
      const auto started = std::chrono::steady_clock::now();
      found[i] = kDetectors[i](c, g);
      spdlog::debug("growth-points: {} in {} ms", found[i].key,
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count());
    });
  db::run_parallel(conn, jobs, kGrowthWorkers);

  AnalysisResult r;
  for (Opportunity& o : found) {
    o.score = score_of(o.opportunity_amount, g.quarter_revenue);
    o.priority_zh = priority_of(o.score);
    r.opportunities.push_back(std::move(o));
  }
  std::stable_sort(r.opportunities.begin(), r.opportunities.end(),
                   [](const Opportunity& a, const Opportunity& b) {
                     if (a.score != b.score) return a.score > b.score;
                     return a.opportunity_amount > b.opportunity_amount;
                   });
  for (std::size_t i = 0; i < r.opportunities.size(); ++i)
    r.opportunities[i].rank = static_cast<int>(i) + 1;

  const std::int64_t detail = req.params.get_int("detail");
  if (detail == 0) {
    overview(r, g);
  } else {
    detail_view(r, r.opportunities.at(static_cast<std::size_t>(detail - 1)));
  }
  return r;
}

}  // namespace yimei::analysis::detail
