// WorkerPool on its own: tasks run on the pool's threads, a full queue refuses, shutdown drains
// what was queued, per-thread hooks run once per thread, and a throwing task does not kill its
// worker.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "bot/net/worker_pool.hpp"

using namespace yimei::net;
using namespace std::chrono_literals;

namespace {
WorkerPoolOptions options(std::size_t threads, std::size_t capacity) {
  WorkerPoolOptions o;
  o.threads = threads;
  o.queue_capacity = capacity;
  return o;
}
}  // namespace

TEST(NetWorkerPool, RunsTasksOnItsOwnThreadsAndDrainsOnShutdown) {
  std::mutex mu;
  std::set<std::thread::id> ids;
  std::atomic<int> done{0};
  WorkerPool pool(options(3, 100));
  for (int i = 0; i < 60; ++i)
    ASSERT_TRUE(pool.submit([&] {
      std::this_thread::sleep_for(1ms);
      std::lock_guard lock(mu);
      ids.insert(std::this_thread::get_id());
      ++done;
    }));
  pool.shutdown();
  EXPECT_EQ(done.load(), 60);
  EXPECT_LE(ids.size(), 3u);
  EXPECT_EQ(ids.count(std::this_thread::get_id()), 0u);
  EXPECT_FALSE(pool.submit([] {}));  // closed
}

TEST(NetWorkerPool, FullQueueRefusesInsteadOfGrowing) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<bool> running{false};
  WorkerPool pool(options(1, 2));
  ASSERT_TRUE(pool.submit([&] {
    running = true;
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return release; });
  }));
  while (!running) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(pool.submit([] {}));
  EXPECT_TRUE(pool.submit([] {}));
  EXPECT_FALSE(pool.submit([] {}));
  EXPECT_EQ(pool.queued(), 2u);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  pool.shutdown();
  EXPECT_EQ(pool.queued(), 0u);
}

TEST(NetWorkerPool, ThreadHooksRunOncePerThreadAndThrowingTasksAreSurvived) {
  std::atomic<int> starts{0}, stops{0}, after_throw{0};
  WorkerPoolOptions o = options(2, 10);
  o.on_thread_start = [&] { ++starts; };
  o.on_thread_stop = [&] { ++stops; };
  {
    WorkerPool pool(o);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(pool.submit([] { throw std::runtime_error("x"); }));
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(pool.submit([&] { ++after_throw; }));
  }
  EXPECT_EQ(starts.load(), 2);
  EXPECT_EQ(stops.load(), 2);
  EXPECT_EQ(after_throw.load(), 4);
}
