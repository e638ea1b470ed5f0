// Internal: the ten growth-opportunity detectors of growth-points and what they share. Each
// detector fills an Opportunity's key, title, evidence, amount with its formula, actions and
// full target list; growth_points.cpp scores, ranks and presents them.
// Detectors throw db::DbError when the database fails.
#pragma once

#include <mutex>
#include <optional>
#include <set>

#include "core/analysis/analyses.hpp"

namespace yimei::analysis::detail {

// A membership level's lifetime spend (customers registered by as_of, scoped): its median and
// its 10th percentile (the entry line), PERCENTILE_DISC-style (the value at sorted position
// GREATEST(1, CEIL(p x members))).
struct LevelLine {
  std::string level;
  bool is_null = false;
  std::string sort_key;  // the level's collation key ("" for NULL)
  std::int64_t members = 0;
  std::optional<Decimal> median_lifetime, entry_lifetime;
};

// The lifetime-spend yardsticks: customers (registered by as_of, scoped) with lifetime
// consumption > 0, the lifetime amount a customer needs to be in the top `top_share` of them
// (0 when there are none), and every membership level ordered by median lifetime, then level
// (detector 6's ladder).
struct LifetimeYardsticks {
  std::int64_t paying_customers = 0;
  Decimal top_value_threshold;
  std::vector<LevelLine> levels;
};

// Figures shared by the detectors. The detectors run at the same time on different connections
// (each gets its own as an argument); what they share is either set before they start or loaded
// once, on the connection of the first detector that asks, under a lock.
struct GrowthContext {
  explicit GrowthContext(const ResolvedRequest& r) : req(r) {}

  const ResolvedRequest& req;
  // Revenue of [as_of - 89, as_of] (scoped): the yardstick of the scores. Detectors state
  // their opportunity for about one quarter (or as a one-off amount).
  Decimal quarter_revenue;
  // The customer facts as of as_of (customer_facts_sql, parenthesized) as a FROM item without
  // alias: read from the trigger-kept summary, never from the records (except for customers with
  // records after as_of).
  Sql facts;

  // Detectors 1, 6 and 7.
  const LifetimeYardsticks& yardsticks(db::Connection& conn);
  // The latest fully closed 二开 cohort (the new-customer-repurchase default), for detectors 2
  // and 9.
  const Table& closed_cohort(db::Connection& conn);
  // The balances whose status names `word` (沉睡: dormant, 即将到期: expiring; the
  // unspent-balances rows in their order), for detectors 3 and 4: both are cut from one read of
  // the dormant or expiring balances, which keeps only the rows a word not served yet still needs.
  Table attention_balances(db::Connection& conn, const std::string& word);

  const Date& as_of() const { return req.as_of; }
  const Scope& scope() const { return req.scope; }
  std::int64_t int_param(const std::string& k) const { return req.params.get_int(k); }
  Decimal ratio_param(const std::string& k) const { return req.params.get_decimal(k); }

 private:
  std::mutex yardsticks_mu_, cohort_mu_, balances_mu_;
  std::optional<LifetimeYardsticks> yardsticks_;
  std::optional<Table> closed_cohort_rows_;
  std::optional<Table> attention_balance_rows_;
  std::set<std::string> attention_words_served_;
};

// Reads the customers' lifetime amounts once and ranks them (growth_lifetimes.cpp).
LifetimeYardsticks load_lifetime_yardsticks(db::Connection& conn, const ResolvedRequest& req);

// A detector reads through `conn` alone (its own connection while the others run).
using Detector = Opportunity (*)(db::Connection& conn, GrowthContext& g);

// In catalog order (the order of analyses.md); ties in score keep this order.
Opportunity detect_dormant_high_value(db::Connection& conn,
                                      GrowthContext& g);  // 1 沉睡高价值顾客唤醒
Opportunity detect_new_customer_second(db::Connection& conn, GrowthContext& g);  // 2 新客二开提升
Opportunity detect_dormant_balances(db::Connection& conn, GrowthContext& g);  // 3 沉睡余额激活
Opportunity detect_expiring_balances(db::Connection& conn, GrowthContext& g);  // 4 到期余额提醒
Opportunity detect_vip_decline(db::Connection& conn, GrowthContext& g);  // 5 VIP消费下滑预警
Opportunity detect_membership_upgrade(db::Connection& conn, GrowthContext& g);  // 6 会员升级潜力
Opportunity detect_cross_department(db::Connection& conn, GrowthContext& g);  // 7 跨科室交叉销售
Opportunity detect_repeat_products(db::Connection& conn, GrowthContext& g);  // 8 高复购品项渗透
Opportunity detect_consultant_gaps(db::Connection& conn, GrowthContext& g);  // 9 咨询师转化差距
Opportunity detect_department_swings(db::Connection& conn, GrowthContext& g);  // 10 科室增长与下滑

// Helpers for detectors.
// Decimal x ratio (the ratio is a parameter like 0.3), rounded to 2 decimals.
Decimal times(const Decimal& amount, const Decimal& ratio);
// A Table with the same columns and the rows for which keep(row) holds.
template <class Pred>
Table filter_rows(const Table& t, Pred keep) {
  Table out;
  out.columns = t.columns;
  for (const Row& r : t.rows)
    if (keep(r)) out.rows.push_back(r);
  return out;
}
// The median of values (0 when empty).
double median(std::vector<double> values);

}  // namespace yimei::analysis::detail
