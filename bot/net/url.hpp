// URL handling for the network layer (Boost.URL behind plain functions): absolute http(s) URLs
// for the client, request-targets for the server, and joining an API base with a path.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yimei::net {

struct HttpUrl {
  bool tls = false;        // https
  std::string host;        // "api.openai.com", "127.0.0.1" or "::1" (no brackets)
  std::uint16_t port = 0;  // explicit or the scheme's default
  bool host_is_ip = false;
  std::string target;  // origin-form: encoded path (at least "/") plus "?query" if any
  // The Host header value: host, plus ":port" when not the scheme's default.
  std::string host_header() const;
};

// Parses an absolute http:// or https:// URL; nullopt for anything else (other schemes,
// relative references, user-info, malformed text).
std::optional<HttpUrl> parse_http_url(std::string_view url);

struct RequestTarget {
  std::string path;                                        // percent-decoded
  std::vector<std::pair<std::string, std::string>> query;  // percent-decoded, '+' as space
};

// Parses an origin-form request-target ("/a/b?x=1"); nullopt when malformed.
std::optional<RequestTarget> parse_request_target(std::string_view target);

// Joins an API base URL (which may carry a path such as "/v1", with or without a trailing
// slash) and a path starting with '/': ("https://h/v1/", "/chat") -> "https://h/v1/chat".
std::string join_url(std::string_view base, std::string_view path);

// Percent-encodes a query-string component (RFC 3986 unreserved characters stay).
std::string url_encode_component(std::string_view s);

}  // namespace yimei::net
