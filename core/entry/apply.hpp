// Writing a confirmed plan, and undoing it. Both run INSIDE the caller's open transaction (the
// caller commits, so the reply's outbox row commits with the data) and re-validate against the
// current rows under lock: the customer row FOR UPDATE first, then the balance row, so
// concurrent entries for one customer run one after another and never overdraw a balance.
// Every write leaves a bot_audit_log row (who, when, msg_id, before and after JSON).
// Refusals are UserErrors with nothing written by this call (the caller may still commit);
// throws DbError on database failure (the caller rolls back). One thread per connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/db/connection.hpp"
#include "core/entry/actor.hpp"
#include "core/entry/plan.hpp"
#include "core/error.hpp"

namespace yimei::entry {

struct Receipt {
  std::int64_t entry_id = 0;  // bot_audit_log.audit_id: what /撤销 takes
  std::string summary_zh;     // one or two sentences for the reply
};

// Writes the plan: a customers row with the next free id (new-customer); a consumption record
// with is_new_customer per the data contract, plus the card balance raised and its expiration
// moved later (purchase); a write_off_records row with spent_amount raised (write-off).
// customers.last_visit_date is raised to the purchase or write-off date.
Outcome<Receipt> apply_plan(db::Connection& conn, const EntryPlan& plan, const Actor& actor,
                            int balance_validity_days);

// Undoes entry `entry_id` exactly: allowed to its author within `undo_window` and to managers
// and admins at any time; refused (with the reason) when the rows it wrote have changed since,
// e.g. a later write-off used the purchase. Marks the entry undone and audits the undo.
Outcome<Receipt> undo_entry(db::Connection& conn, std::int64_t entry_id, const Actor& actor,
                            std::chrono::seconds undo_window);

}  // namespace yimei::entry
