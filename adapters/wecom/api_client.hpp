// The WeCom self-built app API (自建应用) over net::HttpClient: gettoken with the access token
// cached per app and refreshed before it expires or when WeCom says it is invalid (then the call
// is retried once), message/send to users and departments, appchat/send to group chats created
// by the app, and media/upload (multipart). errcode is checked on every HTTP 200.
// Failures: UserError Unavailable = retry later (transport, timeout, HTTP 5xx/429, errcode -1,
// 45009, 45033, unreadable reply); any other UserError = refused for good (40001/40013 are
// configuration errors and logged as such). Blocking: call from worker threads only.
// Thread-safe: the token is shared under a mutex and at most one gettoken is in flight.
// The secret and the token never appear in logs.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/wecom/message_part.hpp"
#include "core/error.hpp"

namespace yimei::net {
class HttpClient;
}

namespace yimei::wecom {

struct AppSettings {
  std::string api_base = "https://qyapi.weixin.qq.com";  // WECOM_API_BASE
  std::string corp_id;                                   // WECOM_CORP_ID
  std::string secret;                                    // WECOM_SECRET
  std::int64_t agent_id = 0;                             // WECOM_AGENT_ID
  std::chrono::milliseconds request_timeout{10000};      // each HTTP call, uploads included
  std::chrono::seconds refresh_margin{300};  // refresh this long before expires_in runs out
};

struct AppRecipient {
  enum class Kind { User, Party, Chat };
  Kind kind = Kind::User;
  std::string id;  // UserID ("a|b" allowed), department id, or appchat chatid
};

enum class MediaType { Image, File };

// How the client treats a WeCom errcode.
enum class ErrcodeClass {
  Ok,            // 0
  TokenInvalid,  // 40014, 42001, 41001: refresh the token and retry once
  Config,        // 40001 (secret), 40013 (corp id): fatal configuration error
  Retry,         // -1 (busy), 45009 / 45033 (rate limits): Unavailable
  Refused,       // anything else: the request itself is wrong
};
ErrcodeClass classify_errcode(std::int64_t errcode);

class ApiClient {
 public:
  // `http` must outlive the client.
  ApiClient(net::HttpClient& http, AppSettings settings);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // Sends one part: Text/Markdown directly; Image/File are uploaded first and sent by
  // media_id. MarkdownV2 is robot-only and refused here. Returns true when WeCom accepted it.
  Outcome<bool> send(const AppRecipient& to, const MessagePart& part);

  // media/upload; returns the media_id (valid 3 days).
  Outcome<std::string> upload_media(MediaType type, const std::string& file_name,
                                    const std::string& content_type, std::string_view bytes);

  // The cached token, fetched when missing or due for refresh.
  Outcome<std::string> access_token();
  // Forgets the cached token (the next call fetches a new one).
  void invalidate_token();

  // gettoken calls made so far (tests, metrics).
  std::uint64_t token_fetches() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yimei::wecom
