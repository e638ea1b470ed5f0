// The bounded worker pool and the adapter that runs a blocking route handler on it.
#include "bot/net/worker_pool.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace yimei::net {

WorkerPool::WorkerPool(WorkerPoolOptions options) : options_(std::move(options)) {
  if (options_.threads == 0) throw std::invalid_argument("WorkerPool: threads must be > 0");
  threads_.reserve(options_.threads);
  for (std::size_t i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() {
  shutdown();
}

bool WorkerPool::submit(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= options_.queue_capacity) return false;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::shutdown() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

std::size_t WorkerPool::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void WorkerPool::run() {
  if (options_.on_thread_start) options_.on_thread_start();
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      task();
    } catch (const std::exception& e) {
      spdlog::error("{}: task threw: {}", options_.name, e.what());
    } catch (...) {
      spdlog::error("{}: task threw a non-standard exception", options_.name);
    }
  }
  if (options_.on_thread_stop) options_.on_thread_stop();
}

AsyncHandler on_workers(WorkerPool& pool, SyncHandler blocking_handler) {
  return [&pool, h = std::move(blocking_handler)](Request request, Responder done) {
    // The request moves into the task; shared so that the std::function stays copyable.
    auto shared = std::make_shared<Request>(std::move(request));
    const bool queued = pool.submit([h, shared, done] {
      try {
        done(h(*shared));
      } catch (...) {
        done.fail(std::current_exception());
      }
    });
    if (!queued) {
      spdlog::warn("http {} {} {}: worker queue full, answering 503", shared->request_id,
                   shared->method, shared->path);
      Response busy = Response::text(503, "service busy, retry later\n");
      busy.headers.set("Retry-After", "1");
      done(std::move(busy));
    }
  };
}

}  // namespace yimei::net
