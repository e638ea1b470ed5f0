// Internal to core/entry: the rows data entry reads and writes under lock (customer, balance),
// their JSON forms for the audit log, and labels shared by previews and receipts.
// Not part of the module's interface. Throws DbError. One thread per connection.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/date.hpp"
#include "core/db/connection.hpp"
#include "core/decimal.hpp"
#include "core/entry/actor.hpp"
#include "core/entry/lookup.hpp"

namespace yimei::entry::detail {

struct CustomerRow {
  std::string customer_id;
  std::string name;
  std::optional<std::string> consultant_id;
  Date register_date{};
  std::optional<Date> last_visit_date;
};

struct BalanceRow {
  std::int64_t balance_id = 0;
  Decimal total;
  Decimal spent;
  std::optional<Date> last_write_off_date;
  std::optional<Date> expiration_date;
  Decimal remaining() const { return total - spent; }
};

// The customer row, locked FOR UPDATE: every writer of data entry takes this lock first, so
// entries for one customer run one after another. nullopt when the customer is gone.
std::optional<CustomerRow> lock_customer(db::Connection& conn, const std::string& customer_id);
// The (customer, product) balance row; `for_update` locks it (and reads the latest commit).
std::optional<BalanceRow> read_balance(db::Connection& conn, const std::string& customer_id,
                                       const std::string& product_id, bool for_update);
boost::json::object balance_json(const BalanceRow& b);
BalanceRow balance_from_json(const boost::json::object& o);
bool same_balance(const BalanceRow& a, const BalanceRow& b);
// The customer's first consumption date (a locking read: the latest committed rows).
std::optional<Date> first_consume_date(db::Connection& conn, const std::string& customer_id);
// Raises customers.last_visit_date to `date` when that is later (or unset); returns the value
// it holds afterwards.
std::optional<Date> raise_last_visit(db::Connection& conn, const CustomerRow& c, const Date& date);
// Puts last_visit_date back after an undo, when it still holds `after`: the later of `before`
// and the customer's remaining consumption and write-off dates.
void restore_last_visit(db::Connection& conn, const std::string& customer_id,
                        const std::optional<Date>& before, const std::optional<Date>& after);

bool is_before(const Date& a, const Date& b);
// "王雅琪（E001）", or "无" for none.
std::string consultant_label(db::Connection& conn, const std::optional<std::string>& id);
// "张三（C000123，138****5678）".
std::string customer_label(const CustomerRef& c);
UserError read_only_error();

// The consultant a record is credited to: the acting consultant (who may name only
// themselves), else the consultant named in `text`, else `fallback`.
Outcome<std::optional<std::string>> entry_consultant(db::Connection& conn, const Actor& actor,
                                                     std::string_view text,
                                                     const std::optional<std::string>& fallback);
// A date not before the customer's registration; the message names the register date.
std::optional<UserError> check_not_before_register(const Date& date, const Date& register_date);

}  // namespace yimei::entry::detail
