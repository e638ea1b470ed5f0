// /顾客: one customer's profile from customers, consumption, write-offs and balances.
#include "core/entry/profile.hpp"

#include "core/entry/db_rows.hpp"
#include "core/entry/ledger.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry {

using detail::decimal_of;
using detail::int_of;
using detail::opt_date;
using detail::opt_text;
using detail::text_of;

namespace {

std::string date_or(const std::optional<Date>& d, const char* none) {
  return d ? format_date(*d) : std::string(none);
}

std::string render(const CustomerProfile& p) {
  const CustomerRef& c = p.customer;
  std::string s = "顾客档案：" + c.name + "（" + c.customer_id + "）\n";
  s += "手机：" + c.phone.value_or("未登记") + "\n";
  s += "会员等级：" + c.membership_level + " · 专属咨询师：" +
       (p.consultant_name ? *p.consultant_name + "（" + *c.consultant_id + "）"
                          : std::string("无")) +
       "\n";
  s += "注册日期：" + format_date(c.register_date) + " · 最近到店：" +
       date_or(p.last_visit_date, "无") + "\n";
  if (p.health_tags) s += "健康标签：" + *p.health_tags + "\n";
  s += "累计消费：" + format_yuan(p.lifetime_spend) + " 元，共 " +
       std::to_string(p.purchase_lines) + " 笔，到店 " + std::to_string(p.visit_days) + " 天";
  if (p.first_purchase_date) {
    s += "（首次 " + format_date(*p.first_purchase_date) + "，最近 " +
         format_date(*p.last_purchase_date) + "）";
  }
  if (p.balances.empty()) {
    s += "\n未划扣余额：无";
    return s;
  }
  s += "\n未划扣余额：合计 " + format_yuan(p.total_remaining) + " 元";
  if (!p.expired_remaining.is_zero()) {
    s += "（另有已过期 " + format_yuan(p.expired_remaining) + " 元）";
  }
  for (const BalanceLine& b : p.balances) {
    s += "\n· " + b.product_name + "：剩余 " + format_yuan(b.remaining) + " 元（已划扣 " +
         format_yuan(b.spent) + " / " + format_yuan(b.total) + "）";
    if (b.expiration_date) {
      s += b.expired ? "，已于 " + format_date(*b.expiration_date) + " 过期"
                     : "，有效期至 " + format_date(*b.expiration_date);
    } else {
      s += "，长期有效";
    }
  }
  return s;
}

}  // namespace

Outcome<CustomerProfile> customer_profile(db::Connection& conn, std::string_view text,
                                          const Actor& actor, const Date& as_of) {
  auto ref = resolve_customer(conn, text, actor);
  if (!ref) return ref.error();
  CustomerProfile p;
  p.customer = *ref;
  const std::string& id = ref->customer_id;

  Table c = conn.query(
      "SELECT c.last_visit_date, c.health_tags, k.name FROM customers c "
      "LEFT JOIN consultants k ON k.consultant_id = c.consultant_id WHERE c.customer_id = ?",
      {id}, 1);
  if (!c.rows.empty()) {
    p.last_visit_date = opt_date(c.rows[0][0]);
    p.health_tags = opt_text(c.rows[0][1]);
    if (p.health_tags && p.health_tags->empty()) p.health_tags.reset();
    p.consultant_name = opt_text(c.rows[0][2]);
  }
  Table s = conn.query(
      "SELECT COALESCE(SUM(amount), 0), COUNT(*), MIN(consume_date), MAX(consume_date) "
      "FROM consumption_records WHERE customer_id = ? AND consume_date <= ?",
      {id, as_of}, 1);
  p.lifetime_spend = decimal_of(s.rows.at(0)[0]).rounded(2);
  p.purchase_lines = int_of(s.rows[0][1]);
  p.first_purchase_date = opt_date(s.rows[0][2]);
  p.last_purchase_date = opt_date(s.rows[0][3]);
  Table v = conn.query(
      "SELECT COUNT(DISTINCT d) FROM (SELECT consume_date AS d FROM consumption_records "
      "WHERE customer_id = ? AND consume_date <= ? UNION SELECT write_off_date FROM "
      "write_off_records WHERE customer_id = ? AND write_off_date <= ?) days",
      {id, as_of, id, as_of}, 1);
  p.visit_days = int_of(v.rows.at(0)[0]);

  Table b = conn.query(
      "SELECT b.product_id, p.product_name, b.total_amount, b.spent_amount, "
      "b.last_write_off_date, b.expiration_date FROM unspent_balances b "
      "JOIN medical_products p ON p.product_id = b.product_id "
      "WHERE b.customer_id = ? AND b.total_amount > b.spent_amount "
      "ORDER BY b.expiration_date IS NULL, b.expiration_date, p.product_name",
      {id});
  p.total_remaining = Decimal::from_int(0).rounded(2);
  p.expired_remaining = p.total_remaining;
  for (const Row& r : b.rows) {
    BalanceLine line;
    line.product_id = text_of(r[0]);
    line.product_name = text_of(r[1]);
    line.total = decimal_of(r[2]);
    line.spent = decimal_of(r[3]);
    line.remaining = line.total - line.spent;
    line.last_write_off_date = opt_date(r[4]);
    line.expiration_date = opt_date(r[5]);
    line.expired = line.expiration_date && detail::is_before(*line.expiration_date, as_of);
    (line.expired ? p.expired_remaining : p.total_remaining) += line.remaining;
    p.balances.push_back(std::move(line));
  }
  p.text_zh = render(p);
  return p;
}

}  // namespace yimei::entry
