// Growth detectors about prepaid balances: 3 沉睡余额激活 and 4 到期余额提醒, both built on the
// unspent-balances query (one run shared through GrowthContext::attention_balances).
#include <algorithm>
#include <set>

#include "core/analysis/growth_points.hpp"

namespace yimei::analysis::detail {
namespace {

struct BalanceFigures {
  Decimal remaining;
  std::int64_t customers = 0;
};

BalanceFigures figures(const Table& t) {
  BalanceFigures f;
  std::set<std::string> customers;
  for (const Row& r : t.rows) {
    f.remaining += dec_at(t, r, "remaining");
    customers.insert(str_at(t, r, "customer_id"));
  }
  f.customers = static_cast<std::int64_t>(customers.size());
  return f;
}

}  // namespace

Opportunity detect_dormant_balances(db::Connection& conn, GrowthContext& g) {
  Opportunity o;
  o.key = "dormant-balances";
  o.title_zh = "沉睡余额激活";
  o.target_kind_zh = "余额";
  const std::int64_t dormant_days = g.int_param("dormant_days");
  o.targets = g.attention_balances(conn, "沉睡");
  const BalanceFigures f = figures(o.targets);
  const Decimal rate = g.ratio_param("activation_rate");
  o.opportunity_amount = times(f.remaining, rate);
  o.evidence = {item("balances", "超过" + std::to_string(dormant_days) + "天未划扣的余额笔数",
                     std::int64_t(o.targets.rows.size()), ColumnUnit::Count),
                item("customers", "涉及顾客", f.customers, ColumnUnit::Count),
                item("remaining", "沉睡余额合计", f.remaining, ColumnUnit::Yuan)};
  o.formula_zh = "机会金额 = 沉睡余额合计 " + yuan(f.remaining) + " × 预计激活划扣比例 " +
                 percent(rate.to_double()) + "（划扣即耗卡业绩，且每次划扣带来一次到店）";
  o.actions_zh = {"按剩余金额从高到低，由咨询师电话邀约顾客预约划扣",
                  "划扣到店时安排效果复查，顺势推荐搭配项目",
                  "对长期未用的疗程卡提供免费升级或转赠他人使用的选项"};
  return o;
}

Opportunity detect_expiring_balances(db::Connection& conn, GrowthContext& g) {
  Opportunity o;
  o.key = "expiring-balances";
  o.title_zh = "到期余额提醒";
  o.target_kind_zh = "余额";
  const std::int64_t expiring_days = g.int_param("expiring_days");
  o.targets = g.attention_balances(conn, "即将到期");
  // Soonest expiry first: these calls are the most urgent.
  const int exp = o.targets.column_index("expiration_date");
  std::stable_sort(o.targets.rows.begin(), o.targets.rows.end(), [&](const Row& a, const Row& b) {
    return std::get<Date>(a[exp]) < std::get<Date>(b[exp]);
  });
  const BalanceFigures f = figures(o.targets);
  const Decimal rate = g.ratio_param("expiring_rate");
  o.opportunity_amount = times(f.remaining, rate);
  o.evidence = {item("balances", std::to_string(expiring_days) + "天内到期的余额笔数",
                     std::int64_t(o.targets.rows.size()), ColumnUnit::Count),
                item("customers", "涉及顾客", f.customers, ColumnUnit::Count),
                item("remaining", "即将到期余额合计", f.remaining, ColumnUnit::Yuan),
                item("until", "截止日期", add_days(g.as_of(), static_cast<int>(expiring_days)))};
  o.formula_zh = "机会金额 = 即将到期余额合计 " + yuan(f.remaining) + " × 预计到期前划扣比例 " +
                 percent(rate.to_double());
  o.actions_zh = {"按到期日从近到远逐一通知顾客，约定到期前的划扣时间",
                  "对确实来不及使用的顾客，提供一次性延期换购其他品项的方案",
                  "到期前一周再次提醒仍未预约的顾客"};
  return o;
}

}  // namespace yimei::analysis::detail
