// Customer, product and consultant lookups by what users type.
#include "core/entry/lookup.hpp"

#include <algorithm>

#include "core/entry/db_rows.hpp"
#include "core/entry/input.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry {
namespace {

using detail::decimal_of;
using detail::opt_date;
using detail::opt_text;
using detail::text_of;

constexpr const char* kCustomerColumns =
    "SELECT customer_id, name, phone, consultant_id, membership_level, register_date "
    "FROM customers WHERE ";

CustomerRef customer_from_row(const Row& r, const Actor& actor) {
  CustomerRef c;
  c.customer_id = text_of(r[0]);
  c.name = text_of(r[1]);
  c.phone = opt_text(r[2]);
  if (c.phone && c.phone->empty()) c.phone.reset();
  if (c.phone && !may_see_phone(actor)) c.phone = mask_phone(*c.phone);
  c.consultant_id = opt_text(r[3]);
  c.membership_level = text_of(r[4]);
  if (auto d = opt_date(r[5])) c.register_date = *d;
  return c;
}

ProductRef product_from_row(const Row& r) {
  return {text_of(r[0]), text_of(r[1]), text_of(r[2]), text_of(r[3]), decimal_of(r[4])};
}

std::string customer_not_found(const Actor& actor, std::string_view text) {
  if (actor.role == Role::Consultant) return "找不到您名下的顾客" + quote_arg(text) + "。";
  return "找不到顾客" + quote_arg(text) + "。";
}

// Scoped customer query: `where` is a condition on one bound parameter.
Table customer_query(db::Connection& conn, const std::string& where, const std::string& value,
                     const Actor& actor, std::size_t max_rows) {
  std::string sql = kCustomerColumns + where;
  db::Params params{value};
  if (actor.role == Role::Consultant) {
    sql += " AND consultant_id = ?";
    params.emplace_back(actor.consultant_id.value_or(""));
  }
  sql += " ORDER BY customer_id";
  return conn.query(sql, params, max_rows);
}

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

bool is_card_type(std::string_view t) {
  return t.find("卡") != std::string_view::npos || t.find("疗程") != std::string_view::npos ||
         t.find("套餐") != std::string_view::npos;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::vector<std::string> x = utf8_chars(a);
  const std::vector<std::string> y = utf8_chars(b);
  std::vector<std::size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

Outcome<CustomerRef> resolve_customer(db::Connection& conn, std::string_view raw,
                                      const Actor& actor) {
  const std::string text = trim(raw);
  if (text.empty()) return bad_input("请写上顾客（姓名、手机号或编号）。");
  if (utf8_length(text) > kMaxLookupChars || !is_clean_text(text)) {
    return not_found(customer_not_found(actor, text));
  }
  if (auto phone = as_phone(text)) {
    Table t = customer_query(conn, "phone = ?", *phone, actor, 1);
    if (!t.rows.empty()) return customer_from_row(t.rows[0], actor);
  }
  {
    Table t = customer_query(conn, "customer_id = ?", text, actor, 1);
    if (!t.rows.empty()) return customer_from_row(t.rows[0], actor);
  }
  Table t = customer_query(conn, "name = ?", text, actor, kMaxCandidates);
  if (t.rows.empty()) return not_found(customer_not_found(actor, text));
  if (t.rows.size() == 1 && !t.truncated) return customer_from_row(t.rows[0], actor);

  std::int64_t count = static_cast<std::int64_t>(t.rows.size());
  if (t.truncated) {
    std::string sql = "SELECT COUNT(*) FROM customers WHERE name = ?";
    db::Params params{text};
    if (actor.role == Role::Consultant) {
      sql += " AND consultant_id = ?";
      params.emplace_back(actor.consultant_id.value_or(""));
    }
    count = detail::int_of(conn.query(sql, params).rows.at(0).at(0));
  }
  std::string list;
  for (const Row& r : t.rows) {
    const CustomerRef c = customer_from_row(r, actor);
    if (!list.empty()) list += "、";
    list += c.customer_id + "（" + (c.phone ? *c.phone : std::string("无手机号")) + "）";
  }
  if (t.truncated) list += "等";
  return UserError{ErrorKind::Ambiguous, "有" + std::to_string(count) + "位顾客叫" + text + "：" +
                                             list + "（请用手机号或编号）。"};
}

Outcome<CustomerRef> customer_by_id(db::Connection& conn, const std::string& customer_id,
                                    const Actor& actor) {
  Table t = customer_query(conn, "customer_id = ?", customer_id, actor, 1);
  if (t.rows.empty()) return not_found(customer_not_found(actor, customer_id));
  return customer_from_row(t.rows[0], actor);
}

Outcome<ProductRef> product_by_id(db::Connection& conn, const std::string& product_id) {
  Table t = conn.query(
      "SELECT product_id, product_name, department, product_type, standard_price "
      "FROM medical_products WHERE product_id = ?",
      {product_id}, 1);
  if (t.rows.empty()) return not_found("找不到品项" + quote_arg(product_id) + "。");
  return product_from_row(t.rows[0]);
}

Outcome<ProductRef> resolve_product(db::Connection& conn, std::string_view raw) {
  const std::string text = trim(raw);
  if (text.empty()) return bad_input("请写上品项名称或编号。");
  const std::string missing = "找不到品项" + quote_arg(text) + "。";
  if (utf8_length(text) > kMaxLookupChars * 2 || !is_clean_text(text)) return not_found(missing);
  {
    Table t = conn.query(
        "SELECT product_id, product_name, department, product_type, standard_price "
        "FROM medical_products WHERE product_id = ? OR product_name = ? "
        "ORDER BY product_id = ? DESC, product_id",
        {text, text, text}, 1);
    if (!t.rows.empty()) return product_from_row(t.rows[0]);
  }
  // Near matches over the whole catalog (a clinic has tens to a few thousand products).
  Table all = conn.query(
      "SELECT product_id, product_name, department, product_type, standard_price "
      "FROM medical_products ORDER BY product_id",
      {}, 20000);
  const std::size_t length = utf8_length(text);
  const std::string needle = lower_ascii(text);
  std::vector<const Row*> contains, near;
  for (const Row& r : all.rows) {
    const std::string name = lower_ascii(text_of(r[1]));
    if (length >= 2 && name.find(needle) != std::string::npos) contains.push_back(&r);
    if (length >= 3 && edit_distance(needle, name) == 1) near.push_back(&r);
  }
  const std::vector<const Row*>& found = contains.empty() ? near : contains;
  if (found.empty()) return not_found(missing);
  if (found.size() == 1) return product_from_row(*found.front());
  std::string list;
  for (std::size_t i = 0; i < found.size() && i < kMaxCandidates; ++i) {
    if (i) list += "、";
    list += text_of((*found[i])[1]);
  }
  if (found.size() > kMaxCandidates) list += "等";
  return UserError{ErrorKind::Ambiguous, "有" + std::to_string(found.size()) + "个品项与" +
                                             quote_arg(text) + "相符：" + list +
                                             "（请写完整名称或编号）。"};
}

Outcome<ConsultantRef> resolve_consultant(db::Connection& conn, std::string_view raw) {
  const std::string text = trim(raw);
  if (text.empty()) return bad_input("请写上咨询师姓名或编号。");
  const std::string missing = "找不到咨询师" + quote_arg(text) + "。";
  if (utf8_length(text) > kMaxLookupChars || !is_clean_text(text)) return not_found(missing);
  Table t = conn.query(
      "SELECT consultant_id, name, department FROM consultants WHERE consultant_id = ?", {text}, 1);
  if (t.rows.empty()) {
    t = conn.query(
        "SELECT consultant_id, name, department FROM consultants WHERE name = ? "
        "ORDER BY consultant_id",
        {text}, kMaxCandidates);
  }
  if (t.rows.empty()) return not_found(missing);
  if (t.rows.size() == 1) {
    return ConsultantRef{text_of(t.rows[0][0]), text_of(t.rows[0][1]), text_of(t.rows[0][2])};
  }
  std::string list;
  for (const Row& r : t.rows) {
    if (!list.empty()) list += "、";
    list += text_of(r[0]) + "（" + text_of(r[2]) + "）";
  }
  if (t.truncated) list += "等";
  return UserError{ErrorKind::Ambiguous, "有" + std::to_string(t.rows.size()) +
                                             (t.truncated ? "位以上" : "位") + "咨询师叫" + text +
                                             "：" + list + "（请用编号）。"};
}

}  // namespace yimei::entry
