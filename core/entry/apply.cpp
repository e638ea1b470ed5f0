// apply_plan: the common checks, then the writer of the plan's action.
#include "core/entry/apply.hpp"

#include <stdexcept>

#include "core/entry/apply_parts.hpp"
#include "core/entry/ledger.hpp"

namespace yimei::entry {

namespace detail {
std::string undo_hint(std::int64_t entry_id) {
  const std::string id = std::to_string(entry_id);
  return "录入编号 " + id + "（如需撤销请发送 /撤销 " + id + "）。";
}
}  // namespace detail

Outcome<Receipt> apply_plan(db::Connection& conn, const EntryPlan& plan, const Actor& actor,
                            int balance_validity_days) {
  if (!may_write(actor)) return detail::read_only_error();
  try {
    if (plan.action == kNewCustomer) return detail::apply_new_customer(conn, plan.data, actor);
    if (plan.action == kPurchase) {
      return detail::apply_purchase(conn, plan.data, actor, balance_validity_days);
    }
    if (plan.action == kWriteOff) return detail::apply_write_off(conn, plan.data, actor);
  } catch (const std::logic_error&) {
    // A plan that does not parse (a damaged or outdated pending row): ask for a new one.
  }
  return bad_input("这条待确认的录入内容无法识别，请重新录入。");
}

}  // namespace yimei::entry
