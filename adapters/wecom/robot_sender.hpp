// The WeCom group robot webhook (群机器人): `{base}/cgi-bin/webhook/send?key=KEY` with text
// (mentions), markdown, markdown_v2 (tables), image (base64 + md5 of the raw bytes, ≤ 2 MB) and
// file (uploaded first through webhook/upload_media). WeCom allows 20 messages a minute per
// robot: a client-side sliding window per key refuses the 21st with Unavailable (the outbox
// retries later) instead of letting WeCom throttle the robot. Failures as in api_client.hpp:
// Unavailable = retry later; other UserErrors = refused for good (93000: the key is invalid or
// the robot was removed). Blocking: worker threads only. Thread-safe. Keys are masked in logs.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "adapters/wecom/message_part.hpp"
#include "adapters/wecom/send_limiter.hpp"
#include "core/error.hpp"

namespace yimei::net {
class HttpClient;
}

namespace yimei::wecom {

struct RobotSettings {
  std::string api_base = "https://qyapi.weixin.qq.com";  // WECOM_API_BASE
  std::size_t per_minute = 20;                           // messages a minute per robot key
  std::chrono::milliseconds request_timeout{10000};
  // The clock of the rate limit (tests move it forward); empty: steady_clock::now.
  std::function<SendLimiter::Clock::time_point()> now;
};

class RobotSender {
 public:
  // `http` must outlive the sender.
  RobotSender(net::HttpClient& http, RobotSettings settings);

  // Sends one part to the robot `key`; true when WeCom accepted it.
  Outcome<bool> send(const std::string& key, const MessagePart& part);
  // Messages the key may still send in the current window.
  std::size_t available(const std::string& key);

  // webhook/upload_media (type file); returns the media_id, usable by this robot only.
  Outcome<std::string> upload_file(const std::string& key, const std::string& file_name,
                                   std::string_view bytes);

  // "abcd****" : the first 4 characters of a key, for logs.
  static std::string mask_key(std::string_view key);

 private:
  SendLimiter::Clock::time_point now() const;
  Outcome<bool> post(const std::string& key, const char* op, const std::string& path,
                     const std::string& query, const std::string& content_type,
                     const std::string& body, std::string* media_id);

  net::HttpClient& http_;
  RobotSettings settings_;
  SendLimiter limiter_;
};

// Lowercase hex MD5 of `bytes` (the robot image checksum).
std::string md5_hex(std::string_view bytes);

}  // namespace yimei::wecom
