// `yimei serve`: the service. Checks the schema, builds the App and the configured platform
// adapters, listens on YIMEI_LISTEN until SIGTERM or SIGINT, then stops gracefully and exits 0.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "bot/app.hpp"
#include "bot/cli.hpp"
#include "bot/cli_context.hpp"
#include "bot/metrics.hpp"
#include "bot/net/net_runtime.hpp"
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
  if (!schema_ready(cfg)) return kExitDependency;

  App app(cfg, fixed);
  net::SignalWatch signals(app.net());  // from here on SIGTERM no longer kills the process
  Metrics metrics;
  Service service(app, metrics, ctx.platforms, options);
  try {
    service.start();
  } catch (const std::runtime_error& e) {
    spdlog::error("cannot listen on {}: {}", cfg.get("YIMEI_LISTEN"), e.what());
    std::cerr << "无法监听 " << cfg.get("YIMEI_LISTEN") << "：" << e.what() << "\n";
    return kExitDependency;
  }
  std::string names;
  for (const auto& p : service.platforms()) names += (names.empty() ? "" : ", ") + p;
  spdlog::info("yimei serve listening on {}:{} (platforms: {})", options.http.address,
               service.port(), names.empty() ? "none" : names);
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
