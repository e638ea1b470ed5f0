// Integration tests of roles: bootstrap admins, lookup of granted users, /授权 by admins only,
// consultant bindings by name or id, and the audit row of each grant.
#include "tests/integration/entry_support.hpp"

namespace yimei::test {
namespace {

using entry::find_actor;
using entry::grant_role;
using entry::Role;

class EntryRoles : public EntryDb {
 protected:
  Outcome<std::string> grant(const entry::Actor& by, const std::string& user, std::string_view role,
                             std::string_view consultant = "") {
    auto c = db_.pool().acquire();
    db::Transaction tx(*c);
    auto r = grant_role(*c, by, "wecom", user, role, consultant);
    tx.commit();
    return r;
  }
  const std::vector<std::string> admins_{"boss", "owner"};
};

TEST_F(EntryRoles, BootstrapAdminsAndUnknownUsers) {
  auto c = db_.pool().acquire();
  auto boss = find_actor(*c, "wecom", "boss", admins_);
  ASSERT_TRUE(boss);
  EXPECT_EQ(boss->role, Role::Admin);
  EXPECT_EQ(find_actor(*c, "dingtalk", "owner", admins_)->role, Role::Admin);  // every platform
  EXPECT_FALSE(find_actor(*c, "wecom", "stranger", admins_));
  EXPECT_FALSE(find_actor(*c, "wecom", "", admins_));
}

TEST_F(EntryRoles, AdminGrantsAConsultantBoundByName) {
  auto c = db_.pool().acquire();
  const entry::Actor boss = *find_actor(*c, "wecom", "boss", admins_);
  auto r = grant(boss, "chen", "咨询师", "陈思");
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(*r, "已将用户 chen 设为咨询师（陈思，K02）。");
  auto chen = find_actor(*c, "wecom", "chen", admins_);
  ASSERT_TRUE(chen);
  EXPECT_EQ(chen->role, Role::Consultant);
  EXPECT_EQ(chen->consultant_id, "K02");
  EXPECT_FALSE(find_actor(*c, "dingtalk", "chen", admins_));  // granted on one platform only
  EXPECT_EQ(scalar(db_, "SELECT granted_by FROM bot_users WHERE user_id = 'chen'"), "boss");
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', user_id, action, entity, entity_id, "
                   "JSON_VALUE(after_json, '$.consultant_id')) FROM bot_audit_log"),
            "boss|grant|bot_users|wecom:chen|K02");
  // Re-granting replaces the role and drops the binding.
  ASSERT_TRUE(grant(boss, "chen", "viewer"));
  auto again = find_actor(*c, "wecom", "chen", admins_);
  EXPECT_EQ(again->role, Role::Viewer);
  EXPECT_FALSE(again->consultant_id);
  EXPECT_EQ(scalar(db_, "SELECT COUNT(*) FROM bot_users"), "1");
  EXPECT_EQ(*grant(boss, "mgr1", "Manager"), "已将用户 mgr1 设为店长。");
  EXPECT_EQ(find_actor(*c, "wecom", "mgr1", admins_)->role, Role::Manager);
  EXPECT_EQ(*grant(boss, "lin", "consultant", "K01"), "已将用户 lin 设为咨询师（林小雨，K01）。");
}

TEST_F(EntryRoles, Refusals) {
  auto c = db_.pool().acquire();
  const entry::Actor boss = *find_actor(*c, "wecom", "boss", admins_);
  const std::string before = entry_fingerprint(db_);
  auto by_manager = grant(manager_actor(), "x", "admin");
  ASSERT_FALSE(by_manager);
  EXPECT_EQ(by_manager.error().kind, ErrorKind::Forbidden);
  EXPECT_EQ(by_manager.error().message, "只有管理员可以授权。");
  EXPECT_EQ(message_of(grant(boss, "x", "老板")),
            "角色“老板”无法识别，可用：管理员、店长、咨询师、只读。");
  EXPECT_EQ(message_of(grant(boss, "x", "咨询师")), "设为咨询师时请写上对应的咨询师姓名或编号。");
  EXPECT_EQ(message_of(grant(boss, "x", "咨询师", "林小雨")),
            "有2位咨询师叫林小雨：K01（皮肤科）、K03（激光科）（请用编号）。");
  EXPECT_EQ(message_of(grant(boss, "x", "咨询师", "'; DROP TABLE bot_users; --")),
            "找不到咨询师“'; DROP TABLE bot_us…”。");
  EXPECT_EQ(message_of(grant(boss, "", "admin")), "请写上要授权的用户ID。");
  EXPECT_EQ(message_of(grant(boss, std::string(10240, 'u'), "admin")),
            "用户ID“uuuuuuuuuuuuuuuuuuuu…”不正确（最多 64 个字符）。");
  EXPECT_EQ(entry_fingerprint(db_), before);
}

TEST_F(EntryRoles, UnknownRoleInTheTableGrantsNothing) {
  db_.run_script("INSERT INTO bot_users (platform, user_id, role) VALUES ('wecom', 'odd', 'root')");
  auto c = db_.pool().acquire();
  EXPECT_FALSE(find_actor(*c, "wecom", "odd", admins_));
}

}  // namespace
}  // namespace yimei::test
