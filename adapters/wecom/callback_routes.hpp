// The WeCom app callback endpoints of `yimei serve`: GET /wecom/callback answers the URL
// verification with the decrypted echostr; POST /wecom/callback verifies, decrypts and
// normalizes a message and hands it to the durable intake, answering an empty 200 once it is
// recorded (or was already: a retry) and 503 when it could not be recorded (WeCom retries).
// Refusals, each with one warn log line (no secrets) and a count in
// yimei_wecom_callbacks_total{result="..."}, and nothing submitted:
//   403 bad_signature; 413 too_large (body over kMaxCallbackBytes); 400 for everything else:
//   bad_query / missing_param, bad_timestamp (not digits), stale_timestamp (outside
//   WECOM_TIMESTAMP_WINDOW, GET and POST alike), bad_envelope (XML), bad_ciphertext (base64,
//   length, padding, layout), wrong_receive_id (not WECOM_CORP_ID), bad_message (XML).
// Query parameters are read from the raw request-target with %XX decoding only ('+' stays).
// Handlers run on io threads and never block (crypto only). Thread-safe.
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

#include "adapters/wecom/callback_message.hpp"
#include "bot/channel.hpp"
#include "core/error.hpp"

namespace yimei::net {
class Router;
struct Request;
struct Response;
class Responder;
}  // namespace yimei::net

namespace yimei::bot {
class MessageIntake;
class Metrics;
}  // namespace yimei::bot

namespace yimei::wecom {

struct CallbackSettings {
  std::string corp_id;  // WECOM_CORP_ID: the receive id inside every ciphertext
  std::string token;    // WECOM_TOKEN
  std::string aes_key;  // WECOM_AES_KEY (43 characters)
  std::chrono::seconds timestamp_window{300};  // WECOM_TIMESTAMP_WINDOW
  std::string path = "/wecom/callback";
  // Unix seconds now (tests pin it to replay the official vectors); empty: the system clock.
  std::function<std::int64_t()> now_seconds;
};

constexpr const char* kCallbackMetric = "yimei_wecom_callbacks_total";

// A decrypted WeCom message as the service sees it; nullopt for events that need no answer
// (unsubscribe, LOCATION, click, ...). Text → text; enter_agent / subscribe → empty text (the
// router answers with help); image, voice, video, location, link, file and other message types
// → unsupported_type (answered politely). msg_id is WecomMessage::dedup_id().
std::optional<bot::IncomingMessage> normalize(const WecomMessage& m);

// %XX decoding only ('+' stays '+'); nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s);
// The query of a raw request-target, each name and value %XX-decoded; nullopt when malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> raw_query(std::string_view target);

class CallbackRoutes {
 public:
  // UserError (BadInput) when the token or AES key is unusable. `intake` and `metrics` must
  // outlive the routes (and every server they are added to).
  static Outcome<CallbackRoutes> create(CallbackSettings settings, bot::MessageIntake& intake,
                                        bot::Metrics& metrics);

  // Registers GET and POST on settings.path.
  void add_to(net::Router& router) const;

  // The handlers themselves (also callable directly).
  net::Response verify_url(const net::Request& request) const;
  void receive(const net::Request& request, const net::Responder& responder) const;

 private:
  struct State;
  explicit CallbackRoutes(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

}  // namespace yimei::wecom
