// Internal to core/entry: typed reads of query cells, JSON fields of plans and audit rows, and
// the audit-log insert. Not part of the module's interface. Pure helpers except insert_audit.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/db/connection.hpp"
#include "core/entry/actor.hpp"

namespace yimei::entry::detail {

// Cell readers; a NULL cell gives "", 0 or nullopt. Throw std::bad_variant_access on a type
// the column cannot hold (a programming error).
std::string text_of(const Value& v);
std::optional<std::string> opt_text(const Value& v);
std::int64_t int_of(const Value& v);
Decimal decimal_of(const Value& v);
std::optional<Date> opt_date(const Value& v);
// A bound parameter: NULL for nullopt.
Value param(const std::optional<std::string>& v);
Value param(const std::optional<Date>& v);

// JSON forms: strings, "YYYY-MM-DD" dates, Decimals as exact strings, null for nullopt.
boost::json::value to_json(const std::optional<std::string>& v);
boost::json::value to_json(const std::optional<Date>& v);
boost::json::value to_json(const Decimal& v);
// Field readers; std::invalid_argument when a required field is missing or mistyped.
std::string get_string(const boost::json::object& o, std::string_view key);
std::optional<std::string> get_opt_string(const boost::json::object& o, std::string_view key);
std::int64_t get_int(const boost::json::object& o, std::string_view key);
std::optional<std::int64_t> get_opt_int(const boost::json::object& o, std::string_view key);
Decimal get_decimal(const boost::json::object& o, std::string_view key);
Date get_date(const boost::json::object& o, std::string_view key);
std::optional<Date> get_opt_date(const boost::json::object& o, std::string_view key);

// Appends a bot_audit_log row for `actor` and returns its audit_id.
std::int64_t insert_audit(db::Connection& conn, const Actor& actor, std::string_view action,
                          std::string_view entity, const std::string& entity_id,
                          const boost::json::value& before, const boost::json::value& after);

}  // namespace yimei::entry::detail
