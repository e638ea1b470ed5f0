// ConnectionPool: creates connections lazily up to pool_size, checks idle ones with a ping
// before reuse (cheap when recently used), and drops broken ones on release.
#include "core/db/pool.hpp"

namespace yimei::db {

namespace {
// A connection idle for less than this is handed out without a ping.
constexpr auto kPingAfterIdle = std::chrono::seconds(2);
}  // namespace

ConnectionPool::ConnectionPool(DbConfig config) : config_(std::move(config)) {
  if (config_.pool_size == 0) config_.pool_size = 1;
}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease ConnectionPool::acquire(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::unique_lock lock(mu_);
  for (;;) {
    while (!idle_.empty()) {
      Idle item = std::move(idle_.back());
      idle_.pop_back();
      const bool fresh = std::chrono::steady_clock::now() - item.since < kPingAfterIdle;
      lock.unlock();
      if (fresh || item.conn->ping()) return Lease(this, std::move(item.conn));
      item.conn.reset();  // dead: the server restarted or closed it
      lock.lock();
      --open_;
    }
    if (open_ < config_.pool_size) {
      ++open_;
      lock.unlock();
      try {
        return Lease(this, std::make_unique<Connection>(config_));
      } catch (...) {
        lock.lock();
        --open_;
        cv_.notify_one();
        throw;
      }
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= config_.pool_size) {
      throw DependencyError("database pool exhausted: " + std::to_string(config_.pool_size) +
                            " connections busy");
    }
  }
}

void ConnectionPool::release(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mu_);
  if (c->broken()) {
    c.reset();
    --open_;
  } else {
    idle_.push_back({std::move(c), std::chrono::steady_clock::now()});
  }
  cv_.notify_one();
}

std::size_t ConnectionPool::idle_count() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

}  // namespace yimei::db
