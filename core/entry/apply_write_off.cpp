// Writing a 划扣: under the balance row's lock, refuse when expired or short; else insert the
// write-off, raise spent_amount and last_write_off_date, raise last_visit_date; and its undo.
#include <boost/json/object.hpp>

#include "core/entry/apply_parts.hpp"
#include "core/entry/db_rows.hpp"
#include "core/entry/ledger.hpp"
#include "core/entry/lookup.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry::detail {

Outcome<Receipt> apply_write_off(db::Connection& conn, const boost::json::object& data,
                                 const Actor& actor) {
  const std::string customer_id = get_string(data, "customer_id");
  const std::string product_id = get_string(data, "product_id");
  const Decimal amount = get_decimal(data, "amount");
  const std::int64_t quantity = get_int(data, "quantity");
  const Date date = get_date(data, "date");
  const auto consultant_id = get_opt_string(data, "consultant_id");
  auto consume_record_id = get_opt_int(data, "consume_record_id");
  if (amount.is_negative() || amount.is_zero() || quantity < 1) {
    throw std::invalid_argument("write-off plan with a bad amount or quantity");
  }

  auto locked = lock_customer(conn, customer_id);
  auto customer = customer_by_id(conn, customer_id, actor);
  if (!locked || !customer) {
    return not_found("顾客" + get_string(data, "customer_name") + "（" + customer_id +
                     "）已不存在或不在您名下，未划扣。");
  }
  auto product = product_by_id(conn, product_id);
  if (!product) return product.error();
  if (!is_card_type(product->product_type)) {
    return bad_input("品项" + quote_arg(product->product_name) + "的类型是" +
                     product->product_type + "，不是疗程卡或套餐，不能划扣。");
  }
  auto balance = read_balance(conn, customer_id, product_id, true);
  if (!balance) {
    return bad_input("顾客" + locked->name + "没有" + quote_arg(product->product_name) +
                     "的余额，不能划扣。");
  }
  if (balance->expiration_date && is_before(*balance->expiration_date, date)) {
    return bad_input("该余额已于 " + format_date(*balance->expiration_date) + " 过期，不能划扣。");
  }
  if (amount > balance->remaining()) {
    return bad_input("余额不足：" + product->product_name + " 剩余 " +
                     format_yuan(balance->remaining()) + " 元，本次划扣需要 " +
                     format_yuan(amount) + " 元。");
  }
  if (consume_record_id &&
      conn.query("SELECT 1 FROM consumption_records WHERE record_id = ? AND customer_id = ?",
                 {*consume_record_id, customer_id}, 1)
          .rows.empty()) {
    consume_record_id.reset();  // the purchase line was undone since the preview
  }

  conn.execute(
      "INSERT INTO write_off_records (customer_id, write_off_date, amount, department, "
      "product_id, quantity, consultant_id, consume_record_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {customer_id, date, amount, product->department, product_id, quantity, param(consultant_id),
       consume_record_id ? Value(*consume_record_id) : Value(Null{})});
  const std::int64_t write_off_id = conn.last_insert_id();
  BalanceRow next = *balance;
  next.spent = balance->spent + amount;
  if (!next.last_write_off_date || is_before(*next.last_write_off_date, date)) {
    next.last_write_off_date = date;
  }
  conn.execute(
      "UPDATE unspent_balances SET spent_amount = ?, last_write_off_date = ? WHERE balance_id = ?",
      {next.spent, param(next.last_write_off_date), next.balance_id});
  const auto visit_after = raise_last_visit(conn, *locked, date);

  boost::json::object before{{"balance", balance_json(*balance)},
                             {"last_visit_date", to_json(locked->last_visit_date)}};
  boost::json::object after{
      {"write_off_id", write_off_id},
      {"customer_id", customer_id},
      {"customer_name", locked->name},
      {"product_id", product_id},
      {"product_name", product->product_name},
      {"write_off_date", format_date(date)},
      {"amount", to_json(amount)},
      {"quantity", quantity},
      {"department", product->department},
      {"consultant_id", to_json(consultant_id)},
      {"consume_record_id",
       consume_record_id ? boost::json::value(*consume_record_id) : boost::json::value(nullptr)},
      {"balance", balance_json(next)},
      {"last_visit_date", to_json(visit_after)}};
  const std::int64_t entry = insert_audit(conn, actor, "write-off", "write_off_records",
                                          std::to_string(write_off_id), before, after);
  return Receipt{entry, "已划扣：" + locked->name + " " + product->product_name + " " +
                            std::to_string(quantity) + " 次，" + format_yuan(amount) + " 元（" +
                            format_date(date) + "）；剩余 " + format_yuan(next.remaining()) +
                            " 元；" + undo_hint(entry)};
}

Outcome<boost::json::object> undo_write_off(db::Connection& conn, const boost::json::object& before,
                                            const boost::json::object& after) {
  const std::int64_t write_off_id = get_int(after, "write_off_id");
  const std::string customer_id = get_string(after, "customer_id");
  const std::string product_id = get_string(after, "product_id");
  const std::string what = get_string(after, "customer_name") + " " +
                           get_string(after, "product_name") + " " +
                           format_yuan(get_decimal(after, "amount")) + " 元";
  if (!lock_customer(conn, customer_id)) return bad_input("顾客已不存在，无法撤销。");
  if (conn.query("SELECT 1 FROM write_off_records WHERE write_off_id = ? FOR UPDATE",
                 {write_off_id}, 1)
          .rows.empty()) {
    return bad_input("这笔划扣（" + what + "）已被删除，无法撤销。");
  }
  const BalanceRow expected = balance_from_json(after.at("balance").as_object());
  auto now = read_balance(conn, customer_id, product_id, true);
  if (!now || !same_balance(*now, expected)) {
    return bad_input("这笔划扣（" + what + "）之后该卡余额又有变动，不能撤销。");
  }
  const BalanceRow old = balance_from_json(before.at("balance").as_object());
  conn.execute("DELETE FROM write_off_records WHERE write_off_id = ?", {write_off_id});
  conn.execute(
      "UPDATE unspent_balances SET total_amount = ?, spent_amount = ?, last_write_off_date = ?, "
      "expiration_date = ? WHERE balance_id = ?",
      {old.total, old.spent, param(old.last_write_off_date), param(old.expiration_date),
       now->balance_id});
  restore_last_visit(conn, customer_id, get_opt_date(before, "last_visit_date"),
                     get_opt_date(after, "last_visit_date"));
  return boost::json::object{{"deleted_write_off_id", write_off_id},
                             {"balance", balance_json(old)},
                             {"summary", "划扣 " + what}};
}

}  // namespace yimei::entry::detail
