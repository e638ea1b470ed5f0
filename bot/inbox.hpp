// The inbox: every incoming message is recorded under a unique (platform, msg_id) before it is
// acknowledged — the dedup point that makes a platform's retry harmless. Processing later locks
// the row inside the transaction that writes the reply to the outbox.
// Functions take a connection; they are as thread-safe as the connection they get.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/channel.hpp"
#include "core/db/connection.hpp"

namespace yimei::bot {

struct InboxEntry {
  std::int64_t inbox_id = 0;
  IncomingMessage message;
  std::string status;  // received | done | failed
  int attempts = 0;
};

// Records one message; false when (platform, msg_id) is already there (a retry).
bool record_incoming(db::Connection& c, const IncomingMessage& m);
// Records several messages in one statement (group commit); result[i] is true when message i
// was new. Duplicates inside the batch count once.
std::vector<bool> record_incoming_batch(db::Connection& c, const std::vector<IncomingMessage>& ms);

// Inside the caller's transaction: locks the row; nullopt when it is unknown, already done, or
// locked by another worker that is answering it right now (no waiting behind it: that worker
// finishes it, or rolls back and it is taken up again from the inbox).
std::optional<InboxEntry> lock_for_processing(db::Connection& c, const std::string& platform,
                                              const std::string& msg_id);
void mark_inbox(db::Connection& c, std::int64_t inbox_id, const std::string& status);

// Messages recorded at least `min_age` ago but not processed (e.g. the process died): oldest
// first. A small min_age leaves messages just recorded to the workers they were handed to.
std::vector<std::pair<std::string, std::string>> unfinished_messages(
    db::Connection& c, std::size_t limit, std::chrono::milliseconds min_age = {});

std::string message_to_json(const IncomingMessage& m);
IncomingMessage message_from_json(const std::string& json);

}  // namespace yimei::bot
