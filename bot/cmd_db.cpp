// `yimei db init` (create or upgrade the schema), `yimei db seed` (deterministic demo data) and
// `yimei db rebuild-summaries` (the trigger-kept analysis summaries, after a TRUNCATE or a bulk
// load that deferred them).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "bot/cli.hpp"
#include "bot/cli_context.hpp"
#include "core/analysis/analysis.hpp"
#include "core/db/migrate.hpp"
#include "core/db/pool.hpp"
#include "core/seed/demo_seed.hpp"

namespace yimei::bot {

namespace {

struct DbOptions {
  CommonOptions common;
  std::uint64_t seed = 2026;
  int customers = 3000;
  int years = 3;
  bool replace = false;
};

// The maintenance commands rebuild summaries over every record: on a clinic with a million
// records one statement runs for minutes, far past DB_READ_TIMEOUT (made for chat queries).
constexpr int kMaintenanceTimeoutSeconds = 3600;

db::DbConfig maintenance_db(const Config& cfg) {
  db::DbConfig d = cfg.db();
  d.read_timeout_s = std::max(d.read_timeout_s, kMaintenanceTimeoutSeconds);
  d.write_timeout_s = std::max(d.write_timeout_s, kMaintenanceTimeoutSeconds);
  return d;
}

int run_init(CliContext& ctx, const DbOptions& o) {
  const Config& cfg = ctx.config(o.common);
  db::Connection conn(maintenance_db(cfg));
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

int run_rebuild(CliContext& ctx, const DbOptions& o) {
  const Config& cfg = ctx.config(o.common);
  db::Connection conn(maintenance_db(cfg));
  if (db::schema_version(conn) != db::latest_schema_version()) {
    std::cerr << "数据库结构不是最新版本：请先运行 `yimei db init`（它会同时重建汇总）。\n";
    return kExitDependency;
  }
  const auto start = std::chrono::steady_clock::now();
  db::Transaction tx(conn);
  analysis::rebuild_summaries(conn);
  tx.commit();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  std::cout << "数据库 " << cfg.get("DB_NAME") << " 的分析汇总已重建，用时 " << ms << " ms\n";
  spdlog::info("db rebuild-summaries: {} ms", ms);
  return kExitOk;
}

int run_seed(CliContext& ctx, const DbOptions& o) {
  const Config& cfg = ctx.config(o.common);
  auto end = ctx.as_of(o.common);
  if (!end) {
    std::cerr << end.error().message << "\n";
    return kExitInvalidInput;
  }
  db::Connection conn(maintenance_db(cfg));
  db::migrate(conn);
  seed::SeedOptions so;
  so.seed = o.seed;
  so.customers = o.customers;
  so.years = o.years;
  so.end_date = *end;
  so.replace = o.replace;
  so.balance_validity_days = cfg.get_int("YIMEI_BALANCE_VALIDITY_DAYS");
  auto r = seed::seed_demo_data(conn, so);
  if (!r) {
    std::cerr << r.error().message << "\n";
    return kExitInvalidInput;
  }
  std::cout << "演示数据已生成（种子 " << o.seed << "，截至 " << format_date(*end) << "）：咨询师 "
            << r->consultants << "，品项 " << r->products << "，顾客 " << r->customers
            << "，消费记录 " << r->consumption_records << "，划扣记录 " << r->write_off_records
            << "，余额 " << r->balances << "，用时 " << static_cast<int>(r->seconds * 1000)
            << " ms\n";
  spdlog::info("db seed: {} customers, {} records in {:.2f} s", r->customers,
               r->consumption_records, r->seconds);
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

  auto* rebuild = db_cmd->add_subcommand(
      "rebuild-summaries", "rebuild the analysis summaries from the records (after TRUNCATE)");
  add_common_options(*rebuild, opts->common);
  rebuild->callback(
      [&ctx, opts] { ctx.action = [&ctx, opts] { return run_rebuild(ctx, *opts); }; });

  auto* seed = db_cmd->add_subcommand(
      "seed", "load deterministic demo data (ends at --as-of, default today)");
  add_common_options(*seed, opts->common);
  seed->add_option("--seed", opts->seed, "random seed (same seed, same data)");
  seed->add_option("--customers", opts->customers, "number of customers")
      ->check(CLI::Range(1, 5000000));
  seed->add_option("--years", opts->years, "years of history")->check(CLI::Range(1, 10));
  seed->add_flag("--replace", opts->replace, "delete the existing business data first");
  seed->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_seed(ctx, *opts); }; });
}

}  // namespace yimei::bot
