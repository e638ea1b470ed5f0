// The WeCom callback routes in a real net::HttpServer on an ephemeral port, fed by real HTTP
// requests built like WeCom's (tests/support/wecom_test_client) and recording into a scratch
// database inbox through a MessageIntake of this test (bot::record_incoming_batch): the official
// URL-verification vector, a message recorded once however often it is retried (also twice at
// once), greeting events, unsupported types, ignored events, a failed intake (503, then the
// retry succeeds), and every bad input refused with 4xx, nothing recorded, the server unharmed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "adapters/wecom/callback_routes.hpp"
#include "adapters/wecom/msg_crypt.hpp"
#include "bot/inbox.hpp"
#include "bot/metrics.hpp"
#include "bot/net/http_client.hpp"
#include "bot/net/http_server.hpp"
#include "bot/net/worker_pool.hpp"
#include "bot/platform.hpp"
#include "tests/support/scratch_db.hpp"
#include "tests/support/wecom_test_client.hpp"

using namespace yimei;
using namespace std::chrono_literals;
using yimei::test::WecomTestClient;

namespace {

// The official vector (protocols.md §a.1, tests/fixtures/vectors/wecom_callback_crypto.json).
constexpr const char* kToken = "QDG6eK";
constexpr const char* kAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
constexpr const char* kCorpId = "wx5823bf96d3bd56c7";

// Records into the inbox on its own threads, as the real intake does; can be told to fail.
class RecordingIntake : public bot::MessageIntake {
 public:
  explicit RecordingIntake(db::ConnectionPool& pool)
      : pool_(pool),
        writers_({.threads = 2,
                  .queue_capacity = 64,
                  .name = "intake",
                  .on_thread_start = db::thread_init,
                  .on_thread_stop = db::thread_end}) {}

  void submit(bot::IncomingMessage m, std::function<void(bot::IntakeResult)> done) override {
    ++submitted;
    const bool queued = writers_.submit([this, m = std::move(m), done] {
      if (failing) return done(bot::IntakeResult::Failed);
      try {
        auto conn = pool_.acquire();
        const auto fresh = bot::record_incoming_batch(*conn, {m});
        done(fresh.at(0) ? bot::IntakeResult::Recorded : bot::IntakeResult::Duplicate);
      } catch (const std::exception&) {
        done(bot::IntakeResult::Failed);
      }
    });
    if (!queued) done(bot::IntakeResult::Failed);
  }

  std::atomic<int> submitted{0};
  std::atomic<bool> failing{false};

 private:
  db::ConnectionPool& pool_;
  net::WorkerPool writers_;
};

// Status code of a POST sent byte for byte over a plain socket; 0 when no answer came.
int raw_post_status(std::uint16_t port, const std::string& target, const std::string& body) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return 0;
  }
  const std::string request = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                              "Content-Type: text/xml\r\nConnection: close\r\n" +
                              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, n);
  ::close(fd);
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

class WecomCallbackTest : public ::testing::Test {
 protected:
  WecomCallbackTest() : runtime_(2), intake_(db_.pool()), client_(runtime_) {
    wecom::CallbackSettings s;
    s.corp_id = kCorpId;
    s.token = kToken;
    s.aes_key = kAesKey;
    s.timestamp_window = 300s;
    s.now_seconds = [this]() -> std::int64_t {
      const std::int64_t pinned = pinned_now_.load();
      return pinned ? pinned : std::stoll(WecomTestClient::now_timestamp());
    };
    auto routes = wecom::CallbackRoutes::create(s, intake_, metrics_);
    EXPECT_TRUE(routes);
    net::Router router;
    routes->add_to(router);
    net::HttpServerOptions o;
    o.port = 0;
    server_ = std::make_unique<net::HttpServer>(runtime_, o, router);
    server_->start();
    wecom_ = std::make_unique<WecomTestClient>(
        "http://127.0.0.1:" + std::to_string(server_->port()),
        yimei::test::WecomCallbackSecrets{kToken, kAesKey, kCorpId});
  }
  ~WecomCallbackTest() override { server_->shutdown(2s); }

  net::HttpResponse send(net::HttpRequest r) {
    r.deadline = 5s;
    auto result = client_.send(std::move(r));
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().detail);
    return result.ok() ? result.response() : net::HttpResponse{};
  }

  std::int64_t inbox_count() {
    auto c = db_.pool().acquire();
    return std::get<std::int64_t>(
        c->query("SELECT COUNT(*) FROM bot_inbox WHERE platform = 'wecom'").rows.at(0).at(0));
  }

  bot::IncomingMessage inbox_message(const std::string& msg_id) {
    auto c = db_.pool().acquire();
    auto t =
        c->query("SELECT body FROM bot_inbox WHERE platform = 'wecom' AND msg_id = ?", {msg_id});
    EXPECT_EQ(t.rows.size(), 1u);
    return bot::message_from_json(std::get<Text>(t.rows.at(0).at(0)));
  }

  std::uint64_t refused(const char* result) const {
    return metrics_.counter(wecom::kCallbackMetric, std::string("result=\"") + result + "\"");
  }

  // A well-formed signed POST whose encrypted plaintext is `plaintext`.
  net::HttpRequest signed_post(const std::string& encrypt, const std::string& timestamp) const {
    return wecom_->post({{"msg_signature", wecom_->sign(timestamp, "4242", encrypt)},
                         {"timestamp", timestamp},
                         {"nonce", "4242"}},
                        wecom_->envelope(encrypt));
  }

  test::ScratchDatabase db_;
  bot::Metrics metrics_;
  net::NetRuntime runtime_;
  RecordingIntake intake_;
  net::HttpClient client_;
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<WecomTestClient> wecom_;
  std::atomic<std::int64_t> pinned_now_{0};
};

}  // namespace

TEST_F(WecomCallbackTest, UrlVerificationWithTheOfficialVector) {
  pinned_now_ = 1409659589;  // the vector's timestamp
  const auto base = wecom_->get({{"msg_signature", "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"},
                                 {"timestamp", "1409659589"},
                                 {"nonce", "263014780"},
                                 {"echostr",
                                  "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+"
                                  "4RPcs8TgAE7OaBO+FZXvnaqQ=="}});
  EXPECT_NE(base.url.find("echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3"), std::string::npos);
  auto r = send(base);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "1616140317555161061") << "exactly the plaintext: no quotes, no newline";
  EXPECT_EQ(r.headers.get("Content-Type").value_or("").rfind("text/plain", 0), 0u);

  // '+' sent raw (not %2B) stays '+': no form decoding.
  net::HttpRequest raw = base;
  const auto at = raw.url.find("echostr=");
  raw.url = raw.url.substr(0, at) +
            "echostr=P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+"
            "4RPcs8TgAE7OaBO+FZXvnaqQ%3D%3D";
  auto r2 = send(raw);
  EXPECT_EQ(r2.status, 200);
  EXPECT_EQ(r2.body, "1616140317555161061");

  pinned_now_ = 0;  // the same vector today is stale
  EXPECT_EQ(send(base).status, 400);
  EXPECT_EQ(refused("verified"), 2u);
  EXPECT_EQ(refused("stale_timestamp"), 1u);
}

TEST_F(WecomCallbackTest, VerificationOfOurOwnEchostrAtTheCurrentTime) {
  auto r = send(wecom_->verification("8762093847561", WecomTestClient::now_timestamp(), "17"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "8762093847561");
}

TEST_F(WecomCallbackTest, ATextMessageIsRecordedOnceHoweverOftenWeComRetries) {
  const std::string ts = WecomTestClient::now_timestamp();
  const auto msg = wecom_->text("zhangsan", "最近半年各科室业绩 <对比>", "7000000000000000001", ts);
  const auto request = wecom_->message(msg, ts, "1372623149");
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto r = send(request);
    EXPECT_EQ(r.status, 200) << attempt;
    EXPECT_EQ(r.body, "") << "an empty 200: no passive reply";
  }
  EXPECT_EQ(inbox_count(), 1);
  const auto in = inbox_message("7000000000000000001");
  EXPECT_EQ(in.user_id, "zhangsan");
  EXPECT_EQ(in.text, "最近半年各科室业绩 <对比>");
  EXPECT_FALSE(in.is_group);
  EXPECT_EQ(refused("recorded"), 1u);
  EXPECT_EQ(refused("duplicate"), 2u);

  // Two retries of a new message at the same moment: recorded once, both answered 200.
  const auto twin =
      wecom_->message(wecom_->text("lisi", "本月业绩", "7000000000000000002", ts), ts, "99");
  std::atomic<int> ok{0};
  std::thread a([&] { ok += send(twin).status == 200; });
  std::thread b([&] { ok += send(twin).status == 200; });
  a.join();
  b.join();
  EXPECT_EQ(ok.load(), 2);
  EXPECT_EQ(inbox_count(), 2);
  EXPECT_EQ(inbox_message("7000000000000000002").text, "本月业绩");
}

TEST_F(WecomCallbackTest, GreetingsUnsupportedTypesAndIgnoredEvents) {
  const std::string ts = WecomTestClient::now_timestamp();
  EXPECT_EQ(send(wecom_->message(wecom_->event("wangwu", "enter_agent", ts), ts, "1")).status, 200);
  const auto greeting = inbox_message("event:wangwu:" + ts + ":enter_agent");
  EXPECT_EQ(greeting.text, "");
  EXPECT_EQ(greeting.unsupported_type, "");

  EXPECT_EQ(send(wecom_->message_xml(wecom_->image_xml("wangwu", "880001", ts), ts, "2")).status,
            200);
  const auto picture = inbox_message("880001");
  EXPECT_EQ(picture.unsupported_type, "image");
  EXPECT_EQ(picture.text, "");

  for (const char* ev : {"unsubscribe", "LOCATION", "click"}) {
    EXPECT_EQ(send(wecom_->message(wecom_->event("wangwu", ev, ts), ts, "3")).status, 200) << ev;
  }
  EXPECT_EQ(inbox_count(), 2) << "other events are acknowledged and dropped";
  EXPECT_EQ(refused("ignored"), 3u);
}

TEST_F(WecomCallbackTest, AFailedIntakeAnswers503AndTheRetrySucceeds) {
  const std::string ts = WecomTestClient::now_timestamp();
  const auto request =
      wecom_->message(wecom_->text("zhangsan", "余额", "7000000000000000009", ts), ts, "5");
  intake_.failing = true;
  EXPECT_EQ(send(request).status, 503);
  EXPECT_EQ(inbox_count(), 0);
  intake_.failing = false;
  EXPECT_EQ(send(request).status, 200);
  EXPECT_EQ(inbox_count(), 1);
}

TEST_F(WecomCallbackTest, EveryBadInputIsRefusedAndNothingIsRecorded) {
  const std::string ts = WecomTestClient::now_timestamp();
  const std::string good_xml =
      wecom::message_xml(wecom_->text("mallory", "hi", "7100000000000000001", ts));
  const std::string enc = wecom_->encrypt(good_xml);
  const std::string sig = wecom_->sign(ts, "4242", enc);
  const std::string envelope = wecom_->envelope(enc);

  // Another corp's ciphertext under the same token and key: the receive id differs.
  WecomTestClient other("http://127.0.0.1:1",
                        yimei::test::WecomCallbackSecrets{kToken, kAesKey, "wwothercorp"});
  const std::string foreign = other.encrypt(good_xml);

  // A flipped bit in the next-to-last block garbles the padding byte of the last one.
  std::string raw;
  ASSERT_TRUE(wecom::base64_decode(enc, raw));
  raw[raw.size() - 17] = static_cast<char>(raw[raw.size() - 17] ^ 0x80);
  const std::string bad_padding = wecom::base64_encode(raw);

  const std::string stale = std::to_string(std::stoll(ts) - 3600);
  struct Case {
    const char* name;
    net::HttpRequest request;
    int status;
    const char* result;
  };
  std::vector<Case> cases = {
      {"wrong signature",
       wecom_->post({{"msg_signature", std::string(40, 'a')}, {"timestamp", ts}, {"nonce", "4242"}},
                    envelope),
       403, "bad_signature"},
      {"signature by another token",
       wecom_->post(
           {{"msg_signature",
             WecomTestClient("http://x", {"OtherTk", kAesKey, kCorpId}).sign(ts, "4242", enc)},
            {"timestamp", ts},
            {"nonce", "4242"}},
           envelope),
       403, "bad_signature"},
      {"no signature", wecom_->post({{"timestamp", ts}, {"nonce", "4242"}}, envelope), 400,
       "missing_param"},
      {"no nonce", wecom_->post({{"msg_signature", sig}, {"timestamp", ts}}, envelope), 400,
       "missing_param"},
      {"stale timestamp", signed_post(enc, stale), 400, "stale_timestamp"},
      {"timestamp in the future", signed_post(enc, std::to_string(std::stoll(ts) + 3600)), 400,
       "stale_timestamp"},
      {"non-numeric timestamp", signed_post(enc, "17e8"), 400, "bad_timestamp"},
      {"wrong receive id", signed_post(foreign, ts), 400, "wrong_receive_id"},
      {"bad base64", signed_post("!!!!not*base64!!", ts), 400, "bad_ciphertext"},
      {"bad length", signed_post(wecom::base64_encode(std::string(20, 'x')), ts), 400,
       "bad_ciphertext"},
      {"bad padding", signed_post(bad_padding, ts), 400, "bad_ciphertext"},
      {"malformed envelope",
       wecom_->post({{"msg_signature", sig}, {"timestamp", ts}, {"nonce", "4242"}},
                    "<xml><Encrypt>" + enc),
       400, "bad_envelope"},
      {"envelope with a DOCTYPE",
       wecom_->post({{"msg_signature", sig}, {"timestamp", ts}, {"nonce", "4242"}},
                    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + envelope),
       400, "bad_envelope"},
      {"oversized body",
       wecom_->post({{"msg_signature", sig}, {"timestamp", ts}, {"nonce", "4242"}},
                    envelope + std::string(70 * 1024, ' ')),
       413, "too_large"},
      {"decrypted text is not a message", signed_post(wecom_->encrypt("not xml <"), ts), 400,
       "bad_message"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::uint64_t before = refused(c.result);
    auto r = send(c.request);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(refused(c.result), before + 1);
  }
  // A malformed %-escape in the query: sent over a raw socket (our client refuses such a URL);
  // the server's own target parser may already answer 400 before the route runs.
  const auto signed_request = signed_post(enc, ts);
  const std::string target =
      signed_request.url.substr(signed_request.url.find("/wecom/callback")) + "&x=%zz";
  EXPECT_EQ(raw_post_status(server_->port(), target, signed_request.body), 400);
  // GET without echostr, and a wrong method.
  EXPECT_EQ(send(wecom_->get({{"msg_signature", sig}, {"timestamp", ts}, {"nonce", "1"}})).status,
            400);
  net::HttpRequest put = signed_post(enc, ts);
  put.method = "PUT";
  EXPECT_EQ(send(put).status, 405);

  EXPECT_EQ(intake_.submitted.load(), 0) << "nothing reached the intake";
  EXPECT_EQ(inbox_count(), 0);

  // The server still answers, and the untampered request goes through.
  EXPECT_EQ(send(signed_post(enc, ts)).status, 200);
  EXPECT_EQ(inbox_count(), 1);
  EXPECT_EQ(inbox_message("7100000000000000001").text, "hi");
}
