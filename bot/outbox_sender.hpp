// The threads that deliver one platform's outbox rows in `yimei serve`. request() (an answer or
// a pushed report was just committed) wakes one of them; a pass claims a batch of due rows, so
// a burst of answers costs one claim and one "sent" mark per batch instead of per message, and
// delivery never waits behind the message-processing queue. With nothing requested each thread
// still looks every `poll` for rows whose retry is due. Several instances share an outbox
// safely: claims skip locked rows and lease what they take (bot/outbox.hpp).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

#include "bot/metrics.hpp"
#include "bot/outbox.hpp"
#include "bot/platform.hpp"

namespace yimei::bot {

struct OutboxSenderOptions {
  std::size_t threads = 2;  // sends in flight at once (a slow platform API is not serialized)
  std::size_t batch = 32;   // rows claimed per pass
  std::chrono::milliseconds poll{1000};
  int nice = 0;  // added to the threads' nice value (bot/thread_priority.hpp)
  OutboxPolicy policy;
};

class OutboxSender {
 public:
  OutboxSender(db::ConnectionPool& pool, PlatformAdapter& adapter, Metrics& metrics,
               OutboxSenderOptions options);
  // Calls stop().
  ~OutboxSender();
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  void start();
  // Thread-safe; cheap when a pass is already going to run.
  void request();
  // Threads finish their pass (one more if requested), then end. Idempotent.
  void stop();

 private:
  void run();
  void deliver_all();

  db::ConnectionPool& pool_;
  PlatformAdapter& adapter_;
  Metrics& metrics_;
  OutboxSenderOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace yimei::bot
