// /建档 planning: a new customer's name, phone, consultant, level, tags and register date.
#include <algorithm>

#include "core/entry/db_rows.hpp"
#include "core/entry/input.hpp"
#include "core/entry/ledger.hpp"
#include "core/entry/lookup.hpp"
#include "core/entry/plan.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry {

namespace {

// The four standard levels, then any other level the clinic's data uses.
std::vector<std::string> allowed_levels(db::Connection& conn) {
  std::vector<std::string> levels = standard_levels();
  Table t = conn.query(
      "SELECT DISTINCT membership_level FROM customers WHERE membership_level <> '' "
      "ORDER BY membership_level",
      {}, 50);
  for (const Row& r : t.rows) {
    std::string level = detail::text_of(r[0]);
    if (std::find(levels.begin(), levels.end(), level) == levels.end())
      levels.push_back(std::move(level));
  }
  return levels;
}

}  // namespace

Outcome<EntryPlan> plan_new_customer(db::Connection& conn, const NewCustomerArgs& args,
                                     const Actor& actor, const Date& today) {
  if (!may_write(actor)) return detail::read_only_error();
  auto name = parse_person_name(args.name);
  if (!name) return name.error();
  auto phone = parse_phone(args.phone);
  if (!phone) return phone.error();
  {
    Table dup = conn.query("SELECT customer_id, name FROM customers WHERE phone = ?", {*phone}, 1);
    if (!dup.rows.empty()) {
      const std::string shown = may_see_phone(actor) ? *phone : mask_phone(*phone);
      if (actor.role == Role::Consultant) {
        return bad_input("手机号 " + shown + " 已经登记过，不能重复建档。");
      }
      return bad_input("手机号 " + shown + " 已登记给顾客 " + detail::text_of(dup.rows[0][1]) +
                       "（" + detail::text_of(dup.rows[0][0]) + "）。");
    }
  }
  std::optional<std::string> consultant_id;
  if (actor.role == Role::Consultant) {
    if (!actor.consultant_id) {
      return UserError{ErrorKind::Forbidden, "您的账号没有绑定咨询师，请联系管理员。"};
    }
    if (!trim(args.consultant).empty()) {
      auto c = resolve_consultant(conn, args.consultant);
      if (!c) return c.error();
      if (c->consultant_id != *actor.consultant_id) {
        return UserError{ErrorKind::Forbidden, "咨询师只能为自己名下建档。"};
      }
    }
    consultant_id = actor.consultant_id;
  } else if (!trim(args.consultant).empty()) {
    auto c = resolve_consultant(conn, args.consultant);
    if (!c) return c.error();
    consultant_id = c->consultant_id;
  }
  auto level = parse_level(args.level, allowed_levels(conn));
  if (!level) return level.error();
  auto tags = parse_tags(args.tags);
  if (!tags) return tags.error();
  auto date = parse_entry_date(args.date, today);
  if (!date) return date.error();

  const std::int64_t same_name = detail::int_of(
      conn.query("SELECT COUNT(*) FROM customers WHERE name = ?", {*name}, 1).rows.at(0).at(0));

  EntryPlan plan;
  plan.action = std::string(kNewCustomer);
  plan.data = {{"name", *name},
               {"phone", *phone},
               {"consultant_id", detail::to_json(consultant_id)},
               {"membership_level", *level},
               {"health_tags", detail::to_json(*tags)},
               {"register_date", format_date(*date)}};
  std::string p = "新建顾客档案：\n";
  p += "姓名：" + *name + "\n";
  p += "手机：" + (may_see_phone(actor) ? *phone : mask_phone(*phone)) + "\n";
  p += "会员等级：" + *level + "\n";
  p += "专属咨询师：" + detail::consultant_label(conn, consultant_id) + "\n";
  p += "健康标签：" + tags->value_or("无") + "\n";
  p += "注册日期：" + format_date(*date);
  if (same_name > 0) {
    p += "\n提示：已有 " + std::to_string(same_name) + " 位顾客也叫" + *name +
         "，以后请用手机号或编号区分。";
  }
  plan.preview_zh = std::move(p);
  return plan;
}

}  // namespace yimei::entry
