// The outbox: replies written in the same transaction that finishes their message (or push
// slot), then delivered by an OutboxSender with retries and exponential backoff. A row is
// leased while it is being sent, so several instances never send it at once, and a crashed
// sender's lease simply expires. Functions are as thread-safe as the connection they get.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/channel.hpp"
#include "core/db/pool.hpp"
#include "core/error.hpp"

namespace yimei::bot {

struct OutboxRow {
  std::int64_t outbox_id = 0;
  std::string platform;
  std::string target;  // platform-specific recipient, e.g. "user:zhangsan" or "chat:wr123"
  Reply reply;
  int attempts = 0;  // including the current one
};

// Inside the caller's transaction.
std::int64_t enqueue_reply(db::Connection& c, const std::string& platform,
                           const std::string& target, std::optional<std::int64_t> inbox_id,
                           std::optional<std::int64_t> slot_id, const Reply& reply);

struct OutboxPolicy {
  std::chrono::seconds lease{60};         // a claimed row is invisible to others this long
  int max_attempts = 8;                   // then the row is marked failed
  std::chrono::seconds max_backoff{300};  // backoff doubles from 1 s up to this
};

// Claims up to `limit` due rows of `platform` (pending, or a sending row whose lease expired).
std::vector<OutboxRow> claim_due(db::Connection& c, const std::string& platform, std::size_t limit,
                                 const OutboxPolicy& policy);
// One statement for all the rows given (none: nothing).
void mark_sent(db::Connection& c, const std::vector<std::int64_t>& outbox_ids);
// Schedules a retry with backoff, or marks the row failed after max_attempts.
void mark_retry(db::Connection& c, const OutboxRow& row, const std::string& error,
                const OutboxPolicy& policy);

// Delivers a reply through one platform; an Unavailable error means "retry later", any other
// UserError means the platform refused it for good (the row is marked failed).
using DeliverFn = std::function<Outcome<bool>(const OutboxRow&)>;

struct DeliveryCount {
  std::size_t claimed = 0;  // rows taken (== limit: more may be due)
  std::size_t sent = 0;     // rows delivered
};

// One pass: claim up to `limit` due rows, deliver each, record the outcomes. Call from a
// worker thread (it blocks on the database and on `deliver`).
DeliveryCount deliver_batch(db::ConnectionPool& pool, const std::string& platform,
                            const DeliverFn& deliver, const OutboxPolicy& policy,
                            std::size_t limit = 32);
// deliver_batch(...).sent
std::size_t deliver_due(db::ConnectionPool& pool, const std::string& platform,
                        const DeliverFn& deliver, const OutboxPolicy& policy,
                        std::size_t limit = 32);

}  // namespace yimei::bot
