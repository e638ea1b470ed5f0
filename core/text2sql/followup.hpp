// Follow-up questions: the last QuerySpec per (user, chat) kept for a configurable time, and a
// follow-up (那上个月呢 / 按科室拆开 / 只看金卡 / 前5个) parsed as a patch of it: a new time
// window, an added dimension, an extra filter, a new limit. FollowupStore is thread-safe;
// parse_followup is pure.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/text2sql/lexer.hpp"
#include "core/text2sql/query_spec.hpp"

namespace yimei::text2sql {

// The patched spec when `tokens` read as a follow-up of `previous` (only time, values,
// dimensions and limits, no measure or frame of their own); nullopt otherwise. Marks the tokens
// it used.
std::optional<QuerySpec> parse_followup(std::vector<Token>& tokens, const QuerySpec& previous);

class FollowupStore {
 public:
  using Clock = std::chrono::steady_clock;
  explicit FollowupStore(std::chrono::seconds ttl = std::chrono::minutes(10)) : ttl_(ttl) {}

  void put(const std::string& user, const std::string& chat, const QuerySpec& spec,
           Clock::time_point now = Clock::now());
  // The spec when it was stored less than ttl ago.
  std::optional<QuerySpec> get(const std::string& user, const std::string& chat,
                               Clock::time_point now = Clock::now());
  void clear(const std::string& user, const std::string& chat);

 private:
  struct Entry {
    QuerySpec spec;
    Clock::time_point at;
  };
  std::chrono::seconds ttl_;
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Entry> entries_;
};

}  // namespace yimei::text2sql
