// The durable intake of `yimei serve` (group commit): callbacks that arrive together are
// recorded in the inbox with one INSERT (bot::record_incoming_batch) by a few writer threads,
// so a burst costs one round trip and one log flush per batch instead of one per message. Each
// submitter's `done` runs on a writer thread after its row is durable; then `on_recorded` hands
// the new message on (to the processing workers). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "bot/platform.hpp"
#include "core/db/pool.hpp"

namespace yimei::bot {

struct BatchingIntakeOptions {
  // Threads writing batches (one batch each at a time). During a burst (busy()) only the first
  // writes: one writer makes batches twice as large, and a commit's fixed cost is most of a
  // small batch's; at a calmer pace the others take a message at once while a commit runs.
  std::size_t writers = 2;
  std::size_t max_batch = 128;   // rows in one INSERT
  std::size_t max_queue = 4096;  // waiting submissions; over it submit() fails at once
  // A batch at least this large means a burst of callbacks: busy() holds for busy_hold after it.
  std::size_t busy_batch = 8;
  std::chrono::milliseconds busy_hold{100};
};

class BatchingIntake final : public MessageIntake {
 public:
  using OnRecorded = std::function<void(const IncomingMessage&)>;

  BatchingIntake(db::ConnectionPool& pool, Metrics& metrics, OnRecorded on_recorded,
                 BatchingIntakeOptions options = {});
  // Calls stop().
  ~BatchingIntake() override;
  BatchingIntake(const BatchingIntake&) = delete;
  BatchingIntake& operator=(const BatchingIntake&) = delete;

  void submit(IncomingMessage message, std::function<void(IntakeResult)> done) override;

  // True while callbacks arrive in a burst (a recent batch of busy_batch rows or more): work
  // that may wait, such as answering, yields to recording and acknowledging them.
  bool busy() const;

  // Records what is queued, then joins the writers; later submissions fail at once.
  // Idempotent.
  void stop();

 private:
  struct Pending {
    IncomingMessage message;
    std::function<void(IntakeResult)> done;
  };
  void run(std::size_t index);
  // Writer `index` may take queued work now (the caller holds mu_).
  bool may_take(std::size_t index) const;
  void write_batch(std::vector<Pending>& batch);

  db::ConnectionPool& pool_;
  Metrics& metrics_;
  OnRecorded on_recorded_;
  BatchingIntakeOptions options_;
  std::mutex mu_;
  std::condition_variable first_cv_;   // wakes writer 0
  std::condition_variable others_cv_;  // wakes the other writers (outside bursts)
  bool first_waiting_ = false;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::vector<std::thread> writers_;
  std::atomic<std::int64_t> busy_until_ns_{0};  // steady clock
};

}  // namespace yimei::bot
