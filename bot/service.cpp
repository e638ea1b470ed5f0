// Service: wiring and the housekeeping loop. Message path: adapter route → intake (group
// commit, then the platform gets its 200) → worker: process (reply into the outbox in the
// message's transaction) → the platform's OutboxSender delivers it. A message that misses its
// worker (full queue, crash, database down) stays `received` in the inbox and is fed to the
// workers again from there: as soon as the queue has room after an overflow, and by the
// housekeeping thread's periodic recovery.
#include "bot/service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "bot/app.hpp"
#include "bot/batching_intake.hpp"
#include "bot/inbox.hpp"
#include "bot/metrics.hpp"
#include "bot/net/router.hpp"
#include "bot/net/worker_pool.hpp"
#include "bot/outbox_sender.hpp"
#include "bot/processor.hpp"
#include "bot/thread_priority.hpp"
#include "core/db/connection.hpp"
#include "core/db/retry.hpp"

namespace yimei::bot {

struct Service::Impl {
  App& app;
  Metrics& metrics;
  ServiceOptions options;
  OutboxPolicy outbox_policy;
  net::WorkerPool workers;
  std::unique_ptr<BatchingIntake> intake;
  std::vector<std::unique_ptr<PlatformAdapter>> adapters;
  std::map<std::string, std::unique_ptr<OutboxSender>, std::less<>> senders;
  std::vector<PeriodicJob> periodic;
  std::unique_ptr<net::HttpServer> server;

  std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;
  bool stopped = false;
  std::thread housekeeper;

  // Set when a recorded message found the worker queue full; cleared by the feeder that takes
  // the waiting messages from the inbox.
  std::atomic<bool> backlog{false};
  std::atomic<bool> feeding{false};
  std::atomic<std::uint64_t> unqueued{0};  // messages left to the inbox since the last warning
  std::atomic<std::int64_t> last_backlog_warning_s{0};

  Impl(App& a, Metrics& m, ServiceOptions o)
      : app(a),
        metrics(m),
        options(std::move(o)),
        workers(net::WorkerPoolOptions{options.workers, options.worker_queue, "worker",
                                       [nice = options.worker_nice] {
                                         lower_thread_priority(nice);
                                         db::thread_init();
                                       },
                                       [] { db::thread_end(); }}) {}

  void request_delivery(const std::string& platform) {
    if (auto it = senders.find(platform); it != senders.end()) it->second->request();
  }

  // On a worker: answer one recorded message; its sender then delivers the reply.
  void handle(const std::string& platform, const std::string& msg_id) {
    constexpr auto kStep = std::chrono::milliseconds(10);
    for (auto waited = std::chrono::milliseconds(0);
         waited < options.yield_to_intake && intake->busy(); waited += kStep)
      std::this_thread::sleep_for(kStep);
    try {
      if (db::retry_transient([&] { return app.processor().process(platform, msg_id); })) {
        metrics.add("yimei_messages_processed_total", {}, 1, "Messages answered");
        request_delivery(platform);
      }
    } catch (const std::exception& e) {
      spdlog::error("message {}:{} not processed yet (retried later): {}", platform, msg_id,
                    e.what());
    }
    if (backlog.load() && workers.queued() <= options.worker_queue / 4)
      guarded("backlog", [&] { feed_waiting(std::chrono::milliseconds(0)); });
  }

  // Hands messages still `received` in the inbox (oldest first) to the workers, as many as the
  // queue takes. One feeder at a time; a message both queued and fed is answered once (the
  // second finds it done, or skips it while the first holds its lock).
  void feed_waiting(std::chrono::milliseconds min_age) {
    if (feeding.exchange(true)) return;
    struct Done {
      std::atomic<bool>& flag;
      ~Done() { flag = false; }
    } done{feeding};
    backlog = false;
    const std::size_t limit = std::max<std::size_t>(1, options.worker_queue / 2);
    std::vector<std::pair<std::string, std::string>> waiting;
    {
      auto conn = app.pool().acquire();
      waiting = unfinished_messages(*conn, limit, min_age);
    }
    std::size_t fed = 0;
    for (const auto& [platform, msg_id] : waiting) {
      if (!workers.submit([this, p = platform, id = msg_id] { handle(p, id); })) break;
      ++fed;
    }
    if (fed < waiting.size() || waiting.size() == limit) backlog = true;  // more to feed later
    if (fed) spdlog::debug("fed {} waiting messages to the workers", fed);
  }

  // A notice before slow work: its own committed outbox row, delivered by a worker at once,
  // so it arrives while the answer is still being worked out.
  void notify(const IncomingMessage& m, const std::string& text) {
    auto it = senders.find(m.platform);
    if (it == senders.end()) return;
    try {
      auto conn = app.pool().acquire();
      Reply notice;
      notice.text = text;
      enqueue_reply(*conn, m.platform, reply_target(m), std::nullopt, std::nullopt, notice);
    } catch (const std::exception& e) {
      spdlog::warn("notice to {}:{} not sent: {}", m.platform, m.user_id, e.what());
      return;
    }
    it->second->request();
  }

  void on_recorded(const IncomingMessage& m) {
    if (workers.submit([this, platform = m.platform, id = m.msg_id] { handle(platform, id); }))
      return;
    // The message is safe in the inbox; the workers take it from there when they have room.
    backlog = true;
    metrics.add("yimei_messages_deferred_total", {}, 1,
                "Recorded messages that found the worker queue full (answered from the inbox)");
    const auto n = ++unqueued;
    const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count();
    std::int64_t last = last_backlog_warning_s.load();
    if (now_s - last >= 10 && last_backlog_warning_s.compare_exchange_strong(last, now_s)) {
      unqueued -= n;
      spdlog::warn("workers busy: {} message(s) wait in the inbox and are answered in order", n);
    }
  }

  void housekeeping() {
    db::thread_init();
    auto next_recover = std::chrono::steady_clock::now();
    for (;;) {
      {
        std::unique_lock lock(mu);
        wake.wait_for(lock, options.sweep_interval, [&] { return stopping; });
        if (stopping) break;
      }
      // Periodic jobs (the push scheduler); what they enqueue goes out at once.
      const auto now = std::chrono::system_clock::now();
      if (!periodic.empty()) {
        for (auto& job : periodic) guarded("periodic job", [&] { job(now); });
        for (auto& [platform, sender] : senders) sender->request();
      }
      if (std::chrono::steady_clock::now() >= next_recover) {
        next_recover = std::chrono::steady_clock::now() + options.recover_interval;
        guarded("recovery", [&] { feed_waiting(options.recover_min_age); });
      }
    }
    db::thread_end();
  }

  template <class F>
  static void guarded(const char* what, F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      spdlog::error("{} failed (retried on the next pass): {}", what, e.what());
    }
  }

  net::Router routes() {
    net::Router r;
    // Liveness: the process answers at all (no database); also the benchmarks' trivial handler.
    r.handle("GET", "/livez", [](const net::Request&) { return net::Response::text(200, "ok\n"); });
    r.handle_async("GET", "/healthz", net::on_workers(workers, [this](const net::Request&) {
                     try {
                       auto conn = app.pool().acquire(std::chrono::seconds(2));
                       conn->query("SELECT 1", {});
                       return net::Response::text(200, "ok\n");
                     } catch (const std::exception& e) {
                       spdlog::warn("healthz: database unavailable: {}", e.what());
                       return net::Response::text(503, "database unavailable\n");
                     }
                   }));
    r.handle("GET", "/metrics", [this](const net::Request&) {
      const auto stats = server->stats();
      metrics.set_gauge("yimei_http_active_connections",
                        static_cast<double>(stats.active_connections), "Open HTTP connections");
      metrics.set_gauge("yimei_worker_queue", static_cast<double>(workers.queued()),
                        "Processing jobs waiting for a worker");
      std::string body = metrics.prometheus_text();
      body += "# HELP yimei_http_requests_total HTTP requests read completely\n";
      body += "# TYPE yimei_http_requests_total counter\n";
      body += "yimei_http_requests_total " + std::to_string(stats.requests) + "\n";
      body += "# HELP yimei_http_server_errors_total HTTP 5xx answers\n";
      body += "# TYPE yimei_http_server_errors_total counter\n";
      body += "yimei_http_server_errors_total " + std::to_string(stats.server_errors) + "\n";
      net::Response res = net::Response::text(200, std::move(body));
      res.content_type = "text/plain; version=0.0.4; charset=utf-8";
      return res;
    });
    for (auto& a : adapters) a->add_routes(r);
    return r;
  }
};

namespace {
OutboxSenderOptions sender_options(const ServiceOptions& o) {
  OutboxSenderOptions s;
  s.nice = o.worker_nice;
  return s;
}
}  // namespace

Service::Service(App& app, Metrics& metrics, const std::vector<PlatformFactory>& platforms,
                 ServiceOptions options)
    : impl_(std::make_unique<Impl>(app, metrics, std::move(options))) {
  Impl& s = *impl_;
  BatchingIntakeOptions intake_options;
  intake_options.writers = s.options.intake_writers;
  s.intake = std::make_unique<BatchingIntake>(
      app.pool(), metrics, [&s](const IncomingMessage& m) { s.on_recorded(m); }, intake_options);
  app.services().progress_notice = [&s](const IncomingMessage& m, const std::string& text) {
    s.notify(m, text);
  };
  PlatformContext ctx{app.services().config, app, metrics, s.intake.get()};
  for (const auto& make : platforms) {
    if (auto adapter = make(ctx)) {
      s.senders[adapter->platform()] =
          std::make_unique<OutboxSender>(app.pool(), *adapter, metrics, sender_options(s.options));
      s.adapters.push_back(std::move(adapter));
    }
  }
}

Service::~Service() {
  stop();
}

void Service::add_periodic(PeriodicJob job) {
  impl_->periodic.push_back(std::move(job));
}

void Service::start() {
  Impl& s = *impl_;
  s.server = std::make_unique<net::HttpServer>(s.app.net(), s.options.http, s.routes());
  s.server->start();
  for (auto& a : s.adapters) a->start();
  for (auto& [platform, sender] : s.senders) sender->start();
  // Messages left waiting by a previous run are answered before new ones pile up; rows left in
  // the outbox go out now.
  s.guarded("start-up recovery", [&s] { s.feed_waiting(std::chrono::milliseconds(0)); });
  for (auto& [platform, sender] : s.senders) sender->request();
  s.housekeeper = std::thread([&s] { s.housekeeping(); });
}

std::uint16_t Service::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

std::vector<std::string> Service::platforms() const {
  std::vector<std::string> out;
  for (const auto& a : impl_->adapters) out.push_back(a->platform());
  return out;
}

void Service::stop() {
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.mu);
    if (s.stopped) return;
    s.stopped = s.stopping = true;
  }
  s.wake.notify_all();
  if (s.server) s.server->shutdown(s.options.shutdown_grace);
  s.intake->stop();
  if (s.housekeeper.joinable()) s.housekeeper.join();
  s.workers.shutdown();
  s.app.services().progress_notice = nullptr;                 // no worker reads it any more
  for (auto& [platform, sender] : s.senders) sender->stop();  // after the workers' last replies
  for (auto& a : s.adapters) a->stop();
}

}  // namespace yimei::bot
