// BatchingIntake: writers take everything queued (up to max_batch) as one batch. No timer is
// needed to form batches: while one batch is being written, the next submissions queue up and
// become the next batch, so the batch size follows the load by itself. During a burst only
// writer 0 writes (see BatchingIntakeOptions::writers).
#include "bot/batching_intake.hpp"

#include <spdlog/spdlog.h>

#include "bot/inbox.hpp"
#include "bot/metrics.hpp"
#include "core/db/connection.hpp"
#include "core/db/retry.hpp"

namespace yimei::bot {

BatchingIntake::BatchingIntake(db::ConnectionPool& pool, Metrics& metrics, OnRecorded on_recorded,
                               BatchingIntakeOptions options)
    : pool_(pool), metrics_(metrics), on_recorded_(std::move(on_recorded)), options_(options) {
  for (std::size_t i = 0; i < options_.writers; ++i) writers_.emplace_back([this, i] { run(i); });
}

BatchingIntake::~BatchingIntake() {
  stop();
}

void BatchingIntake::submit(IncomingMessage message, std::function<void(IntakeResult)> done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_ && queue_.size() < options_.max_queue) {
      queue_.push_back({std::move(message), std::move(done)});
      if (first_waiting_)
        first_cv_.notify_one();
      else if (!busy())
        others_cv_.notify_one();
      return;
    }
  }
  metrics_.add("yimei_intake_total", "result=\"refused\"");
  done(IntakeResult::Failed);
}

bool BatchingIntake::busy() const {
  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::steady_clock::now().time_since_epoch())
                       .count();
  return now < busy_until_ns_.load();
}

void BatchingIntake::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  first_cv_.notify_all();
  others_cv_.notify_all();
  for (auto& t : writers_)
    if (t.joinable()) t.join();
  writers_.clear();
  // Only possible without writers: nothing will record these, so let their platforms retry.
  std::deque<Pending> left;
  {
    std::lock_guard lock(mu_);
    left.swap(queue_);
  }
  for (auto& p : left) p.done(IntakeResult::Failed);
}

bool BatchingIntake::may_take(std::size_t index) const {
  if (stopping_) return true;  // stop() records what is queued: every writer drains
  return !queue_.empty() && (index == 0 || !busy());
}

void BatchingIntake::run(std::size_t index) {
  db::thread_init();
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (index == 0) {
        first_waiting_ = true;
        first_cv_.wait(lock, [&] { return may_take(0); });
        first_waiting_ = false;
      } else {
        // A burst ends by time alone (busy_hold): look again every few milliseconds.
        while (!may_take(index)) others_cv_.wait_for(lock, std::chrono::milliseconds(10));
      }
      if (queue_.empty()) break;  // stopping and drained
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (batch.size() >= options_.busy_batch) {
      const auto until = std::chrono::steady_clock::now() + options_.busy_hold;
      busy_until_ns_ =
          std::chrono::duration_cast<std::chrono::nanoseconds>(until.time_since_epoch()).count();
    }
    write_batch(batch);
    batch.clear();
  }
  db::thread_end();
}

void BatchingIntake::write_batch(std::vector<Pending>& batch) {
  std::vector<IncomingMessage> messages;
  messages.reserve(batch.size());
  for (const auto& p : batch) messages.push_back(p.message);
  std::vector<bool> fresh;
  try {
    auto conn = pool_.acquire(std::chrono::seconds(2));
    // A deadlock victim (InnoDB rolled the statement back) is simply written again.
    fresh = db::retry_transient([&] { return record_incoming_batch(*conn, messages); });
  } catch (const std::exception& e) {
    spdlog::error("inbox: {} message(s) not recorded: {}", batch.size(), e.what());
    metrics_.add("yimei_intake_total", "result=\"failed\"", batch.size(),
                 "Incoming messages by intake result");
    for (auto& p : batch) p.done(IntakeResult::Failed);
    return;
  }
  metrics_.add("yimei_intake_batches_total", {}, 1, "Inbox INSERT statements (group commits)");
  for (std::size_t i = 0; i < batch.size(); ++i) {
    metrics_.add("yimei_intake_total", fresh[i] ? "result=\"recorded\"" : "result=\"duplicate\"", 1,
                 "Incoming messages by intake result");
    batch[i].done(fresh[i] ? IntakeResult::Recorded : IntakeResult::Duplicate);
  }
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (fresh[i] && on_recorded_) on_recorded_(batch[i].message);
}

}  // namespace yimei::bot
