// `yimei db init` (create or upgrade the schema) and `yimei db seed` (deterministic demo data).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "bot/cli.hpp"
#include "bot/cli_context.hpp"
#include "core/db/migrate.hpp"
#include "core/db/pool.hpp"

namespace yimei::bot {

namespace {

struct DbOptions {
  CommonOptions common;
};

int run_init(CliContext& ctx, const DbOptions& o) {
  const Config& cfg = ctx.config(o.common);
  db::Connection conn(cfg.db());
  const db::MigrationReport r = db::migrate(conn);
  if (r.applied.empty()) {
    std::cout << "数据库 " << cfg.get("DB_NAME") << " 已是最新架构（版本 " << r.to_version
              << "）\n";
  } else {
    std::cout << "数据库 " << cfg.get("DB_NAME") << " 架构已从版本 " << r.from_version << " 升级到 "
              << r.to_version << "\n";
  }
  spdlog::info("db init: schema version {} -> {}", r.from_version, r.to_version);
  return kExitOk;
}

}  // namespace

void add_db_commands(CLI::App& app, CliContext& ctx) {
  auto* db_cmd = app.add_subcommand("db", "create, upgrade or seed the database");
  db_cmd->require_subcommand(1);

  auto opts = std::make_shared<DbOptions>();
  auto* init = db_cmd->add_subcommand("init", "create or upgrade the schema (idempotent)");
  add_common_options(*init, opts->common);
  init->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_init(ctx, *opts); }; });
}

}  // namespace yimei::bot
