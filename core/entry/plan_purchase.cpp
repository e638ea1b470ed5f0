// /消费 planning: one purchase line, and for a card the balance it raises.
#include "core/entry/db_rows.hpp"
#include "core/entry/input.hpp"
#include "core/entry/ledger.hpp"
#include "core/entry/lookup.hpp"
#include "core/entry/plan.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry {

Outcome<EntryPlan> plan_purchase(db::Connection& conn, const PurchaseArgs& args, const Actor& actor,
                                 const Date& today) {
  if (!may_write(actor)) return detail::read_only_error();
  auto customer = resolve_customer(conn, args.customer, actor);
  if (!customer) return customer.error();
  auto product = resolve_product(conn, args.product);
  if (!product) return product.error();
  auto amount = parse_amount(args.amount);
  if (!amount) return amount.error();
  auto quantity = parse_quantity(args.quantity);
  if (!quantity) return quantity.error();
  auto method = parse_payment_method(args.payment_method);
  if (!method) return method.error();
  auto date = parse_entry_date(args.date, today);
  if (!date) return date.error();
  if (auto e = detail::check_not_before_register(*date, customer->register_date)) return *e;
  auto consultant = detail::entry_consultant(conn, actor, args.consultant, customer->consultant_id);
  if (!consultant) return consultant.error();

  const bool card = is_card_type(product->product_type);
  const auto first = detail::first_consume_date(conn, customer->customer_id);
  const bool is_new = !first || !detail::is_before(*first, *date);

  EntryPlan plan;
  plan.action = std::string(kPurchase);
  plan.data = {{"customer_id", customer->customer_id},
               {"customer_name", customer->name},
               {"product_id", product->product_id},
               {"product_name", product->product_name},
               {"amount", detail::to_json(*amount)},
               {"quantity", *quantity},
               {"payment_method", *method},
               {"date", format_date(*date)},
               {"consultant_id", detail::to_json(*consultant)}};

  std::string p = "录入消费：\n";
  p += "顾客：" + detail::customer_label(*customer) + "\n";
  p += "品项：" + product->product_name + "（" + product->department + " · " +
       product->product_type + "，标准价 " + format_yuan(product->standard_price) + " 元）\n";
  p += "金额：" + format_yuan(*amount) + " 元 · 数量 " + std::to_string(*quantity) + " · " +
       *method + "\n";
  p += "日期：" + format_date(*date) + " · 咨询师 " + detail::consultant_label(conn, *consultant) +
       "\n";
  p += std::string("新老客：") + (is_new ? "新客（首次消费日）" : "老客");
  if (card) {
    const auto balance =
        detail::read_balance(conn, customer->customer_id, product->product_id, false);
    const Decimal before = balance ? balance->remaining() : Decimal::from_int(0);
    Date expiration = add_days(*date, args.balance_validity_days);
    std::optional<Date> shown = expiration;
    if (balance && !balance->expiration_date) {
      shown.reset();  // a balance without an end date keeps none
    } else if (balance && detail::is_before(expiration, *balance->expiration_date)) {
      shown = balance->expiration_date;
    }
    p += "\n余额：" + format_yuan(before) + " → " + format_yuan(before + *amount) + " 元";
    p += shown ? "，有效期至 " + format_date(*shown) : std::string("，长期有效");
  }
  plan.preview_zh = std::move(p);
  return plan;
}

}  // namespace yimei::entry
