// The customer profile of /顾客: level, consultant, dates, lifetime spend and visits, and the
// card balances with what is left and until when. Phones masked unless may_see_phone; a
// consultant sees only their own customers. Throws DbError. One thread per connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/db/connection.hpp"
#include "core/decimal.hpp"
#include "core/entry/actor.hpp"
#include "core/entry/lookup.hpp"
#include "core/error.hpp"

namespace yimei::entry {

struct BalanceLine {
  std::string product_id;
  std::string product_name;
  Decimal total;
  Decimal spent;
  Decimal remaining;
  std::optional<Date> last_write_off_date;
  std::optional<Date> expiration_date;
  bool expired = false;  // expiration_date before as_of
};

struct CustomerProfile {
  CustomerRef customer;  // phone as the actor may see it
  std::optional<std::string> consultant_name;
  std::optional<Date> last_visit_date;
  std::optional<std::string> health_tags;
  Decimal lifetime_spend;           // sum of consumption amounts up to as_of
  std::int64_t purchase_lines = 0;  // consumption records up to as_of
  std::int64_t visit_days = 0;      // distinct days with a purchase or a write-off up to as_of
  std::optional<Date> first_purchase_date;
  std::optional<Date> last_purchase_date;
  Decimal total_remaining;            // over the balances not expired at as_of
  Decimal expired_remaining;          // left on balances expired before as_of
  std::vector<BalanceLine> balances;  // those with something left, soonest expiry first
  std::string text_zh;                // the profile as a chat reply (several lines)
};

Outcome<CustomerProfile> customer_profile(db::Connection& conn, std::string_view text,
                                          const Actor& actor, const Date& as_of);

}  // namespace yimei::entry
