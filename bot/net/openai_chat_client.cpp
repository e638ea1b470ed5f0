// The chat-completions wire format (Boost.JSON) and the mapping of every failure to one
// Chinese sentence of kind Unavailable.
#include "bot/net/openai_chat_client.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "bot/net/url.hpp"

namespace yimei::net {

namespace json = boost::json;
using text2sql::ChatRequest;
using text2sql::ChatResponse;

namespace {

UserError unavailable(std::string message) {
  return UserError{ErrorKind::Unavailable, std::move(message)};
}

std::string build_body(const ChatRequest& request, const std::string& model) {
  json::array messages;
  for (const auto& m : request.messages)
    messages.push_back(json::object{{"role", m.role}, {"content", m.content}});
  json::object body{
      {"model", model}, {"messages", std::move(messages)}, {"temperature", request.temperature}};
  return json::serialize(body);
}

// error.message of an OpenAI-style error body, else "".
std::string api_error_message(const std::string& body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  const json::value* err = v.as_object().if_contains("error");
  if (!err) return "";
  if (err->is_string()) return std::string(err->as_string());
  if (!err->is_object()) return "";
  const json::value* msg = err->as_object().if_contains("message");
  return msg && msg->is_string() ? std::string(msg->as_string()) : "";
}

std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
    text.replace(pos, secret.size(), "***");
  return text;
}

// Cuts at a UTF-8 boundary.
std::string shorten(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "…";
}

int as_int(const json::value* v) {
  if (!v) return 0;
  if (v->is_int64()) return static_cast<int>(v->as_int64());
  if (v->is_uint64()) return static_cast<int>(v->as_uint64());
  return 0;
}

std::optional<ChatResponse> parse_completion(const std::string& body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::value* choices = v.as_object().if_contains("choices");
  if (!choices || !choices->is_array() || choices->as_array().empty()) return std::nullopt;
  const json::value& first = choices->as_array().front();
  if (!first.is_object()) return std::nullopt;
  const json::value* message = first.as_object().if_contains("message");
  if (!message || !message->is_object()) return std::nullopt;
  const json::value* content = message->as_object().if_contains("content");
  if (!content || !content->is_string()) return std::nullopt;
  ChatResponse out;
  out.content = std::string(content->as_string());
  if (const json::value* usage = v.as_object().if_contains("usage"); usage && usage->is_object()) {
    out.prompt_tokens = as_int(usage->as_object().if_contains("prompt_tokens"));
    out.completion_tokens = as_int(usage->as_object().if_contains("completion_tokens"));
  }
  return out;
}

UserError transport_failure(const HttpError& e, std::chrono::milliseconds timeout) {
  switch (e.kind) {
    case HttpErrorKind::Timeout:
      return unavailable(fmt::format("大模型服务在 {} 秒内没有答复，请稍后再试。",
                                     (timeout.count() + 999) / 1000));
    case HttpErrorKind::InvalidUrl:
      return unavailable("大模型服务地址（OPENAI_BASE_URL）无效，请检查配置。");
    case HttpErrorKind::Resolve:
    case HttpErrorKind::Connect:
      return unavailable("无法连接大模型服务，请检查网络或 OPENAI_BASE_URL 后再试。");
    case HttpErrorKind::Tls:
      return unavailable("与大模型服务建立安全连接失败（证书校验未通过）。");
    case HttpErrorKind::ResponseTooLarge:
      return unavailable("大模型服务的答复过大，已放弃。");
    default:
      return unavailable("与大模型服务通信失败，请稍后再试。");
  }
}

std::int64_t steady_ns(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// How long a 429/503 asks us to wait: Retry-After in seconds (the HTTP-date form is rare for
// these APIs and taken as the default), within [1 s, max].
std::chrono::seconds backoff_of(const HttpResponse& response, std::chrono::seconds fallback,
                                std::chrono::seconds max) {
  const auto header = response.headers.get("Retry-After");
  if (!header) return fallback;
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(header->data(), header->data() + header->size(), seconds);
  if (ec != std::errc() || end != header->data() + header->size()) return fallback;
  return std::clamp(std::chrono::seconds(seconds), std::chrono::seconds(1), max);
}

}  // namespace

OpenAiChatClient::OpenAiChatClient(HttpClient& http, OpenAiOptions options)
    : http_(http), options_(std::move(options)) {
  if (options_.base_url.empty()) options_.base_url = "https://api.openai.com/v1";
  endpoint_ = join_url(options_.base_url, "/chat/completions");
}

Outcome<ChatResponse> OpenAiChatClient::complete(const ChatRequest& request) {
  const std::string model = request.model.empty() ? options_.model : request.model;
  if (model.empty()) return unavailable("未配置大模型名称（OPENAI_MODEL）。");
  // Rate-limited or overloaded a moment ago: answer without adding to its load.
  const std::int64_t wait_ns =
      backoff_until_ns_.load() - steady_ns(std::chrono::steady_clock::now());
  if (wait_ns > 0) {
    const auto seconds = (wait_ns + 999'999'999) / 1'000'000'000;
    return unavailable(fmt::format("大模型服务请求过多，约 {} 秒后恢复", seconds));
  }

  HttpRequest http_request;
  http_request.method = "POST";
  http_request.url = endpoint_;
  http_request.headers.set("Authorization", "Bearer " + options_.api_key);
  http_request.headers.set("Content-Type", "application/json");
  http_request.headers.set("Accept", "application/json");
  http_request.body = build_body(request, model);
  http_request.deadline = request.timeout;

  const auto started = std::chrono::steady_clock::now();
  HttpResult result = http_.send(std::move(http_request));
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);

  if (!result.ok()) {
    const HttpError& e = result.error();
    spdlog::warn("llm chat model={} failed after {} ms: {} at {}: {}", model, latency.count(),
                 to_string(e.kind), e.phase, e.detail);
    return transport_failure(e, request.timeout);
  }
  const HttpResponse& response = result.response();
  if (response.status < 200 || response.status > 299) {
    const std::string message =
        shorten(redact(api_error_message(response.body), options_.api_key), 300);
    spdlog::warn("llm chat model={} answered HTTP {} after {} ms: {}", model, response.status,
                 latency.count(), message.empty() ? "(no error message)" : message);
    if (response.status == 429 || response.status == 503) {
      const auto pause = backoff_of(response, kDefaultBackoff, kMaxBackoff);
      backoff_until_ns_ = steady_ns(std::chrono::steady_clock::now() + pause);
      spdlog::warn("llm chat: no requests for {} s (HTTP {})", pause.count(), response.status);
    }
    if (message.empty())
      return unavailable(fmt::format("大模型服务返回错误（HTTP {}）。", response.status));
    return unavailable(fmt::format("大模型服务返回错误（HTTP {}）：{}", response.status, message));
  }
  auto parsed = parse_completion(response.body);
  if (!parsed) {
    spdlog::warn("llm chat model={}: unreadable completion ({} bytes) after {} ms", model,
                 response.body.size(), latency.count());
    return unavailable("大模型服务的答复格式无法识别。");
  }
  parsed->latency = latency;
  spdlog::info("llm chat model={} prompt_tokens={} completion_tokens={} latency_ms={}", model,
               parsed->prompt_tokens, parsed->completion_tokens, latency.count());
  return std::move(*parsed);
}

namespace {

class OwningOpenAiChatClient : public text2sql::ChatClient {
 public:
  OwningOpenAiChatClient(OpenAiOptions options, HttpClientOptions http)
      : runtime_(1), http_(runtime_, std::move(http)), client_(http_, std::move(options)) {}
  Outcome<ChatResponse> complete(const ChatRequest& request) override {
    return client_.complete(request);
  }

 private:
  NetRuntime runtime_;  // declared first: destroyed last
  HttpClient http_;
  OpenAiChatClient client_;
};

}  // namespace

std::unique_ptr<text2sql::ChatClient> make_openai_chat_client(OpenAiOptions options,
                                                              HttpClientOptions http) {
  return std::make_unique<OwningOpenAiChatClient>(std::move(options), std::move(http));
}

}  // namespace yimei::net
