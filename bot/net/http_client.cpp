// The HTTP(S) client's transport (the one Beast + asio::ssl translation unit of the client
// side): resolve with a watchdog, connect, TLS handshake with SNI and host-name verification,
// write, read with limits, and a bounded asynchronous TLS shutdown.
#include "bot/net/http_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <stdexcept>

#include "bot/net/http_client_awaitable.hpp"
#include "bot/net/url.hpp"

namespace yimei::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

std::string_view to_string(HttpErrorKind kind) {
  switch (kind) {
    case HttpErrorKind::InvalidUrl:
      return "invalid-url";
    case HttpErrorKind::Resolve:
      return "resolve";
    case HttpErrorKind::Connect:
      return "connect";
    case HttpErrorKind::Tls:
      return "tls";
    case HttpErrorKind::Timeout:
      return "timeout";
    case HttpErrorKind::Send:
      return "send";
    case HttpErrorKind::Receive:
      return "receive";
    case HttpErrorKind::ResponseTooLarge:
      return "response-too-large";
    case HttpErrorKind::Internal:
      return "internal";
  }
  return "unknown";
}

namespace {

// The time left for one phase: the phase's own timeout cut to the overall deadline.
class Budget {
 public:
  Budget(Clock::time_point deadline, milliseconds total) : deadline_(deadline), total_(total) {}
  std::optional<milliseconds> phase(milliseconds limit) const {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
    if (left <= milliseconds(0)) return std::nullopt;
    return std::min(limit, left);
  }
  HttpError timeout(const char* phase, milliseconds limit) const {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
    const bool overall = left <= milliseconds(0);
    return HttpError{HttpErrorKind::Timeout, phase,
                     overall ? fmt::format("overall deadline of {} ms passed", total_.count())
                             : fmt::format("no progress within {} ms", limit.count())};
  }

 private:
  Clock::time_point deadline_;
  milliseconds total_;
};

HttpError transport_error(HttpErrorKind kind, const char* phase, const error_code& ec) {
  return HttpError{kind, phase, ec.message()};
}

bool has_crlf(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

// Writes the request and reads the response on an established (plain or TLS) stream.
template <class Stream>
asio::awaitable<HttpResult> exchange(Stream& stream, const HttpUrl& url, HttpRequest& request,
                                     const HttpClientOptions& options, const Budget& budget) {
  auto& lowest = beast::get_lowest_layer(stream);
  http::request<http::string_body> out;
  const http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown)
    out.method_string(request.method);
  else
    out.method(verb);
  out.target(url.target);
  out.version(11);
  out.set(http::field::host, url.host_header());
  out.set(http::field::user_agent, options.user_agent);
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || has_crlf(name) || has_crlf(value))
      co_return HttpError{HttpErrorKind::Send, "write", "request header with CR/LF or no name"};
    out.set(name, value);
  }
  out.body() = std::move(request.body);
  out.keep_alive(false);
  out.prepare_payload();

  auto limit = budget.phase(options.timeouts.write);
  if (!limit) co_return budget.timeout("write", options.timeouts.write);
  lowest.expires_after(*limit);
  auto [wec, wn] = co_await http::async_write(stream, out, nothrow_awaitable);
  if (wec == beast::error::timeout) co_return budget.timeout("write", *limit);
  if (wec) co_return transport_error(HttpErrorKind::Send, "write", wec);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(request.max_response_body.value_or(options.max_response_body));
  parser.header_limit(static_cast<std::uint32_t>(options.max_response_header));
  if (verb == http::verb::head) parser.skip(true);
  limit = budget.phase(options.timeouts.read);
  if (!limit) co_return budget.timeout("read", options.timeouts.read);
  lowest.expires_after(*limit);
  auto [rec, rn] = co_await http::async_read(stream, buffer, parser, nothrow_awaitable);
  if (rec == ssl::error::stream_truncated && parser.is_header_done() && !parser.is_done()) {
    // The peer closed without close_notify; a body delimited by the end of the connection is
    // complete all the same (a cut Content-Length body still fails as partial_message).
    rec = {};
    parser.put_eof(rec);
  }
  if (rec == http::error::body_limit || rec == http::error::header_limit)
    co_return HttpError{HttpErrorKind::ResponseTooLarge, "read", rec.message()};
  if (rec == beast::error::timeout) co_return budget.timeout("read", *limit);
  if (rec) co_return transport_error(HttpErrorKind::Receive, "read", rec);

  auto message = parser.release();
  HttpResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message)
    response.headers.add(std::string(field.name_string()), std::string(field.value()));
  response.body = std::move(message.body());
  co_return response;
}

std::string tls_failure_detail(SSL* handle, const error_code& ec) {
  const long verify = SSL_get_verify_result(handle);
  if (verify != X509_V_OK)
    return fmt::format("{} ({})", ec.message(), X509_verify_cert_error_string(verify));
  return ec.message();
}

}  // namespace

struct HttpClient::Impl {
  Impl(NetRuntime& rt, HttpClientOptions o)
      : runtime(rt), options(std::move(o)), tls(ssl::context::tls_client) {
    SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
    tls.set_default_verify_paths();
    if (!options.extra_ca_pem.empty()) {
      error_code ec;
      tls.add_certificate_authority(asio::buffer(options.extra_ca_pem), ec);
      if (ec) throw std::invalid_argument("HttpClient: extra_ca_pem not loadable: " + ec.message());
    }
    tls.set_verify_mode(ssl::verify_peer);
  }

  NetRuntime& runtime;
  const HttpClientOptions options;
  ssl::context tls;  // configured once, then only read: safe across connections

  // Never throws: unexpected exceptions become HttpErrorKind::Internal.
  static asio::awaitable<HttpResult> perform(std::shared_ptr<Impl> self, HttpRequest request) {
    const auto started = Clock::now();
    const std::string method = request.method;
    HttpResult result;
    std::string where = "?";
    try {
      auto url = parse_http_url(request.url);
      if (url) where = url->host_header() + url->target.substr(0, url->target.find('?'));
      // (No co_await inside ?: — g++ 12 miscompiles the temporaries of that form.)
      if (url)
        result = co_await self->perform_on(*url, request, started);
      else
        result = HttpError{HttpErrorKind::InvalidUrl, "", "not an absolute http(s) URL"};
    } catch (const std::exception& e) {
      result = HttpError{HttpErrorKind::Internal, "", e.what()};
    }
    const auto ms = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    // The query string is left out of logs: platform APIs carry access tokens there.
    if (result.ok()) {
      result.response().elapsed = ms;
      spdlog::debug("http client {} {} -> {} in {} ms", method, where, result.response().status,
                    ms.count());
    } else {
      spdlog::info("http client {} {} failed in {} ms: {} at {}: {}", method, where, ms.count(),
                   to_string(result.error().kind), result.error().phase, result.error().detail);
    }
    co_return result;
  }

  asio::awaitable<HttpResult> perform_on(const HttpUrl& url, HttpRequest& request,
                                         Clock::time_point started) {
    const milliseconds total = request.deadline.value_or(options.timeouts.total);
    const Budget budget(started + total, total);
    const auto& t = options.timeouts;
    auto ex = co_await asio::this_coro::executor;  // a strand: see spawn sites

    // Resolve, with a watchdog: the resolver has no deadline of its own.
    auto limit = budget.phase(t.resolve);
    if (!limit) co_return budget.timeout("resolve", t.resolve);
    tcp::resolver resolver(ex);
    struct Watch {
      bool armed = true;
      bool fired = false;
      tcp::resolver* resolver;
    };
    auto watch = std::make_shared<Watch>(Watch{true, false, &resolver});
    asio::steady_timer watchdog(ex, *limit);
    watchdog.async_wait([watch](const error_code& ec) {
      if (ec || !watch->armed) return;
      watch->fired = true;
      watch->resolver->cancel();
    });
    auto [rec, endpoints] =
        co_await resolver.async_resolve(url.host, std::to_string(url.port), nothrow_awaitable);
    watch->armed = false;
    watchdog.cancel();
    if (watch->fired) co_return budget.timeout("resolve", *limit);
    if (rec)
      co_return HttpError{HttpErrorKind::Resolve, "resolve", url.host + ": " + rec.message()};

    beast::tcp_stream tcp_stream(ex);
    limit = budget.phase(t.connect);
    if (!limit) co_return budget.timeout("connect", t.connect);
    tcp_stream.expires_after(*limit);
    auto [cec, ep] = co_await tcp_stream.async_connect(endpoints, nothrow_awaitable);
    if (cec == beast::error::timeout) co_return budget.timeout("connect", *limit);
    if (cec) co_return transport_error(HttpErrorKind::Connect, "connect", cec);

    if (!url.tls) {
      HttpResult result = co_await exchange(tcp_stream, url, request, options, budget);
      error_code ignored;
      tcp_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      co_return result;
    }

    ssl::stream<beast::tcp_stream> stream(std::move(tcp_stream), tls);
    // SNI only for names (RFC 6066 forbids IP literals); verification covers both.
    if (!url.host_is_ip && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()))
      co_return HttpError{HttpErrorKind::Tls, "handshake", "cannot set SNI"};
    stream.set_verify_mode(ssl::verify_peer);
    stream.set_verify_callback(ssl::host_name_verification(url.host));
    limit = budget.phase(t.handshake);
    if (!limit) co_return budget.timeout("handshake", t.handshake);
    beast::get_lowest_layer(stream).expires_after(*limit);
    auto [hec] = co_await stream.async_handshake(ssl::stream_base::client, nothrow_awaitable);
    if (hec == beast::error::timeout) co_return budget.timeout("handshake", *limit);
    if (hec)
      co_return HttpError{HttpErrorKind::Tls, "handshake",
                          tls_failure_detail(stream.native_handle(), hec)};

    HttpResult result = co_await exchange(stream, url, request, options, budget);
    if (result.ok()) {
      // Asynchronous, bounded close_notify exchange (a synchronous shutdown on an io thread
      // can deadlock). stream_truncated (peer closed without close_notify) is a normal end.
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
      auto [sec] = co_await stream.async_shutdown(nothrow_awaitable);
      if (sec && sec != ssl::error::stream_truncated && sec != asio::error::eof)
        spdlog::debug("http client: TLS shutdown with {}: {}", url.host, sec.message());
    }
    co_return result;
  }
};

struct HttpClientAccess {
  static asio::awaitable<HttpResult> spawn(HttpClient& client, HttpRequest request) {
    auto impl = client.impl_;
    co_return co_await asio::co_spawn(asio::make_strand(impl->runtime.context()),
                                      HttpClient::Impl::perform(impl, std::move(request)),
                                      asio::use_awaitable);
  }
};

HttpClient::HttpClient(NetRuntime& runtime, HttpClientOptions options)
    : impl_(std::make_shared<Impl>(runtime, std::move(options))) {}

HttpClient::~HttpClient() = default;

const HttpClientOptions& HttpClient::options() const {
  return impl_->options;
}

HttpResult HttpClient::send(HttpRequest request) {
  if (impl_->runtime.in_io_thread())
    throw std::logic_error("HttpClient::send called on an io thread; use co_send or async_send");
  const milliseconds total = request.deadline.value_or(impl_->options.timeouts.total);
  auto future = asio::co_spawn(asio::make_strand(impl_->runtime.context()),
                               Impl::perform(impl_, std::move(request)), asio::use_future);
  // Every phase is bounded by `total`; the margin covers a runtime that was stopped meanwhile.
  if (future.wait_for(total + std::chrono::seconds(5)) != std::future_status::ready)
    return HttpError{HttpErrorKind::Internal, "",
                     "the network runtime did not complete the request"};
  try {
    return future.get();
  } catch (const std::exception& e) {
    return HttpError{HttpErrorKind::Internal, "", e.what()};
  }
}

void HttpClient::async_send(HttpRequest request, std::function<void(HttpResult)> done) {
  asio::co_spawn(asio::make_strand(impl_->runtime.context()),
                 Impl::perform(impl_, std::move(request)),
                 [done = std::move(done)](std::exception_ptr e, HttpResult result) {
                   if (e) result = HttpError{HttpErrorKind::Internal, "", "unexpected exception"};
                   try {
                     done(std::move(result));
                   } catch (const std::exception& x) {
                     spdlog::error("http client: completion handler threw: {}", x.what());
                   }
                 });
}

asio::awaitable<HttpResult> co_send(HttpClient& client, HttpRequest request) {
  return HttpClientAccess::spawn(client, std::move(request));
}

}  // namespace yimei::net
