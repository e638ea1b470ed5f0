// Service: wiring and the housekeeping loop. Message path: adapter route → intake (group
// commit, then the platform gets its 200) → worker: process (reply into the outbox in the
// message's transaction) → worker: deliver the platform's due outbox rows. Anything that
// misses a step (full queue, crash, platform down) is picked up by the housekeeping thread.
#include "bot/service.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "bot/app.hpp"
#include "bot/batching_intake.hpp"
#include "bot/metrics.hpp"
#include "bot/net/router.hpp"
#include "bot/net/worker_pool.hpp"
#include "bot/processor.hpp"
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
  std::map<std::string, PlatformAdapter*, std::less<>> by_platform;
  std::vector<PeriodicJob> periodic;
  std::unique_ptr<net::HttpServer> server;

  std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;
  bool stopped = false;
  std::thread housekeeper;

  Impl(App& a, Metrics& m, ServiceOptions o)
      : app(a),
        metrics(m),
        options(std::move(o)),
        workers(net::WorkerPoolOptions{options.workers, options.worker_queue, "worker",
                                       [] { db::thread_init(); }, [] { db::thread_end(); }}) {}

  void deliver(PlatformAdapter& adapter) {
    const std::size_t n = deliver_due(
        app.pool(), adapter.platform(),
        [&adapter](const OutboxRow& row) { return adapter.deliver(row); }, outbox_policy);
    if (n)
      metrics.add("yimei_outbox_delivered_total", "platform=\"" + adapter.platform() + "\"", n,
                  "Outbox rows delivered to a platform");
  }

  // On a worker: answer one recorded message, then send what is due for its platform.
  void handle(const std::string& platform, const std::string& msg_id) {
    try {
      if (db::retry_transient([&] { return app.processor().process(platform, msg_id); }))
        metrics.add("yimei_messages_processed_total", {}, 1, "Messages answered");
    } catch (const std::exception& e) {
      spdlog::error("message {}:{} not processed yet (retried later): {}", platform, msg_id,
                    e.what());
      return;
    }
    if (auto it = by_platform.find(platform); it != by_platform.end()) {
      try {
        deliver(*it->second);
      } catch (const std::exception& e) {
        spdlog::error("delivery to {} failed (retried later): {}", platform, e.what());
      }
    }
  }

  // A notice before slow work: its own committed outbox row, delivered by a worker at once,
  // so it arrives while the answer is still being worked out.
  void notify(const IncomingMessage& m, const std::string& text) {
    auto it = by_platform.find(m.platform);
    if (it == by_platform.end()) return;
    try {
      auto conn = app.pool().acquire();
      Reply notice;
      notice.text = text;
      enqueue_reply(*conn, m.platform, reply_target(m), std::nullopt, std::nullopt, notice);
    } catch (const std::exception& e) {
      spdlog::warn("notice to {}:{} not sent: {}", m.platform, m.user_id, e.what());
      return;
    }
    PlatformAdapter* adapter = it->second;
    workers.submit([this, adapter] { guarded("notice delivery", [&] { deliver(*adapter); }); });
  }

  void on_recorded(const IncomingMessage& m) {
    if (!workers.submit([this, platform = m.platform, id = m.msg_id] { handle(platform, id); }))
      spdlog::warn("workers busy: message {}:{} waits for the next recovery pass", m.platform,
                   m.msg_id);
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
      // Periodic jobs (the push scheduler) first, so what they enqueue goes out in this pass.
      const auto now = std::chrono::system_clock::now();
      for (auto& job : periodic) guarded("periodic job", [&] { job(now); });
      guarded("outbox", [&] {
        for (auto& a : adapters) deliver(*a);
      });
      if (std::chrono::steady_clock::now() >= next_recover) {
        next_recover = std::chrono::steady_clock::now() + options.recover_interval;
        guarded("recovery", [&] {
          if (app.processor().recover(options.recover_min_age) > 0)
            for (auto& a : adapters) deliver(*a);
        });
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

Service::Service(App& app, Metrics& metrics, const std::vector<PlatformFactory>& platforms,
                 ServiceOptions options)
    : impl_(std::make_unique<Impl>(app, metrics, std::move(options))) {
  Impl& s = *impl_;
  s.intake = std::make_unique<BatchingIntake>(app.pool(), metrics,
                                              [&s](const IncomingMessage& m) { s.on_recorded(m); });
  app.services().progress_notice = [&s](const IncomingMessage& m, const std::string& text) {
    s.notify(m, text);
  };
  PlatformContext ctx{app.services().config, app, metrics, s.intake.get()};
  for (const auto& make : platforms) {
    if (auto adapter = make(ctx)) {
      s.by_platform[adapter->platform()] = adapter.get();
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
  s.housekeeper = std::thread([&s] { s.housekeeping(); });
  // Messages left waiting by a previous run are answered before new ones pile up.
  s.workers.submit([&s] { s.guarded("start-up recovery", [&s] { s.app.processor().recover(); }); });
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
  s.app.services().progress_notice = nullptr;  // no worker reads it any more
  for (auto& a : s.adapters) a->stop();
}

}  // namespace yimei::bot
