// Step 5-6 of the way of a message (architecture.md): lock the recorded inbox row, route it,
// and write the reply to the outbox and the inbox status in the same transaction as any data
// change, so a crash loses nothing and a retry repeats nothing. Call from worker threads;
// thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "bot/router.hpp"

namespace yimei::bot {

// Where a reply to `m` goes: the group for group messages, else the sender.
std::string reply_target(const IncomingMessage& m);

class MessageProcessor {
 public:
  MessageProcessor(AppServices& services, Router& router) : services_(services), router_(router) {}

  // Processes the message if it is still waiting; false when another worker or instance
  // already did (or it is unknown). Throws db::DbError when the database fails (the
  // transaction is rolled back; the message stays waiting and is retried later).
  bool process(const std::string& platform, const std::string& msg_id);

  // Processes every message waiting for at least `min_age` (after a restart, or one a full
  // worker queue could not take); returns how many it processed.
  std::size_t recover(std::chrono::milliseconds min_age = {});

 private:
  AppServices& services_;
  Router& router_;
};

}  // namespace yimei::bot
