// text2sql::ChatClient over any OpenAI-compatible chat-completions endpoint (OpenAI, DeepSeek,
// Qwen, vLLM, Ollama): POST {base}/chat/completions with a bearer key. Failures become
// UserError{Unavailable} with a Chinese sentence; the key is never logged or echoed.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "bot/net/http_client.hpp"
#include "core/text2sql/chat_client.hpp"

namespace yimei::net {

struct OpenAiOptions {
  std::string api_key;                                 // OPENAI_API_KEY (secret)
  std::string base_url = "https://api.openai.com/v1";  // OPENAI_BASE_URL, with the version path
  std::string model;  // OPENAI_MODEL: used when ChatRequest::model is empty
};

class OpenAiChatClient : public text2sql::ChatClient {
 public:
  // `http` must outlive this client.
  OpenAiChatClient(HttpClient& http, OpenAiOptions options);

  // Blocking: call from a worker thread, never an io thread (std::logic_error). The request's
  // timeout is the overall deadline of the HTTP exchange. Thread-safe. After the service
  // answers 429 or 503, calls fail at once (Unavailable, no request) until its Retry-After
  // seconds (default kDefaultBackoff, at most kMaxBackoff) have passed.
  Outcome<text2sql::ChatResponse> complete(const text2sql::ChatRequest& request) override;

  // The endpoint actually called: {base_url}/chat/completions.
  const std::string& endpoint() const { return endpoint_; }

  static constexpr std::chrono::seconds kDefaultBackoff{30};
  static constexpr std::chrono::seconds kMaxBackoff{600};

 private:
  HttpClient& http_;
  OpenAiOptions options_;
  std::string endpoint_;
  // Until when (steady clock, ns since its epoch) the service asked to be left alone.
  std::atomic<std::int64_t> backoff_until_ns_{0};
};

// A self-contained client that owns a one-thread NetRuntime and its HttpClient, for callers
// without a runtime of their own (the CLI: `yimei ask`, `yimei chat`). Same contract as above.
std::unique_ptr<text2sql::ChatClient> make_openai_chat_client(OpenAiOptions options,
                                                              HttpClientOptions http = {});

}  // namespace yimei::net
