// OpenAiChatClient against tests/support/fake_http_server acting as an OpenAI-compatible
// endpoint: the exact request on the wire (path under the base's version prefix, bearer key,
// JSON body), parsing of the canned completion, and every failure mapped to a Chinese
// Unavailable error (timeout within the configured time, 401 with the API's message, bad
// JSON, refused connection); the key never reaches the logs.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <atomic>
#include <sstream>
#include <thread>

#include "bot/net/openai_chat_client.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/log_capture.hpp"

using namespace yimei;
using namespace yimei::net;
using yimei::test::FakeHttpServer;
using yimei::test::FakeReply;
using yimei::test::RecordedRequest;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace json = boost::json;

namespace {

using yimei::test::LogCapture;

constexpr const char* kKey = "sk-test-0123456789abcdef";

const char* kCompletion = R"({
  "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-test",
  "choices": [{"index": 0, "finish_reason": "stop",
               "message": {"role": "assistant", "content": "```sql\nSELECT 1\n```"}}],
  "usage": {"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49}
})";

FakeReply json_reply(int status, std::string body) {
  FakeReply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

text2sql::ChatRequest question(std::chrono::milliseconds timeout = 5s) {
  text2sql::ChatRequest r;
  r.model = "gpt-test";
  r.messages = {{"system", "你是医美诊所的数据分析助手。"}, {"user", "上个月哪个项目卖得最好？"}};
  r.temperature = 0.2;
  r.timeout = timeout;
  return r;
}

OpenAiOptions options_for(const FakeHttpServer& server, std::string suffix = "/v1") {
  OpenAiOptions o;
  o.api_key = kKey;
  o.base_url = server.base_url() + suffix;
  o.model = "default-model";
  return o;
}

}  // namespace

TEST(NetOpenAi, SendsTheExactWireFormatAndParsesTheCompletion) {
  FakeHttpServer server([](const RecordedRequest&) { return json_reply(200, kCompletion); });
  NetRuntime rt(1);
  HttpClient http(rt);
  OpenAiChatClient llm(http, options_for(server));
  LogCapture logs;

  auto out = llm.complete(question());
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->content, "```sql\nSELECT 1\n```");
  EXPECT_EQ(out->prompt_tokens, 42);
  EXPECT_EQ(out->completion_tokens, 7);
  EXPECT_GE(out->latency.count(), 0);

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/v1/chat/completions");
  EXPECT_EQ(seen[0].header("Authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(seen[0].header("Content-Type"), "application/json");
  json::value body = json::parse(seen[0].body);
  const json::object& o = body.as_object();
  EXPECT_EQ(o.at("model").as_string(), "gpt-test");
  EXPECT_DOUBLE_EQ(o.at("temperature").as_double(), 0.2);
  const json::array& messages = o.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].at("role").as_string(), "system");
  EXPECT_EQ(messages[0].at("content").as_string(), "你是医美诊所的数据分析助手。");
  EXPECT_EQ(messages[1].at("role").as_string(), "user");
  EXPECT_EQ(messages[1].at("content").as_string(), "上个月哪个项目卖得最好？");
  EXPECT_EQ(o.size(), 3u);

  const std::string log = logs.text();
  EXPECT_NE(log.find("prompt_tokens=42 completion_tokens=7 latency_ms="), std::string::npos) << log;
  EXPECT_EQ(log.find(kKey), std::string::npos);
}

TEST(NetOpenAi, DefaultModelAndTrailingSlashBase) {
  FakeHttpServer server([](const RecordedRequest&) { return json_reply(200, kCompletion); });
  NetRuntime rt(1);
  HttpClient http(rt);
  OpenAiChatClient llm(http, options_for(server, "/compatible-mode/v1/"));
  auto req = question();
  req.model.clear();
  ASSERT_TRUE(llm.complete(req).ok());
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/compatible-mode/v1/chat/completions");
  EXPECT_EQ(json::parse(seen[0].body).at("model").as_string(), "default-model");
}

TEST(NetOpenAi, HangingEndpointTimesOutWithinTheConfiguredTime) {
  FakeHttpServer server([](const RecordedRequest&) {
    FakeReply r;
    r.hang = true;
    return r;
  });
  NetRuntime rt(1);
  HttpClient http(rt);
  OpenAiChatClient llm(http, options_for(server));
  const auto start = Clock::now();
  auto out = llm.complete(question(600ms));
  const auto took = Clock::now() - start;
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, ErrorKind::Unavailable);
  EXPECT_NE(out.error().message.find("秒内没有答复"), std::string::npos) << out.error().message;
  EXPECT_GE(took, 590ms);
  EXPECT_LT(took, 2s);
}

TEST(NetOpenAi, UnauthorizedCarriesTheApiMessageButNeverTheKey) {
  FakeHttpServer server([](const RecordedRequest&) {
    // Some compatible servers echo the key they were given; it must not travel further.
    return json_reply(401,
                      std::string(R"({"error": {"message": "Incorrect API key provided: )") + kKey +
                          R"(", "type": "invalid_request_error", "code": "invalid_api_key"}})");
  });
  NetRuntime rt(1);
  HttpClient http(rt);
  OpenAiChatClient llm(http, options_for(server));
  LogCapture logs;
  auto out = llm.complete(question());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, ErrorKind::Unavailable);
  EXPECT_NE(out.error().message.find("HTTP 401"), std::string::npos) << out.error().message;
  EXPECT_NE(out.error().message.find("Incorrect API key provided: ***"), std::string::npos)
      << out.error().message;
  EXPECT_EQ(out.error().message.find(kKey), std::string::npos);
  EXPECT_EQ(logs.text().find(kKey), std::string::npos) << logs.text();
}

TEST(NetOpenAi, ServerErrorWithoutJsonStillNamesTheStatus) {
  FakeHttpServer server(
      [](const RecordedRequest&) { return json_reply(502, "<html>bad gateway</html>"); });
  NetRuntime rt(1);
  HttpClient http(rt);
  OpenAiChatClient llm(http, options_for(server));
  auto out = llm.complete(question());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().message, "大模型服务返回错误（HTTP 502）。");
}

// A 429 with Retry-After: later questions fail at once, without a request, until the time is
// up; then the service is asked again. A 503 without the header pauses for the default time.
TEST(NetOpenAi, RateLimitedServiceIsLeftAloneUntilItsRetryAfter) {
  std::atomic<int> calls{0};
  FakeHttpServer server([&](const RecordedRequest&) {
    if (calls++ > 0) return json_reply(200, kCompletion);
    FakeReply r = json_reply(429, R"({"error":{"message":"Rate limit reached"}})");
    r.headers.emplace_back("Retry-After", "1");
    return r;
  });
  NetRuntime rt(1);
  HttpClient http(rt);
  OpenAiChatClient llm(http, options_for(server));

  auto limited = llm.complete(question());
  ASSERT_FALSE(limited.ok());
  EXPECT_NE(limited.error().message.find("HTTP 429"), std::string::npos);
  auto paused = llm.complete(question());
  ASSERT_FALSE(paused.ok());
  EXPECT_EQ(paused.error().kind, ErrorKind::Unavailable);
  EXPECT_EQ(paused.error().message, "大模型服务请求过多，约 1 秒后恢复");
  EXPECT_EQ(server.requests().size(), 1u);  // the pause sent nothing

  std::this_thread::sleep_for(1100ms);
  auto again = llm.complete(question());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(server.requests().size(), 2u);

  FakeHttpServer busy([](const RecordedRequest&) { return json_reply(503, "overloaded"); });
  OpenAiChatClient busy_llm(http, options_for(busy));
  EXPECT_FALSE(busy_llm.complete(question()).ok());
  auto waiting = busy_llm.complete(question());
  ASSERT_FALSE(waiting.ok());
  EXPECT_EQ(waiting.error().message, "大模型服务请求过多，约 " +
                                         std::to_string(OpenAiChatClient::kDefaultBackoff.count()) +
                                         " 秒后恢复");
  EXPECT_EQ(busy.requests().size(), 1u);
}

TEST(NetOpenAi, MalformedOrIncompleteJsonIsUnavailable) {
  for (const char* body :
       {"not json at all", R"({"choices": []})",
        R"({"choices": [{"message": {"role": "assistant", "content": null}}]})"}) {
    FakeHttpServer server([body](const RecordedRequest&) { return json_reply(200, body); });
    NetRuntime rt(1);
    HttpClient http(rt);
    OpenAiChatClient llm(http, options_for(server));
    auto out = llm.complete(question());
    ASSERT_FALSE(out.ok()) << body;
    EXPECT_EQ(out.error().kind, ErrorKind::Unavailable);
    EXPECT_EQ(out.error().message, "大模型服务的答复格式无法识别。") << body;
  }
}

TEST(NetOpenAi, RefusedConnectionIsUnavailable) {
  std::string dead_base;
  {
    FakeHttpServer gone;
    dead_base = gone.base_url() + "/v1";
  }
  NetRuntime rt(1);
  HttpClient http(rt);
  OpenAiOptions o;
  o.api_key = kKey;
  o.base_url = dead_base;
  o.model = "m";
  OpenAiChatClient llm(http, o);
  auto out = llm.complete(question());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, ErrorKind::Unavailable);
  EXPECT_NE(out.error().message.find("无法连接大模型服务"), std::string::npos);
}

TEST(NetOpenAi, DefaultBaseIsOpenAi) {
  NetRuntime rt(1);
  HttpClient http(rt);
  OpenAiOptions o;
  o.api_key = kKey;
  OpenAiChatClient llm(http, o);
  EXPECT_EQ(llm.endpoint(), "https://api.openai.com/v1/chat/completions");
}

TEST(NetOpenAi, SelfContainedClientForTheCli) {
  FakeHttpServer server([](const RecordedRequest&) { return json_reply(200, kCompletion); });
  auto llm = make_openai_chat_client(options_for(server));
  auto out = llm->complete(question());
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->completion_tokens, 7);
  EXPECT_EQ(server.requests().size(), 1u);
}
