// Scheduler: slot claims through the unique key of bot_schedule_slots, late and missed slots,
// lease takeover of abandoned claims, and the one transaction that enqueues a slot's replies,
// records its alert causes and marks it done.
#include "bot/scheduler.hpp"

#include <date/date.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <deque>
#include <random>

#include "bot/push_reply.hpp"
#include "core/db/db_error.hpp"
#include "core/report/report.hpp"

namespace yimei::bot {
namespace {

using Clock = std::chrono::system_clock;

constexpr std::size_t kMaxReason = 80;    // characters; bot_schedule_slots.reason is 255
constexpr std::size_t kStaleBatch = 100;  // stale claims looked at per pass
constexpr int kAlertLockWaitSeconds = 10;

// The first `n` characters of UTF-8 text.
std::string clip(const std::string& s, std::size_t n) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) return s.substr(0, i);
  }
  return s;
}

std::string seconds_text(std::chrono::seconds s) {
  return std::to_string(s.count()) + " 秒";
}

// A named lock per (database, alert job) so that two slots of one alert job are never evaluated
// at the same time (each reads and writes the job's quiet state). Released on destruction.
class AlertLock {
 public:
  AlertLock(db::Connection& c, const std::string& job) : c_(c) {
    const Table t =
        c_.query("SELECT GET_LOCK(CONCAT('yimei:', SHA1(CONCAT(DATABASE(), '/', ?))), ?) AS got",
                 {job, std::int64_t{kAlertLockWaitSeconds}});
    held_ = !t.rows.empty() && std::holds_alternative<std::int64_t>(t.rows[0][0]) &&
            std::get<std::int64_t>(t.rows[0][0]) == 1;
    if (!held_) throw std::runtime_error("alert job " + job + " is busy in another instance");
    job_ = job;
  }
  ~AlertLock() {
    if (!held_ || c_.broken()) return;
    try {
      c_.query("SELECT RELEASE_LOCK(CONCAT('yimei:', SHA1(CONCAT(DATABASE(), '/', ?))))", {job_});
    } catch (const std::exception& e) {
      spdlog::warn("push: releasing the alert lock of {} failed: {}", job_, e.what());
    }
  }
  AlertLock(const AlertLock&) = delete;
  AlertLock& operator=(const AlertLock&) = delete;

 private:
  db::Connection& c_;
  std::string job_;
  bool held_ = false;
};

bool insert_slot(db::Connection& c, const std::string& job, Clock::time_point slot,
                 const std::string& status, const std::string& instance, Clock::time_point now,
                 const std::optional<std::string>& reason) {
  try {
    c.execute(
        "INSERT INTO bot_schedule_slots (job_name, slot_time, status, claimed_by, claimed_at,"
        " finished_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {job, utc_text(slot), status, instance, utc_text(now, true),
         status == "claimed" ? Value{Null{}} : Value{utc_text(now, true)},
         reason ? Value{*reason} : Value{Null{}}});
    return true;
  } catch (const db::DbError& e) {
    if (e.is_duplicate_key()) return false;  // another instance has (or had) this slot
    throw;
  }
}

}  // namespace

std::string utc_text(Clock::time_point t, bool millis) {
  if (millis) return date::format("%F %T", date::floor<std::chrono::milliseconds>(t));
  return date::format("%F %T", date::floor<std::chrono::seconds>(t));
}

std::optional<Clock::time_point> parse_utc_text(const std::string& text) {
  if (text.size() < 19) return std::nullopt;
  auto d = parse_date(text.substr(0, 10));
  if (!d || text[10] != ' ' || text[13] != ':' || text[16] != ':') return std::nullopt;
  auto two = [&](std::size_t i) -> int {
    if (text[i] < '0' || text[i] > '9' || text[i + 1] < '0' || text[i + 1] > '9') return -1;
    return (text[i] - '0') * 10 + (text[i + 1] - '0');
  };
  const int h = two(11), m = two(14), s = two(17);
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return std::nullopt;
  Clock::time_point t = std::chrono::sys_days{*d} + std::chrono::hours{h} +
                        std::chrono::minutes{m} + std::chrono::seconds{s};
  if (text.size() > 20 && text[19] == '.') {
    long frac = 0, scale = 1;
    for (std::size_t i = 20; i < text.size() && i < 26; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      frac = frac * 10 + (text[i] - '0');
      scale *= 10;
    }
    t += std::chrono::duration_cast<Clock::duration>(
        std::chrono::microseconds(frac * 1000000 / scale));
  }
  return t;
}

SchedulerOptions scheduler_options(const Config& config) {
  SchedulerOptions o;
  o.instance_id = default_instance_id();
  o.grace = std::chrono::seconds(config.get_int("YIMEI_PUSH_GRACE_S"));
  o.quiet = std::chrono::seconds(config.get_int("YIMEI_ALERT_QUIET_S"));
  o.admins = config.get_list("YIMEI_ADMINS");
  return o;
}

std::string default_instance_id() {
  char host[128] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device rd;
  const unsigned tag = rd() & 0xFFFFFF;
  char buf[64];
  std::snprintf(buf, sizeof buf, ":%d:%06x", static_cast<int>(getpid()), tag);
  return clip(std::string(host), 40) + buf;
}

std::chrono::seconds quiet_period(const PushJob& job, std::chrono::seconds fallback) {
  auto it = job.params.find("quiet_hours");
  if (it == job.params.end()) return fallback;
  try {
    return std::chrono::hours(std::stoll(it->second));
  } catch (const std::exception&) {
    return fallback;  // validated at start-up; unreachable in practice
  }
}

Scheduler::Scheduler(db::ConnectionPool& pool, std::vector<PushJob> jobs, SchedulerOptions options)
    : pool_(pool), jobs_(std::move(jobs)), options_(std::move(options)), cursors_(jobs_.size()) {
  if (options_.instance_id.empty()) options_.instance_id = default_instance_id();
}

SchedulerPass Scheduler::last_pass() const {
  std::lock_guard lock(mu_);
  return last_;
}

const PushJob* Scheduler::find_job(const std::string& name) const {
  for (const auto& j : jobs_)
    if (j.name == name) return &j;
  return nullptr;
}

std::size_t Scheduler::run_due(Clock::time_point now) {
  std::lock_guard lock(mu_);
  SchedulerPass pass;
  for (std::size_t i = 0; i < jobs_.size(); ++i) {
    try {
      run_job(i, now, pass);
    } catch (const std::exception& e) {
      ++pass.failed;
      spdlog::error("push {}: slots not recorded, retried next pass: {}", jobs_[i].name, e.what());
    }
  }
  try {
    take_over_stale(now, pass);
  } catch (const std::exception& e) {
    ++pass.failed;
    spdlog::error("push: looking for abandoned slots failed: {}", e.what());
  }
  last_ = pass;
  return pass.done;
}

void Scheduler::run_job(std::size_t index, Clock::time_point now, SchedulerPass& pass) {
  const PushJob& job = jobs_[index];
  auto& cursor = cursors_[index];
  if (!cursor) {
    // First pass: look back to the job's last recorded slot for slots missed while down.
    std::optional<Clock::time_point> last;
    {
      auto conn = pool_.acquire();
      const Table t = conn->query(
          "SELECT MAX(slot_time) AS last_slot FROM bot_schedule_slots WHERE job_name = ?",
          {job.name});
      if (!t.rows.empty())
        if (const auto* s = std::get_if<Text>(&t.rows[0][0])) last = parse_utc_text(s->str());
    }
    const Clock::time_point floor = now - options_.max_lookback;
    cursor = last ? std::max(*last, floor) : now - options_.grace;
  }

  std::deque<Clock::time_point> due;
  std::size_t dropped = 0;
  for (auto t = schedule::next_fire_time(job.cron, job.timezone, *cursor); t && *t <= now;
       t = schedule::next_fire_time(job.cron, job.timezone, *t)) {
    due.push_back(*t);
    if (due.size() > options_.max_missed) {
      due.pop_front();
      ++dropped;
    }
  }
  if (dropped)
    spdlog::warn("push {}: {} older missed slots are not recorded (only the latest {})", job.name,
                 dropped, options_.max_missed);

  for (const Clock::time_point slot : due) {
    const auto late = std::chrono::duration_cast<std::chrono::seconds>(now - slot);
    bool mine = false;
    std::int64_t slot_id = 0;
    {
      auto conn = pool_.acquire();
      if (late > options_.grace) {
        const std::string reason =
            clip("错过时段：服务未运行，到 " + utc_text(now) + " UTC 已晚 " + seconds_text(late) +
                     "，超过宽限期 " + seconds_text(options_.grace),
                 kMaxReason);
        if (insert_slot(*conn, job.name, slot, "skipped", options_.instance_id, now, reason)) {
          ++pass.skipped;
          spdlog::warn("push {}: slot {} UTC skipped: {}", job.name, utc_text(slot), reason);
        }
      } else if (insert_slot(*conn, job.name, slot, "claimed", options_.instance_id, now,
                             std::nullopt)) {
        mine = true;
        slot_id = conn->last_insert_id();
      }
    }
    cursor = slot;  // recorded (by us or another instance): never looked at again
    if (!mine) continue;
    try {
      if (finish_slot(job, slot_id, slot, now)) ++pass.done;
    } catch (const std::exception& e) {
      ++pass.failed;
      spdlog::error("push {}: slot {} UTC failed, retried after the lease: {}", job.name,
                    utc_text(slot), e.what());
    }
  }
  cursor = now;
}

void Scheduler::take_over_stale(Clock::time_point now, SchedulerPass& pass) {
  if (jobs_.empty()) return;
  const std::string stale_before = utc_text(now - options_.lease, true);
  Table stale;
  {
    auto conn = pool_.acquire();
    std::string sql =
        "SELECT slot_id, job_name, slot_time FROM bot_schedule_slots WHERE status = 'claimed'"
        " AND claimed_at < ? AND job_name IN (";
    db::Params params{stale_before};
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
      sql += i ? ", ?" : "?";
      params.push_back(jobs_[i].name);
    }
    sql += ") ORDER BY slot_time LIMIT " + std::to_string(kStaleBatch);
    stale = conn->query(sql, params);
  }
  for (const Row& row : stale.rows) {
    const std::int64_t slot_id = std::get<std::int64_t>(row[0]);
    const PushJob* job = find_job(std::get<Text>(row[1]).str());
    const auto slot = parse_utc_text(std::get<Text>(row[2]).str());
    if (!job || !slot) continue;
    const auto late = std::chrono::duration_cast<std::chrono::seconds>(now - *slot);
    std::uint64_t changed = 0;
    {
      auto conn = pool_.acquire();
      if (late > options_.grace) {
        changed = conn->execute(
            "UPDATE bot_schedule_slots SET status = 'skipped', claimed_by = ?, finished_at = ?,"
            " reason = ? WHERE slot_id = ? AND status = 'claimed' AND claimed_at < ?",
            {options_.instance_id, utc_text(now, true),
             clip("认领该时段的实例未完成，且已超过宽限期 " + seconds_text(options_.grace),
                  kMaxReason),
             slot_id, stale_before});
        if (changed) {
          ++pass.skipped;
          spdlog::warn("push {}: abandoned slot {} UTC is past the grace period: skipped",
                       job->name, utc_text(*slot));
        }
        continue;
      }
      changed = conn->execute(
          "UPDATE bot_schedule_slots SET claimed_by = ?, claimed_at = ? WHERE slot_id = ?"
          " AND status = 'claimed' AND claimed_at < ?",
          {options_.instance_id, utc_text(now, true), slot_id, stale_before});
    }
    if (!changed) continue;  // another instance took it first
    spdlog::warn("push {}: taking over the abandoned slot {} UTC", job->name, utc_text(*slot));
    try {
      if (finish_slot(*job, slot_id, *slot, now)) {
        ++pass.done;
        ++pass.taken_over;
      }
    } catch (const std::exception& e) {
      ++pass.failed;
      spdlog::error("push {}: slot {} UTC failed again: {}", job->name, utc_text(*slot), e.what());
    }
  }
}

bool Scheduler::finish_slot(const PushJob& job, std::int64_t slot_id, Clock::time_point slot_time,
                            Clock::time_point now) {
  const report::ReportInfo* info = report::find_report(job.report);
  if (!info) throw std::logic_error("unknown report " + job.report);  // validated at start-up
  auto conn = pool_.acquire();
  std::optional<AlertLock> lock;
  report::ReportRequest request;
  request.as_of = schedule::local_date(slot_time, job.timezone);
  request.params = job.params;
  if (info->is_alert) {
    lock.emplace(*conn, job.name);
    const auto quiet = quiet_period(job, options_.quiet);
    const Table q =
        conn->query("SELECT cause_key FROM bot_alert_state WHERE job_name = ? AND last_fired > ?",
                    {job.name, utc_text(slot_time - quiet, true)});
    for (const Row& row : q.rows) request.quiet_causes.insert(std::get<Text>(row[0]).str());
  }

  Outcome<report::Report> built = report::build_report(*conn, job.report, request);
  if (!built) {
    // Bad input cannot get better by retrying: record it and move on.
    conn->execute(
        "UPDATE bot_schedule_slots SET status = 'failed', finished_at = ?, reason = ?"
        " WHERE slot_id = ? AND status = 'claimed' AND claimed_by = ?",
        {utc_text(now, true), clip(built.error().message, kMaxReason), slot_id,
         options_.instance_id});
    spdlog::error("push {}: slot {} UTC failed: {}", job.name, utc_text(slot_time),
                  built.error().message);
    return false;
  }
  const report::Report& report = built.value();
  if (options_.before_commit) options_.before_commit(job.name, slot_id);

  db::Transaction tx(*conn);
  const Table slot = conn->query(
      "SELECT status, claimed_by FROM bot_schedule_slots WHERE slot_id = ? FOR UPDATE", {slot_id});
  if (slot.rows.empty() || slot.rows[0][0] != Value{std::string("claimed")} ||
      slot.rows[0][1] != Value{options_.instance_id}) {
    spdlog::info("push {}: slot {} UTC was taken over by another instance", job.name,
                 utc_text(slot_time));
    return false;
  }
  std::optional<std::string> reason;
  std::size_t sent = 0;
  if (!report.is_alert || report.fired()) {
    sent = enqueue_push(*conn, job, report, slot_id, options_.admins).size();
  } else {
    reason = clip("未触发：" + report.not_fired_zh, kMaxReason);
  }
  for (const auto& cause : report.causes)
    conn->execute(
        "INSERT INTO bot_alert_state (job_name, cause_key, last_fired) VALUES (?, ?, ?)"
        " ON DUPLICATE KEY UPDATE last_fired = VALUES(last_fired)",
        {job.name, clip(cause.key, 190), utc_text(slot_time, true)});
  conn->execute(
      "UPDATE bot_schedule_slots SET status = 'done', finished_at = ?, reason = ?"
      " WHERE slot_id = ?",
      {utc_text(now, true), reason ? Value{*reason} : Value{Null{}}, slot_id});
  tx.commit();
  spdlog::info("push {}: slot {} UTC done ({} as of {}): {} replies queued{}", job.name,
               utc_text(slot_time), job.report, format_date(request.as_of), sent,
               report.is_alert ? (report.fired() ? ", alert fired" : ", alert not fired") : "");
  return true;
}

}  // namespace yimei::bot
