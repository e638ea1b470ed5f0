// The running service of `yimei serve`: the HTTP server (platform callbacks, /healthz,
// /metrics), the durable intake, the worker pool that processes messages and delivers
// replies, and a housekeeping thread that retries due outbox rows, recovers waiting messages
// and runs periodic jobs (the push scheduler). Owns the platform adapters. Start once, stop
// once; the App must outlive it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bot/net/http_server.hpp"
#include "bot/platform.hpp"

namespace yimei::bot {

struct ServiceOptions {
  net::HttpServerOptions http;
  std::size_t workers = 4;         // message processing and delivery (database-bound)
  std::size_t worker_queue = 512;  // processing jobs waiting; beyond it they wait in the inbox
  int worker_nice = 10;  // added to the nice value of the answering and delivering threads
  // Threads writing the inbox's group commits (BatchingIntake; during a burst only one writes).
  std::size_t intake_writers = 2;
  // During a burst of callbacks (BatchingIntake::busy) a worker waits up to this long before it
  // answers its next message, so acknowledging the burst goes first; answers catch up after.
  std::chrono::milliseconds yield_to_intake{250};
  std::chrono::milliseconds sweep_interval{1000};     // due outbox rows, periodic jobs
  std::chrono::milliseconds recover_interval{10000};  // re-process waiting messages...
  std::chrono::milliseconds recover_min_age{5000};    // ...recorded at least this long ago
  std::chrono::milliseconds shutdown_grace{5000};     // requests in flight at SIGTERM
};

// A job run by the housekeeping thread every sweep (e.g. Scheduler::run_due); it gets the
// current time and must not throw for expected failures (exceptions are logged).
using PeriodicJob = std::function<void(std::chrono::system_clock::time_point)>;

class Service {
 public:
  // Builds the adapters that are configured (ConfigErrors for half-configured ones).
  Service(App& app, Metrics& metrics, const std::vector<PlatformFactory>& platforms,
          ServiceOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Before start().
  void add_periodic(PeriodicJob job);
  // Binds the listener (std::runtime_error when it cannot) and starts every thread.
  void start();
  std::uint16_t port() const;
  // Names of the platforms with an adapter, e.g. {"wecom"}.
  std::vector<std::string> platforms() const;
  // Graceful: stop accepting, finish requests in flight, record what the intake holds, finish
  // queued processing, stop the threads. Idempotent; call from a non-io thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yimei::bot
