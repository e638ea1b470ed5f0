// HttpServer over real loopback sockets, driven by a raw POSIX client so that the wire bytes
// are checked independently of our own HTTP code: routing (200/404/405), limits (413/431),
// the slow-client deadline, the exception boundary (500), the handler budget, the worker pool
// (503 when full), 100-continue, keep-alive and graceful shutdown (also through SIGTERM).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "bot/net/http_server.hpp"
#include "bot/net/worker_pool.hpp"

using namespace yimei::net;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and header fields
  std::string body;
  std::optional<std::string> header(const std::string& name) const {
    std::string lower_head = head;
    for (auto& c : lower_head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string key = "\r\n" + name + ":";
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto pos = lower_head.find(key);
    if (pos == std::string::npos) return std::nullopt;
    auto start = pos + key.size();
    auto end = head.find("\r\n", start);
    std::string v = head.substr(start, end - start);
    while (!v.empty() && v.front() == ' ') v.erase(v.begin());
    return v;
  }
};

// A blocking TCP client that speaks HTTP by hand.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // One response: head up to CRLFCRLF and a Content-Length body. nullopt on close/timeout.
  std::optional<RawResponse> read_response(std::chrono::milliseconds timeout = 5s) {
    const auto deadline = Clock::now() + timeout;
    std::size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(deadline)) return std::nullopt;
    RawResponse r;
    r.head = buffer_.substr(0, head_end + 2);
    buffer_.erase(0, head_end + 4);
    if (r.head.size() < 12) return std::nullopt;
    r.status = std::stoi(r.head.substr(9, 3));
    std::size_t length = 0;
    if (auto cl = r.header("Content-Length")) length = std::stoul(*cl);
    while (buffer_.size() < length)
      if (!fill(deadline)) return std::nullopt;
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // True when the peer closes (EOF or reset) within `timeout`, discarding anything it sends.
  bool wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      char tmp[4096];
      set_timeout(deadline);
      const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n == 0) return true;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return true;
    }
    return false;
  }

 private:
  void set_timeout(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
    if (left.count() < 1000) left = std::chrono::microseconds(1000);
    timeval tv{static_cast<time_t>(left.count() / 1000000),
               static_cast<suseconds_t>(left.count() % 1000000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  bool fill(Clock::time_point deadline) {
    if (Clock::now() >= deadline) return false;
    set_timeout(deadline);
    char tmp[8192];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buffer_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

std::string post(const std::string& target, const std::string& body) {
  return "POST " + target +
         " HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         body;
}

std::optional<RawResponse> round_trip(std::uint16_t port, const std::string& request) {
  RawConnection c(port);
  if (!c.connected() || !c.send(request)) return std::nullopt;
  return c.read_response();
}

// A one-shot gate a test opens to let a blocked handler continue.
class Gate {
 public:
  void open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

WorkerPoolOptions pool_options(std::size_t threads, std::size_t capacity) {
  WorkerPoolOptions o;
  o.threads = threads;
  o.queue_capacity = capacity;
  return o;
}

Router demo_routes() {
  Router r;
  r.handle("GET", "/hello", [](const Request&) { return Response::text(200, "hello\n"); });
  r.handle("DELETE", "/hello", [](const Request&) { return Response::text(204, ""); });
  r.handle("POST", "/echo", [](const Request& q) {
    Response res = Response::text(200, q.body);
    res.headers.set("X-Body-Bytes", std::to_string(q.body.size()));
    return res;
  });
  r.handle(
      "GET", "/api/",
      [](const Request& q) {
        std::string out = "path=" + q.path + "\n";
        for (const auto& [k, v] : q.query) out += k + "=" + v + "\n";
        out += "agent=" + std::string(q.header("x-TEST-agent").value_or("-")) + "\n";
        out += "remote=" + q.remote_address + "\n";
        return Response::json(200, out);
      },
      PathMatch::Prefix);
  r.handle("GET", "/api/exact", [](const Request&) { return Response::text(200, "exact"); });
  r.handle("GET", "/boom", [](const Request&) -> Response {
    throw std::runtime_error("secret detail from the database");
  });
  return r;
}

// The demo routes on an ephemeral loopback port with default options, started.
struct DemoServer {
  DemoServer() : server(rt, ephemeral(), demo_routes()) { server.start(); }
  static HttpServerOptions ephemeral() {
    HttpServerOptions o;
    o.port = 0;
    return o;
  }
  NetRuntime rt{1};  // declared first: outlives the server
  HttpServer server;
};

}  // namespace

TEST(NetServer, RoutesAnswer200And404And405WithAllow) {
  NetRuntime rt(2);
  HttpServerOptions o;
  o.port = 0;
  HttpServer server(rt, o, demo_routes());
  server.start();
  ASSERT_NE(server.port(), 0);

  auto ok = round_trip(server.port(), get("/hello"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "hello\n");
  EXPECT_EQ(ok->header("Content-Type"), "text/plain; charset=utf-8");
  ASSERT_TRUE(ok->header("X-Request-Id"));
  EXPECT_FALSE(ok->header("X-Request-Id")->empty());

  auto missing = round_trip(server.port(), get("/nowhere"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  auto wrong_method = round_trip(server.port(), post("/hello", "x"));
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);
  EXPECT_EQ(wrong_method->header("Allow"), "GET, DELETE");

  auto deleted = round_trip(server.port(), "DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
}

TEST(NetServer, PrefixRouteDecodesPathQueryAndHeaders) {
  DemoServer demo;
  HttpServer& server = demo.server;

  // 你好 percent-encoded, '+' as a space, a repeated key kept in order.
  auto r = round_trip(server.port(),
                      get("/api/analysis/growth%2Dpoints?q=%E4%BD%A0%E5%A5%BD&days=90&q=a+b",
                          "X-Test-Agent: raw-client\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_NE(r->body.find("path=/api/analysis/growth-points\n"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("q=你好\ndays=90\nq=a b\n"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("agent=raw-client\n"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("remote=127.0.0.1:"), std::string::npos) << r->body;

  // The exact route beats the prefix; a path outside every prefix is 404.
  auto exact = round_trip(server.port(), get("/api/exact"));
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->body, "exact");
  auto outside = round_trip(server.port(), get("/apix"));
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->status, 404);
}

TEST(NetServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  DemoServer demo;
  HttpServer& server = demo.server;

  RawConnection c(server.port());
  ASSERT_TRUE(c.connected());
  // Two requests sent back to back (pipelined), then a third after the answers.
  ASSERT_TRUE(c.send(get("/hello") + post("/echo", "abc")));
  auto first = c.read_response();
  auto second = c.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "hello\n");
  EXPECT_EQ(second->body, "abc");
  EXPECT_NE(first->header("X-Request-Id"), second->header("X-Request-Id"));
  ASSERT_TRUE(c.send(get("/hello", "Connection: close\r\n")));
  auto third = c.read_response();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 200);
  EXPECT_EQ(third->header("Connection"), "close");
  EXPECT_TRUE(c.wait_closed(2s));
  EXPECT_EQ(server.stats().requests, 3u);
}

// The body is parsed from what arrived with the header when it is all there, and read on
// otherwise: a body in pieces, a chunked body, and a request pipelined right behind a body.
TEST(NetServer, BodiesAreReadWholeWhetherTheyArriveWithTheHeaderOrLater) {
  DemoServer demo;
  HttpServer& server = demo.server;

  RawConnection c(server.port());
  ASSERT_TRUE(c.connected());
  const std::string whole = post("/echo", "0123456789abcdef");
  const std::size_t head_end = whole.find("\r\n\r\n") + 4;
  ASSERT_TRUE(c.send(whole.substr(0, head_end + 3)));
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(c.send(whole.substr(head_end + 3, 5)));
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(c.send(whole.substr(head_end + 8) + post("/echo", "next") + get("/hello")));
  auto pieces = c.read_response();
  auto pipelined = c.read_response();
  auto last = c.read_response();
  ASSERT_TRUE(pieces && pipelined && last);
  EXPECT_EQ(pieces->body, "0123456789abcdef");
  EXPECT_EQ(pipelined->body, "next");
  EXPECT_EQ(last->body, "hello\n");

  auto chunked = round_trip(server.port(),
                            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 200);
  EXPECT_EQ(chunked->body, "abcdefg");
}

TEST(NetServer, BodyOverLimitIs413AndHeaderOverLimitIs431) {
  NetRuntime rt(1);
  HttpServerOptions o;
  o.port = 0;
  o.max_body_bytes = 1024;
  o.max_header_bytes = 2048;
  HttpServer server(rt, o, demo_routes());
  server.start();

  auto within = round_trip(server.port(), post("/echo", std::string(1024, 'a')));
  ASSERT_TRUE(within);
  EXPECT_EQ(within->status, 200);
  EXPECT_EQ(within->header("X-Body-Bytes"), "1024");

  auto over = round_trip(server.port(), post("/echo", std::string(1025, 'a')));
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 413);
  EXPECT_EQ(over->header("Connection"), "close");

  // A chunked body has no Content-Length up front: the limit applies while reading.
  std::string chunked =
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "400\r\n" +
      std::string(1024, 'b') + "\r\n10\r\n" + std::string(16, 'c') + "\r\n0\r\n\r\n";
  auto over_chunked = round_trip(server.port(), chunked);
  ASSERT_TRUE(over_chunked);
  EXPECT_EQ(over_chunked->status, 413);

  auto big_header =
      round_trip(server.port(), get("/hello", "X-Big: " + std::string(4096, 'h') + "\r\n"));
  ASSERT_TRUE(big_header);
  EXPECT_EQ(big_header->status, 431);

  // The server is still serving.
  auto after = round_trip(server.port(), get("/hello"));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST(NetServer, SlowClientIsCutOffAtTheReadDeadline) {
  NetRuntime rt(1);
  HttpServerOptions o;
  o.port = 0;
  o.read_timeout = 300ms;
  HttpServer server(rt, o, demo_routes());
  server.start();

  RawConnection slow(server.port());
  ASSERT_TRUE(slow.connected());
  const auto start = Clock::now();
  // Starts a request and never finishes its header; trickles a byte now and then.
  ASSERT_TRUE(slow.send("GET /hello HTTP/1.1\r\nHost: t\r\n"));
  bool closed = false;
  for (int i = 0; i < 20 && !closed; ++i) {
    slow.send("X");
    closed = slow.wait_closed(100ms);
  }
  const auto waited = Clock::now() - start;
  EXPECT_TRUE(closed);
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 1500ms);

  // Others are served meanwhile and afterwards.
  auto r = round_trip(server.port(), get("/hello"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(NetServer, HandlerExceptionIs500WithGenericBodyAndServingContinues) {
  NetRuntime rt(2);
  WorkerPool pool(pool_options(1, 4));
  Router routes = demo_routes();
  routes.handle_async("GET", "/boom-on-worker", on_workers(pool, [](const Request&) -> Response {
                        throw std::runtime_error("worker secret");
                      }));
  routes.handle_async("GET", "/boom-async", [](Request, Responder) {
    throw std::logic_error("thrown before any response");
  });
  HttpServerOptions o;
  o.port = 0;
  HttpServer server(rt, o, routes);
  server.start();

  for (const char* target : {"/boom", "/boom-on-worker", "/boom-async"}) {
    RawConnection c(server.port());
    ASSERT_TRUE(c.send(get(target)));
    auto r = c.read_response();
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 500) << target;
    EXPECT_EQ(r->body, "internal server error\n") << target;
    EXPECT_EQ(r->body.find("secret"), std::string::npos);
    // The connection itself stays usable.
    ASSERT_TRUE(c.send(get("/hello")));
    auto next = c.read_response();
    ASSERT_TRUE(next) << target;
    EXPECT_EQ(next->status, 200) << target;
  }
  EXPECT_EQ(server.stats().server_errors, 3u);
}

TEST(NetServer, HandlerThatNeverAnswersGets503AtTheBudget) {
  NetRuntime rt(1);
  Router routes;
  routes.handle_async("GET", "/silent", [](Request, Responder) {});
  HttpServerOptions o;
  o.port = 0;
  o.handler_budget = 200ms;
  HttpServer server(rt, o, routes);
  server.start();
  const auto start = Clock::now();
  auto r = round_trip(server.port(), get("/silent"));
  const auto waited = Clock::now() - start;
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_GE(waited, 190ms);
  EXPECT_LT(waited, 2s);
}

TEST(NetServer, FullWorkerQueueAnswers503AndQueuedWorkStillCompletes) {
  NetRuntime rt(2);
  WorkerPool pool(pool_options(1, 1));
  Gate release;
  std::atomic<int> started{0};
  Router routes;
  routes.handle_async("GET", "/slow", on_workers(pool, [&](const Request& q) {
                        ++started;
                        release.wait();
                        return Response::text(200, "done " + q.request_id);
                      }));
  HttpServerOptions o;
  o.port = 0;
  HttpServer server(rt, o, routes);
  server.start();

  auto running =
      std::async(std::launch::async, [&] { return round_trip(server.port(), get("/slow")); });
  while (started.load() == 0) std::this_thread::sleep_for(5ms);  // occupies the only worker
  auto queued =
      std::async(std::launch::async, [&] { return round_trip(server.port(), get("/slow")); });
  while (pool.queued() == 0) std::this_thread::sleep_for(5ms);  // fills the queue of one

  auto refused = round_trip(server.port(), get("/slow"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->header("Retry-After"), "1");

  release.open();
  auto a = running.get();
  auto b = queued.get();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(b->status, 200);
  EXPECT_EQ(a->body.rfind("done ", 0), 0u);
  EXPECT_EQ(started.load(), 2);
}

TEST(NetServer, ExpectContinueGets100BeforeTheBody) {
  DemoServer demo;
  HttpServer& server = demo.server;
  RawConnection c(server.port());
  ASSERT_TRUE(c.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = c.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.send("hello"));
  auto final_response = c.read_response();
  ASSERT_TRUE(final_response);
  EXPECT_EQ(final_response->status, 200);
  EXPECT_EQ(final_response->body, "hello");
}

TEST(NetServer, MalformedRequestIs400) {
  DemoServer demo;
  HttpServer& server = demo.server;
  auto r = round_trip(server.port(), "THIS IS NOT HTTP\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST(NetServer, SigtermDrainsInFlightRequestThenStopsWithinGrace) {
  NetRuntime rt(2);
  WorkerPool pool(pool_options(2, 4));
  std::atomic<bool> in_handler{false};
  Router routes = demo_routes();
  routes.handle_async("GET", "/work", on_workers(pool, [&](const Request&) {
                        in_handler = true;
                        std::this_thread::sleep_for(600ms);
                        return Response::text(200, "finished");
                      }));
  HttpServerOptions o;
  o.port = 0;
  HttpServer server(rt, o, routes);
  server.start();
  const auto port = server.port();

  // An idle keep-alive connection must be closed at once, not after the grace period.
  RawConnection idle(port);
  ASSERT_TRUE(idle.send(get("/hello")));
  ASSERT_TRUE(idle.read_response());

  auto in_flight = std::async(std::launch::async, [&] { return round_trip(port, get("/work")); });
  while (!in_handler.load()) std::this_thread::sleep_for(5ms);

  SignalWatch signals(rt);
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  ASSERT_EQ(signals.wait_for(5s), SIGTERM);

  const auto start = Clock::now();
  EXPECT_TRUE(server.shutdown(5s));
  const auto took = Clock::now() - start;
  EXPECT_LT(took, 3s);
  EXPECT_GE(took, 300ms);  // it waited for the handler (600 ms) to finish

  auto r = in_flight.get();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "finished");
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(idle.wait_closed(1s));

  // No longer accepting.
  RawConnection late(port);
  EXPECT_FALSE(late.connected() && late.send(get("/hello")) && late.read_response(1s));
  EXPECT_EQ(server.stats().active_connections, 0u);
}

TEST(NetServer, ShutdownForcesConnectionsClosedAfterGrace) {
  NetRuntime rt(2);
  WorkerPool pool(pool_options(1, 4));
  Gate release;
  std::atomic<bool> in_handler{false};
  Router routes;
  routes.handle_async("GET", "/stuck", on_workers(pool, [&](const Request&) {
                        in_handler = true;
                        release.wait();
                        return Response::text(200, "too late");
                      }));
  HttpServerOptions o;
  o.port = 0;
  HttpServer server(rt, o, routes);
  server.start();
  RawConnection c(server.port());
  ASSERT_TRUE(c.send(get("/stuck")));
  while (!in_handler.load()) std::this_thread::sleep_for(5ms);

  const auto start = Clock::now();
  EXPECT_FALSE(server.shutdown(200ms));
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_FALSE(c.read_response(1s));  // closed without an answer
  release.open();                     // the late result is dropped without harm
  pool.shutdown();
}

TEST(NetServer, ListenAddressParsing) {
  HttpServerOptions o;
  parse_listen_address("0.0.0.0:9000", o);
  EXPECT_EQ(o.address, "0.0.0.0");
  EXPECT_EQ(o.port, 9000);
  parse_listen_address("[::1]:8081", o);
  EXPECT_EQ(o.address, "::1");
  EXPECT_EQ(o.port, 8081);
  EXPECT_THROW(parse_listen_address("localhost", o), std::invalid_argument);
  EXPECT_THROW(parse_listen_address("127.0.0.1:http", o), std::invalid_argument);
  EXPECT_THROW(parse_listen_address("127.0.0.1:70000", o), std::invalid_argument);
  EXPECT_THROW(parse_listen_address("example.com:80", o), std::invalid_argument);
}

TEST(NetServer, BindFailureThrows) {
  NetRuntime rt(1);
  HttpServerOptions o;
  o.port = 0;
  HttpServer first(rt, o, demo_routes());
  first.start();
  HttpServerOptions same = o;
  same.port = first.port();
  HttpServer second(rt, same, demo_routes());
  // reuse_address does not allow two listeners on one port.
  EXPECT_THROW(second.start(), std::runtime_error);
}
