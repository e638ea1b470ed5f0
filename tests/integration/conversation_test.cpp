// The conversation core on a real database: exactly-once processing and delivery (retries,
// concurrent duplicates, a crash between processing and delivery), roles, phone masking, group
// privacy, the preview/confirm/cancel flow and friendly failures.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>
#include <thread>

#include "bot/feedback_export.hpp"

#include "bot/inbox.hpp"
#include "bot/outbox.hpp"
#include "bot/processor.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::bot;

namespace {

class Harness {
 public:
  // The rate limit is off unless a test sets one (messages per minute, burst).
  explicit Harness(int per_min = 0, int burst = 0)
      : db_("clinic-a-small.sql.gz"),
        config_(Config::defaults()),
        limiter_(per_min, burst),
        services_{
            config_,  db_.pool(),           nullptr,  [] { return *parse_date("2026-06-30"); },
            limiter_, ConversationPolicy{}, {"boss"}, {}},
        router_(services_),
        processor_(services_, router_) {
    auto c = db_.pool().acquire();
    c->execute(
        "INSERT INTO bot_users (platform, user_id, role, consultant_id) VALUES "
        "('wecom','wang','consultant','E001'),('wecom','viewer1','viewer',NULL),"
        "('wecom','mgr','manager',NULL)");
  }

  IncomingMessage msg(const std::string& user, const std::string& text, bool group = false) {
    IncomingMessage m;
    m.platform = "wecom";
    m.msg_id = "m" + std::to_string(++counter_);
    m.user_id = user;
    m.text = text;
    m.is_group = group;
    if (group) m.chat_id = "group-1";
    return m;
  }

  // Records, processes and delivers; returns the delivered texts.
  std::vector<std::string> say(const IncomingMessage& m) {
    {
      auto c = db_.pool().acquire();
      record_incoming(*c, m);
    }
    processor_.process(m.platform, m.msg_id);
    return deliver();
  }
  std::string say1(const std::string& user, const std::string& text, bool group = false) {
    auto out = say(msg(user, text, group));
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? "" : out[0];
  }

  std::vector<std::string> deliver() {
    std::vector<std::string> texts;
    deliver_due(
        db_.pool(), "wecom",
        [&](const OutboxRow& r) -> Outcome<bool> {
          texts.push_back(r.reply.text);
          return true;
        },
        OutboxPolicy{});
    return texts;
  }

  std::int64_t count(const std::string& sql) {
    auto c = db_.pool().acquire();
    return std::get<std::int64_t>(c->query(sql).rows.at(0).at(0));
  }

  test::ScratchDatabase db_;
  Config config_;
  RateLimiter limiter_;
  AppServices services_;
  Router router_;
  MessageProcessor processor_;
  int counter_ = 0;
};

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST(ConversationDb, UnknownUserIsRefusedPolitelyAndNothingRuns) {
  Harness h;
  const std::string r = h.say1("stranger", "/消费 C000504 光子嫩肤 980");
  EXPECT_TRUE(contains(r, "联系管理员")) << r;
  EXPECT_TRUE(contains(r, "boss")) << r;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_pending_entries"), 0);
}

TEST(ConversationDb, PlatformRetryNeitherEntersTwiceNorRepliesTwice) {
  Harness h;
  IncomingMessage m = h.msg("boss", "/消费 C000504 光子嫩肤 980");
  h.services_.policy.write_at_once_roles = {"admin"};
  const auto before = h.count("SELECT COUNT(*) FROM consumption_records");
  auto first = h.say(m);
  auto retry = h.say(m);  // WeCom retries the same MsgId
  auto again = h.say(m);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(contains(first[0], "已录入")) << first[0];
  EXPECT_TRUE(retry.empty());
  EXPECT_TRUE(again.empty());
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM consumption_records"), before + 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_outbox"), 1);
}

TEST(ConversationDb, ConcurrentDuplicatesGiveOneEntryAndOneReply) {
  Harness h;
  h.services_.policy.write_at_once_roles = {"admin"};
  IncomingMessage m = h.msg("boss", "/消费 C000504 光子嫩肤 980");
  const auto before = h.count("SELECT COUNT(*) FROM consumption_records");
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      {
        auto c = h.db_.pool().acquire();
        record_incoming(*c, m);
      }
      h.processor_.process(m.platform, m.msg_id);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(h.deliver().size(), 1u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM consumption_records"), before + 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_inbox"), 1);
}

TEST(ConversationDb, ReplyWrittenBeforeACrashIsDeliveredAfterRestartOnce) {
  Harness h;
  IncomingMessage m = h.msg("boss", "/帮助");
  {
    auto c = h.db_.pool().acquire();
    record_incoming(*c, m);
  }
  h.processor_.process(m.platform, m.msg_id);
  // The process dies here: the reply sits in the outbox. A new sender after the restart:
  Router router2(h.services_);
  MessageProcessor processor2(h.services_, router2);
  EXPECT_EQ(processor2.recover(), 0u);  // nothing to reprocess
  auto delivered = h.deliver();
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_TRUE(contains(delivered[0], "命令"));
  EXPECT_TRUE(h.deliver().empty());
}

TEST(ConversationDb, RecordedButUnprocessedMessagesAreRecovered) {
  Harness h;
  IncomingMessage m = h.msg("boss", "/帮助");
  {
    auto c = h.db_.pool().acquire();
    record_incoming(*c, m);  // acknowledged, then the process died before processing
  }
  EXPECT_EQ(h.processor_.recover(), 1u);
  EXPECT_EQ(h.deliver().size(), 1u);
  EXPECT_EQ(h.processor_.recover(), 0u);
}

TEST(ConversationDb, FailedDeliveryIsRetriedWithBackoffThenMarkedFailed) {
  Harness h;
  IncomingMessage m = h.msg("boss", "/帮助");
  {
    auto c = h.db_.pool().acquire();
    record_incoming(*c, m);
  }
  h.processor_.process(m.platform, m.msg_id);
  OutboxPolicy p;
  p.max_attempts = 2;
  int calls = 0;
  auto failing = [&](const OutboxRow&) -> Outcome<bool> {
    ++calls;
    return UserError{ErrorKind::Unavailable, "platform down"};
  };
  EXPECT_EQ(deliver_due(h.db_.pool(), "wecom", failing, p), 0u);
  EXPECT_EQ(
      h.count("SELECT COUNT(*) FROM bot_outbox WHERE status='pending' AND next_attempt > NOW(3)"),
      1);
  // Not due yet: the backoff holds it back.
  EXPECT_EQ(deliver_due(h.db_.pool(), "wecom", failing, p), 0u);
  EXPECT_EQ(calls, 1);
  {
    auto c = h.db_.pool().acquire();
    c->execute("UPDATE bot_outbox SET next_attempt = NOW(3)");
  }
  deliver_due(h.db_.pool(), "wecom", failing, p);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_outbox WHERE status='failed'"), 1);
}

TEST(ConversationDb, PreviewConfirmCancelAndExpiry) {
  Harness h;
  const auto before = h.count("SELECT COUNT(*) FROM consumption_records");
  std::string r = h.say1("boss", "/消费 C000504 光子嫩肤 980 2 支付宝 2026-06-29");
  EXPECT_TRUE(contains(r, "确认")) << r;
  EXPECT_TRUE(contains(r, "支付宝")) << r;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM consumption_records"), before);
  r = h.say1("boss", "取消");
  EXPECT_TRUE(contains(r, "已取消")) << r;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM consumption_records"), before);
  EXPECT_TRUE(contains(h.say1("boss", "确认"), "没有等待确认"));
  h.say1("boss", "/消费 C000504 光子嫩肤 980");
  {
    auto c = h.db_.pool().acquire();
    c->execute("UPDATE bot_pending_entries SET expires_at = NOW(3) - INTERVAL 1 SECOND");
  }
  EXPECT_TRUE(contains(h.say1("boss", "确认"), "没有等待确认"));
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM consumption_records"), before);
  h.say1("boss", "/消费 C000504 光子嫩肤 980");
  r = h.say1("boss", "确认");
  EXPECT_TRUE(contains(r, "已录入")) << r;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM consumption_records"), before + 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_audit_log"), 1);
}

TEST(ConversationDb, BadEntryInputChangesNothing) {
  Harness h;
  h.services_.policy.write_at_once_roles = {"admin"};
  const auto before = h.count("SELECT COUNT(*) FROM consumption_records");
  for (const std::string& text :
       {std::string("/消费"), std::string("/消费 C000504 光子嫩肤 -5"),
        std::string("/消费 C000504 光子嫩肤 0"), std::string("/消费 查无此人 光子嫩肤 980"),
        std::string("/消费 C000504 光子嫩肤 980 2099-01-01"),
        std::string("/消费 '; DROP TABLE customers; -- 光子嫩肤 980"),
        "/消费 C000504 " + std::string(10000, 'x') + " 980"}) {
    const std::string r = h.say1("boss", text);
    EXPECT_FALSE(contains(r, "已录入")) << text << " -> " << r;
  }
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM consumption_records"), before);
  EXPECT_GT(h.count("SELECT COUNT(*) FROM customers"), 0);
}

TEST(ConversationDb, ViewersOnlyAskAndUnknownCommandsSuggest) {
  Harness h;
  EXPECT_TRUE(contains(h.say1("viewer1", "/消费 C000504 光子嫩肤 980"), "只能查询"));
  const std::string r = h.say1("viewer1", "/增长");
  EXPECT_TRUE(contains(r, "十大增长点")) << r;  // "/增长" is an alias
  const std::string typo = h.say1("viewer1", "/划口 张三 卡");
  EXPECT_TRUE(contains(typo, "/划扣")) << typo;
  EXPECT_TRUE(contains(typo, "/帮助")) << typo;
}

TEST(ConversationDb, PhonesMaskedForConsultantsAndGroupsGetAggregatesOnly) {
  Harness h;
  const std::string mine = h.say1("wang", "/不活跃 days=365");
  EXPECT_TRUE(contains(mine, "****")) << mine;
  const std::string boss = h.say1("boss", "/不活跃 days=365");
  EXPECT_FALSE(contains(boss, "****"));
  const std::string group = h.say1("mgr", "/不活跃 days=365", true);
  EXPECT_TRUE(contains(group, "私聊")) << group;
  EXPECT_FALSE(contains(group, "C00")) << group;          // no customer ids
  EXPECT_TRUE(contains(group, "不活跃顾客数")) << group;  // the aggregates stay
  EXPECT_TRUE(contains(h.say1("mgr", "/顾客 C000504", true), "私聊"));
}

TEST(ConversationDb, ConsultantSeesOnlyOwnCustomers) {
  Harness h;
  auto c = h.db_.pool().acquire();
  const auto own =
      c->query("SELECT customer_id FROM customers WHERE consultant_id = 'E001' LIMIT 1");
  const auto other =
      c->query("SELECT customer_id FROM customers WHERE consultant_id <> 'E001' LIMIT 1");
  ASSERT_FALSE(own.rows.empty());
  ASSERT_FALSE(other.rows.empty());
  const std::string mine = h.say1("wang", "/顾客 " + std::get<Text>(own.rows[0][0]).str());
  EXPECT_TRUE(contains(mine, "顾客档案")) << mine;
  const std::string theirs = h.say1("wang", "/顾客 " + std::get<Text>(other.rows[0][0]).str());
  EXPECT_FALSE(contains(theirs, "顾客档案")) << theirs;
}

TEST(ConversationDb, TextToSqlOffGivesAClearSentence) {
  Harness h;
  const std::string r = h.say1("boss", "上个月业绩多少");
  EXPECT_TRUE(contains(r, "只读数据库账号")) << r;
}

TEST(ConversationDb, FeedbackIsStoredForTheLastAnswer) {
  Harness h;
  EXPECT_TRUE(contains(h.say1("boss", "/反馈 对"), "还没有"));
  {
    auto c = h.db_.pool().acquire();
    c->execute(
        "INSERT INTO bot_conversation_state (platform, user_id, chat_id, state_json) VALUES "
        "('wecom','boss','','{\"question\":\"q\",\"spec\":\"\",\"sql\":\"SELECT "
        "1\",\"digest\":\"d\"}')");
  }
  EXPECT_TRUE(contains(h.say1("boss", "/反馈 错 应该按科室"), "感谢"));
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_feedback WHERE verdict='wrong' AND note='应该按科室' "
                    "AND sql_text='SELECT 1'"),
            1);
  std::ostringstream out;
  {
    auto c = h.db_.pool().acquire();
    EXPECT_EQ(export_feedback(*c, "all", out), 1u);
    std::ostringstream none;
    EXPECT_EQ(export_feedback(*c, "correct", none), 0u);
    EXPECT_TRUE(none.str().empty());
  }
  const auto line = boost::json::parse(out.str()).as_object();
  EXPECT_EQ(line.at("question").as_string(), "q");
  EXPECT_EQ(line.at("gold_sql").as_string(), "SELECT 1");
  EXPECT_EQ(line.at("verdict").as_string(), "wrong");
  EXPECT_EQ(line.at("note").as_string(), "应该按科室");
  EXPECT_FALSE(line.at("order_matters").as_bool());
}

TEST(ConversationDb, ATooChattyUserIsAskedToWaitAndNothingRuns) {
  Harness h(1, 2);  // a burst of two, then one a minute
  EXPECT_TRUE(contains(h.say1("mgr", "/帮助"), "/增长点"));
  EXPECT_TRUE(contains(h.say1("mgr", "/帮助"), "/增长点"));
  const auto customers = h.count("SELECT COUNT(*) FROM customers");
  EXPECT_EQ(h.say1("mgr", "/新客 赵六 13800001234"), "您发得太快了，请稍等一分钟再试。");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM customers"), customers);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_pending_entries"), 0);
  // Each user has a bucket of their own.
  EXPECT_TRUE(contains(h.say1("boss", "/帮助"), "/增长点"));
}
