// Growth detectors about the business lines: 8 高复购品项渗透 (products), 9 咨询师转化差距
// (consultants) and 10 科室增长与下滑 (departments).
#include <algorithm>
#include <cmath>
#include <map>

#include "core/analysis/growth_points.hpp"

namespace yimei::analysis::detail {
namespace {

constexpr std::int64_t kMinBuyers = 3;   // a product's repeat rate needs >= 3 buyers
constexpr std::int64_t kMinOrders = 10;  // a consultant's amount per order needs >= 10
constexpr std::int64_t kMinCohort = 5;   // a consultant's 二开 rate needs >= 5 new customers

// The median of Decimals, exact (the mean of the middle two, rounded to cents).
Decimal decimal_median(std::vector<Decimal> v) {
  if (v.empty()) return Decimal::from_int(0).rounded(2);
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : divide(v[n / 2 - 1] + v[n / 2], 2);
}

}  // namespace

Opportunity detect_repeat_products(db::Connection& conn, GrowthContext& g) {
  Opportunity o;
  o.key = "repeat-product-reach";
  o.title_zh = "高复购品项渗透";
  o.target_kind_zh = "品项";
  // The last 90 days; no comparison period needed (an empty one: nothing is scanned for it).
  const Date from = add_days(g.as_of(), -89);
  const Table products = query_products(conn, from, g.as_of(), from, add_days(from, -1), g.scope());
  const Table eligible = filter_rows(
      products, [&](const Row& r) { return int_at(products, r, "buyers") >= kMinBuyers; });
  std::vector<double> rates, buyers;
  for (const Row& r : eligible.rows) {
    rates.push_back(real_at(eligible, r, "repeat_rate"));
    buyers.push_back(static_cast<double>(int_at(eligible, r, "buyers")));
  }
  const double rate_median = median(rates);
  const auto buyers_line = static_cast<std::int64_t>(std::ceil(median(buyers)));
  Table targets = filter_rows(eligible, [&](const Row& r) {
    const double rate = real_at(eligible, r, "repeat_rate");
    return rate > 0 && rate >= rate_median && int_at(eligible, r, "buyers") < buyers_line;
  });
  const Decimal rate = g.ratio_param("penetration_rate");
  const int rev = targets.column_index("revenue");
  const int buy = targets.column_index("buyers");
  add_column(targets,
             Column{"revenue_per_buyer", "人均业绩", ColumnType::Decimal, ColumnUnit::Yuan},
             [&](const Row& r) -> Value {
               return divide(std::get<Decimal>(r[rev]), std::get<std::int64_t>(r[buy]));
             });
  add_column(targets, Column{"buyer_gap", "距中位购买人数", ColumnType::Integer, ColumnUnit::Count},
             [&](const Row& r) -> Value { return buyers_line - std::get<std::int64_t>(r[buy]); });
  const int per = targets.column_index("revenue_per_buyer");
  const int gap = targets.column_index("buyer_gap");
  add_column(targets, Column{"potential", "潜在业绩", ColumnType::Decimal, ColumnUnit::Yuan},
             [&](const Row& r) -> Value {
               return std::get<Decimal>(r[per]) * std::get<std::int64_t>(r[gap]);
             });
  const int pot = targets.column_index("potential");
  std::stable_sort(targets.rows.begin(), targets.rows.end(), [&](const Row& a, const Row& b) {
    return std::get<Decimal>(a[pot]) > std::get<Decimal>(b[pot]);
  });
  Decimal potential;
  for (const Row& r : targets.rows) potential += std::get<Decimal>(r[pot]);
  o.targets = std::move(targets);
  o.opportunity_amount = times(potential, rate);
  o.evidence = {item("period", "统计区间", period_zh(from, g.as_of())),
                item("products", "购买人数不少于3人的品项", std::int64_t(eligible.rows.size()),
                     ColumnUnit::Count),
                item("median_rate", "复购率中位数", rate_median, ColumnUnit::Percent),
                item("median_buyers", "购买人数中位数", buyers_line, ColumnUnit::Count),
                item("targets", "复购率不低于中位数但购买人数低于中位数的品项",
                     std::int64_t(o.targets.rows.size()), ColumnUnit::Count)};
  o.formula_zh = "机会金额 = Σ(品项人均业绩 × 距中位购买人数的差) " + yuan(potential) +
                 " × 预计达成比例 " + percent(rate.to_double());
  o.actions_zh = {"把这些品项作为到店顾客的首推体验项目，让更多顾客尝试",
                  "在朋友圈和社群展示这些品项的复购案例和效果对比",
                  "为老顾客设置「带新人体验」的优惠，扩大购买人群"};
  return o;
}

Opportunity detect_consultant_gaps(db::Connection& conn, GrowthContext& g) {
  Opportunity o;
  o.key = "consultant-gaps";
  o.title_zh = "咨询师转化差距";
  o.target_kind_zh = "咨询师";
  const Date from = add_days(g.as_of(), -89);
  Sql q;
  // Grouped by the records' consultant first (one pass over the covering date index), then
  // named: a consultant's row per record would cost a lookup per record.
  q << "SELECT g.consultant_id, co.name AS consultant_name, co.department, g.orders, g.revenue,"
       " g.amount_per_order FROM (SELECT r.consultant_id, COUNT(*) AS orders,"
       "  SUM(r.amount) AS revenue, ROUND(SUM(r.amount) / COUNT(*), 2) AS amount_per_order"
       "  FROM consumption_records r WHERE r.consume_date BETWEEN "
    << arg(from) << " AND " << arg(g.as_of()) << scope_on_customer_id(g.scope(), "r.customer_id")
    << "  GROUP BY r.consultant_id) g JOIN consultants co ON co.consultant_id = g.consultant_id"
       " ORDER BY g.consultant_id";
  Table consultants = run(conn, q);

  // 二开 per consultant of the first record, over the latest fully closed cohort.
  const Table& cohort = g.closed_cohort(conn);
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> cohort_by;  // size, repurchased
  Decimal repurchase_amount;
  std::int64_t repurchased_all = 0;
  for (const RowGroup& grp : group_rows(cohort, "consultant_id", {"repurchased"}, ""))
    cohort_by[grp.key] = {grp.count, static_cast<std::int64_t>(grp.sums[0].to_double())};
  for (const Row& r : cohort.rows)
    if (int_at(cohort, r, "repurchased") == 1) {
      ++repurchased_all;
      repurchase_amount += dec_at(cohort, r, "repurchase_amount");
    }
  const Decimal avg_repurchase = divide(repurchase_amount, repurchased_all);

  const int id = consultants.column_index("consultant_id");
  add_column(consultants, Column{"cohort_size", "新客数", ColumnType::Integer, ColumnUnit::Count},
             [&](const Row& r) -> Value { return cohort_by[std::get<Text>(r[id])].first; });
  add_column(consultants, Column{"second_rate", "二开率", ColumnType::Real, ColumnUnit::Percent},
             [&](const Row& r) -> Value {
               const auto& c = cohort_by[std::get<Text>(r[id])];
               return share(c.second, c.first);
             });
  std::vector<Decimal> apos;
  std::vector<double> rates;
  for (const Row& r : consultants.rows) {
    if (int_at(consultants, r, "orders") >= kMinOrders)
      apos.push_back(dec_at(consultants, r, "amount_per_order"));
    if (int_at(consultants, r, "cohort_size") >= kMinCohort)
      rates.push_back(real_at(consultants, r, "second_rate"));
  }
  const Decimal apo_median = decimal_median(apos);
  const double rate_median = median(rates);

  // Per consultant: what closing the gap to the median brings in a quarter: the amount per order
  // gap over the last 90 days' orders, and the 二开 gap of a 180-day cohort halved.
  const int orders_col = consultants.column_index("orders");
  const int apo_col = consultants.column_index("amount_per_order");
  const int size_col = consultants.column_index("cohort_size");
  const int rate_col = consultants.column_index("second_rate");
  add_column(consultants,
             Column{"apo_gap_amount", "客单价差距金额", ColumnType::Decimal, ColumnUnit::Yuan},
             [&](const Row& r) -> Value {
               const auto orders = std::get<std::int64_t>(r[orders_col]);
               const Decimal apo = std::get<Decimal>(r[apo_col]);
               if (orders < kMinOrders || apo >= apo_median) return Decimal::from_int(0).rounded(2);
               return (apo_median - apo) * orders;
             });
  add_column(consultants,
             Column{"second_gap_amount", "二开差距金额", ColumnType::Decimal, ColumnUnit::Yuan},
             [&](const Row& r) -> Value {
               const auto size = std::get<std::int64_t>(r[size_col]);
               if (size < kMinCohort || is_null(r[rate_col]))
                 return Decimal::from_int(0).rounded(2);
               const double missing =
                   (rate_median - std::get<double>(r[rate_col])) * static_cast<double>(size) / 2.0;
               if (missing <= 0) return Decimal::from_int(0).rounded(2);
               return multiply(avg_repurchase, ratio_decimal(missing), 2);
             });
  const int a_gap = consultants.column_index("apo_gap_amount");
  const int s_gap = consultants.column_index("second_gap_amount");
  Table targets = filter_rows(consultants, [&](const Row& r) {
    return !std::get<Decimal>(r[a_gap]).is_zero() || !std::get<Decimal>(r[s_gap]).is_zero();
  });
  std::stable_sort(targets.rows.begin(), targets.rows.end(), [&](const Row& a, const Row& b) {
    return std::get<Decimal>(a[a_gap]) + std::get<Decimal>(a[s_gap]) >
           std::get<Decimal>(b[a_gap]) + std::get<Decimal>(b[s_gap]);
  });
  Decimal gaps;
  for (const Row& r : targets.rows)
    gaps += std::get<Decimal>(r[a_gap]) + std::get<Decimal>(r[s_gap]);
  set_labels(targets, {{"consultant_id", "咨询师编号"},
                       {"consultant_name", "咨询师"},
                       {"department", "科室"},
                       {"orders", "订单数", ColumnUnit::Count},
                       {"revenue", "业绩", ColumnUnit::Yuan},
                       {"amount_per_order", "客单价", ColumnUnit::Yuan}});
  o.targets = std::move(targets);
  const Decimal rate = g.ratio_param("gap_close_rate");
  o.opportunity_amount = times(gaps, rate);
  o.evidence = {
      item("period", "客单价统计区间", period_zh(from, g.as_of())),
      item("median_apo", "咨询师客单价中位数", apo_median, ColumnUnit::Yuan),
      item("median_rate", "咨询师二开率中位数", rate_median, ColumnUnit::Percent),
      item("targets", "低于中位数的咨询师", std::int64_t(o.targets.rows.size()), ColumnUnit::Count),
      item("gaps", "差距金额合计", gaps, ColumnUnit::Yuan)};
  o.formula_zh =
      "机会金额 = Σ[(客单价中位数 − 客单价) × 近90天订单数 + (二开率中位数 − 二开率) × "
      "180天新客数 ÷ 2 × 平均复购金额 " +
      yuan(avg_repurchase) + "] " + yuan(gaps) + " × 预计弥补比例 " + percent(rate.to_double());
  o.actions_zh = {"请客单价和二开率最高的咨询师分享面诊话术与方案设计，组织每周带教",
                  "为低于中位数的咨询师设定下月的客单价或二开率提升目标",
                  "复盘这些咨询师的未成交和未二开案例，找出流失环节"};
  return o;
}

Opportunity detect_department_swings(db::Connection& conn, GrowthContext& g) {
  Opportunity o;
  o.key = "department-swings";
  o.title_zh = "科室增长与下滑";
  o.target_kind_zh = "科室";
  ResolvedRequest last30 = g.req;
  last30.from = add_days(g.as_of(), -29);
  last30.to = g.as_of();
  const AnalysisResult dep = department_performance(conn, last30);
  const Table& t = dep.table;
  const double threshold = g.ratio_param("change_threshold").to_double();
  const int mom = t.column_index("mom_ratio");
  const int yoy = t.column_index("yoy_ratio");
  auto beyond = [&](const Value& v, int sign) {
    const auto* d = std::get_if<double>(&v);
    return d && (sign > 0 ? *d > threshold : *d < -threshold);
  };
  Table targets = filter_rows(t, [&](const Row& r) {
    return beyond(r[mom], 1) || beyond(r[mom], -1) || beyond(r[yoy], 1) || beyond(r[yoy], -1);
  });
  add_column(targets, Column{"trend", "趋势", ColumnType::Text}, [&](const Row& r) -> Value {
    const bool down = beyond(r[mom], -1) || beyond(r[yoy], -1);
    const bool up = beyond(r[mom], 1) || beyond(r[yoy], 1);
    return std::string(down && up ? "分化" : down ? "下滑" : "增长");
  });
  const int rev = targets.column_index("revenue");
  const int prev = targets.column_index("previous_revenue");
  const int last_year = targets.column_index("yoy_revenue");
  add_column(targets,
             Column{"shortfall", "较参照期少的业绩", ColumnType::Decimal, ColumnUnit::Yuan},
             [&](const Row& r) -> Value {
               Decimal best = Decimal::from_int(0).rounded(2);
               const Decimal cur = std::get<Decimal>(r[rev]);
               if (beyond(r[mom], -1)) best = std::max(best, std::get<Decimal>(r[prev]) - cur);
               if (beyond(r[yoy], -1)) best = std::max(best, std::get<Decimal>(r[last_year]) - cur);
               return best;
             });
  const int gap = targets.column_index("shortfall");
  Decimal shortfall;
  std::int64_t down = 0, up = 0;
  for (const Row& r : targets.rows) {
    shortfall += std::get<Decimal>(r[gap]);
    const std::string trend = std::get<Text>(r[targets.column_index("trend")]);
    if (trend != "增长") ++down;
    if (trend != "下滑") ++up;
  }
  o.targets = std::move(targets);
  const Decimal rate = g.ratio_param("recover_rate");
  o.opportunity_amount = times(shortfall * 3, rate);
  o.evidence = {item("period", "统计区间（近30天）", period_zh(*last30.from, *last30.to)),
                item("threshold", "变化阈值", threshold, ColumnUnit::Percent),
                item("down", "环比或同比下滑超过阈值的科室", down, ColumnUnit::Count),
                item("up", "环比或同比增长超过阈值的科室", up, ColumnUnit::Count),
                item("shortfall", "下滑科室较参照期少的业绩", shortfall, ColumnUnit::Yuan)};
  o.formula_zh = "机会金额 = 下滑科室近30天较上期或去年同期（取差距较大者）少的业绩 " +
                 yuan(shortfall) + " × 3（按一个季度计）× 预计挽回比例 " +
                 percent(rate.to_double());
  o.actions_zh = {"下滑科室复盘近30天的客流、成交率和客单价，找出下滑环节",
                  "把增长科室的有效做法（活动、话术、套餐）复制到下滑科室",
                  "针对下滑科室的老顾客做一次定向邀约活动"};
  return o;
}

}  // namespace yimei::analysis::detail
