// /划扣 planning: sessions used from a card balance, valued by session_value.hpp.
#include <algorithm>

#include "core/entry/db_rows.hpp"
#include "core/entry/input.hpp"
#include "core/entry/ledger.hpp"
#include "core/entry/lookup.hpp"
#include "core/entry/plan.hpp"
#include "core/entry/session_value.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry {
namespace {

// Sessions per card of a product: what the clinic's own write-offs show (the most common ratio
// of a purchase line's price per card to the value of one session written off against it),
// else the count the product's name states; nullopt when neither tells.
std::optional<int> sessions_per_card(db::Connection& conn, const ProductRef& product) {
  // The latest 500 linked write-offs are plenty and keep the cost bounded on big histories.
  Table t = conn.query(
      "SELECT sessions, COUNT(*) AS n FROM (SELECT ROUND(c.amount / c.quantity / "
      "(w.amount / w.quantity)) AS sessions FROM write_off_records w "
      "JOIN consumption_records c ON c.record_id = w.consume_record_id "
      "WHERE w.product_id = ? AND w.amount > 0 AND w.quantity > 0 AND c.amount > 0 "
      "AND c.quantity > 0 ORDER BY w.write_off_date DESC, w.write_off_id DESC LIMIT 500) recent "
      "GROUP BY sessions ORDER BY n DESC, sessions LIMIT 1",
      {product.product_id}, 1);
  if (!t.rows.empty() && !is_null(t.rows[0][0])) {
    const std::int64_t s = detail::int_of(t.rows[0][0]);
    if (s >= 1 && s <= 999) return static_cast<int>(s);
  }
  return sessions_in_name(product.product_name);
}

std::vector<CardPurchase> card_purchases(db::Connection& conn, const std::string& customer_id,
                                         const std::string& product_id) {
  Table t = conn.query(
      "SELECT record_id, amount, quantity, consultant_id FROM consumption_records "
      "WHERE customer_id = ? AND product_id = ? ORDER BY consume_date, record_id",
      {customer_id, product_id});
  std::vector<CardPurchase> out;
  out.reserve(t.rows.size());
  for (const Row& r : t.rows) {
    out.push_back({detail::int_of(r[0]), detail::decimal_of(r[1]),
                   static_cast<int>(detail::int_of(r[2])), detail::opt_text(r[3])});
  }
  return out;
}

}  // namespace

Outcome<EntryPlan> plan_write_off(db::Connection& conn, const WriteOffArgs& args,
                                  const Actor& actor, const Date& today) {
  if (!may_write(actor)) return detail::read_only_error();
  auto customer = resolve_customer(conn, args.customer, actor);
  if (!customer) return customer.error();
  auto product = resolve_product(conn, args.product);
  if (!product) return product.error();
  if (!is_card_type(product->product_type)) {
    return bad_input("品项" + quote_arg(product->product_name) + "的类型是" +
                     product->product_type + "，不是疗程卡或套餐，不能划扣。");
  }
  auto quantity = parse_quantity(args.quantity);
  if (!quantity) return quantity.error();
  auto date = parse_entry_date(args.date, today);
  if (!date) return date.error();
  if (auto e = detail::check_not_before_register(*date, customer->register_date)) return *e;
  std::optional<Decimal> typed_amount;
  if (!trim(args.amount).empty()) {
    auto a = parse_amount(args.amount);
    if (!a) return a.error();
    typed_amount = *a;
  }

  const auto balance =
      detail::read_balance(conn, customer->customer_id, product->product_id, false);
  if (!balance) {
    return bad_input("顾客" + customer->name + "没有" + quote_arg(product->product_name) +
                     "的余额，不能划扣。");
  }
  if (balance->expiration_date && detail::is_before(*balance->expiration_date, *date)) {
    return bad_input("该余额已于 " + format_date(*balance->expiration_date) + " 过期，不能划扣。");
  }
  {
    // Sessions cannot be used before the card was bought (unless the balance holds value
    // older than every recorded purchase, e.g. imported).
    Table bought = conn.query(
        "SELECT MIN(consume_date), COALESCE(SUM(amount), 0) FROM consumption_records "
        "WHERE customer_id = ? AND product_id = ?",
        {customer->customer_id, product->product_id}, 1);
    const auto first = detail::opt_date(bought.rows.at(0).at(0));
    if (first && detail::is_before(*date, *first) &&
        !(detail::decimal_of(bought.rows[0][1]) < balance->total)) {
      return bad_input("日期不能早于这张卡的购买日期（" + format_date(*first) + "）。");
    }
  }

  std::optional<SessionValue> value;
  if (auto sessions = sessions_per_card(conn, *product)) {
    value = value_of_sessions(card_purchases(conn, customer->customer_id, product->product_id),
                              balance->total, balance->spent, *sessions, product->standard_price,
                              *quantity);
  }
  if (!value && !typed_amount) {
    return bad_input("无法确定" + quote_arg(product->product_name) +
                     "每次的划扣金额，请在命令里写明本次划扣的金额。");
  }
  const Decimal amount = typed_amount ? *typed_amount : value->amount;
  const Decimal remaining = balance->remaining();
  if (amount > remaining) {
    return bad_input("余额不足：" + product->product_name + " 剩余 " + format_yuan(remaining) +
                     " 元，本次划扣需要 " + format_yuan(amount) + " 元。");
  }
  const std::optional<std::string> line_consultant =
      value && value->consultant_id ? value->consultant_id : customer->consultant_id;
  auto consultant = detail::entry_consultant(conn, actor, args.consultant, line_consultant);
  if (!consultant) return consultant.error();

  EntryPlan plan;
  plan.action = std::string(kWriteOff);
  plan.data = {{"customer_id", customer->customer_id},
               {"customer_name", customer->name},
               {"product_id", product->product_id},
               {"product_name", product->product_name},
               {"amount", detail::to_json(amount)},
               {"quantity", *quantity},
               {"date", format_date(*date)},
               {"consultant_id", detail::to_json(*consultant)},
               {"consume_record_id", value && value->consume_record_id
                                         ? boost::json::value(*value->consume_record_id)
                                         : boost::json::value(nullptr)}};

  std::string p = "划扣：\n";
  p += "顾客：" + detail::customer_label(*customer) + "\n";
  p += "品项：" + product->product_name + "（" + product->department + " · " +
       product->product_type + "）\n";
  p += "数量：" + std::to_string(*quantity) + " 次 · 划扣金额 " + format_yuan(amount) + " 元";
  if (value && !typed_amount) p += "（每次 " + format_yuan(value->per_session) + " 元）";
  p += "\n日期：" + format_date(*date) + " · 咨询师 " +
       detail::consultant_label(conn, *consultant) + "\n";
  p += "余额：" + format_yuan(remaining) + " → " + format_yuan(remaining - amount) + " 元";
  if (value && !typed_amount) {
    p += "（剩 " + std::to_string(std::max(0, value->sessions_left - *quantity)) + " 次）";
  }
  if (balance->expiration_date) p += "，有效期至 " + format_date(*balance->expiration_date);
  plan.preview_zh = std::move(p);
  return plan;
}

}  // namespace yimei::entry
