// `yimei serve`: the service. Checks the schema, builds the App and the configured platform
// adapters, listens on YIMEI_LISTEN until SIGTERM or SIGINT, then stops gracefully and exits 0.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "bot/app.hpp"
#include "bot/cli.hpp"
#include "bot/cli_context.hpp"
#include "bot/metrics.hpp"
#include "bot/net/net_runtime.hpp"
#include "bot/push_jobs.hpp"
#include "bot/scheduler.hpp"
#include "bot/service.hpp"
#include "core/db/migrate.hpp"

namespace yimei::bot {

namespace {

// The schema must be at the version this binary expects: `serve` never migrates by itself.
bool schema_ready(const Config& cfg) {
  db::ConnectionPool probe(cfg.db());
  auto conn = probe.acquire();
  const int have = db::schema_version(*conn);
  if (have == db::latest_schema_version()) return true;
  std::cerr << "数据库结构版本为 " << have << "，本程序需要 " << db::latest_schema_version()
            << "：请先运行 `yimei db init`。\n";
  spdlog::error("schema version {} but {} is required: run `yimei db init`", have,
                db::latest_schema_version());
  return false;
}

// Push targets on a platform without an adapter would wait in the outbox for ever: say so once.
void warn_unserved_targets(const std::vector<PushJob>& jobs,
                           const std::vector<std::string>& platforms) {
  for (const PushJob& job : jobs)
    for (const PushTarget& t : job.targets)
      if (std::find(platforms.begin(), platforms.end(), t.platform) == platforms.end())
        spdlog::warn("push job {}: target {} needs the {} adapter, which is not configured",
                     job.name, t.display(), t.platform);
}

int run_serve(CliContext& ctx, const CommonOptions& o) {
  const Config& cfg = ctx.config(o);
  std::optional<Date> fixed;
  if (!o.as_of.empty()) {
    auto d = ctx.as_of(o);
    if (!d) {
      std::cerr << d.error().message << "\n";
      return kExitUsage;
    }
    fixed = *d;
  }
  ServiceOptions options;
  try {
    net::parse_listen_address(cfg.get("YIMEI_LISTEN"), options.http);
  } catch (const std::invalid_argument& e) {
    std::cerr << "YIMEI_LISTEN: " << e.what() << "\n";
    return kExitUsage;
  }
  options.workers = static_cast<std::size_t>(cfg.get_int("YIMEI_WORKERS"));
  options.worker_queue = static_cast<std::size_t>(cfg.get_int("YIMEI_WORKER_QUEUE"));
  options.worker_nice = cfg.get_int("YIMEI_WORKER_NICE");
  options.intake_writers = static_cast<std::size_t>(cfg.get_int("YIMEI_INTAKE_WRITERS"));
  const std::vector<PushJob> jobs = load_push_jobs(cfg);  // ConfigErrors: exit 2
  if (!schema_ready(cfg)) return kExitDependency;

  App app(cfg, fixed);
  net::SignalWatch signals(app.net());  // from here on SIGTERM no longer kills the process
  Metrics metrics;
  Service service(app, metrics, ctx.platforms, options);
  // Slots are claimed in the database, so any number of instances may run the same jobs.
  Scheduler scheduler(app.pool(), jobs, scheduler_options(cfg));
  if (!jobs.empty()) service.add_periodic([&scheduler](auto now) { scheduler.run_due(now); });
  try {
    service.start();
  } catch (const std::runtime_error& e) {
    spdlog::error("cannot listen on {}: {}", cfg.get("YIMEI_LISTEN"), e.what());
    std::cerr << "无法监听 " << cfg.get("YIMEI_LISTEN") << "：" << e.what() << "\n";
    return kExitDependency;
  }
  std::string names;
  for (const auto& p : service.platforms()) names += (names.empty() ? "" : ", ") + p;
  spdlog::info("yimei serve listening on {}:{} (platforms: {}; push jobs: {})",
               options.http.address, service.port(), names.empty() ? "none" : names, jobs.size());
  warn_unserved_targets(jobs, service.platforms());
  const int sig = signals.wait();
  spdlog::info("signal {} received: stopping", sig);
  service.stop();
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<CommonOptions>();
  auto* serve = app.add_subcommand(
      "serve", "run the service: platform callbacks, REST API, console, scheduler");
  add_common_options(*serve, *opts);
  serve->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_serve(ctx, *opts); }; });
}

}  // namespace yimei::bot
