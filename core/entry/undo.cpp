// undo_entry: who may undo what and when, then the reversal of the entry's action.
#include <boost/json/parse.hpp>

#include "core/entry/apply.hpp"
#include "core/entry/apply_parts.hpp"
#include "core/entry/db_rows.hpp"
#include "core/entry/ledger.hpp"

namespace yimei::entry {
namespace {

std::string duration_zh(std::chrono::seconds s) {
  const auto n = s.count();
  if (n >= 3600 && n % 3600 == 0) return std::to_string(n / 3600) + " 小时";
  if (n >= 60 && n % 60 == 0) return std::to_string(n / 60) + " 分钟";
  return std::to_string(n) + " 秒";
}

boost::json::object parse_object(const Value& v) {
  if (is_null(v)) return {};
  boost::json::value j = boost::json::parse(detail::text_of(v));
  if (!j.is_object()) throw std::invalid_argument("audit json is not an object");
  return j.as_object();
}

}  // namespace

Outcome<Receipt> undo_entry(db::Connection& conn, std::int64_t entry_id, const Actor& actor,
                            std::chrono::seconds undo_window) {
  if (!may_write(actor)) return detail::read_only_error();
  const std::string id = std::to_string(entry_id);
  Table t = conn.query(
      "SELECT platform, user_id, action, before_json, after_json, undone_at, "
      "TIMESTAMPDIFF(SECOND, created_at, NOW(3)) AS age FROM bot_audit_log "
      "WHERE audit_id = ? FOR UPDATE",
      {entry_id}, 1);
  if (t.rows.empty()) return not_found("找不到录入编号 " + id + "。");
  const Row& r = t.rows[0];
  const std::string action = detail::text_of(r[2]);
  if (action != kNewCustomer && action != kPurchase && action != kWriteOff) {
    return bad_input("编号 " + id + " 不是数据录入，不能撤销。");
  }
  if (!is_null(r[5])) return bad_input("录入编号 " + id + " 已经撤销过了。");
  const bool own =
      detail::text_of(r[0]) == actor.platform && detail::text_of(r[1]) == actor.user_id;
  if (!own && !may_undo_any(actor)) {
    return UserError{ErrorKind::Forbidden,
                     "只能撤销自己录入的数据，如需撤销他人的录入请联系店长。"};
  }
  if (!may_undo_any(actor) && detail::int_of(r[6]) > undo_window.count()) {
    return UserError{
        ErrorKind::Forbidden,
        "录入编号 " + id + " 已超过 " + duration_zh(undo_window) + "的撤销时限，请联系店长处理。"};
  }

  boost::json::object before;
  boost::json::object after;
  try {
    before = parse_object(r[3]);
    after = parse_object(r[4]);
  } catch (const std::exception&) {
    return bad_input("录入编号 " + id + " 的记录内容无法识别，不能自动撤销。");
  }
  Outcome<boost::json::object> done = boost::json::object{};
  std::string what;
  try {
    if (action == kNewCustomer) {
      done = detail::undo_new_customer(conn, after);
      const auto& c = after.at("customer").as_object();
      what = "建档 " + detail::get_string(c, "name") + "（" + detail::get_string(c, "customer_id") +
             "）";
    } else if (action == kPurchase) {
      done = detail::undo_purchase(conn, before, after);
    } else {
      done = detail::undo_write_off(conn, before, after);
    }
  } catch (
      const std::logic_error&) {  // a field missing or mistyped (out_of_range, invalid_argument)
    return bad_input("录入编号 " + id + " 的记录内容无法识别，不能自动撤销。");
  }
  if (!done) return done.error();
  if (const auto* s = done->if_contains("summary"); s && s->is_string()) {
    what = std::string(s->get_string());
  }
  conn.execute("UPDATE bot_audit_log SET undone_at = NOW(3) WHERE audit_id = ?", {entry_id});
  const std::int64_t undo_id =
      detail::insert_audit(conn, actor, "undo", "bot_audit_log", id, after, *done);
  return Receipt{undo_id, "已撤销录入编号 " + id + "：" + what + "。"};
}

}  // namespace yimei::entry
