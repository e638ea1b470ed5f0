// Internal to core/entry: the writer of each plan action and the undo of each, called by
// apply_plan / undo_entry after the common checks. Same contract as apply.hpp.
#pragma once

#include <boost/json/object.hpp>

#include "core/entry/apply.hpp"

namespace yimei::entry::detail {

Outcome<Receipt> apply_new_customer(db::Connection& conn, const boost::json::object& data,
                                    const Actor& actor);
Outcome<Receipt> apply_purchase(db::Connection& conn, const boost::json::object& data,
                                const Actor& actor, int balance_validity_days);
Outcome<Receipt> apply_write_off(db::Connection& conn, const boost::json::object& data,
                                 const Actor& actor);

// Each reverses one audited entry, given its before/after JSON; returns what the undo audit row
// records as its after_json, or the reason it cannot be undone.
Outcome<boost::json::object> undo_new_customer(db::Connection& conn,
                                               const boost::json::object& after);
Outcome<boost::json::object> undo_purchase(db::Connection& conn, const boost::json::object& before,
                                           const boost::json::object& after);
Outcome<boost::json::object> undo_write_off(db::Connection& conn, const boost::json::object& before,
                                            const boost::json::object& after);

// "，录入编号 57；如需撤销请发送 /撤销 57。"
std::string undo_hint(std::int64_t entry_id);

}  // namespace yimei::entry::detail
