// The composition root's services as the conversation core sees them: configuration, the
// read-write pool, the Text2SQL engine (absent without a read-only account), the clock and the
// per-user rate limiter. Built once (bot/cli or `serve`) and passed by reference; no globals.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bot/channel.hpp"
#include "bot/config.hpp"
#include "bot/rate_limiter.hpp"
#include "core/date.hpp"
#include "core/db/pool.hpp"

namespace yimei::text2sql {
class Engine;
}

namespace yimei::bot {

struct ConversationPolicy {
  std::chrono::seconds preview_ttl{300};         // a data-entry preview waits this long for 确认
  std::chrono::seconds undo_window{1800};        // /撤销 by the same user within this time
  std::vector<std::string> write_at_once_roles;  // roles whose entries skip the preview
  std::size_t chat_max_rows = 20;                // rows shown in a chat reply
  std::string admin_contact;                     // named in the refusal for unknown users
};

struct AppServices {
  const Config& config;
  db::ConnectionPool& pool;            // the read-write account
  text2sql::Engine* engine = nullptr;  // null: Text2SQL is off (no read-only account)
  std::function<Date()> today;         // the reference date (`--as-of` or today in the zone)
  RateLimiter& rate_limiter;
  ConversationPolicy policy;
  std::vector<std::string> admins;  // YIMEI_ADMINS
  // Sends a short notice to the asker at once, before slow work (an LLM call), outside the
  // message's transaction; set by channels that can (serve, chat); may be empty.
  std::function<void(const IncomingMessage&, const std::string&)> progress_notice;
};

}  // namespace yimei::bot
