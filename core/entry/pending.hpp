// Previews waiting for 确认 (bot_pending_entries): one per user and chat, kept in the database
// so any instance can confirm what another previewed. Expiry uses the database clock. Call
// inside the caller's transaction (take_pending's delete then rolls back with a failed apply).
// Throws DbError. One thread per connection.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/db/connection.hpp"
#include "core/entry/actor.hpp"
#include "core/entry/plan.hpp"

namespace yimei::entry {

// Stores `plan` as the user's pending entry in `chat_id` ("" for a direct chat), replacing the
// previous one; it expires after `ttl`.
void save_pending(db::Connection& conn, const Actor& actor, const std::string& chat_id,
                  const EntryPlan& plan, std::chrono::seconds ttl);
// Removes and returns the user's pending entry in `chat_id`; nullopt when there is none or it has
// expired (an expired row is deleted too).
std::optional<EntryPlan> take_pending(db::Connection& conn, const Actor& actor,
                                      const std::string& chat_id);
// Deletes the user's pending entry in `chat_id`; true when a live (unexpired) one was there.
bool cancel_pending(db::Connection& conn, const Actor& actor, const std::string& chat_id);

}  // namespace yimei::entry
