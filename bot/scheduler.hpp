// The push scheduler: fires each job's cron slots exactly once across every `yimei serve`
// instance sharing the database. A slot is a row of bot_schedule_slots: INSERTed as `claimed`
// (the unique (job_name, slot_time) key is the lock: one instance wins), its report built, and
// its replies written to the outbox in the SAME transaction that marks the slot `done`, after
// re-checking under a row lock that this instance still holds the claim. A claim left behind
// by an instance that died is taken over once its lease expires; a slot missed while every
// instance was down runs late when within the grace period and is otherwise recorded
// `skipped` with the reason. Alerts are not repeated for a cause inside its quiet period
// (bot_alert_state). Times in the tables are UTC and come from the `now` given to run_due (the
// instances' clocks are assumed in sync, as NTP keeps them).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bot/push_jobs.hpp"
#include "core/db/pool.hpp"

namespace yimei::bot {

struct SchedulerOptions {
  std::string instance_id;  // recorded as claimed_by; unique per process (default_instance_id)
  std::chrono::seconds grace{3600};   // YIMEI_PUSH_GRACE_S: how late a missed slot may still run
  std::chrono::seconds lease{600};    // a claim not finished within this is taken over
  std::chrono::seconds quiet{86400};  // YIMEI_ALERT_QUIET_S, unless the job sets quiet_hours
  std::vector<std::string> admins;    // YIMEI_ADMINS (customer lists for user targets)
  // How far back a job's history is searched for missed slots on start.
  std::chrono::hours max_lookback{24 * 7};
  // At most this many missed slots of a job are recorded per pass (the latest ones).
  std::size_t max_missed = 100;
  // For tests: runs after a slot's report is built and before the transaction that enqueues
  // it; an exception thrown here leaves the slot claimed, as a crash at that point would.
  std::function<void(const std::string& job, std::int64_t slot_id)> before_commit;
};

// grace, quiet and admins from the configuration (YIMEI_PUSH_GRACE_S, YIMEI_ALERT_QUIET_S,
// YIMEI_ADMINS) and instance_id = default_instance_id().
SchedulerOptions scheduler_options(const Config& config);
// "host:pid:random" — distinct for every process.
std::string default_instance_id();

// What one run_due pass did (for logs and tests).
struct SchedulerPass {
  std::size_t done = 0;        // slots this instance built and enqueued (or evaluated: alerts)
  std::size_t skipped = 0;     // missed slots recorded as skipped
  std::size_t taken_over = 0;  // stale claims of other instances finished here
  std::size_t failed = 0;      // slots that threw (left claimed: retried after the lease)
};

class Scheduler {
 public:
  Scheduler(db::ConnectionPool& pool, std::vector<PushJob> jobs, SchedulerOptions options);

  // Handles every slot due at `now`: on the first call the slots missed since each job's last
  // recorded slot (at most max_lookback ago; for a job without history, the grace period),
  // afterwards the slots in (previous now, now]; then stale claims of any instance. Returns the
  // number of slots this call completed (done). Blocks on the database and on report building:
  // call from a worker thread. Calls are serialized (thread-safe). Database failures are
  // logged, not thrown; the slots concerned are retried by the claim lease.
  std::size_t run_due(std::chrono::system_clock::time_point now);
  // The last pass in detail.
  SchedulerPass last_pass() const;

  const std::vector<PushJob>& jobs() const { return jobs_; }

 private:
  void run_job(std::size_t index, std::chrono::system_clock::time_point now, SchedulerPass& pass);
  void take_over_stale(std::chrono::system_clock::time_point now, SchedulerPass& pass);
  // Builds the slot's report and enqueues it with the slot marked done; false when this
  // instance no longer holds the claim.
  bool finish_slot(const PushJob& job, std::int64_t slot_id,
                   std::chrono::system_clock::time_point slot_time,
                   std::chrono::system_clock::time_point now);
  const PushJob* find_job(const std::string& name) const;

  db::ConnectionPool& pool_;
  std::vector<PushJob> jobs_;
  SchedulerOptions options_;
  std::vector<std::optional<std::chrono::system_clock::time_point>> cursors_;
  mutable std::mutex mu_;
  SchedulerPass last_;
};

// The quiet period of an alert job: its quiet_hours parameter when set, else `fallback`.
std::chrono::seconds quiet_period(const PushJob& job, std::chrono::seconds fallback);

// UTC "YYYY-MM-DD HH:MM:SS[.mmm]" as stored in DATETIME columns, and back.
std::string utc_text(std::chrono::system_clock::time_point t, bool millis = false);
std::optional<std::chrono::system_clock::time_point> parse_utc_text(const std::string& text);

}  // namespace yimei::bot
