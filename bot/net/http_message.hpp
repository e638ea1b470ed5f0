// Neutral HTTP message types shared by the server, the client and every handler: no Beast or
// Asio here, so adapters, the REST API and tests include this header cheaply.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yimei::net {

// An ordered list of header fields with case-insensitive lookup (names keep their spelling).
// Not thread-safe for concurrent mutation; a const Headers may be read from any thread.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // The first value of `name`, or nullopt when absent.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  // Replaces every field called `name` with one field.
  void set(std::string name, std::string value);
  // Appends a field (repeated fields such as Set-Cookie).
  void add(std::string name, std::string value);
  void erase(std::string_view name);

  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

// ASCII case-insensitive equality (HTTP field names, methods in Allow lists).
bool iequals(std::string_view a, std::string_view b);

// One incoming request as a handler sees it.
struct Request {
  std::string method;                                      // upper case as sent: "GET", "POST", ...
  std::string target;                                      // raw request-target: "/api/x?y=1"
  std::string path;                                        // percent-decoded path: "/api/x"
  std::vector<std::pair<std::string, std::string>> query;  // percent-decoded, in order
  Headers headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1:54321"
  std::string request_id;      // also sent back as X-Request-Id and used in every log line

  // The first value of query parameter `name`, or nullopt.
  std::optional<std::string_view> query_param(std::string_view name) const;
  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
};

// What a handler answers. The server adds Content-Length, Connection and X-Request-Id.
struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  Headers headers;
  std::string body;

  static Response text(int status, std::string body);
  static Response json(int status, std::string body);
  static Response html(int status, std::string body);
};

// The reason phrase of a status code ("Not Found"), or "" for unknown codes.
std::string_view status_reason(int status);

}  // namespace yimei::net
