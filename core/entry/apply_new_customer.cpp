// Writing a new customer: the next free customer id (safe when several instances insert at
// once: a taken id is skipped), the row, the audit entry; and its undo.
#include <boost/json/object.hpp>

#include "core/entry/apply_parts.hpp"
#include "core/entry/db_rows.hpp"
#include "core/entry/ledger.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry::detail {
namespace {

constexpr int kIdAttempts = 50;

struct IdPattern {
  std::string prefix = "C";
  std::int64_t last = 0;
  std::size_t width = 6;
};

// The highest existing id of the form letters+digits, read as prefix, number and width.
IdPattern id_pattern(db::Connection& conn) {
  Table t = conn.query(
      "SELECT customer_id FROM customers WHERE customer_id REGEXP '^[A-Za-z]*[0-9]+$' "
      "ORDER BY CHAR_LENGTH(customer_id) DESC, customer_id DESC LIMIT 1",
      {}, 1);
  IdPattern p;
  if (t.rows.empty()) return p;
  const std::string id = text_of(t.rows[0][0]);
  const std::size_t digits = id.find_first_of("0123456789");
  p.prefix = id.substr(0, digits);
  const std::string number = id.substr(digits);
  p.width = number.size();
  p.last = number.size() > 17 ? 0 : std::stoll(number);
  return p;
}

std::string format_id(const IdPattern& p, std::int64_t n) {
  std::string digits = std::to_string(n);
  if (digits.size() < p.width) digits.insert(0, p.width - digits.size(), '0');
  return p.prefix + digits;
}

}  // namespace

Outcome<Receipt> apply_new_customer(db::Connection& conn, const boost::json::object& data,
                                    const Actor& actor) {
  const std::string name = get_string(data, "name");
  const std::string phone = get_string(data, "phone");
  const auto consultant_id = get_opt_string(data, "consultant_id");
  const std::string level = get_string(data, "membership_level");
  const auto tags = get_opt_string(data, "health_tags");
  const Date register_date = get_date(data, "register_date");

  if (actor.role == Role::Consultant && consultant_id != actor.consultant_id) {
    return UserError{ErrorKind::Forbidden, "咨询师只能为自己名下建档。"};
  }
  if (consultant_id &&
      conn.query("SELECT 1 FROM consultants WHERE consultant_id = ?", {*consultant_id}, 1)
          .rows.empty()) {
    return not_found("找不到咨询师" + quote_arg(*consultant_id) + "。");
  }
  const std::string duplicate_phone = "手机号 " +
                                      (may_see_phone(actor) ? phone : mask_phone(phone)) +
                                      " 已经登记过，不能重复建档。";
  if (!conn.query("SELECT 1 FROM customers WHERE phone = ?", {phone}, 1).rows.empty()) {
    return bad_input(duplicate_phone);
  }

  const IdPattern pattern = id_pattern(conn);
  std::string customer_id;
  for (int attempt = 1; attempt <= kIdAttempts && customer_id.empty(); ++attempt) {
    const std::string id = format_id(pattern, pattern.last + attempt);
    try {
      conn.execute(
          "INSERT INTO customers (customer_id, name, phone, register_date, last_visit_date, "
          "consultant_id, health_tags, membership_level) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
          {id, name, phone, register_date, param(consultant_id), param(tags), level});
      customer_id = id;
    } catch (const db::DbError& e) {
      if (!e.is_duplicate_key()) throw;
      // "Duplicate entry 'C003001' for key 'PRIMARY'": the id was taken meanwhile (another
      // instance), try the next one; any other unique key is the phone.
      if (std::string(e.what()).find("for key 'PRIMARY'") == std::string::npos) {
        return bad_input(duplicate_phone);
      }
    }
  }
  if (customer_id.empty()) throw DependencyError("no free customer id after 50 attempts");

  boost::json::object row{{"customer_id", customer_id},
                          {"name", name},
                          {"phone", phone},
                          {"register_date", format_date(register_date)},
                          {"consultant_id", to_json(consultant_id)},
                          {"health_tags", to_json(tags)},
                          {"membership_level", level}};
  const std::int64_t entry = insert_audit(conn, actor, "new-customer", "customers", customer_id,
                                          nullptr, boost::json::object{{"customer", row}});
  return Receipt{entry, "已建档：" + name + "（" + customer_id + "），" + undo_hint(entry)};
}

Outcome<boost::json::object> undo_new_customer(db::Connection& conn,
                                               const boost::json::object& after) {
  const boost::json::object& row = after.at("customer").as_object();
  const std::string id = get_string(row, "customer_id");
  const std::string name = get_string(row, "name");
  auto current = lock_customer(conn, id);
  if (!current) return bad_input("顾客" + name + "（" + id + "）已不存在，无需撤销。");
  Table now = conn.query(
      "SELECT name, phone, consultant_id, health_tags, membership_level, register_date "
      "FROM customers WHERE customer_id = ?",
      {id}, 1);
  const Row& r = now.rows.at(0);
  const bool unchanged = text_of(r[0]) == name && opt_text(r[1]) == get_opt_string(row, "phone") &&
                         opt_text(r[2]) == get_opt_string(row, "consultant_id") &&
                         opt_text(r[3]) == get_opt_string(row, "health_tags") &&
                         text_of(r[4]) == get_string(row, "membership_level") &&
                         opt_date(r[5]) == get_opt_date(row, "register_date");
  if (!unchanged) {
    return bad_input("顾客" + name + "（" + id + "）的档案在建档之后已被修改，不能撤销。");
  }
  for (const char* sql : {"SELECT 1 FROM consumption_records WHERE customer_id = ? LIMIT 1",
                          "SELECT 1 FROM write_off_records WHERE customer_id = ? LIMIT 1",
                          "SELECT 1 FROM unspent_balances WHERE customer_id = ? LIMIT 1"}) {
    if (!conn.query(sql, {id}, 1).rows.empty()) {
      return bad_input("顾客" + name + "（" + id + "）已有消费或划扣记录，不能撤销建档。");
    }
  }
  conn.execute("DELETE FROM customers WHERE customer_id = ?", {id});
  return boost::json::object{{"deleted_customer_id", id}};
}

}  // namespace yimei::entry::detail
