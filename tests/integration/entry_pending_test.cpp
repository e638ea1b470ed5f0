// Integration tests of pending previews (bot_pending_entries): save, replace, take, expiry,
// cancel, isolation per user and chat, and a taken plan that still applies.
#include "tests/integration/entry_support.hpp"

namespace yimei::test {
namespace {

class EntryPending : public EntryDb {
 protected:
  entry::EntryPlan plan_for(const std::string& amount) {
    auto c = db_.pool().acquire();
    entry::PurchaseArgs a;
    a.customer = "张三";
    a.product = "测试清洁";
    a.amount = amount;
    auto p = entry::plan_purchase(*c, a, lin_actor(), kEntryToday);
    if (!p) throw std::runtime_error(p.error().message);
    return *p;
  }
  std::string pending_rows() { return scalar(db_, "SELECT COUNT(*) FROM bot_pending_entries"); }
};

TEST_F(EntryPending, SaveTakeOnce) {
  const auto plan = plan_for("300");
  auto c = db_.pool().acquire();
  entry::save_pending(*c, lin_actor(), "chat-1", plan, std::chrono::seconds(300));
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', platform, user_id, chat_id, action, msg_id) FROM "
                   "bot_pending_entries"),
            "wecom|lin|chat-1|purchase|m-lin");
  auto taken = entry::take_pending(*c, lin_actor(), "chat-1");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->action, plan.action);
  EXPECT_EQ(taken->data, plan.data);
  EXPECT_EQ(taken->preview_zh, plan.preview_zh);
  EXPECT_FALSE(entry::take_pending(*c, lin_actor(), "chat-1"));
  EXPECT_EQ(pending_rows(), "0");
  // The taken plan applies as the original would.
  db::Transaction tx(*c);
  auto r = entry::apply_plan(*c, *taken, lin_actor(), 365);
  tx.commit();
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(scalar(db_, "SELECT amount FROM consumption_records WHERE record_id = 6"), "300.00");
}

TEST_F(EntryPending, NewPreviewReplacesTheOld) {
  auto c = db_.pool().acquire();
  entry::save_pending(*c, lin_actor(), "", plan_for("100"), std::chrono::seconds(300));
  entry::save_pending(*c, lin_actor(), "", plan_for("200"), std::chrono::seconds(300));
  EXPECT_EQ(pending_rows(), "1");
  auto taken = entry::take_pending(*c, lin_actor(), "");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->data.at("amount").as_string(), "200.00");
}

TEST_F(EntryPending, ExpiredPreviewIsGoneAndDeleted) {
  auto c = db_.pool().acquire();
  entry::save_pending(*c, lin_actor(), "chat-1", plan_for("100"), std::chrono::seconds(0));
  EXPECT_EQ(pending_rows(), "1");
  EXPECT_FALSE(entry::take_pending(*c, lin_actor(), "chat-1"));
  EXPECT_EQ(pending_rows(), "0");
  entry::save_pending(*c, lin_actor(), "chat-1", plan_for("100"), std::chrono::seconds(300));
  db_.run_script("UPDATE bot_pending_entries SET expires_at = NOW(3) - INTERVAL 1 SECOND");
  EXPECT_FALSE(entry::cancel_pending(*c, lin_actor(), "chat-1"));  // expired: nothing to cancel
  EXPECT_EQ(pending_rows(), "0");
}

TEST_F(EntryPending, CancelAndIsolation) {
  auto c = db_.pool().acquire();
  entry::save_pending(*c, lin_actor(), "chat-1", plan_for("100"), std::chrono::seconds(300));
  EXPECT_FALSE(entry::take_pending(*c, lin_actor(), "chat-2"));   // another chat
  EXPECT_FALSE(entry::take_pending(*c, chen_actor(), "chat-1"));  // another user
  entry::Actor same_id_other_platform = lin_actor();
  same_id_other_platform.platform = "dingtalk";
  EXPECT_FALSE(entry::cancel_pending(*c, same_id_other_platform, "chat-1"));
  EXPECT_EQ(pending_rows(), "1");
  EXPECT_TRUE(entry::cancel_pending(*c, lin_actor(), "chat-1"));
  EXPECT_FALSE(entry::cancel_pending(*c, lin_actor(), "chat-1"));
  EXPECT_FALSE(entry::take_pending(*c, lin_actor(), "chat-1"));
  EXPECT_EQ(pending_rows(), "0");
}

TEST_F(EntryPending, TakeRolledBackWithItsTransaction) {
  auto c = db_.pool().acquire();
  entry::save_pending(*c, lin_actor(), "", plan_for("100"), std::chrono::seconds(300));
  {
    db::Transaction tx(*c);
    EXPECT_TRUE(entry::take_pending(*c, lin_actor(), ""));
    // no commit: e.g. the apply failed on a database error
  }
  EXPECT_EQ(pending_rows(), "1");
}

}  // namespace
}  // namespace yimei::test
