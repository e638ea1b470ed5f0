// End to end over loopback with the real `yimei serve` process: a test client that encrypts
// and signs exactly as WeCom does posts callbacks, and a fake WeCom API (gettoken,
// message/send, media/upload) receives the replies. The reply arrives once — also when WeCom
// retries the callback three times and when two retries arrive at once —, an expired token is
// refreshed in the middle of a run, a bad callback is refused with nothing processed, a
// process killed between processing and delivery delivers after its restart, and a burst
// beyond the worker queue is answered from the inbox at once.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "bot/net/http_client.hpp"
#include "bot/net/net_runtime.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/fake_wecom_api.hpp"
#include "tests/support/scratch_db.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/wecom_test_client.hpp"

using namespace std::chrono_literals;
using yimei::test::FakeWecomApi;
using yimei::test::ScratchDatabase;
using yimei::test::ServeProcess;
using yimei::test::WecomTestClient;

namespace {

constexpr const char* kToken = "QDG6eK";
constexpr const char* kAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

class WecomEndToEnd : public ::testing::Test {
 protected:
  ScratchDatabase db_;
  FakeWecomApi api_;
  yimei::net::NetRuntime runtime_{1};
  yimei::net::HttpClient http_{runtime_};

  std::map<std::string, std::string> env() const {
    return {{"DB_NAME", db_.name()},
            {"YIMEI_ADMINS", "zhangsan"},
            {"WECOM_CORP_ID", api_.settings().corp_id},
            {"WECOM_TOKEN", kToken},
            {"WECOM_AES_KEY", kAesKey},
            {"WECOM_AGENT_ID", std::to_string(api_.settings().agent_id)},
            {"WECOM_SECRET", api_.settings().secret},
            {"WECOM_API_BASE", api_.base_url()}};
  }
  WecomTestClient client(const ServeProcess& serve) const {
    return WecomTestClient(serve.base_url(), {kToken, kAesKey, api_.settings().corp_id});
  }
  int post(const yimei::net::HttpRequest& request) {
    auto r = http_.send(request);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.response().status : 0;
  }
  std::vector<yimei::test::FakeAppMessage> messages_to(const std::string& user) const {
    std::vector<yimei::test::FakeAppMessage> out;
    for (auto& m : api_.app_messages())
      if (m.touser == user) out.push_back(m);
    return out;
  }
  std::int64_t count(const std::string& sql) {
    auto c = db_.pool().acquire();
    return std::get<std::int64_t>(c->query(sql, {}).rows[0][0]);
  }
  // Waits until `user` got at least n messages, then a little longer so that a duplicate,
  // if one were coming, would have arrived.
  std::size_t settle_messages_to(const std::string& user, std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (messages_to(user).size() < n && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(50ms);
    std::this_thread::sleep_for(1500ms);
    return messages_to(user).size();
  }
};

TEST_F(WecomEndToEnd, ARetriedCallbackIsAnsweredOnceThroughTheAppApi) {
  ServeProcess serve(env());
  ASSERT_TRUE(serve.running());
  auto wecom = client(serve);
  const auto ts = WecomTestClient::now_timestamp();
  const auto request = wecom.message(wecom.text("zhangsan", "/帮助", "7001", ts), ts, "5501");
  // WeCom's three tries of one message: each acknowledged with an empty 200.
  for (int i = 0; i < 3; ++i) {
    auto r = http_.send(request);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.response().status, 200);
    EXPECT_TRUE(r.response().body.empty());
  }
  ASSERT_EQ(settle_messages_to("zhangsan", 1), 1u) << serve.log();
  const auto reply = messages_to("zhangsan").front();
  EXPECT_EQ(reply.api, "message/send");
  EXPECT_EQ(reply.agentid, api_.settings().agent_id);
  EXPECT_NE(reply.content.find("/增长点"), std::string::npos) << reply.content;
  EXPECT_EQ(api_.gettoken_calls(), 1u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_inbox"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox WHERE status = 'sent'"), 1);
  EXPECT_EQ(serve.stop(SIGTERM).status, 0);
}

TEST_F(WecomEndToEnd, TwoRetriesAtOnceGiveOneReply) {
  ServeProcess serve(env());
  ASSERT_TRUE(serve.running());
  auto wecom = client(serve);
  const auto ts = WecomTestClient::now_timestamp();
  const auto request = wecom.message(wecom.text("zhangsan", "/帮助", "7002", ts), ts, "5502");
  auto a = std::async(std::launch::async, [&] { return post(request); });
  auto b = std::async(std::launch::async, [&] { return post(request); });
  EXPECT_EQ(a.get(), 200);
  EXPECT_EQ(b.get(), 200);
  EXPECT_EQ(settle_messages_to("zhangsan", 1), 1u) << serve.log();
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox"), 1);
}

TEST_F(WecomEndToEnd, AnExpiredTokenIsRefreshedAndTheReplyStillArrivesOnce) {
  ServeProcess serve(env());
  ASSERT_TRUE(serve.running());
  auto wecom = client(serve);
  auto ts = WecomTestClient::now_timestamp();
  EXPECT_EQ(post(wecom.message(wecom.text("zhangsan", "/帮助", "7003", ts), ts, "5503")), 200);
  ASSERT_EQ(settle_messages_to("zhangsan", 1), 1u) << serve.log();
  api_.expire_tokens(42001);  // WeCom revokes the token early
  ts = WecomTestClient::now_timestamp();
  EXPECT_EQ(post(wecom.message(wecom.text("zhangsan", "/帮助", "7004", ts), ts, "5504")), 200);
  EXPECT_EQ(settle_messages_to("zhangsan", 2), 2u) << serve.log();
  EXPECT_EQ(api_.gettoken_calls(), 2u);
  auto all = messages_to("zhangsan");
  EXPECT_NE(all[0].token, all[1].token);
}

TEST_F(WecomEndToEnd, ABurstBeyondTheWorkerQueueIsAnsweredFromTheInboxWithoutWaitingForRecovery) {
  auto e = env();
  e["YIMEI_WORKERS"] = "1";
  e["YIMEI_WORKER_QUEUE"] = "1";
  ServeProcess serve(e);
  ASSERT_TRUE(serve.running());
  auto wecom = client(serve);
  constexpr int kSenders = 30;  // unknown users: each gets the short refusal
  std::vector<std::future<int>> posts;
  for (int i = 0; i < kSenders; ++i) {
    posts.push_back(std::async(std::launch::async, [&, i] {
      const auto ts = WecomTestClient::now_timestamp();
      const std::string user = "burst" + std::to_string(i);
      return post(wecom.message(wecom.text(user, "/帮助", std::to_string(8100 + i), ts), ts,
                                std::to_string(6100 + i)));
    }));
  }
  for (auto& p : posts) EXPECT_EQ(p.get(), 200);
  // The periodic recovery (every 10 s, messages older than 5 s) would be too late: the workers
  // take what did not fit in their queue from the inbox as soon as they have room.
  const auto deadline = std::chrono::steady_clock::now() + 7s;
  while (count("SELECT COUNT(*) FROM bot_outbox WHERE status = 'sent'") < kSenders &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox WHERE status = 'sent'"), kSenders)
      << serve.log();
  std::this_thread::sleep_for(1s);  // a duplicate, if one were coming
  for (int i = 0; i < kSenders; ++i)
    EXPECT_EQ(messages_to("burst" + std::to_string(i)).size(), 1u) << "burst" << i;
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_inbox WHERE status = 'done'"), kSenders);
  yimei::net::HttpRequest metrics_request;
  metrics_request.url = serve.base_url() + "/metrics";
  auto metrics = http_.send(metrics_request);
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics.response().body.find("yimei_messages_deferred_total"), std::string::npos)
      << "the burst did overflow the queue";
  // One warning for the whole burst, not a line per message.
  const std::string log = serve.log();
  std::size_t warnings = 0;
  for (auto at = log.find("workers busy"); at != std::string::npos;
       at = log.find("workers busy", at + 1))
    ++warnings;
  EXPECT_EQ(warnings, 1u) << log;
  EXPECT_EQ(serve.stop(SIGTERM).status, 0);
}

TEST_F(WecomEndToEnd, AForgedCallbackIsRefusedAndNothingIsProcessed) {
  ServeProcess serve(env());
  ASSERT_TRUE(serve.running());
  auto wecom = client(serve);
  const auto ts = WecomTestClient::now_timestamp();
  auto forged = wecom.message(wecom.text("zhangsan", "/帮助", "7005", ts), ts, "5505");
  forged.url.replace(forged.url.find("msg_signature=") + 14, 4, "0000");
  const int status = post(forged);
  EXPECT_GE(status, 400);
  EXPECT_LT(status, 500);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_inbox"), 0);
  // The server is unaffected: a genuine message right after is answered.
  EXPECT_EQ(post(wecom.message(wecom.text("zhangsan", "/帮助", "7006", ts), ts, "5506")), 200);
  EXPECT_EQ(settle_messages_to("zhangsan", 1), 1u);
}

TEST_F(WecomEndToEnd, AProcessKilledBetweenProcessingAndDeliveryDeliversAfterRestart) {
  // message/send fails (WeCom overloaded) for the next three calls: the reply is processed and
  // waits in the outbox when the process is killed (SIGKILL: no graceful anything).
  api_.fail_next_http("message/send", 503, 3);
  {
    ServeProcess serve(env());
    ASSERT_TRUE(serve.running());
    auto wecom = client(serve);
    const auto ts = WecomTestClient::now_timestamp();
    EXPECT_EQ(post(wecom.message(wecom.text("zhangsan", "/帮助", "7007", ts), ts, "5507")), 200);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (count("SELECT COUNT(*) FROM bot_outbox") == 0 &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(50ms);
    ASSERT_EQ(count("SELECT COUNT(*) FROM bot_inbox WHERE status = 'done'"), 1);
    serve.stop(SIGKILL);
  }
  EXPECT_EQ(messages_to("zhangsan").size(), 0u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox WHERE status <> 'sent'"), 1);
  // The lease of the killed sender must not delay the restarted one for long; rows of a
  // killed sender are retried by the next pass.
  db_.pool().acquire()->execute_unprepared("UPDATE bot_outbox SET next_attempt = NOW(3)");
  ServeProcess again(env());
  ASSERT_TRUE(again.running());
  EXPECT_EQ(settle_messages_to("zhangsan", 1), 1u) << again.log();
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox WHERE status = 'sent'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_inbox"), 1);
}

TEST_F(WecomEndToEnd, ASlowLlmAnswerIsPrecededByAProgressNotice) {
  // A slow OpenAI-compatible endpoint that answers with one fenced SQL block.
  yimei::test::FakeHttpServer llm([](const yimei::test::RecordedRequest&) {
    yimei::test::FakeReply r;
    r.delay = 1500ms;
    r.body = R"({"id":"c1","object":"chat.completion","model":"fake","choices":[{"index":0,)"
             R"("message":{"role":"assistant","content":"```sql\nSELECT COUNT(*) AS 顾客数 )"
             R"(FROM customers\n```"},"finish_reason":"stop"}],)"
             R"("usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}})";
    return r;
  });
  auto e = env();
  e["OPENAI_API_KEY"] = "sk-test";
  e["OPENAI_BASE_URL"] = llm.base_url() + "/v1";
  ServeProcess serve(e);
  ASSERT_TRUE(serve.running());
  auto wecom = client(serve);
  const auto ts = WecomTestClient::now_timestamp();
  EXPECT_EQ(post(wecom.message(wecom.text("zhangsan", "随便聊聊那个啥", "7008", ts), ts, "5508")),
            200);
  ASSERT_EQ(settle_messages_to("zhangsan", 2), 2u) << serve.log();
  const auto got = messages_to("zhangsan");
  EXPECT_NE(got[0].content.find("正在查询"), std::string::npos) << got[0].content;
  EXPECT_NE(got[1].content.find("顾客数"), std::string::npos) << got[1].content;
  EXPECT_EQ(llm.requests().size(), 1u);
}

TEST_F(WecomEndToEnd, UrlVerificationEchoesThePlaintext) {
  ServeProcess serve(env());
  ASSERT_TRUE(serve.running());
  auto wecom = client(serve);
  auto r = http_.send(
      wecom.verification("1616140317555161061", WecomTestClient::now_timestamp(), "1372623149"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response().status, 200);
  EXPECT_EQ(r.response().body, "1616140317555161061");
}

// The push scheduler runs inside `yimei serve`: two instances on one database run a job due
// every minute, with a grace period that covers just the last slot; the group robot gets each
// slot's report once, and every slot is recorded done by one of them.
TEST_F(WecomEndToEnd, TwoInstancesPushEachScheduledSlotToTheGroupRobotOnce) {
  const std::string config = "/tmp/yimei-push-e2e-" + std::to_string(::getpid()) + ".toml";
  std::ofstream(config) << R"toml(
[[push]]
name = "minutely"
cron = "* * * * *"
timezone = "UTC"
report = "daily-summary"
targets = ["wecom-robot:robot-key-0001"]
)toml";
  auto e = env();
  e["YIMEI_PUSH_GRACE_S"] = "61";
  ServeProcess serve(e, 20s, {"--config", config});
  ServeProcess other(e, 20s, {"--config", config});
  ASSERT_TRUE(serve.running());
  ASSERT_TRUE(other.running());
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (api_.robot_messages().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(serve.stop(SIGTERM).status, 0);
  EXPECT_EQ(other.stop(SIGTERM).status, 0);
  std::filesystem::remove(config);

  const std::int64_t slots = count("SELECT COUNT(*) FROM bot_schedule_slots WHERE status = 'done'");
  ASSERT_GE(slots, 1) << serve.log() << other.log();
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_schedule_slots WHERE status <> 'done'"), 0);
  // One report text per slot (an empty clinic's summary may come without a chart).
  std::int64_t reports = 0;
  for (const auto& m : api_.robot_messages()) {
    EXPECT_EQ(m.key, "robot-key-0001");
    if (m.content.find("每日经营摘要") != std::string::npos) ++reports;
  }
  // Each slot enqueued one reply; each sent reply arrived once (a slot that fell due just
  // before the stop may still wait in the outbox for the next start).
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox"), slots);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox WHERE status = 'sent'"), reports) << serve.log();
  EXPECT_GE(reports, 1);
}

}  // namespace
