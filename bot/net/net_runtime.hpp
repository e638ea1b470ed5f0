// The io_context and its threads, shared by the HTTP server, the HTTP client and (later) the
// WebSocket client; plus SignalWatch, which lets `yimei serve` wait for SIGTERM/SIGINT.
// Asio stays in net_runtime.cpp: callers only see a forward declaration of io_context.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace yimei::net {

class NetRuntime {
 public:
  // Starts `threads` threads running the io_context (kept alive until stop()).
  explicit NetRuntime(std::size_t threads = 1);
  // Calls stop().
  ~NetRuntime();
  NetRuntime(const NetRuntime&) = delete;
  NetRuntime& operator=(const NetRuntime&) = delete;

  // Stops the io_context and joins its threads; pending handlers are dropped (shut servers
  // down first for a graceful end). Idempotent; must not be called from an io thread.
  void stop();

  // True on one of this runtime's io threads (where blocking calls are forbidden).
  bool in_io_thread() const;
  std::size_t thread_count() const;

  // For Asio-aware code in .cpp files (server, client, WebSocket).
  boost::asio::io_context& context();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Catches the given signals (default SIGINT and SIGTERM) from construction on, so a signal
// that arrives before wait() is not lost and no longer kills the process. Must not outlive its
// runtime. Not thread-safe: one waiting thread.
class SignalWatch {
 public:
  explicit SignalWatch(NetRuntime& runtime, std::vector<int> signals = {});
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

  // Blocks until one of the signals arrives; returns its number. Call from a non-io thread.
  int wait();
  // As wait(), but gives up after `timeout` (nullopt).
  std::optional<int> wait_for(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace yimei::net
