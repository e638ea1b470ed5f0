// Typed cell and JSON field access for core/entry, and the audit-log insert.
#include "core/entry/db_rows.hpp"

#include <boost/json/serialize.hpp>
#include <stdexcept>

namespace yimei::entry::detail {

std::string text_of(const Value& v) {
  if (is_null(v)) return {};
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<Date>(&v)) return format_date(*d);
  if (const auto* x = std::get_if<Decimal>(&v)) return x->to_string();
  return std::get<Text>(v);
}

std::optional<std::string> opt_text(const Value& v) {
  if (is_null(v)) return std::nullopt;
  return text_of(v);
}

std::int64_t int_of(const Value& v) {
  if (is_null(v)) return 0;
  if (const auto* d = std::get_if<Decimal>(&v)) return std::stoll(d->rounded(0).to_string());
  if (const auto* s = std::get_if<Text>(&v)) return std::stoll(s->str());
  return std::get<std::int64_t>(v);
}

Decimal decimal_of(const Value& v) {
  if (is_null(v)) return Decimal::from_int(0).rounded(2);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return Decimal::from_int(*i);
  if (const auto* s = std::get_if<Text>(&v)) return Decimal::from_db(*s);
  return std::get<Decimal>(v);
}

std::optional<Date> opt_date(const Value& v) {
  if (is_null(v)) return std::nullopt;
  if (const auto* s = std::get_if<Text>(&v)) return parse_date(s->view().substr(0, 10));
  return std::get<Date>(v);
}

Value param(const std::optional<std::string>& v) {
  if (!v) return Null{};
  return *v;
}

Value param(const std::optional<Date>& v) {
  if (!v) return Null{};
  return *v;
}

boost::json::value to_json(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return boost::json::value(*v);
}

boost::json::value to_json(const std::optional<Date>& v) {
  if (!v) return nullptr;
  return boost::json::value(format_date(*v));
}

boost::json::value to_json(const Decimal& v) {
  return boost::json::value(v.rounded(2).to_string());
}

namespace {

const boost::json::value& field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) throw std::invalid_argument("missing field " + std::string(key));
  return *v;
}

}  // namespace

std::string get_string(const boost::json::object& o, std::string_view key) {
  const auto& v = field(o, key);
  if (!v.is_string()) throw std::invalid_argument("field " + std::string(key) + " not a string");
  return std::string(v.get_string());
}

std::optional<std::string> get_opt_string(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) throw std::invalid_argument("field " + std::string(key) + " not a string");
  return std::string(v->get_string());
}

std::int64_t get_int(const boost::json::object& o, std::string_view key) {
  const auto& v = field(o, key);
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
  throw std::invalid_argument("field " + std::string(key) + " not an integer");
}

std::optional<std::int64_t> get_opt_int(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  return get_int(o, key);
}

Decimal get_decimal(const boost::json::object& o, std::string_view key) {
  return Decimal::from_db(get_string(o, key));
}

Date get_date(const boost::json::object& o, std::string_view key) {
  auto d = parse_date(get_string(o, key));
  if (!d) throw std::invalid_argument("field " + std::string(key) + " not a date");
  return *d;
}

std::optional<Date> get_opt_date(const boost::json::object& o, std::string_view key) {
  auto s = get_opt_string(o, key);
  if (!s) return std::nullopt;
  auto d = parse_date(*s);
  if (!d) throw std::invalid_argument("field " + std::string(key) + " not a date");
  return d;
}

std::int64_t insert_audit(db::Connection& conn, const Actor& actor, std::string_view action,
                          std::string_view entity, const std::string& entity_id,
                          const boost::json::value& before, const boost::json::value& after) {
  auto json_param = [](const boost::json::value& v) -> Value {
    if (v.is_null()) return Null{};
    return boost::json::serialize(v);
  };
  conn.execute(
      "INSERT INTO bot_audit_log (platform, user_id, msg_id, action, entity, entity_id, "
      "before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {actor.platform, actor.user_id, actor.msg_id.empty() ? Value(Null{}) : Value(actor.msg_id),
       std::string(action), std::string(entity), entity_id, json_param(before), json_param(after)});
  return conn.last_insert_id();
}

}  // namespace yimei::entry::detail
