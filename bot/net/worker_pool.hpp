// A bounded pool for blocking work (database, cairo) so io_context threads never block: a
// fixed number of threads and a bounded queue; submit() refuses instead of queueing without
// limit, which the HTTP layer turns into 503. No Asio here.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bot/net/handler.hpp"

namespace yimei::net {

struct WorkerPoolOptions {
  std::size_t threads = 4;
  std::size_t queue_capacity = 64;  // tasks waiting (running tasks not counted)
  std::string name = "worker";      // for log lines
  // Run on each worker thread before its first task and after its last, e.g. the database
  // driver's per-thread init/end (Connector/C++ threadInit/threadEnd). May be empty.
  std::function<void()> on_thread_start;
  std::function<void()> on_thread_stop;
};

class WorkerPool {
 public:
  explicit WorkerPool(WorkerPoolOptions options);
  // Calls shutdown().
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task; false when the queue is full or the pool is shutting down (the task is
  // then not run). A task that throws is logged and the worker carries on. Thread-safe.
  bool submit(std::function<void()> task);

  // Stops accepting, runs the tasks already queued, joins the threads. Idempotent; must not
  // be called from a worker thread.
  void shutdown();

  std::size_t queued() const;
  std::size_t thread_count() const { return threads_.size(); }
  std::size_t capacity() const { return options_.queue_capacity; }

 private:
  void run();

  WorkerPoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Wraps a blocking handler so that it runs on `pool`: the request is answered 503 when the
// queue is full, and 500 (logged once with the request id) when the handler throws. The pool
// must outlive the server that uses the returned handler.
AsyncHandler on_workers(WorkerPool& pool, SyncHandler blocking_handler);

}  // namespace yimei::net
