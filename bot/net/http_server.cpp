// The HTTP server's transport (the one Beast translation unit of the server side): accept
// loop, one coroutine per connection on its own strand, limits and deadlines, the per-request
// exception boundary, the Responder that posts results back, and graceful shutdown.
#include "bot/net/http_server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>

#include "bot/net/url.hpp"

namespace yimei::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Strand = asio::strand<asio::io_context::executor_type>;
using error_code = boost::system::error_code;
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

namespace detail {

// The meeting point of a handler (any thread) and its connection (strand): all fields are
// touched on the strand only.
struct PendingResponse {
  explicit PendingResponse(const Strand& s) : strand(s), wake(s) {}
  Strand strand;
  asio::steady_timer wake;  // the connection waits on it for the handler budget
  bool done = false;
  bool abandoned = false;  // budget exceeded or connection gone: later results are dropped
  std::optional<Response> response;
  std::exception_ptr error;

  void complete(std::optional<Response> r, std::exception_ptr e) {
    if (done || abandoned) return;
    done = true;
    response = std::move(r);
    error = std::move(e);
    wake.cancel();
  }
};

}  // namespace detail

namespace {

void complete_on_strand(const std::shared_ptr<detail::PendingResponse>& s,
                        std::optional<Response> r, std::exception_ptr e) {
  if (!s) return;
  if (s->strand.running_in_this_thread()) {
    s->complete(std::move(r), std::move(e));
    return;
  }
  asio::post(s->strand, [s, r = std::move(r), e = std::move(e)]() mutable {
    s->complete(std::move(r), std::move(e));
  });
}

std::string describe(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "non-standard exception";
  }
}

// Completion handler for every co_spawn: nothing is spawned detached without logging.
auto log_if_thrown(std::string what) {
  return [what = std::move(what)](std::exception_ptr e) {
    if (e) spdlog::error("{}: unexpected exception: {}", what, describe(e));
  };
}

bool has_crlf(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

std::string endpoint_text(const tcp::endpoint& ep) {
  const auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" +
         std::to_string(ep.port());
}

// One accepted connection; every field is used on `strand` only.
struct Session {
  Session(const Strand& s, tcp::socket socket, std::uint64_t n)
      : strand(s), stream(std::move(socket)), id(n) {}
  Strand strand;
  beast::tcp_stream stream;
  std::uint64_t id;
  bool idle = false;      // waiting for the first byte of the next request
  bool stopping = false;  // shutdown: answer the request in flight with Connection: close
  bool forced = false;    // shutdown grace over: drop everything
  std::shared_ptr<detail::PendingResponse> pending;  // while a handler runs
};

}  // namespace

void Responder::operator()(Response response) const {
  complete_on_strand(state_, std::move(response), nullptr);
}

void Responder::fail(std::exception_ptr error) const {
  if (!error) error = std::make_exception_ptr(std::logic_error("Responder::fail(nullptr)"));
  complete_on_strand(state_, std::nullopt, std::move(error));
}

void parse_listen_address(const std::string& listen, HttpServerOptions& options) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size())
    throw std::invalid_argument("listen address must be host:port: " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  error_code ec;
  asio::ip::make_address(host, ec);
  if (ec) throw std::invalid_argument("listen address is not an IP address: " + listen);
  unsigned port = 0;
  for (char c : listen.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535)
      throw std::invalid_argument("listen port is not a number: " + listen);
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port > 65535) throw std::invalid_argument("listen port out of range: " + listen);
  options.address = host;
  options.port = static_cast<std::uint16_t>(port);
}

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(NetRuntime& rt, HttpServerOptions o, Router r)
      : runtime(rt),
        options(std::move(o)),
        router(std::move(r)),
        accept_strand(asio::make_strand(rt.context())),
        acceptor(accept_strand) {
    std::random_device rd;
    id_prefix = rd();
  }

  NetRuntime& runtime;
  const HttpServerOptions options;
  const Router router;
  Strand accept_strand;
  tcp::acceptor acceptor;
  std::uint16_t bound_port = 0;
  std::uint32_t id_prefix = 0;
  std::atomic<std::uint64_t> request_counter{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> server_errors{0};

  std::mutex mu;  // guards the fields below
  std::condition_variable changed;
  std::map<std::uint64_t, std::weak_ptr<Session>> sessions;
  std::uint64_t next_session = 0;
  bool started = false;
  bool closing = false;
  bool accept_running = false;
  bool shutdown_result = true;

  std::string next_request_id() { return fmt::format("{:08x}-{:x}", id_prefix, ++request_counter); }

  void start() {
    tcp::endpoint ep(asio::ip::make_address(options.address), options.port);
    acceptor.open(ep.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen(asio::socket_base::max_listen_connections);
    bound_port = acceptor.local_endpoint().port();
    {
      std::lock_guard lock(mu);
      started = true;
      accept_running = true;
    }
    spdlog::info("http server listening on {}:{}", options.address, bound_port);
    asio::co_spawn(accept_strand, accept_loop(shared_from_this()),
                   log_if_thrown("http accept loop"));
  }

  static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
    struct Done {
      Impl* impl;
      ~Done() {
        std::lock_guard lock(impl->mu);
        impl->accept_running = false;
        impl->changed.notify_all();
      }
    } done{self.get()};
    for (;;) {
      Strand strand = asio::make_strand(self->runtime.context());
      tcp::socket socket(strand);
      auto [ec] = co_await self->acceptor.async_accept(socket, nothrow_awaitable);
      if (ec) {
        if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) co_return;
        spdlog::warn("http accept failed: {}", ec.message());
        asio::steady_timer pause(strand, std::chrono::milliseconds(50));  // e.g. EMFILE
        co_await pause.async_wait(nothrow_awaitable);
        continue;
      }
      std::shared_ptr<Session> session;
      {
        std::lock_guard lock(self->mu);
        if (self->closing) co_return;
        if (self->sessions.size() >= self->options.max_connections) {
          spdlog::warn("http: {} connections open, refusing a new one", self->sessions.size());
          continue;  // the socket closes as it goes out of scope
        }
        session = std::make_shared<Session>(strand, std::move(socket), ++self->next_session);
        self->sessions.emplace(session->id, session);
      }
      asio::co_spawn(strand, run_session(self, session),
                     log_if_thrown("http connection " + std::to_string(session->id)));
    }
  }

  // Unregisters a connection when its coroutine ends (or is destroyed with the io_context).
  struct SessionGuard {
    std::shared_ptr<Impl> impl;
    std::uint64_t id;
    ~SessionGuard() {
      std::lock_guard lock(impl->mu);
      impl->sessions.erase(id);
      impl->changed.notify_all();
    }
  };

  static asio::awaitable<void> run_session(std::shared_ptr<Impl> self, std::shared_ptr<Session> s) {
    SessionGuard guard{self, s->id};
    const HttpServerOptions& opt = self->options;
    error_code ec;
    std::string remote = "?";
    if (auto ep = s->stream.socket().remote_endpoint(ec); !ec) remote = endpoint_text(ep);
    beast::flat_buffer buffer;

    for (;;) {
      if (buffer.size() == 0) {  // keep-alive: wait for the next request's first bytes
        if (s->stopping) break;
        s->idle = true;
        s->stream.expires_after(opt.idle_timeout);
        auto [rec, n] = co_await s->stream.async_read_some(buffer.prepare(4096), nothrow_awaitable);
        s->idle = false;
        if (rec) break;  // closed by the peer, idle timeout or shutdown
        buffer.commit(n);
      }

      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
      parser.body_limit(opt.max_body_bytes);
      s->stream.expires_after(opt.read_timeout);
      auto [hec, hn] =
          co_await http::async_read_header(s->stream, buffer, parser, nothrow_awaitable);
      ec = hec;
      if (!ec && !parser.is_done()) {
        if (iequals(parser.get()[http::field::expect], "100-continue")) {
          http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
          auto [cec, cn] = co_await http::async_write(s->stream, cont, nothrow_awaitable);
          ec = cec;
        }
        // A body that arrived with the header (a small POST, e.g. a callback) is parsed from
        // the buffer at once: one asynchronous read operation less per request.
        while (!ec && !parser.is_done() && buffer.size() > 0) {
          const std::size_t used = parser.put(buffer.data(), ec);
          buffer.consume(used);
          if (ec == http::error::need_more) {
            ec = {};
            break;
          }
          if (used == 0) break;
        }
        if (!ec && !parser.is_done()) {
          auto [bec, bn] = co_await http::async_read(s->stream, buffer, parser, nothrow_awaitable);
          ec = bec;
        }
      }
      if (ec) {
        const std::string id = self->next_request_id();
        if (ec == http::error::body_limit) {
          spdlog::warn("http {} {}: body over {} bytes, answering 413", id, remote,
                       opt.max_body_bytes);
          co_await reject(*s, 413, id, opt);
        } else if (ec == http::error::header_limit) {
          spdlog::warn("http {} {}: header over {} bytes, answering 431", id, remote,
                       opt.max_header_bytes);
          co_await reject(*s, 431, id, opt);
        } else if (ec == beast::error::timeout) {
          spdlog::info("http {} {}: request not received within {} ms, closing", id, remote,
                       opt.read_timeout.count());
        } else if (ec == http::error::end_of_stream || ec == asio::error::eof ||
                   ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
          spdlog::debug("http {} {}: connection ended while reading: {}", id, remote, ec.message());
        } else {
          spdlog::info("http {} {}: malformed request ({}), answering 400", id, remote,
                       ec.message());
          co_await reject(*s, 400, id, opt);
        }
        break;
      }

      ++self->requests;
      const auto started_at = std::chrono::steady_clock::now();
      http::request<http::string_body> req = parser.release();
      const unsigned version = req.version();
      const bool client_keep_alive = req.keep_alive();
      Request request;
      request.request_id = self->next_request_id();
      request.method = std::string(req.method_string());
      request.target = std::string(req.target());
      request.remote_address = remote;
      for (const auto& field : req)
        request.headers.add(std::string(field.name_string()), std::string(field.value()));
      request.body = std::move(req.body());
      const std::string id = request.request_id;
      const std::string method = request.method;
      const std::string target_text = request.target;

      std::optional<Response> response;
      if (auto target = parse_request_target(request.target)) {
        request.path = std::move(target->path);
        request.query = std::move(target->query);
        response = co_await self->dispatch(*s, std::move(request));
        if (!response) break;  // forced shutdown
      } else {
        response = Response::text(400, "bad request target\n");
      }

      const bool keep_alive = client_keep_alive && !s->stopping;
      const int status = response->status;
      if (status >= 500) ++self->server_errors;
      ec = co_await write_response(*s, std::move(*response), id, version, keep_alive, opt);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started_at)
                          .count();
      spdlog::debug("http {} {} {} {} -> {} in {} ms", id, remote, method, target_text, status, ms);
      if (ec) {
        spdlog::info("http {} {}: response not written: {}", id, remote, ec.message());
        break;
      }
      if (!keep_alive) break;
    }
    s->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    s->stream.close();
  }

  // Routes one request and waits (within the handler budget) for its response. nullopt when
  // the connection was force-closed meanwhile.
  asio::awaitable<std::optional<Response>> dispatch(Session& s, Request request) {
    const Router::Match match = router.find(request.method, request.path);
    if (!match.handler) {
      if (!match.path_known) co_return Response::text(404, "not found\n");
      Response r = Response::text(405, "method not allowed\n");
      r.headers.set("Allow", match.allow);
      co_return r;
    }
    const std::string id = request.request_id;
    const std::string method = request.method;
    const std::string path = request.path;
    auto pending = std::make_shared<detail::PendingResponse>(s.strand);
    s.pending = pending;
    try {
      (*match.handler)(std::move(request), Responder(pending));
    } catch (...) {
      pending->complete(std::nullopt, std::current_exception());
    }
    if (!pending->done) {
      pending->wake.expires_after(options.handler_budget);
      co_await pending->wake.async_wait(nothrow_awaitable);
    }
    s.pending.reset();
    if (!pending->done) {
      pending->abandoned = true;
      if (s.forced) co_return std::nullopt;
      spdlog::warn("http {} {} {}: no response within the handler budget of {} ms, answering 503",
                   id, method, path, options.handler_budget.count());
      co_return Response::text(503, "service unavailable\n");
    }
    if (pending->error) {
      spdlog::error("http {} {} {}: handler failed: {}", id, method, path,
                    describe(pending->error));
      co_return Response::text(500, "internal server error\n");
    }
    co_return std::move(*pending->response);
  }

  static asio::awaitable<error_code> write_response(Session& s, Response r, const std::string& id,
                                                    unsigned version, bool keep_alive,
                                                    const HttpServerOptions& opt) {
    http::response<http::string_body> out;
    out.version(version);
    if (r.status < 100 || r.status > 599) {
      spdlog::error("http {}: handler returned invalid status {}, answering 500", id, r.status);
      r = Response::text(500, "internal server error\n");
    }
    out.result(static_cast<unsigned>(r.status));
    out.set(http::field::server, "yimei");
    if (!r.content_type.empty()) out.set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) {
      if (has_crlf(name) || has_crlf(value) || name.empty()) {
        spdlog::warn("http {}: dropping response header with CR/LF or empty name", id);
        continue;
      }
      out.insert(name, value);
    }
    out.set("X-Request-Id", id);
    out.body() = std::move(r.body);
    out.keep_alive(keep_alive);
    out.prepare_payload();
    s.stream.expires_after(opt.write_timeout);
    auto [ec, n] = co_await http::async_write(s.stream, out, nothrow_awaitable);
    co_return ec;
  }

  // Answers an unreadable request and closes: the response is sent, our side is shut down,
  // and what the client still sends is drained briefly so that it can read the answer
  // (closing with unread data would reset the connection).
  static asio::awaitable<void> reject(Session& s, int status, const std::string& id,
                                      const HttpServerOptions& opt) {
    auto ec = co_await write_response(
        s, Response::text(status, std::string(status_reason(status)) + "\n"), id, 11, false, opt);
    if (ec) co_return;
    s.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    s.stream.expires_after(std::chrono::seconds(1));
    std::array<char, 8192> sink;
    std::size_t drained = 0;
    while (drained < 4 * 1024 * 1024) {
      auto [rec, n] = co_await s.stream.async_read_some(asio::buffer(sink), nothrow_awaitable);
      if (rec) break;
      drained += n;
    }
  }

  bool shutdown(std::chrono::milliseconds grace) {
    if (runtime.in_io_thread())
      throw std::logic_error("HttpServer::shutdown called from an io thread");
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(mu);
      if (!started || closing) return shutdown_result;
      closing = true;
      for (auto& [id, weak] : sessions)
        if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    spdlog::info("http server stopping: {} connection(s) open, grace {} ms", live.size(),
                 grace.count());
    asio::post(accept_strand, [self = shared_from_this()] {
      error_code ignored;
      self->acceptor.close(ignored);
    });
    for (auto& s : live)
      asio::post(s->strand, [s] {
        s->stopping = true;
        if (s->idle) s->stream.cancel();
      });
    live.clear();

    std::unique_lock lock(mu);
    const bool graceful = changed.wait_for(lock, grace, [&] { return sessions.empty(); });
    if (!graceful) {
      spdlog::warn("http server: {} connection(s) still open after {} ms, closing them",
                   sessions.size(), grace.count());
      for (auto& [id, weak] : sessions)
        if (auto s = weak.lock())
          asio::post(s->strand, [s] {
            s->forced = true;
            s->stopping = true;
            s->stream.cancel();
            if (s->pending) s->pending->wake.cancel();
          });
      changed.wait_for(lock, std::chrono::seconds(2), [&] { return sessions.empty(); });
    }
    // The accept loop ends as soon as the posted close runs.
    changed.wait_for(lock, std::chrono::seconds(2), [&] { return !accept_running; });
    shutdown_result = graceful;
    spdlog::info("http server stopped ({})", graceful ? "graceful" : "forced");
    return graceful;
  }
};

HttpServer::HttpServer(NetRuntime& runtime, HttpServerOptions options, Router router)
    : impl_(std::make_shared<Impl>(runtime, std::move(options), std::move(router))) {}

HttpServer::~HttpServer() {
  try {
    impl_->shutdown(std::chrono::milliseconds(0));
  } catch (const std::exception& e) {
    spdlog::error("http server: shutdown in destructor failed: {}", e.what());
  }
}

void HttpServer::start() {
  impl_->start();
}

std::uint16_t HttpServer::port() const {
  return impl_->bound_port;
}

bool HttpServer::shutdown(std::chrono::milliseconds grace) {
  return impl_->shutdown(grace);
}

HttpServer::Stats HttpServer::stats() const {
  Stats st;
  st.requests = impl_->requests.load();
  st.server_errors = impl_->server_errors.load();
  std::lock_guard lock(impl_->mu);
  st.active_connections = impl_->sessions.size();
  return st;
}

}  // namespace yimei::net
