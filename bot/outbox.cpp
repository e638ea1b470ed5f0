// Outbox rows: claimed with SELECT ... FOR UPDATE SKIP LOCKED plus a lease on next_attempt, so
// concurrent senders and instances never deliver one row twice at the same time.
#include "bot/outbox.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/db/retry.hpp"

namespace yimei::bot {

std::int64_t enqueue_reply(db::Connection& c, const std::string& platform,
                           const std::string& target, std::optional<std::int64_t> inbox_id,
                           std::optional<std::int64_t> slot_id, const Reply& reply) {
  c.execute(
      "INSERT INTO bot_outbox (platform, target, inbox_id, slot_id, payload) VALUES (?, ?, ?, ?, "
      "?)",
      {platform, target, inbox_id ? Value{*inbox_id} : Value{Null{}},
       slot_id ? Value{*slot_id} : Value{Null{}}, reply_to_json(reply)});
  return c.last_insert_id();
}

// Ordered as ix_outbox_due (status, next_attempt; an enqueued row's next_attempt is its insert
// time, the primary key breaks ties) so the claim reads just the rows it takes, in order: pending
// rows first, then sending rows whose lease ran out. ORDER BY outbox_id made the optimizer walk
// the primary key through every row already sent, and ORDER BY next_attempt alone sorted every
// due row — both grew with the table or the backlog (8–10 M index reads in one benchmark).
std::vector<OutboxRow> claim_due(db::Connection& c, const std::string& platform, std::size_t limit,
                                 const OutboxPolicy& policy) {
  db::Transaction tx(c);
  Table t = c.query(
      "SELECT outbox_id, target, payload, attempts FROM bot_outbox WHERE platform = ? AND "
      "status IN ('pending', 'sending') AND next_attempt <= NOW(3) "
      "ORDER BY status, next_attempt, outbox_id LIMIT ? FOR UPDATE SKIP LOCKED",
      {platform, static_cast<std::int64_t>(limit)});
  std::vector<OutboxRow> rows;
  for (const Row& r : t.rows) {
    OutboxRow o;
    o.outbox_id = std::get<std::int64_t>(r[0]);
    o.platform = platform;
    o.target = std::get<std::string>(r[1]);
    o.attempts = static_cast<int>(std::get<std::int64_t>(r[3])) + 1;
    try {
      o.reply = reply_from_json(std::get<std::string>(r[2]));
    } catch (const std::exception& e) {
      spdlog::error("outbox {}: unreadable payload: {}", o.outbox_id, e.what());
      c.execute("UPDATE bot_outbox SET status = 'failed', last_error = ? WHERE outbox_id = ?",
                {std::string("unreadable payload"), o.outbox_id});
      continue;
    }
    c.execute(
        "UPDATE bot_outbox SET status = 'sending', attempts = attempts + 1, "
        "next_attempt = NOW(3) + INTERVAL ? SECOND WHERE outbox_id = ?",
        {static_cast<std::int64_t>(policy.lease.count()), o.outbox_id});
    rows.push_back(std::move(o));
  }
  tx.commit();
  return rows;
}

void mark_sent(db::Connection& c, std::int64_t outbox_id) {
  c.execute("UPDATE bot_outbox SET status = 'sent', sent_at = NOW(3) WHERE outbox_id = ?",
            {outbox_id});
}

void mark_retry(db::Connection& c, const OutboxRow& row, const std::string& error,
                const OutboxPolicy& policy) {
  const std::string err = error.substr(0, 500);
  if (row.attempts >= policy.max_attempts) {
    c.execute("UPDATE bot_outbox SET status = 'failed', last_error = ? WHERE outbox_id = ?",
              {err, row.outbox_id});
    spdlog::error("outbox {}: giving up after {} attempts: {}", row.outbox_id, row.attempts, err);
    return;
  }
  const long backoff = std::min<long>(1L << std::min(row.attempts - 1, 20),
                                      static_cast<long>(policy.max_backoff.count()));
  c.execute(
      "UPDATE bot_outbox SET status = 'pending', last_error = ?, "
      "next_attempt = NOW(3) + INTERVAL ? SECOND WHERE outbox_id = ?",
      {err, static_cast<std::int64_t>(backoff), row.outbox_id});
}

std::size_t deliver_due(db::ConnectionPool& pool, const std::string& platform,
                        const DeliverFn& deliver, const OutboxPolicy& policy, std::size_t limit) {
  std::vector<OutboxRow> rows;
  {
    auto c = pool.acquire();
    rows = db::retry_transient([&] { return claim_due(*c, platform, limit, policy); });
  }
  std::size_t sent = 0;
  for (const OutboxRow& row : rows) {
    Outcome<bool> result = bad_input("");
    try {
      result = deliver(row);
    } catch (const std::exception& e) {
      result = UserError{ErrorKind::Unavailable, e.what()};
    }
    auto c = pool.acquire();
    if (result) {
      db::retry_transient([&] { mark_sent(*c, row.outbox_id); });
      ++sent;
    } else if (result.error().kind == ErrorKind::Unavailable) {
      spdlog::warn("outbox {} to {}: attempt {} failed: {}", row.outbox_id, platform, row.attempts,
                   result.error().message);
      db::retry_transient([&] { mark_retry(*c, row, result.error().message, policy); });
    } else {
      db::retry_transient([&] {
        c->execute("UPDATE bot_outbox SET status = 'failed', last_error = ? WHERE outbox_id = ?",
                   {result.error().message.substr(0, 500), row.outbox_id});
      });
      spdlog::error("outbox {} to {}: refused: {}", row.outbox_id, platform,
                    result.error().message);
    }
  }
  return sent;
}

}  // namespace yimei::bot
