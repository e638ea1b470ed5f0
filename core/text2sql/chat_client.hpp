// The seam between the LLM engine (core, synchronous) and the transport that reaches an
// OpenAI-compatible chat-completions endpoint (bot/net, Beast + OpenSSL). The engine only sees
// this interface, so core stays free of HTTP and tests can substitute a fake server.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace yimei::text2sql {

struct ChatMessage {
  std::string role;  // "system" | "user" | "assistant"
  std::string content;
};

struct ChatRequest {
  std::string model;
  std::vector<ChatMessage> messages;
  double temperature = 0.0;
  std::chrono::milliseconds timeout{20000};
};

struct ChatResponse {
  std::string content;  // the first choice's message content
  int prompt_tokens = 0;
  int completion_tokens = 0;
  std::chrono::milliseconds latency{0};
};

class ChatClient {
 public:
  virtual ~ChatClient() = default;
  // Blocking; call from a worker thread, never from an io_context thread. Returns a UserError
  // of kind Unavailable on timeout, transport or HTTP errors (the message names the cause,
  // never the API key).
  virtual Outcome<ChatResponse> complete(const ChatRequest& request) = 0;
};

}  // namespace yimei::text2sql
