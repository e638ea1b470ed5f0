// Locked reads of customers and balances, balance JSON, last-visit bookkeeping and labels.
#include "core/entry/ledger.hpp"

#include "core/entry/db_rows.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry::detail {

bool is_before(const Date& a, const Date& b) {
  return std::chrono::sys_days(a) < std::chrono::sys_days(b);
}

std::optional<CustomerRow> lock_customer(db::Connection& conn, const std::string& customer_id) {
  Table t = conn.query(
      "SELECT customer_id, name, consultant_id, register_date, last_visit_date FROM customers "
      "WHERE customer_id = ? FOR UPDATE",
      {customer_id}, 1);
  if (t.rows.empty()) return std::nullopt;
  const Row& r = t.rows[0];
  CustomerRow c;
  c.customer_id = text_of(r[0]);
  c.name = text_of(r[1]);
  c.consultant_id = opt_text(r[2]);
  if (auto d = opt_date(r[3])) c.register_date = *d;
  c.last_visit_date = opt_date(r[4]);
  return c;
}

std::optional<BalanceRow> read_balance(db::Connection& conn, const std::string& customer_id,
                                       const std::string& product_id, bool for_update) {
  std::string sql =
      "SELECT balance_id, total_amount, spent_amount, last_write_off_date, expiration_date "
      "FROM unspent_balances WHERE customer_id = ? AND product_id = ?";
  if (for_update) sql += " FOR UPDATE";
  Table t = conn.query(sql, {customer_id, product_id}, 1);
  if (t.rows.empty()) return std::nullopt;
  const Row& r = t.rows[0];
  return BalanceRow{int_of(r[0]), decimal_of(r[1]), decimal_of(r[2]), opt_date(r[3]),
                    opt_date(r[4])};
}

boost::json::object balance_json(const BalanceRow& b) {
  return {{"balance_id", b.balance_id},
          {"total_amount", to_json(b.total)},
          {"spent_amount", to_json(b.spent)},
          {"last_write_off_date", to_json(b.last_write_off_date)},
          {"expiration_date", to_json(b.expiration_date)}};
}

BalanceRow balance_from_json(const boost::json::object& o) {
  return BalanceRow{get_int(o, "balance_id"), get_decimal(o, "total_amount"),
                    get_decimal(o, "spent_amount"), get_opt_date(o, "last_write_off_date"),
                    get_opt_date(o, "expiration_date")};
}

bool same_balance(const BalanceRow& a, const BalanceRow& b) {
  return a.balance_id == b.balance_id && a.total == b.total && a.spent == b.spent &&
         a.last_write_off_date == b.last_write_off_date && a.expiration_date == b.expiration_date;
}

std::optional<Date> first_consume_date(db::Connection& conn, const std::string& customer_id) {
  Table t = conn.query(
      "SELECT MIN(consume_date) FROM consumption_records WHERE customer_id = ? LOCK IN SHARE MODE",
      {customer_id}, 1);
  return t.rows.empty() ? std::nullopt : opt_date(t.rows[0][0]);
}

std::optional<Date> raise_last_visit(db::Connection& conn, const CustomerRow& c, const Date& date) {
  if (c.last_visit_date && !is_before(*c.last_visit_date, date)) return c.last_visit_date;
  conn.execute("UPDATE customers SET last_visit_date = ? WHERE customer_id = ?",
               {date, c.customer_id});
  return date;
}

void restore_last_visit(db::Connection& conn, const std::string& customer_id,
                        const std::optional<Date>& before, const std::optional<Date>& after) {
  if (before == after) return;
  Table now =
      conn.query("SELECT last_visit_date FROM customers WHERE customer_id = ?", {customer_id}, 1);
  if (now.rows.empty() || opt_date(now.rows[0][0]) != after) return;  // changed since: keep it
  std::optional<Date> latest;
  for (const char* sql :
       {"SELECT MAX(consume_date) FROM consumption_records WHERE customer_id = ?",
        "SELECT MAX(write_off_date) FROM write_off_records WHERE customer_id = ?"}) {
    Table t = conn.query(sql, {customer_id}, 1);
    auto d = t.rows.empty() ? std::nullopt : opt_date(t.rows[0][0]);
    if (d && (!latest || is_before(*latest, *d))) latest = d;
  }
  std::optional<Date> value = before;
  if (latest && (!value || is_before(*value, *latest))) value = latest;
  conn.execute("UPDATE customers SET last_visit_date = ? WHERE customer_id = ?",
               {param(value), customer_id});
}

std::string consultant_label(db::Connection& conn, const std::optional<std::string>& id) {
  if (!id) return "无";
  Table t = conn.query("SELECT name FROM consultants WHERE consultant_id = ?", {*id}, 1);
  if (t.rows.empty()) return *id;
  return text_of(t.rows[0][0]) + "（" + *id + "）";
}

std::string customer_label(const CustomerRef& c) {
  return c.name + "（" + c.customer_id + (c.phone ? "，" + *c.phone : std::string()) + "）";
}

UserError read_only_error() {
  return {ErrorKind::Forbidden, "您的角色只能查询，不能录入或修改数据。"};
}

Outcome<std::optional<std::string>> entry_consultant(db::Connection& conn, const Actor& actor,
                                                     std::string_view text,
                                                     const std::optional<std::string>& fallback) {
  const bool named = !trim(text).empty();
  std::optional<ConsultantRef> c;
  if (named) {
    auto r = resolve_consultant(conn, text);
    if (!r) return r.error();
    c = *r;
  }
  if (actor.role == Role::Consultant) {
    if (!actor.consultant_id) {
      return UserError{ErrorKind::Forbidden, "您的账号没有绑定咨询师，请联系管理员。"};
    }
    if (c && c->consultant_id != *actor.consultant_id) {
      return UserError{ErrorKind::Forbidden, "咨询师只能以自己的名义录入。"};
    }
    return actor.consultant_id;
  }
  if (c) return std::optional<std::string>(c->consultant_id);
  return fallback;
}

std::optional<UserError> check_not_before_register(const Date& date, const Date& register_date) {
  if (!is_before(date, register_date)) return std::nullopt;
  return bad_input("日期不能早于顾客的注册日期（" + format_date(register_date) + "）。");
}

}  // namespace yimei::entry::detail
