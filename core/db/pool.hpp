// A bounded pool of Connections. acquire() hands out a Lease that returns the connection on
// destruction; broken connections are dropped, idle ones are health-checked before reuse, so the
// pool recovers by itself after the server restarts. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

#include "core/db/connection.hpp"

namespace yimei::db {

class ConnectionPool {
 public:
  explicit ConnectionPool(DbConfig config);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) pool_->release(std::move(c_));
    }
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> c_;
  };

  // Waits up to `wait` for a connection; throws DbError (connect failure) or
  // DependencyError (pool exhausted).
  Lease acquire(std::chrono::milliseconds wait = std::chrono::seconds(5));

  const DbConfig& config() const { return config_; }
  std::size_t idle_count() const;

 private:
  struct Idle {
    std::unique_ptr<Connection> conn;
    std::chrono::steady_clock::time_point since;
  };
  void release(std::unique_ptr<Connection> c);

  DbConfig config_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Idle> idle_;
  std::size_t open_ = 0;  // connections alive: idle + leased
};

}  // namespace yimei::db
