// A fake OpenAI-compatible chat-completions endpoint for the Text2SQL LLM tests, on top of
// tests/support/fake_http_server: POST /v1/chat/completions answers from a script of canned
// replies (completions, HTTP errors, hangs), in order, the last one repeating; any other path
// is a 404. Every request is recorded; its JSON body can be read back as messages.
// Thread-safe (the handler runs on the fake server's own thread).
#pragma once

#include <boost/json.hpp>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/fake_http_server.hpp"

namespace yimei::test {

class FakeOpenAi {
 public:
  explicit FakeOpenAi(std::vector<FakeReply> script)
      : script_(std::move(script)), server_([this](const RecordedRequest& r) { return next(r); }) {}

  // OPENAI_BASE_URL for this server (with the version path).
  std::string base_url() const { return server_.base_url() + "/v1"; }
  std::vector<RecordedRequest> requests() const { return server_.requests(); }

  struct Message {
    std::string role;
    std::string content;
  };
  // The chat messages of recorded request i (empty when the body is not the expected JSON).
  std::vector<Message> messages(std::size_t i) const {
    std::vector<Message> out;
    const auto reqs = requests();
    if (i >= reqs.size()) return out;
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(reqs[i].body, ec);
    if (ec || !v.is_object()) return out;
    const auto* ms = v.as_object().if_contains("messages");
    if (!ms || !ms->is_array()) return out;
    for (const auto& m : ms->as_array())
      out.push_back(
          {std::string(m.at("role").as_string()), std::string(m.at("content").as_string())});
    return out;
  }

  // A chat.completion carrying `content`, with the given token usage.
  static FakeReply completion(const std::string& content, int prompt_tokens = 1234,
                              int completion_tokens = 56) {
    boost::json::object message{{"role", "assistant"}, {"content", content}};
    boost::json::object choice{{"index", 0}, {"finish_reason", "stop"}, {"message", message}};
    boost::json::object usage{{"prompt_tokens", prompt_tokens},
                              {"completion_tokens", completion_tokens},
                              {"total_tokens", prompt_tokens + completion_tokens}};
    boost::json::object body{{"id", "chatcmpl-fake"},
                             {"object", "chat.completion"},
                             {"model", "fake-model"},
                             {"choices", boost::json::array{choice}},
                             {"usage", usage}};
    FakeReply r;
    r.body = boost::json::serialize(body);
    return r;
  }
  // A completion that is one ```sql block.
  static FakeReply sql(const std::string& text) { return completion("```sql\n" + text + "\n```"); }
  static FakeReply status(int code, const std::string& error_message) {
    FakeReply r;
    r.status = code;
    r.body = boost::json::serialize(boost::json::object{
        {"error", boost::json::object{{"message", error_message}, {"type", "server_error"}}}});
    return r;
  }
  static FakeReply hang() {
    FakeReply r;
    r.hang = true;
    return r;
  }

 private:
  FakeReply next(const RecordedRequest& r) {
    if (r.method != "POST" || r.target != "/v1/chat/completions") return status(404, "no route");
    std::lock_guard lock(mu_);
    if (script_.empty()) return status(500, "script is empty");
    FakeReply reply = script_[std::min(served_, script_.size() - 1)];
    ++served_;
    return reply;
  }

  std::mutex mu_;
  std::vector<FakeReply> script_;
  std::size_t served_ = 0;
  FakeHttpServer server_;  // last: destroyed (and its thread joined) first
};

}  // namespace yimei::test
