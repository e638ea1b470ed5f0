// Who is typing: the role a chat user holds (a bot_users row, or an admin named in the
// configuration) and what that role may do. Functions taking a Connection run on the caller's
// connection (one thread per connection); the rest are pure. Thread-safe in that sense.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace yimei::entry {

enum class Role { Admin, Manager, Consultant, Viewer };

struct Actor {
  std::string platform;  // wecom, dingtalk, console, cli
  std::string user_id;
  Role role = Role::Viewer;
  std::optional<std::string> consultant_id;  // set for consultants
  std::string msg_id;                        // the message being handled (for the audit log)
};

// Managers and admins see full phone numbers; everyone else sees 138****5678.
bool may_see_phone(const Actor& actor);
// Everyone but viewers may enter data.
bool may_write(const Actor& actor);
// Managers and admins may undo other users' entries, and at any time.
bool may_undo_any(const Actor& actor);

// "admin", "manager", "consultant", "viewer" (the bot_users.role values).
std::string role_code(Role role);
// 管理员, 店长, 咨询师, 只读.
std::string role_name_zh(Role role);
// Either form above (and 经理 / 顾问 / 查看 / 只读用户); nullopt when unknown.
std::optional<Role> parse_role(std::string_view text);

// The user's role: an id listed in `bootstrap_admins` is an admin on every platform; otherwise
// the bot_users row of (platform, user_id). nullopt for a user who holds no role. Throws DbError.
std::optional<Actor> find_actor(db::Connection& conn, const std::string& platform,
                                const std::string& user_id,
                                const std::vector<std::string>& bootstrap_admins);

// Gives (platform, user_id) a role (admins only); a consultant role needs the consultant's name
// or id in `consultant_text`. Writes bot_users and an audit row in the caller's transaction.
// Returns the Chinese confirmation, or a UserError (Forbidden, BadInput, NotFound, Ambiguous).
Outcome<std::string> grant_role(db::Connection& conn, const Actor& admin,
                                const std::string& platform, const std::string& user_id,
                                std::string_view role_text, std::string_view consultant_text);

}  // namespace yimei::entry
