// HttpClient against real loopback servers (tests/support/fake_http_server): plain HTTP and
// TLS with a certificate made in the test (trusted through the test-only CA option, refused
// otherwise or for the wrong host name), per-phase timeouts and the overall deadline, the
// response size limit, a TLS peer that closes without close_notify, the three faces
// (blocking, callback, coroutine), multipart bodies and URL parsing.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <stdexcept>
#include <thread>

#include "bot/net/http_client.hpp"
#include "bot/net/http_client_awaitable.hpp"
#include "bot/net/multipart.hpp"
#include "bot/net/url.hpp"
#include "tests/support/fake_http_server.hpp"

using namespace yimei::net;
using yimei::test::FakeHttpServer;
using yimei::test::FakeReply;
using yimei::test::FakeServerOptions;
using yimei::test::RecordedRequest;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

FakeReply reply(int status, std::string body, std::string content_type = "text/plain") {
  FakeReply r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

// One certificate per test process: key generation is cheap, but one is enough.
const yimei::test::TestCertificate& localhost_cert() {
  static const auto cert =
      yimei::test::make_self_signed_certificate("yimei test", {"localhost"}, {"127.0.0.1"});
  return cert;
}

FakeServerOptions tls_with(const yimei::test::TestCertificate& c) {
  FakeServerOptions o;
  o.tls = true;
  o.cert_pem = c.cert_pem;
  o.key_pem = c.key_pem;
  return o;
}

HttpRequest get_request(std::string url) {
  HttpRequest r;
  r.url = std::move(url);
  return r;
}

HttpClientOptions trusting(const std::string& ca_pem) {
  HttpClientOptions o;
  o.extra_ca_pem = ca_pem;
  return o;
}

}  // namespace

TEST(NetClient, PlainHttpSendsMethodTargetHeadersAndBody) {
  FakeHttpServer server([](const RecordedRequest&) {
    FakeReply r = reply(201, "created 你好", "text/plain; charset=utf-8");
    r.headers.emplace_back("X-Upstream", "fake");
    return r;
  });
  NetRuntime rt(1);
  HttpClient client(rt);
  HttpRequest req;
  req.method = "PUT";
  req.url = server.base_url() + "/cgi-bin/thing?access_token=abc&x=%E4%BD%A0";
  req.headers.set("Content-Type", "application/json");
  req.headers.set("X-Custom", "one");
  req.body = R"({"k":"值"})";
  HttpResult res = client.send(req);
  ASSERT_TRUE(res.ok()) << res.error().detail;
  EXPECT_EQ(res.response().status, 201);
  EXPECT_EQ(res.response().body, "created 你好");
  EXPECT_EQ(res.response().headers.get("x-upstream"), "fake");

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].target, "/cgi-bin/thing?access_token=abc&x=%E4%BD%A0");
  EXPECT_EQ(seen[0].header("Host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen[0].header("content-type"), "application/json");
  EXPECT_EQ(seen[0].header("X-Custom"), "one");
  EXPECT_EQ(seen[0].header("Content-Length"), std::to_string(req.body.size()));
  EXPECT_EQ(seen[0].body, req.body);
}

TEST(NetClient, HttpsWithTrustedSelfSignedCertificateByIpAndByName) {
  FakeHttpServer server([](const RecordedRequest& r) { return reply(200, "secure " + r.target); },
                        tls_with(localhost_cert()));
  NetRuntime rt(1);
  HttpClient client(rt, trusting(localhost_cert().cert_pem));

  HttpResult by_ip = client.send(get_request(server.base_url() + "/a"));
  ASSERT_TRUE(by_ip.ok()) << by_ip.error().detail;
  EXPECT_EQ(by_ip.response().body, "secure /a");

  HttpRequest by_name;
  by_name.url = "https://localhost:" + std::to_string(server.port()) + "/b";
  HttpResult named = client.send(by_name);
  ASSERT_TRUE(named.ok()) << named.error().detail;
  EXPECT_EQ(named.response().body, "secure /b");
  EXPECT_EQ(server.requests().back().header("Host"), "localhost:" + std::to_string(server.port()));
}

TEST(NetClient, HttpsRefusesUntrustedCertificate) {
  FakeHttpServer server({}, tls_with(localhost_cert()));
  NetRuntime rt(1);
  HttpClient client(rt);  // system store only
  HttpRequest req;
  req.url = server.base_url() + "/";
  HttpResult res = client.send(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, HttpErrorKind::Tls);
  EXPECT_EQ(res.error().phase, "handshake");
  EXPECT_NE(res.error().detail.find("self-signed"), std::string::npos) << res.error().detail;
  EXPECT_TRUE(server.requests().empty());
}

TEST(NetClient, HttpsRefusesTrustedCertificateForAnotherHostName) {
  const auto other = yimei::test::make_self_signed_certificate("other", {"other.example"}, {});
  FakeHttpServer server({}, tls_with(other));
  NetRuntime rt(1);
  HttpClient client(rt, trusting(other.cert_pem));
  HttpRequest req;
  req.url = "https://localhost:" + std::to_string(server.port()) + "/";
  HttpResult res = client.send(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, HttpErrorKind::Tls);
  EXPECT_TRUE(server.requests().empty());
}

TEST(NetClient, ReadTimeoutWhenServerAcceptsAndNeverAnswers) {
  FakeHttpServer server([](const RecordedRequest&) {
    FakeReply r;
    r.hang = true;
    return r;
  });
  NetRuntime rt(1);
  HttpClientOptions o;
  o.timeouts.read = 300ms;
  HttpClient client(rt, o);
  const auto start = Clock::now();
  HttpResult res = client.send(get_request(server.base_url() + "/hang"));
  const auto took = Clock::now() - start;
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, HttpErrorKind::Timeout);
  EXPECT_EQ(res.error().phase, "read");
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 1500ms);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(NetClient, OverallDeadlineCutsALongerPhaseTimeout) {
  FakeHttpServer server([](const RecordedRequest&) {
    FakeReply r;
    r.hang = true;
    return r;
  });
  NetRuntime rt(1);
  HttpClient client(rt);  // read timeout 30 s
  HttpRequest req;
  req.url = server.base_url() + "/";
  req.deadline = 400ms;
  const auto start = Clock::now();
  HttpResult res = client.send(req);
  const auto took = Clock::now() - start;
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, HttpErrorKind::Timeout);
  EXPECT_NE(res.error().detail.find("overall deadline"), std::string::npos) << res.error().detail;
  EXPECT_GE(took, 390ms);
  EXPECT_LT(took, 1500ms);
}

TEST(NetClient, TlsHandshakeTimeoutAgainstASilentPlainServer) {
  // A plain HTTP server never answers a ClientHello with a ServerHello.
  FakeHttpServer server;
  NetRuntime rt(1);
  HttpClientOptions o;
  o.timeouts.handshake = 300ms;
  HttpClient client(rt, o);
  HttpRequest req;
  req.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/";
  const auto start = Clock::now();
  HttpResult res = client.send(req);
  ASSERT_FALSE(res.ok());
  // Beast's plain parser may also reject the TLS bytes as a bad request and close at once.
  EXPECT_TRUE(res.error().kind == HttpErrorKind::Timeout || res.error().kind == HttpErrorKind::Tls)
      << to_string(res.error().kind) << ": " << res.error().detail;
  EXPECT_LT(Clock::now() - start, 1500ms);
}

TEST(NetClient, ConnectionRefusedIsAConnectError) {
  std::uint16_t dead_port;
  {
    FakeHttpServer gone;
    dead_port = gone.port();
  }
  NetRuntime rt(1);
  HttpClient client(rt);
  HttpResult res = client.send(get_request("http://127.0.0.1:" + std::to_string(dead_port) + "/"));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, HttpErrorKind::Connect);
}

TEST(NetClient, ResponseBodyOverLimitIsRefused) {
  FakeHttpServer server(
      [](const RecordedRequest&) { return reply(200, std::string(100000, 'x')); });
  NetRuntime rt(1);
  HttpClientOptions o;
  o.max_response_body = 10000;
  HttpClient client(rt, o);
  HttpResult res = client.send(get_request(server.base_url() + "/big"));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, HttpErrorKind::ResponseTooLarge);

  // The per-request override raises the limit.
  HttpRequest allowed;
  allowed.url = server.base_url() + "/big";
  allowed.max_response_body = 200000;
  HttpResult ok = client.send(allowed);
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(ok.response().body.size(), 100000u);
}

TEST(NetClient, TlsPeerClosingWithoutCloseNotifyEndsABodyReadToTheEnd) {
  FakeHttpServer server(
      [](const RecordedRequest&) {
        FakeReply r = reply(200, "until the end");
        r.body_until_close = true;
        return r;
      },
      tls_with(localhost_cert()));
  NetRuntime rt(1);
  HttpClient client(rt, trusting(localhost_cert().cert_pem));
  HttpResult res = client.send(get_request(server.base_url() + "/"));
  ASSERT_TRUE(res.ok()) << res.error().detail;
  EXPECT_EQ(res.response().body, "until the end");
}

TEST(NetClient, InvalidUrlsAreRefusedWithoutNetwork) {
  NetRuntime rt(1);
  HttpClient client(rt);
  for (const char* url : {"", "ftp://x/", "/relative", "http://user:pw@h/", "http://h:99999/"}) {
    HttpResult res = client.send(get_request(url));
    ASSERT_FALSE(res.ok()) << url;
    EXPECT_EQ(res.error().kind, HttpErrorKind::InvalidUrl) << url;
  }
}

TEST(NetClient, BlockingSendOnAnIoThreadThrowsLogicError) {
  FakeHttpServer server;
  NetRuntime rt(1);
  HttpClient client(rt);
  std::promise<std::string> outcome;
  client.async_send(get_request(server.base_url() + "/"), [&](HttpResult first) {
    try {
      client.send(get_request(server.base_url() + "/"));
      outcome.set_value("no exception");
    } catch (const std::logic_error&) {
      outcome.set_value(first.ok() ? "logic_error" : "first failed");
    }
  });
  auto f = outcome.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), "logic_error");
}

TEST(NetClient, CallbackAndCoroutineFaces) {
  FakeHttpServer server([](const RecordedRequest& r) { return reply(200, "echo " + r.target); });
  NetRuntime rt(2);
  HttpClient client(rt);

  std::promise<HttpResult> via_callback;
  client.async_send(get_request(server.base_url() + "/cb"),
                    [&](HttpResult r) { via_callback.set_value(std::move(r)); });
  HttpResult cb = via_callback.get_future().get();
  ASSERT_TRUE(cb.ok());
  EXPECT_EQ(cb.response().body, "echo /cb");

  // A coroutine on another io_context awaits the client and resumes on its own executor.
  boost::asio::io_context caller;
  auto coro = [&]() -> boost::asio::awaitable<std::string> {
    HttpResult r = co_await co_send(client, get_request(server.base_url() + "/co"));
    const bool home = caller.get_executor().running_in_this_thread();
    co_return (r.ok() ? r.response().body : "error") + (home ? " on caller" : " elsewhere");
  };
  auto result = boost::asio::co_spawn(caller, coro(), boost::asio::use_future);
  caller.run();
  EXPECT_EQ(result.get(), "echo /co on caller");
}

TEST(NetClient, MultipartBodyOnTheWire) {
  FakeHttpServer server;
  NetRuntime rt(1);
  HttpClient client(rt);
  MultipartForm form;
  form.add_field("type", "image");
  form.add_file("media", "chart.png", "image/png", std::string("\x89PNG\r\n\x1a\n\0data", 13),
                {{"filelength", "13"}});
  HttpRequest req;
  req.method = "POST";
  req.url = server.base_url() + "/cgi-bin/media/upload?type=image";
  req.headers.set("Content-Type", form.content_type());
  req.body = form.body();
  ASSERT_TRUE(client.send(req).ok());

  const std::string b = form.boundary();
  const std::string expected = "--" + b +
                               "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nimage\r\n"
                               "--" +
                               b +
                               "\r\nContent-Disposition: form-data; name=\"media\"; "
                               "filename=\"chart.png\"; filelength=13\r\nContent-Type: "
                               "image/png\r\n\r\n" +
                               std::string("\x89PNG\r\n\x1a\n\0data", 13) + "\r\n--" + b + "--\r\n";
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].header("Content-Type"), "multipart/form-data; boundary=" + b);
  EXPECT_EQ(seen[0].body, expected);
  EXPECT_THROW(MultipartForm().add_field("bad\"name", "v").body(), std::invalid_argument);
}

TEST(NetUrl, ParsesHttpUrlsAndJoinsBases) {
  auto a = parse_http_url("https://api.openai.com/v1/chat/completions");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->tls);
  EXPECT_EQ(a->host, "api.openai.com");
  EXPECT_EQ(a->port, 443);
  EXPECT_FALSE(a->host_is_ip);
  EXPECT_EQ(a->target, "/v1/chat/completions");
  EXPECT_EQ(a->host_header(), "api.openai.com");

  auto b = parse_http_url("http://127.0.0.1:8080?x=1%202");
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->tls);
  EXPECT_EQ(b->port, 8080);
  EXPECT_TRUE(b->host_is_ip);
  EXPECT_EQ(b->target, "/?x=1%202");
  EXPECT_EQ(b->host_header(), "127.0.0.1:8080");

  auto c = parse_http_url("http://[::1]:9000/p");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->host_header(), "[::1]:9000");

  EXPECT_FALSE(parse_http_url("mailto:a@b"));
  EXPECT_FALSE(parse_http_url("https://"));

  EXPECT_EQ(join_url("https://h/v1", "/chat/completions"), "https://h/v1/chat/completions");
  EXPECT_EQ(join_url("https://h/v1/", "/chat/completions"), "https://h/v1/chat/completions");
  EXPECT_EQ(url_encode_component("a b/你"), "a%20b%2F%E4%BD%A0");

  auto t = parse_request_target("/x%20y?a=1&b=%E4%BD%A0+%E5%A5%BD&flag");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/x y");
  ASSERT_EQ(t->query.size(), 3u);
  EXPECT_EQ(t->query[1].second, "你 好");
  EXPECT_EQ(t->query[2].first, "flag");
  EXPECT_FALSE(parse_request_target("not a target"));
}
