// A scriptable fake upstream HTTP(S) server for tests of outbound clients (LLM, WeCom,
// DingTalk APIs): it records every request and answers from a handler; replies can be
// delayed, can hang (read the request, never answer) or drop the connection. TLS with a
// certificate made by make_self_signed_certificate(). Own io_context and thread; no Beast
// in this header.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yimei::test {

struct RecordedRequest {
  std::string method;
  std::string target;  // as sent: "/v1/chat/completions?x=1"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // First value of a header, case-insensitive; nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
};

struct FakeReply {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait before answering
  bool hang = false;                   // never answer (until the server is destroyed)
  bool close_without_reply = false;    // close the connection instead of answering
  bool body_until_close = false;       // no Content-Length; close (no TLS close_notify) after body
};

struct FakeServerOptions {
  bool tls = false;
  std::string cert_pem;  // server certificate (TLS only)
  std::string key_pem;   // its private key
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeReply(const RecordedRequest&)>;
  // Listens on 127.0.0.1 with an ephemeral port; without a handler every request gets 200 {}.
  explicit FakeHttpServer(Handler handler = {}, FakeServerOptions options = {});
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::uint16_t port() const;
  // "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT" (no trailing slash).
  std::string base_url() const;
  void set_handler(Handler handler);  // thread-safe

  std::vector<RecordedRequest> requests() const;  // thread-safe copy
  std::size_t connection_count() const;           // connections accepted so far
  // Waits until at least n requests were recorded; false on timeout.
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

struct TestCertificate {
  std::string cert_pem;
  std::string key_pem;
};

// A self-signed certificate (EC P-256, SHA-256, valid from an hour ago for a day, CA:TRUE so it
// can be trusted as its own anchor) with the given DNS and IP subject alternative names.
// Made with the OpenSSL 3 API; throws std::runtime_error on failure.
TestCertificate make_self_signed_certificate(const std::string& common_name,
                                             const std::vector<std::string>& dns_names,
                                             const std::vector<std::string>& ip_addresses);

}  // namespace yimei::test
