// Writing a purchase: the consumption record (is_new_customer = 1 on the customer's first
// consumption date, and the older first day's records set to 0 when this one is earlier), the
// card balance raised with its expiration moved later, last_visit_date; and its undo.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/entry/apply_parts.hpp"
#include "core/entry/db_rows.hpp"
#include "core/entry/ledger.hpp"
#include "core/entry/lookup.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry::detail {

Outcome<Receipt> apply_purchase(db::Connection& conn, const boost::json::object& data,
                                const Actor& actor, int balance_validity_days) {
  const std::string customer_id = get_string(data, "customer_id");
  const std::string product_id = get_string(data, "product_id");
  const Decimal amount = get_decimal(data, "amount");
  const std::int64_t quantity = get_int(data, "quantity");
  const std::string method = get_string(data, "payment_method");
  const Date date = get_date(data, "date");
  const auto consultant_id = get_opt_string(data, "consultant_id");
  if (amount.is_negative() || amount.is_zero() || quantity < 1) {
    throw std::invalid_argument("purchase plan with a bad amount or quantity");
  }

  auto locked = lock_customer(conn, customer_id);
  auto customer = customer_by_id(conn, customer_id, actor);
  if (!locked || !customer) {
    return not_found("顾客" + get_string(data, "customer_name") + "（" + customer_id +
                     "）已不存在或不在您名下，未录入。");
  }
  if (auto e = check_not_before_register(date, locked->register_date)) return *e;
  auto product = product_by_id(conn, product_id);
  if (!product) return product.error();

  // is_new_customer: 1 on the first consumption date. An earlier date becomes the first one,
  // so the records of the old first date are no longer new.
  const auto first = first_consume_date(conn, customer_id);
  const bool is_new = !first || !is_before(*first, date);
  boost::json::array demoted;
  if (first && is_before(date, *first)) {
    Table t = conn.query(
        "SELECT record_id FROM consumption_records WHERE customer_id = ? AND consume_date = ? "
        "AND is_new_customer = 1 FOR UPDATE",
        {customer_id, *first});
    for (const Row& r : t.rows) demoted.push_back(int_of(r[0]));
    conn.execute(
        "UPDATE consumption_records SET is_new_customer = 0 WHERE customer_id = ? AND "
        "consume_date = ? AND is_new_customer = 1",
        {customer_id, *first});
  }
  conn.execute(
      "INSERT INTO consumption_records (customer_id, consume_date, amount, department, "
      "is_new_customer, consultant_id, product_id, quantity, payment_method) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {customer_id, date, amount, product->department, std::int64_t{is_new ? 1 : 0},
       param(consultant_id), product_id, quantity, method});
  const std::int64_t record_id = conn.last_insert_id();

  boost::json::value balance_before = nullptr;
  boost::json::value balance_after = nullptr;
  std::string balance_text;
  if (is_card_type(product->product_type)) {
    const Date expiration = add_days(date, balance_validity_days);
    auto b = read_balance(conn, customer_id, product_id, true);
    if (b) {
      balance_before = balance_json(*b);
      BalanceRow next = *b;
      next.total = b->total + amount;
      if (b->expiration_date && is_before(*b->expiration_date, expiration)) {
        next.expiration_date = expiration;
      }
      conn.execute(
          "UPDATE unspent_balances SET total_amount = ?, expiration_date = ? WHERE balance_id = ?",
          {next.total, param(next.expiration_date), next.balance_id});
      b = next;
    } else {
      conn.execute(
          "INSERT INTO unspent_balances (customer_id, product_id, total_amount, spent_amount, "
          "last_write_off_date, expiration_date) VALUES (?, ?, ?, 0, NULL, ?)",
          {customer_id, product_id, amount, expiration});
      b = read_balance(conn, customer_id, product_id, true);
    }
    balance_after = balance_json(*b);
    balance_text = "余额 " + format_yuan(b->remaining()) + " 元" +
                   (b->expiration_date ? "，有效期至 " + format_date(*b->expiration_date)
                                       : std::string("，长期有效")) +
                   "；";
  }
  const auto visit_after = raise_last_visit(conn, *locked, date);

  boost::json::object before{{"balance", balance_before},
                             {"last_visit_date", to_json(locked->last_visit_date)}};
  boost::json::object after{{"record_id", record_id},
                            {"customer_id", customer_id},
                            {"customer_name", locked->name},
                            {"product_id", product_id},
                            {"product_name", product->product_name},
                            {"consume_date", format_date(date)},
                            {"amount", to_json(amount)},
                            {"department", product->department},
                            {"is_new_customer", is_new ? 1 : 0},
                            {"consultant_id", to_json(consultant_id)},
                            {"quantity", quantity},
                            {"payment_method", method},
                            {"demoted_record_ids", demoted},
                            {"balance", balance_after},
                            {"last_visit_date", to_json(visit_after)}};
  const std::int64_t entry = insert_audit(conn, actor, "purchase", "consumption_records",
                                          std::to_string(record_id), before, after);
  return Receipt{entry, "已录入消费：" + locked->name + " " + product->product_name + " " +
                            format_yuan(amount) + " 元（" + method + "，" + format_date(date) +
                            "）；" + balance_text + undo_hint(entry)};
}

Outcome<boost::json::object> undo_purchase(db::Connection& conn, const boost::json::object& before,
                                           const boost::json::object& after) {
  const std::int64_t record_id = get_int(after, "record_id");
  const std::string customer_id = get_string(after, "customer_id");
  const std::string product_id = get_string(after, "product_id");
  const std::string what = get_string(after, "customer_name") + " " +
                           get_string(after, "product_name") + " " +
                           format_yuan(get_decimal(after, "amount")) + " 元";
  if (!lock_customer(conn, customer_id)) return bad_input("顾客已不存在，无法撤销。");
  Table rec = conn.query(
      "SELECT consume_date, is_new_customer FROM consumption_records WHERE record_id = ? "
      "FOR UPDATE",
      {record_id}, 1);
  if (rec.rows.empty()) return bad_input("这笔消费（" + what + "）已被删除，无法撤销。");
  Table uses = conn.query(
      "SELECT write_off_id FROM write_off_records WHERE consume_record_id = ? ORDER BY "
      "write_off_id",
      {record_id}, 5);
  if (!uses.rows.empty()) {
    return bad_input("这笔消费（" + what + "）之后已有划扣记录（划扣ID " +
                     text_of(uses.rows[0][0]) + "），不能撤销。");
  }
  const boost::json::value& balance_after = after.at("balance");
  const boost::json::value& balance_before = before.at("balance");
  if (!balance_after.is_null()) {
    const BalanceRow expected = balance_from_json(balance_after.as_object());
    auto now = read_balance(conn, customer_id, product_id, true);
    if (!now || !same_balance(*now, expected)) {
      return bad_input("这笔消费（" + what + "）之后该卡余额又有变动，不能撤销。");
    }
    if (balance_before.is_null()) {
      conn.execute("DELETE FROM unspent_balances WHERE balance_id = ?", {now->balance_id});
    } else {
      const BalanceRow old = balance_from_json(balance_before.as_object());
      conn.execute(
          "UPDATE unspent_balances SET total_amount = ?, spent_amount = ?, "
          "last_write_off_date = ?, expiration_date = ? WHERE balance_id = ?",
          {old.total, old.spent, param(old.last_write_off_date), param(old.expiration_date),
           now->balance_id});
    }
  }
  const Date date = *opt_date(rec.rows[0][0]);
  const bool was_new = int_of(rec.rows[0][1]) == 1;
  conn.execute("DELETE FROM consumption_records WHERE record_id = ?", {record_id});

  // is_new_customer: when this record was on the first consumption date and no other record
  // is left on that date, the next date becomes the first one (this also gives back what an
  // earlier-dated purchase took from the old first day).
  boost::json::array promoted;
  if (was_new) {
    const auto first = first_consume_date(conn, customer_id);
    if (first && is_before(date, *first)) {
      Table t = conn.query(
          "SELECT record_id FROM consumption_records WHERE customer_id = ? AND consume_date = ? "
          "AND is_new_customer = 0 FOR UPDATE",
          {customer_id, *first});
      for (const Row& r : t.rows) promoted.push_back(int_of(r[0]));
      conn.execute(
          "UPDATE consumption_records SET is_new_customer = 1 WHERE customer_id = ? AND "
          "consume_date = ? AND is_new_customer = 0",
          {customer_id, *first});
    }
  }
  restore_last_visit(conn, customer_id, get_opt_date(before, "last_visit_date"),
                     get_opt_date(after, "last_visit_date"));
  return boost::json::object{{"deleted_record_id", record_id},
                             {"promoted_record_ids", promoted},
                             {"balance", balance_before},
                             {"summary", "消费 " + what}};
}

}  // namespace yimei::entry::detail
