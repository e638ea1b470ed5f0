// Roles: bootstrap admins from configuration, bot_users rows, and /授权 grants.
#include "core/entry/actor.hpp"

#include <algorithm>
#include <boost/json/object.hpp>

#include "core/entry/db_rows.hpp"
#include "core/entry/lookup.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry {

bool may_see_phone(const Actor& a) {
  return a.role == Role::Admin || a.role == Role::Manager;
}

bool may_write(const Actor& a) {
  return a.role != Role::Viewer;
}

bool may_undo_any(const Actor& a) {
  return a.role == Role::Admin || a.role == Role::Manager;
}

std::string role_code(Role r) {
  switch (r) {
    case Role::Admin:
      return "admin";
    case Role::Manager:
      return "manager";
    case Role::Consultant:
      return "consultant";
    case Role::Viewer:
      return "viewer";
  }
  return "viewer";
}

std::string role_name_zh(Role r) {
  switch (r) {
    case Role::Admin:
      return "管理员";
    case Role::Manager:
      return "店长";
    case Role::Consultant:
      return "咨询师";
    case Role::Viewer:
      return "只读";
  }
  return "只读";
}

std::optional<Role> parse_role(std::string_view raw) {
  std::string t = trim(raw);
  for (char& c : t)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (t == "admin" || t == "管理员") return Role::Admin;
  if (t == "manager" || t == "店长" || t == "经理") return Role::Manager;
  if (t == "consultant" || t == "咨询师" || t == "顾问") return Role::Consultant;
  if (t == "viewer" || t == "只读" || t == "只读用户" || t == "查看") return Role::Viewer;
  return std::nullopt;
}

std::optional<Actor> find_actor(db::Connection& conn, const std::string& platform,
                                const std::string& user_id,
                                const std::vector<std::string>& bootstrap_admins) {
  if (user_id.empty()) return std::nullopt;
  Actor a;
  a.platform = platform;
  a.user_id = user_id;
  if (std::find(bootstrap_admins.begin(), bootstrap_admins.end(), user_id) !=
      bootstrap_admins.end()) {
    a.role = Role::Admin;
    return a;
  }
  Table t =
      conn.query("SELECT role, consultant_id FROM bot_users WHERE platform = ? AND user_id = ?",
                 {platform, user_id}, 1);
  if (t.rows.empty()) return std::nullopt;
  auto role = parse_role(detail::text_of(t.rows[0][0]));
  if (!role) return std::nullopt;  // an unknown role string grants nothing
  a.role = *role;
  a.consultant_id = detail::opt_text(t.rows[0][1]);
  return a;
}

Outcome<std::string> grant_role(db::Connection& conn, const Actor& admin,
                                const std::string& platform, const std::string& user_id,
                                std::string_view role_text, std::string_view consultant_text) {
  if (admin.role != Role::Admin) return UserError{ErrorKind::Forbidden, "只有管理员可以授权。"};
  const std::string user = trim(user_id);
  if (user.empty()) return bad_input("请写上要授权的用户ID。");
  if (user.size() > 64 || !is_clean_text(user)) {
    return bad_input("用户ID" + quote_arg(user) + "不正确（最多 64 个字符）。");
  }
  if (platform.empty() || platform.size() > 16) return bad_input("平台名称不正确。");
  auto role = parse_role(role_text);
  if (!role) {
    return bad_input("角色" + quote_arg(trim(role_text)) +
                     "无法识别，可用：管理员、店长、咨询师、只读。");
  }
  std::optional<ConsultantRef> consultant;
  if (*role == Role::Consultant) {
    if (trim(consultant_text).empty()) {
      return bad_input("设为咨询师时请写上对应的咨询师姓名或编号。");
    }
    auto c = resolve_consultant(conn, consultant_text);
    if (!c) return c.error();
    consultant = *c;
  }

  Table before = conn.query(
      "SELECT role, consultant_id FROM bot_users WHERE platform = ? AND user_id = ? FOR UPDATE",
      {platform, user}, 1);
  boost::json::value before_json = nullptr;
  if (!before.rows.empty()) {
    before_json = boost::json::object{
        {"role", detail::text_of(before.rows[0][0])},
        {"consultant_id", detail::to_json(detail::opt_text(before.rows[0][1]))}};
  }
  const std::optional<std::string> consultant_id =
      consultant ? std::optional<std::string>(consultant->consultant_id) : std::nullopt;
  conn.execute(
      "INSERT INTO bot_users (platform, user_id, role, consultant_id, granted_by) "
      "VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE role = VALUES(role), "
      "consultant_id = VALUES(consultant_id), granted_by = VALUES(granted_by), "
      "granted_at = CURRENT_TIMESTAMP(3)",
      {platform, user, role_code(*role), detail::param(consultant_id), admin.user_id});
  boost::json::object after{{"platform", platform},
                            {"user_id", user},
                            {"role", role_code(*role)},
                            {"consultant_id", detail::to_json(consultant_id)}};
  detail::insert_audit(conn, admin, "grant", "bot_users", platform + ":" + user, before_json,
                       after);
  std::string message = "已将用户 " + user + " 设为" + role_name_zh(*role);
  if (consultant) message += "（" + consultant->name + "，" + consultant->consultant_id + "）";
  return message + "。";
}

}  // namespace yimei::entry
