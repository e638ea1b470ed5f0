// The callback handlers: parameter checks, timestamp window, signature, decryption, parsing and
// normalization, then the durable intake; every refusal is counted and logged once.
#include "adapters/wecom/callback_routes.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <variant>

#include "adapters/wecom/msg_crypt.hpp"
#include "bot/metrics.hpp"
#include "bot/net/router.hpp"
#include "bot/platform.hpp"

namespace yimei::wecom {

namespace {

constexpr const char* kMetricHelp = "WeCom app callbacks by outcome";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::int64_t> digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.front() == '-') return std::nullopt;
  return v;
}

// A refusal: what the client is told, and what the log and the metric say.
struct Refusal {
  int status;
  const char* result;  // metric label and log reason
  std::string detail;  // for the log only; never secrets or message content
};

}  // namespace

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> raw_query(std::string_view target) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view rest = target.substr(q + 1);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    auto name = percent_decode(item.substr(0, eq));
    auto value =
        percent_decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

std::optional<bot::IncomingMessage> normalize(const WecomMessage& m) {
  bot::IncomingMessage in;
  in.platform = "wecom";
  in.msg_id = m.dedup_id();
  in.user_id = m.from_user;
  in.chat_id = m.chat_id;
  in.is_group = !m.chat_id.empty();
  if (auto t = digits(m.create_time))
    in.time = std::chrono::system_clock::time_point(std::chrono::seconds(*t));
  else
    in.time = std::chrono::system_clock::now();
  if (m.msg_type == "text") {
    in.text = m.content;
  } else if (m.msg_type == "event") {
    if (m.event != "enter_agent" && m.event != "subscribe") return std::nullopt;
    in.text.clear();  // a greeting: the router answers with help
  } else {
    in.unsupported_type = m.msg_type;
  }
  return in;
}

struct CallbackRoutes::State {
  State(CallbackSettings s, MsgCrypt c, bot::MessageIntake& i, bot::Metrics& m)
      : settings(std::move(s)), crypt(std::move(c)), intake(i), metrics(m) {}

  CallbackSettings settings;
  MsgCrypt crypt;
  bot::MessageIntake& intake;
  bot::Metrics& metrics;

  std::int64_t now() const {
    if (settings.now_seconds) return settings.now_seconds();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  void count(const char* result) const {
    metrics.add(kCallbackMetric, std::string("result=\"") + result + "\"", 1, kMetricHelp);
  }

  net::Response refuse(const net::Request& req, const Refusal& r) const {
    count(r.result);
    spdlog::warn("wecom callback {} {} from {}: refused {} ({}){}{}", req.method, req.request_id,
                 req.remote_address, r.status, r.result, r.detail.empty() ? "" : ": ", r.detail);
    return net::Response::text(r.status, std::string(net::status_reason(r.status)));
  }

  struct Signed {
    std::string signature, timestamp, nonce, echostr;
  };

  // The query parameters, present and fresh; echostr only for GET.
  std::variant<Signed, Refusal> signed_params(const net::Request& req, bool want_echostr) const {
    auto query = raw_query(req.target);
    if (!query) return Refusal{400, "bad_query", "malformed %-escape in the query"};
    std::map<std::string, std::string, std::less<>> first;  // a repeated name: its first value
    for (auto& [name, value] : *query) first.try_emplace(std::move(name), std::move(value));
    Signed s;
    const std::pair<const char*, std::string*> wanted[] = {{"msg_signature", &s.signature},
                                                           {"timestamp", &s.timestamp},
                                                           {"nonce", &s.nonce},
                                                           {"echostr", &s.echostr}};
    for (const auto& [name, field] : wanted) {
      if (!want_echostr && field == &s.echostr) break;
      auto it = first.find(std::string_view(name));
      if (it == first.end()) return Refusal{400, "missing_param", std::string("no ") + name};
      *field = it->second;
    }
    const auto ts = digits(s.timestamp);
    if (!ts) return Refusal{400, "bad_timestamp", "timestamp is not a number"};
    const std::int64_t skew = std::llabs(now() - *ts);
    if (skew > settings.timestamp_window.count())
      return Refusal{400, "stale_timestamp",
                     "timestamp is " + std::to_string(skew) + " s away from our clock (window " +
                         std::to_string(settings.timestamp_window.count()) + " s)"};
    return s;
  }

  // Decrypts a signed ciphertext.
  std::variant<std::string, Refusal> open(const Signed& s, std::string_view encrypt) const {
    if (!crypt.verify(s.signature, s.timestamp, s.nonce, encrypt))
      return Refusal{403, "bad_signature", "msg_signature does not match"};
    auto plain = crypt.decrypt(encrypt);
    if (!plain.ok) {
      if (plain.error == CryptError::WrongReceiveId)
        return Refusal{400, "wrong_receive_id", "the receive id is not WECOM_CORP_ID"};
      return Refusal{400, "bad_ciphertext", describe(plain.error)};
    }
    return std::move(plain.value);
  }
};

Outcome<CallbackRoutes> CallbackRoutes::create(CallbackSettings settings,
                                               bot::MessageIntake& intake, bot::Metrics& metrics) {
  auto crypt = MsgCrypt::create(settings.token, settings.aes_key, settings.corp_id);
  if (!crypt) return crypt.error();
  return CallbackRoutes(
      std::make_shared<const State>(std::move(settings), std::move(*crypt), intake, metrics));
}

void CallbackRoutes::add_to(net::Router& router) const {
  router.handle("GET", state_->settings.path,
                [routes = *this](const net::Request& r) { return routes.verify_url(r); });
  router.handle_async(
      "POST", state_->settings.path,
      [routes = *this](net::Request r, net::Responder done) { routes.receive(r, done); });
}

net::Response CallbackRoutes::verify_url(const net::Request& req) const {
  const State& st = *state_;
  auto params = st.signed_params(req, true);
  if (auto* r = std::get_if<Refusal>(&params)) return st.refuse(req, *r);
  const auto& s = std::get<State::Signed>(params);
  auto plain = st.open(s, s.echostr);
  if (auto* r = std::get_if<Refusal>(&plain)) return st.refuse(req, *r);
  st.count("verified");
  spdlog::info("wecom callback GET {}: URL verified", req.request_id);
  return net::Response::text(200, std::move(std::get<std::string>(plain)));
}

void CallbackRoutes::receive(const net::Request& req, const net::Responder& responder) const {
  const State& st = *state_;
  auto params = st.signed_params(req, false);
  if (auto* r = std::get_if<Refusal>(&params)) return responder(st.refuse(req, *r));
  if (req.body.size() > kMaxCallbackBytes)
    return responder(st.refuse(
        req, {413, "too_large", "body of " + std::to_string(req.body.size()) + " bytes"}));
  auto encrypt = envelope_encrypt(req.body);
  if (!encrypt)
    return responder(st.refuse(req, {400, "bad_envelope", "no <Encrypt> in an XML body"}));
  auto plain = st.open(std::get<State::Signed>(params), *encrypt);
  if (auto* r = std::get_if<Refusal>(&plain)) return responder(st.refuse(req, *r));
  auto message = parse_message(std::get<std::string>(plain));
  if (!message)
    return responder(st.refuse(req, {400, "bad_message", "the decrypted XML is not a message"}));
  auto incoming = normalize(*message);
  if (!incoming) {
    st.count("ignored");
    spdlog::debug("wecom callback {}: {} event {} ignored", req.request_id, message->msg_type,
                  message->event);
    return responder(net::Response::text(200, ""));
  }
  const std::string request_id = req.request_id;
  const std::string msg_id = incoming->msg_id;
  auto state = state_;
  try {
    st.intake.submit(std::move(*incoming),
                     [state, responder, request_id, msg_id](bot::IntakeResult result) {
                       switch (result) {
                         case bot::IntakeResult::Recorded:
                           state->count("recorded");
                           return responder(net::Response::text(200, ""));
                         case bot::IntakeResult::Duplicate:
                           state->count("duplicate");
                           spdlog::info("wecom callback {}: message {} already recorded (a retry)",
                                        request_id, msg_id);
                           return responder(net::Response::text(200, ""));
                         case bot::IntakeResult::Failed:
                           state->count("failed");
                           spdlog::warn(
                               "wecom callback {}: message {} not recorded; answering 503 so WeCom "
                               "retries",
                               request_id, msg_id);
                           return responder(net::Response::text(503, "Service Unavailable"));
                       }
                     });
  } catch (const std::exception& e) {
    st.count("failed");
    spdlog::error("wecom callback {}: intake refused message {}: {}", request_id, msg_id, e.what());
    responder(net::Response::text(503, "Service Unavailable"));
  }
}

}  // namespace yimei::wecom
