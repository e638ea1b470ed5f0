// Pending previews in bot_pending_entries: the plan as JSON, the preview text, an expiry.
#include "core/entry/pending.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/entry/db_rows.hpp"

namespace yimei::entry {
namespace {
constexpr std::int64_t kPlanFormat = 1;
}

void save_pending(db::Connection& conn, const Actor& actor, const std::string& chat_id,
                  const EntryPlan& plan, std::chrono::seconds ttl) {
  const std::string plan_json =
      boost::json::serialize(boost::json::object{{"v", kPlanFormat}, {"data", plan.data}});
  conn.execute(
      "INSERT INTO bot_pending_entries (platform, user_id, chat_id, action, plan_json, preview, "
      "msg_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3), "
      "NOW(3) + INTERVAL ? SECOND) ON DUPLICATE KEY UPDATE action = VALUES(action), "
      "plan_json = VALUES(plan_json), preview = VALUES(preview), msg_id = VALUES(msg_id), "
      "created_at = VALUES(created_at), expires_at = VALUES(expires_at)",
      {actor.platform, actor.user_id, chat_id, plan.action, plan_json, plan.preview_zh,
       actor.msg_id.empty() ? Value(Null{}) : Value(actor.msg_id),
       static_cast<std::int64_t>(ttl.count())});
}

std::optional<EntryPlan> take_pending(db::Connection& conn, const Actor& actor,
                                      const std::string& chat_id) {
  Table t = conn.query(
      "SELECT pending_id, action, plan_json, preview, expires_at > NOW(3) AS live "
      "FROM bot_pending_entries WHERE platform = ? AND user_id = ? AND chat_id = ? FOR UPDATE",
      {actor.platform, actor.user_id, chat_id}, 1);
  if (t.rows.empty()) return std::nullopt;
  const Row& r = t.rows[0];
  conn.execute("DELETE FROM bot_pending_entries WHERE pending_id = ?", {detail::int_of(r[0])});
  if (detail::int_of(r[4]) != 1) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value stored = boost::json::parse(detail::text_of(r[2]), ec);
  if (ec) return std::nullopt;  // a damaged row is as good as none
  const auto* o = stored.if_object();
  if (!o || !o->contains("data") || !o->at("data").is_object()) return std::nullopt;
  EntryPlan plan;
  plan.action = detail::text_of(r[1]);
  plan.data = o->at("data").as_object();
  plan.preview_zh = detail::text_of(r[3]);
  return plan;
}

bool cancel_pending(db::Connection& conn, const Actor& actor, const std::string& chat_id) {
  Table t = conn.query(
      "SELECT pending_id, expires_at > NOW(3) AS live FROM bot_pending_entries "
      "WHERE platform = ? AND user_id = ? AND chat_id = ? FOR UPDATE",
      {actor.platform, actor.user_id, chat_id}, 1);
  if (t.rows.empty()) return false;
  conn.execute("DELETE FROM bot_pending_entries WHERE pending_id = ?",
               {detail::int_of(t.rows[0][0])});
  return detail::int_of(t.rows[0][1]) == 1;
}

}  // namespace yimei::entry
