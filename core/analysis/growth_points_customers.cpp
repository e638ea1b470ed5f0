// Growth detectors about customers: 1 沉睡高价值顾客唤醒, 2 新客二开提升, 5 VIP消费下滑预警,
// 6 会员升级潜力, 7 跨科室交叉销售.
#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/analysis/facts.hpp"
#include "core/analysis/growth_points.hpp"

namespace yimei::analysis::detail {
namespace {

Decimal sum_of(const Table& t, const std::string& column) {
  Decimal total;
  for (const Row& r : t.rows) total += dec_at(t, r, column);
  return total;
}

// Keeps the listed columns in this order.
Table project(const Table& t, const std::vector<std::string>& names) {
  Table out;
  std::vector<int> idx;
  for (const auto& n : names) {
    const int i = t.column_index(n);
    if (i < 0) throw std::logic_error("growth target has no column " + n);
    idx.push_back(i);
    out.columns.push_back(t.columns[i]);
  }
  for (const Row& r : t.rows) {
    Row row;
    for (int i : idx) row.push_back(r[i]);
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace

Opportunity detect_dormant_high_value(db::Connection& conn, GrowthContext& g) {
  Opportunity o;
  o.key = "dormant-high-value";
  o.title_zh = "沉睡高价值顾客唤醒";
  o.target_kind_zh = "顾客";
  const std::int64_t days = g.int_param("days");
  const Decimal rate = g.ratio_param("winback_rate");
  const LifetimeYardsticks& y = g.yardsticks(conn);
  if (y.paying_customers == 0) {
    o.targets = select_inactive(conn, g.as_of(), days, g.scope(), std::nullopt, true);
    o.targets.rows.clear();
  } else {
    o.targets = select_inactive(conn, g.as_of(), days, g.scope(), y.top_value_threshold, true);
  }
  const Decimal per_order = sum_of(o.targets, "amount_per_order");
  o.opportunity_amount = times(per_order, rate);
  o.evidence = {
      item("threshold",
           "高价值门槛（累计消费前" + percent(g.ratio_param("top_share").to_double()) + "）",
           y.top_value_threshold, ColumnUnit::Yuan),
      item("targets", "其中已" + std::to_string(days) + "天以上不活跃的人数",
           std::int64_t(o.targets.rows.size()), ColumnUnit::Count),
      item("lifetime", "这些顾客累计消费", sum_of(o.targets, "lifetime_amount"), ColumnUnit::Yuan),
      item("unspent", "这些顾客未划扣余额", sum_of(o.targets, "unspent_amount"), ColumnUnit::Yuan)};
  o.formula_zh = "机会金额 = 目标顾客各自的客单价之和 " + yuan(per_order) + " × 预计唤醒率 " +
                 percent(rate.to_double()) + "（每位被唤醒的顾客按其过去的客单价消费一次）";
  o.actions_zh = {"由专属咨询师按累计消费从高到低逐一电话回访，了解未到店原因",
                  "为有未划扣余额的顾客预约划扣，到店时推荐适合的新品项",
                  "对高价值沉睡顾客发放限时专属礼遇（如免费皮肤检测）"};
  return o;
}

Opportunity detect_new_customer_second(db::Connection& conn, GrowthContext& g) {
  Opportunity o;
  o.key = "new-customer-second-purchase";
  o.title_zh = "新客二开提升";
  o.target_kind_zh = "顾客";
  const std::int64_t window = g.int_param("window");
  const int w = static_cast<int>(window);
  // Still open: F + window >= as_of; no later purchase yet.
  Table open = query_repurchase_cohort(conn, g.as_of(), add_days(g.as_of(), -w), g.as_of(), window,
                                       g.scope(), false);
  Table targets =
      filter_rows(open, [&](const Row& r) { return int_at(open, r, "repurchased") == 0; });
  const int first = targets.column_index("first_date");
  add_column(targets, Column{"days_left", "窗口剩余天数", ColumnType::Integer, ColumnUnit::Days},
             [&](const Row& r) -> Value {
               return std::int64_t{w - days_between(std::get<Date>(r[first]), g.as_of())};
             });
  o.targets = project(targets, {"customer_id", "name", "phone", "first_date", "days_left",
                                "first_amount", "consultant_name", "department"});
  std::stable_sort(o.targets.rows.begin(), o.targets.rows.end(), [](const Row& a, const Row& b) {
    return std::get<std::int64_t>(a[4]) < std::get<std::int64_t>(b[4]);
  });

  // History: the latest fully closed cohort (the new-customer-repurchase default).
  const Table& closed = g.closed_cohort(conn);
  std::int64_t repurchased = 0;
  Decimal repurchase_amount;
  for (const Row& r : closed.rows) {
    if (int_at(closed, r, "repurchased") == 0) continue;
    ++repurchased;
    repurchase_amount += dec_at(closed, r, "repurchase_amount");
  }
  const auto cohort = static_cast<std::int64_t>(closed.rows.size());
  const Decimal avg_amount = divide(repurchase_amount, repurchased);
  const auto n = static_cast<std::int64_t>(o.targets.rows.size());
  // targets x historical rate x average repurchase amount, exactly.
  o.opportunity_amount =
      cohort > 0 ? divide(avg_amount * (n * repurchased), cohort) : Decimal::from_int(0).rounded(2);
  const Value rate = share(repurchased, cohort);
  o.evidence = {item("targets", "窗口未结束且尚未二开的新客", n, ColumnUnit::Count),
                item("history_rate", "历史二开率（上一完整批次）", rate, ColumnUnit::Percent),
                item("history_cohort", "上一完整批次新客数", cohort, ColumnUnit::Count),
                item("avg_repurchase", "二开顾客窗口内平均复购金额", avg_amount, ColumnUnit::Yuan)};
  o.formula_zh = "机会金额 = 目标新客 " + std::to_string(o.targets.rows.size()) +
                 " 人 × 历史二开率 " + percent(rate) + " × 平均复购金额 " + yuan(avg_amount);
  o.actions_zh = {"首次消费后第 7、30、60 天由首单咨询师回访，按窗口剩余天数从少到多安排",
                  "针对首单品项设计二次到店的疗程搭配或复诊项目",
                  "对窗口剩余不足 30 天的新客发放限期二次到店礼遇"};
  return o;
}

Opportunity detect_vip_decline(db::Connection& conn, GrowthContext& g) {
  Opportunity o;
  o.key = "vip-decline";
  o.title_zh = "VIP消费下滑预警";
  o.target_kind_zh = "顾客";
  const AnalysisResult vip = vip_consumption(conn, g.req, false);
  for (const auto& [name, table] : vip.breakdowns)
    if (name == "消费下滑VIP") o.targets = table;
  Decimal loss;
  for (const Row& r : o.targets.rows)
    loss += dec_at(o.targets, r, "previous_amount") - dec_at(o.targets, r, "amount");
  const Decimal rate = g.ratio_param("recover_rate");
  o.opportunity_amount = times(loss, rate);
  o.evidence = {item("period", "统计区间", period_zh(*vip.from, *vip.to)),
                item("targets",
                     "消费不足上期" + percent(g.ratio_param("decline_ratio").to_double()) + "的VIP",
                     std::int64_t(o.targets.rows.size()), ColumnUnit::Count),
                item("loss", "较上期减少的消费", loss, ColumnUnit::Yuan)};
  for (const auto& s : vip.summary)
    if (s.key == "vip_count" || s.key == "vip_share") o.evidence.push_back(s);
  o.formula_zh = "机会金额 = 下滑VIP较上期减少的消费 " + yuan(loss) + " × 预计挽回比例 " +
                 percent(rate.to_double());
  o.actions_zh = {"咨询师一周内逐一回访下滑VIP，确认是否对效果或服务不满意",
                  "为下滑VIP安排院长或主任医生面诊，定制下一阶段方案",
                  "提供VIP专属的到店礼遇或积分加倍，挽回到店频次"};
  return o;
}

Opportunity detect_membership_upgrade(db::Connection& conn, GrowthContext& g) {
  Opportunity o;
  o.key = "membership-upgrade";
  o.title_zh = "会员升级潜力";
  o.target_kind_zh = "顾客";
  // Levels ordered by their members' median lifetime spend; the entry line of a level is the
  // 10th percentile of its members' lifetime spend (levels and their order come from the data,
  // GrowthContext::levels).
  const std::vector<LevelLine>& lv = g.yardsticks(conn).levels;
  const Decimal gap = g.ratio_param("upgrade_gap");
  const Decimal one = Decimal::from_int(1);

  Sql when_next, when_line, where;
  std::string ladder;
  for (std::size_t i = 0; i + 1 < lv.size(); ++i) {
    const LevelLine& next = lv[i + 1];
    if (next.members < 5) continue;  // too few members to know the line
    const std::string level = lv[i].level;
    const std::string next_level = next.level;
    const Decimal line = next.entry_lifetime.value_or(Decimal::from_int(0));
    const Decimal low = multiply(line, one - gap, 2);
    when_next << " WHEN " << arg(level) << " THEN " << arg(next_level);
    when_line << " WHEN " << arg(level) << " THEN " << arg(line);
    where << (where.text().empty() ? "" : " OR ") << "(l.membership_level = " << arg(level)
          << " AND l.lifetime_amount >= " << arg(low) << " AND l.lifetime_amount < " << arg(line)
          << ")";
    ladder += (ladder.empty() ? "" : "，") + level + "→" + next_level + " " + yuan(line);
  }
  if (where.text().empty()) {  // no level has a known next line
    where << "1 = 0";
    when_next << " WHEN NULL THEN NULL";
    when_line << " WHEN NULL THEN NULL";
  }
  Sql q;
  q << "SELECT t.customer_id, t.name, t.phone, t.consultant_id AS consultant_name,"
       " t.membership_level, t.next_level, t.lifetime, t.line AS next_line,"
       " t.line - t.lifetime AS gap"
       " FROM (SELECT l.customer_id, l.name, l.phone, l.consultant_id, l.membership_level,"
       "   l.lifetime_amount AS lifetime, CASE l.membership_level"
    << when_next << " END AS next_level, CAST(CASE l.membership_level" << when_line
    << " END AS DECIMAL(14,2)) AS line FROM " << g.facts << " l WHERE " << where
    << ") t ORDER BY gap, t.customer_id";
  o.targets = run(conn, q);
  name_consultants(conn, o.targets, "consultant_name");
  set_labels(o.targets, {{"customer_id", "顾客编号"},
                         {"name", "顾客姓名"},
                         {"phone", "联系电话", ColumnUnit::None, true},
                         {"consultant_name", "咨询师"},
                         {"membership_level", "当前等级"},
                         {"next_level", "下一等级"},
                         {"lifetime", "累计消费", ColumnUnit::Yuan},
                         {"next_line", "下一等级门槛", ColumnUnit::Yuan},
                         {"gap", "差额", ColumnUnit::Yuan}});
  const Decimal gaps = sum_of(o.targets, "gap");
  const Decimal rate = g.ratio_param("upgrade_rate");
  o.opportunity_amount = times(gaps, rate);
  o.evidence = {item("ladder", "等级门槛（下一等级顾客累计消费的第10百分位）",
                     ladder.empty() ? std::string("数据不足") : ladder),
                item("targets", "距下一等级门槛不到" + percent(gap.to_double()) + "的顾客",
                     std::int64_t(o.targets.rows.size()), ColumnUnit::Count),
                item("gaps", "差额合计", gaps, ColumnUnit::Yuan)};
  o.formula_zh = "机会金额 = 目标顾客距下一等级门槛的差额合计 " + yuan(gaps) + " × 预计升级比例 " +
                 percent(rate.to_double());
  o.actions_zh = {"告知顾客距升级还差的金额和升级后的权益",
                  "推荐金额接近差额的疗程卡或套餐，帮助顾客一次完成升级",
                  "在会员日集中邀约差额最小的顾客到店"};
  return o;
}

Opportunity detect_cross_department(db::Connection& conn, GrowthContext& g) {
  Opportunity o;
  o.key = "cross-department";
  o.title_zh = "跨科室交叉销售";
  o.target_kind_zh = "顾客";
  const std::int64_t days = g.int_param("days");
  const LifetimeYardsticks& y = g.yardsticks(conn);
  Sql q;
  q << "SELECT f.customer_id, f.name, f.phone, f.consultant_id AS consultant_name,"
       " f.membership_level, f.only_department AS department, f.lifetime_amount AS lifetime,"
       " f.last_consume_date AS last_date FROM "
    << g.facts << " f WHERE f.single_department = 1 AND f.last_consume_date > "
    << arg(add_days(g.as_of(), static_cast<int>(-days)));
  if (y.paying_customers > 0)
    q << " AND f.lifetime_amount >= " << arg(y.top_value_threshold);
  else
    q << " AND 1 = 0";
  q << " ORDER BY f.lifetime_amount DESC, f.customer_id";
  o.targets = run(conn, q);
  name_consultants(conn, o.targets, "consultant_name");
  set_labels(o.targets, {{"customer_id", "顾客编号"},
                         {"name", "顾客姓名"},
                         {"phone", "联系电话", ColumnUnit::None, true},
                         {"consultant_name", "咨询师"},
                         {"membership_level", "会员等级"},
                         {"department", "唯一消费科室"},
                         {"lifetime", "累计消费", ColumnUnit::Yuan},
                         {"last_date", "最近消费日期"}});
  Sql apo;
  if (g.scope().consultant_id) {
    apo << "SELECT IF(COUNT(*) > 0, ROUND(SUM(r.amount) / COUNT(*), 2), 0.00) AS apo"
           " FROM consumption_records r WHERE r.consume_date BETWEEN "
        << arg(add_days(g.as_of(), -89)) << " AND " << arg(g.as_of())
        << scope_on_customer_id(g.scope(), "r.customer_id");
  } else {
    apo << "SELECT IF(SUM(d.orders) > 0, ROUND(SUM(d.revenue) / SUM(d.orders), 2), 0.00) AS apo"
           " FROM analysis_daily_sales d WHERE d.consume_date BETWEEN "
        << arg(add_days(g.as_of(), -89)) << " AND " << arg(g.as_of());
  }
  const Decimal order_value = dec_of(run(conn, apo), "apo");
  const Decimal rate = g.ratio_param("cross_sell_rate");
  const auto n = static_cast<std::int64_t>(o.targets.rows.size());
  o.opportunity_amount = times(order_value * n, rate);
  // The department most of them buy from, for the actions.
  std::map<std::string, int> by_dep;
  for (const Row& r : o.targets.rows) ++by_dep[str_at(o.targets, r, "department")];
  std::string main_dep;
  int main_count = 0;
  for (const auto& [d, c] : by_dep)
    if (c > main_count) main_dep = d, main_count = c;
  o.evidence = {item("targets", "只在一个科室消费过的近期活跃高价值顾客", n, ColumnUnit::Count),
                item("threshold", "高价值门槛", y.top_value_threshold, ColumnUnit::Yuan),
                item("order_value", "近90天全院客单价", order_value, ColumnUnit::Yuan)};
  if (!main_dep.empty())
    o.evidence.push_back(item("main_department", "人数最多的科室",
                              main_dep + "（" + std::to_string(main_count) + " 人）"));
  o.formula_zh = "机会金额 = 目标顾客 " + std::to_string(n) + " 人 × 近90天客单价 " +
                 yuan(order_value) + " × 预计交叉购买比例 " + percent(rate.to_double());
  o.actions_zh = {"到店时由咨询师做一次全面的面部与形体评估，推荐其他科室的入门项目",
                  "设计跨科室组合套餐（如" + (main_dep.empty() ? std::string("主科室") : main_dep) +
                      "项目搭配其他科室的体验项目）",
                  "科室之间建立转介绍机制，成交计入双方业绩"};
  return o;
}

}  // namespace yimei::analysis::detail
