// The WeCom adapter's pure parts: %XX-only query decoding, message normalization (text, greeting
// events, dropped events, unsupported types), delivery targets, errcode classes, the per-key
// sliding window and the WECOM_* configuration checks.
#include <gtest/gtest.h>

#include "adapters/wecom/api_client.hpp"
#include "adapters/wecom/callback_routes.hpp"
#include "adapters/wecom/send_limiter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"
#include "bot/config.hpp"

using namespace yimei;
using namespace yimei::wecom;
using namespace std::chrono_literals;

namespace {

WecomMessage message(const std::string& type) {
  WecomMessage m;
  m.to_user = "ww1";
  m.from_user = "lisi";
  m.create_time = "1700000000";
  m.msg_type = type;
  m.agent_id = "1000002";
  return m;
}

bot::Config config_with(std::map<std::string, std::string> env) {
  bot::ConfigSources s;
  s.dotenv_file.clear();
  s.environment = std::move(env);
  return bot::Config::load(s);
}

std::vector<std::string> problem_keys(const bot::ConfigErrors& e) {
  std::vector<std::string> keys;
  for (const auto& p : e.problems()) keys.push_back(p.key);
  return keys;
}

}  // namespace

TEST(WecomQuery, PercentDecodingLeavesPlusAlone) {
  EXPECT_EQ(percent_decode("P9nA%2FqYX3%2B4R%3D%3D"), "P9nA/qYX3+4R==");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("%E4%BD%A0"), "你");
  EXPECT_FALSE(percent_decode("%G1"));
  EXPECT_FALSE(percent_decode("abc%2"));
  EXPECT_FALSE(percent_decode("%"));
}

TEST(WecomQuery, RawQueryKeepsOrderAndDecodesEachPart) {
  auto q = raw_query("/wecom/callback?msg_signature=ab&timestamp=1&echostr=x%2By+z&empty=");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 4u);
  EXPECT_EQ((*q)[2].second, "x+y+z");
  EXPECT_EQ((*q)[3].second, "");
  EXPECT_TRUE(raw_query("/wecom/callback")->empty());
  EXPECT_FALSE(raw_query("/x?a=%zz"));
}

TEST(WecomNormalize, TextMessage) {
  WecomMessage m = message("text");
  m.content = "最近半年各科室业绩";
  m.msg_id = "4561255354251345929";
  auto in = normalize(m);
  ASSERT_TRUE(in);
  EXPECT_EQ(in->platform, "wecom");
  EXPECT_EQ(in->msg_id, "4561255354251345929");
  EXPECT_EQ(in->user_id, "lisi");
  EXPECT_EQ(in->text, "最近半年各科室业绩");
  EXPECT_FALSE(in->is_group);
  EXPECT_TRUE(in->unsupported_type.empty());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(in->time.time_since_epoch()).count(),
            1700000000);
}

TEST(WecomNormalize, GreetingEventsBecomeEmptyTextOthersAreDropped) {
  for (const char* greeting : {"enter_agent", "subscribe"}) {
    WecomMessage m = message("event");
    m.event = greeting;
    auto in = normalize(m);
    ASSERT_TRUE(in) << greeting;
    EXPECT_TRUE(in->text.empty());
    EXPECT_TRUE(in->unsupported_type.empty());
    EXPECT_EQ(in->msg_id, m.dedup_id());
  }
  for (const char* other : {"unsubscribe", "LOCATION", "click", "view", "template_card_event"}) {
    WecomMessage m = message("event");
    m.event = other;
    EXPECT_FALSE(normalize(m)) << other;
  }
}

TEST(WecomNormalize, OtherMessageTypesAreMarkedUnsupported) {
  for (const char* type : {"image", "voice", "video", "location", "link", "file"}) {
    WecomMessage m = message(type);
    m.msg_id = "77";
    auto in = normalize(m);
    ASSERT_TRUE(in) << type;
    EXPECT_EQ(in->unsupported_type, type);
    EXPECT_TRUE(in->text.empty());
  }
}

TEST(WecomTargets, ParsesReplyAndPushForms) {
  auto u = parse_target("user:zhangsan");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->kind, WecomTarget::Kind::User);
  EXPECT_EQ(u->id, "zhangsan");
  EXPECT_EQ(parse_target("chat:wr123")->kind, WecomTarget::Kind::Chat);
  EXPECT_EQ(parse_target("party:2")->kind, WecomTarget::Kind::Party);
  auto r = parse_target("wecom-robot:693a91f6-7xxx");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, WecomTarget::Kind::Robot);
  EXPECT_EQ(r->id, "693a91f6-7xxx");
  EXPECT_EQ(parse_target("wecom-user:a|b")->id, "a|b");
  EXPECT_FALSE(parse_target("dingtalk-user:x"));
  EXPECT_FALSE(parse_target("user:"));
  EXPECT_FALSE(parse_target("zhangsan"));
}

TEST(WecomErrcodes, Classes) {
  EXPECT_EQ(classify_errcode(0), ErrcodeClass::Ok);
  for (int c : {40014, 42001, 41001}) EXPECT_EQ(classify_errcode(c), ErrcodeClass::TokenInvalid);
  for (int c : {40001, 40013}) EXPECT_EQ(classify_errcode(c), ErrcodeClass::Config);
  for (int c : {-1, 45009, 45033}) EXPECT_EQ(classify_errcode(c), ErrcodeClass::Retry);
  for (int c : {81013, 40008, 44004, 45002}) EXPECT_EQ(classify_errcode(c), ErrcodeClass::Refused);
}

TEST(WecomLimiter, NeverMoreThanTheLimitInAnyWindow) {
  SendLimiter limiter(20, 60s);
  const auto t0 = SendLimiter::Clock::time_point{} + 1000s;
  for (int i = 0; i < 20; ++i)
    EXPECT_TRUE(limiter.try_acquire("k", 1, t0 + std::chrono::seconds(i)));
  EXPECT_FALSE(limiter.try_acquire("k", 1, t0 + 30s));
  EXPECT_TRUE(limiter.try_acquire("other", 1, t0 + 30s)) << "keys are independent";
  EXPECT_EQ(limiter.available("k", t0 + 59s), 0u);
  EXPECT_EQ(limiter.available("k", t0 + 60s), 1u) << "the first send left the window";
  EXPECT_TRUE(limiter.try_acquire("k", 1, t0 + 60s));
  EXPECT_FALSE(limiter.try_acquire("k", 1, t0 + 60s));
  EXPECT_FALSE(limiter.try_acquire("k", 3, t0 + 62s)) << "only 2 left: nothing taken";
  EXPECT_TRUE(limiter.try_acquire("k", 2, t0 + 62s));
}

TEST(WecomConfig, OffWithoutCorpId) {
  EXPECT_FALSE(wecom_options(config_with({})));
}

TEST(WecomConfig, HalfConfiguredNamesEveryMissingSetting) {
  try {
    wecom_options(config_with({{"WECOM_CORP_ID", "ww1"}, {"WECOM_TOKEN", "tok"}}));
    FAIL() << "expected ConfigErrors";
  } catch (const bot::ConfigErrors& e) {
    EXPECT_EQ(problem_keys(e),
              (std::vector<std::string>{"WECOM_AES_KEY", "WECOM_AGENT_ID", "WECOM_SECRET"}));
  }
  try {
    wecom_options(config_with({{"WECOM_CORP_ID", "ww1"},
                               {"WECOM_TOKEN", "tok"},
                               {"WECOM_AES_KEY", std::string(43, '!')},
                               {"WECOM_AGENT_ID", "abc"},
                               {"WECOM_SECRET", "s"}}));
    FAIL() << "expected ConfigErrors";
  } catch (const bot::ConfigErrors& e) {
    EXPECT_EQ(problem_keys(e), (std::vector<std::string>{"WECOM_AGENT_ID", "WECOM_AES_KEY"}));
  }
}

TEST(WecomConfig, CompleteSettings) {
  auto o =
      wecom_options(config_with({{"WECOM_CORP_ID", "ww1"},
                                 {"WECOM_TOKEN", "QDG6eK"},
                                 {"WECOM_AES_KEY", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"},
                                 {"WECOM_AGENT_ID", "1000002"},
                                 {"WECOM_SECRET", "s3cret"},
                                 {"WECOM_API_BASE", "http://127.0.0.1:9"},
                                 {"WECOM_TIMESTAMP_WINDOW", "120"},
                                 {"WECOM_ROBOT_MARKDOWN_V2", "1"}}));
  ASSERT_TRUE(o);
  EXPECT_EQ(o->app.agent_id, 1000002);
  EXPECT_EQ(o->app.api_base, "http://127.0.0.1:9");
  EXPECT_EQ(o->robot.api_base, "http://127.0.0.1:9");
  EXPECT_EQ(o->callback.corp_id, "ww1");
  EXPECT_EQ(o->callback.timestamp_window, 120s);
  EXPECT_TRUE(o->robot_markdown_v2);
  EXPECT_EQ(config_with({}).get("WECOM_ROBOT_MARKDOWN_V2"), "0");
}
