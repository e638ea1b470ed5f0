// A push report as each target reads it: groups (robots, parties, DingTalk groups) and users
// without the right role get the aggregate narrative and chart; managers and admins messaged
// one to one also get the customer list (phones shown in full, as their role allows), and the
// replies go into the outbox in the caller's transaction. Functions taking a Connection run on
// it (one thread per connection); push_reply is pure. Thread-safe in that sense.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/channel.hpp"
#include "bot/push_jobs.hpp"
#include "core/db/connection.hpp"
#include "core/report/report.hpp"

namespace yimei::bot {

struct PushAudience {
  bool customer_list = false;  // may receive the rows naming customers
  bool show_phone = false;     // may see full phone numbers
};

// User targets are looked up like chat users: an id in `admins` (YIMEI_ADMINS) is an admin;
// otherwise the bot_users row of (platform, user id). Admins and managers get the list (and
// full phones); consultants, viewers, unknown users and every group target do not.
// Throws db::DbError.
PushAudience audience_for(db::Connection& conn, const PushTarget& target,
                          const std::vector<std::string>& admins);

// The reply for one audience: text (the narrative, plus the list or a note that it is sent
// privately), markdown, the list as the reply's table when allowed, and the chart.
Reply push_reply(const report::Report& report, const PushAudience& audience);

// Writes one outbox row per target of `job` (slot_id: the schedule slot, or nullopt for a
// manual `yimei push`), inside the caller's transaction. Returns the outbox ids in target order.
// Throws db::DbError.
std::vector<std::int64_t> enqueue_push(db::Connection& conn, const PushJob& job,
                                       const report::Report& report,
                                       std::optional<std::int64_t> slot_id,
                                       const std::vector<std::string>& admins);

}  // namespace yimei::bot
