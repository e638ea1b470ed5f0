// Planning a data entry (/建档, /消费, /划扣): validates every argument against the database
// and returns what would be written plus the exact Chinese preview; writes nothing. Arguments
// are the user's text (empty = default). Failures are UserErrors with one Chinese sentence.
// Throws DbError. One thread per connection.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/db/connection.hpp"
#include "core/entry/actor.hpp"
#include "core/error.hpp"

namespace yimei::entry {

inline constexpr std::string_view kNewCustomer = "new-customer";
inline constexpr std::string_view kPurchase = "purchase";
inline constexpr std::string_view kWriteOff = "write-off";

struct EntryPlan {
  std::string action;        // kNewCustomer, kPurchase or kWriteOff
  boost::json::object data;  // what apply_plan writes (ids resolved, Decimals as strings)
  std::string preview_zh;    // several lines; the caller adds how to confirm
};

struct NewCustomerArgs {
  std::string name;
  std::string phone;       // required: 11-digit mainland mobile, not yet registered
  std::string consultant;  // name or id; empty: none (a consultant always gets themselves)
  std::string level;       // empty: 普通; the four levels plus those found in the data
  std::string tags;        // health tags, comma separated; empty: none
  std::string date;        // register date; empty: today
};

struct PurchaseArgs {
  std::string customer;             // phone, customer_id or unique name
  std::string product;              // id, name or a unique near match
  std::string amount;               // paid for the line, yuan: > 0, <= 1,000,000, 2 decimals
  std::string quantity;             // empty: 1; 1..999
  std::string payment_method;       // empty: 微信
  std::string date;                 // empty: today; not in the future, not before registration
  std::string consultant;           // empty: the acting consultant, else the customer's consultant
  int balance_validity_days = 365;  // for the preview of a card's new expiration date
};

struct WriteOffArgs {
  std::string customer;
  std::string product;     // must be a card (疗程卡 / 套餐) the customer holds a balance of
  std::string quantity;    // sessions; empty: 1
  std::string date;        // empty: today
  std::string amount;      // empty: the value of the sessions (session_value.hpp); else as typed
  std::string consultant;  // empty: the acting consultant, else the purchase line's
};

Outcome<EntryPlan> plan_new_customer(db::Connection& conn, const NewCustomerArgs& args,
                                     const Actor& actor, const Date& today);
Outcome<EntryPlan> plan_purchase(db::Connection& conn, const PurchaseArgs& args, const Actor& actor,
                                 const Date& today);
Outcome<EntryPlan> plan_write_off(db::Connection& conn, const WriteOffArgs& args,
                                  const Actor& actor, const Date& today);

}  // namespace yimei::entry
