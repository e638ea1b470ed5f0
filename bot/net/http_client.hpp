// The outbound HTTP/1.1 client for platform APIs and the LLM endpoint: http and https
// (OpenSSL 3, SNI, host-name verification against the system CA store), a timeout per phase
// plus an overall deadline, and a response size limit. One connection per request.
// Two faces: send() blocks (worker threads only) and async_send() calls back on an io thread;
// the coroutine face co_send() is in http_client_awaitable.hpp. Beast stays in the .cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "bot/net/http_message.hpp"
#include "bot/net/net_runtime.hpp"

namespace yimei::net {

struct ClientTimeouts {
  std::chrono::milliseconds resolve{5000};
  std::chrono::milliseconds connect{5000};
  std::chrono::milliseconds handshake{5000};
  std::chrono::milliseconds write{10000};
  std::chrono::milliseconds read{30000};   // from the end of the write to the last body byte
  std::chrono::milliseconds total{60000};  // overall deadline; every phase is cut to fit it
};

struct HttpClientOptions {
  ClientTimeouts timeouts;
  std::size_t max_response_body = 8 * 1024 * 1024;
  std::size_t max_response_header = 64 * 1024;
  std::string user_agent = "yimei";
  // Tests only: PEM certificate(s) trusted in addition to the system store.
  std::string extra_ca_pem;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute http:// or https:// URL
  Headers headers;
  std::string body;  // sent with Content-Length when not empty (or when method is POST/PUT)
  std::optional<std::chrono::milliseconds> deadline;  // overrides ClientTimeouts::total
  std::optional<std::size_t> max_response_body;       // overrides the client's limit
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::chrono::milliseconds elapsed{0};
};

enum class HttpErrorKind {
  InvalidUrl,
  Resolve,           // name lookup failed
  Connect,           // refused, unreachable
  Tls,               // handshake or certificate verification failed
  Timeout,           // a phase timeout or the overall deadline (see HttpError::phase)
  Send,              // writing the request failed
  Receive,           // reading the response failed, connection dropped, malformed response
  ResponseTooLarge,  // header or body over the limit
  Internal,          // unexpected exception inside the client
};

struct HttpError {
  HttpErrorKind kind = HttpErrorKind::Internal;
  std::string phase;   // "resolve", "connect", "handshake", "write", "read"
  std::string detail;  // for the log (never contains request headers or bodies)
};

std::string_view to_string(HttpErrorKind kind);

// A response (any status code counts as a response) or a transport error.
class HttpResult {
 public:
  HttpResult() : v_(HttpError{HttpErrorKind::Internal, "", "no result"}) {}
  HttpResult(HttpResponse r) : v_(std::move(r)) {}  // NOLINT: implicit by design
  HttpResult(HttpError e) : v_(std::move(e)) {}     // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  HttpResponse& response() { return std::get<0>(v_); }
  const HttpResponse& response() const { return std::get<0>(v_); }
  const HttpError& error() const { return std::get<1>(v_); }

 private:
  std::variant<HttpResponse, HttpError> v_;
};

class HttpClient {
 public:
  // Throws std::invalid_argument when extra_ca_pem cannot be loaded. The runtime must outlive
  // the client and keep running while requests are in flight.
  HttpClient(NetRuntime& runtime, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Blocking. Throws std::logic_error when called on an io thread of the runtime (it would
  // deadlock); otherwise never throws: failures are HttpError values. Thread-safe.
  HttpResult send(HttpRequest request);

  // Non-blocking: `done` runs later on an io thread (never inline). Thread-safe.
  void async_send(HttpRequest request, std::function<void(HttpResult)> done);

  const HttpClientOptions& options() const;

 private:
  friend struct HttpClientAccess;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace yimei::net
