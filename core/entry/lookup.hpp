// Finding the customer, product or consultant a user names in a command. A customer is named by
// phone, by customer_id or by a unique name, and a consultant only finds their own customers; a
// product by id, exact name, or a unique near match. Failures are UserErrors (NotFound,
// Ambiguous with the candidates listed, BadInput). Throws DbError. One thread per connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/db/connection.hpp"
#include "core/decimal.hpp"
#include "core/entry/actor.hpp"
#include "core/error.hpp"

namespace yimei::entry {

struct CustomerRef {
  std::string customer_id;
  std::string name;
  std::optional<std::string> phone;  // as this actor may see it: masked unless may_see_phone
  std::optional<std::string> consultant_id;
  std::string membership_level;
  Date register_date{};
};

struct ProductRef {
  std::string product_id;
  std::string product_name;
  std::string department;
  std::string product_type;
  Decimal standard_price;
};

struct ConsultantRef {
  std::string consultant_id;
  std::string name;
  std::string department;
};

// Candidates listed in an Ambiguous message at most.
inline constexpr std::size_t kMaxCandidates = 10;
// Longest name or id looked up at all (the customers.name column holds 64 characters).
inline constexpr std::size_t kMaxLookupChars = 64;

Outcome<CustomerRef> resolve_customer(db::Connection& conn, std::string_view text,
                                      const Actor& actor);
// The customer with this id, scoped like resolve_customer; for re-validation when applying.
Outcome<CustomerRef> customer_by_id(db::Connection& conn, const std::string& customer_id,
                                    const Actor& actor);
Outcome<ProductRef> resolve_product(db::Connection& conn, std::string_view text);
Outcome<ProductRef> product_by_id(db::Connection& conn, const std::string& product_id);
Outcome<ConsultantRef> resolve_consultant(db::Connection& conn, std::string_view text);

// True for product types that carry a prepaid balance: 疗程卡, 套餐, and any type naming a
// card (卡), a course (疗程) or a package (套餐).
bool is_card_type(std::string_view product_type);

// Levenshtein distance over code points (for near-match lookups).
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace yimei::entry
