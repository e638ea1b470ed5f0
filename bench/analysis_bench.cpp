// Wall time of every analysis of docs/spec/analyses.md (growth-points included) on a real
// database. Targets: each analysis < 300 ms, growth-points < 2 s on a 1,000,000-record seed.
//
// The database comes from the DB_* variables (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD); the
// database NAME from YIMEI_BENCH_DB (e.g. a database holding tests/fixtures/clinic-a-small or
// `yimei db seed` output), falling back to DB_NAME. YIMEI_BENCH_AS_OF sets the reference date
// (default 2026-06-30, the fixture's). Example:
//   eval "$(scripts/db.sh env)"; YIMEI_BENCH_DB=medical_cosmetics_bench
//   build/x/bench/analysis_bench
// Times are real (wall) time: the work happens in the database server, not in this process.
// baseline/sum-of-all-consumption (one pass over consumption_records) is the machine's yardstick.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "core/analysis/analysis.hpp"
#include "core/db/connection.hpp"

namespace {

using namespace yimei;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

db::DbConfig bench_db_config() {
  db::DbConfig c;
  c.host = env_or("DB_HOST", "127.0.0.1");
  c.port = std::stoi(env_or("DB_PORT", "3306"));
  c.user = env_or("DB_USER", "root");
  c.password = env_or("DB_PASSWORD", "");
  c.database = env_or("YIMEI_BENCH_DB", env_or("DB_NAME", "medical_cosmetics"));
  c.read_timeout_s = 600;
  return c;
}

db::Connection& connection() {
  static std::unique_ptr<db::Connection> conn = [] {
    db::init_driver();
    return std::make_unique<db::Connection>(bench_db_config());
  }();
  return *conn;
}

void run_one(benchmark::State& state, const std::string& name,
             std::map<std::string, std::string> params) {
  analysis::AnalysisRequest req;
  req.as_of = *parse_date(env_or("YIMEI_BENCH_AS_OF", "2026-06-30"));
  req.params = std::move(params);
  std::size_t rows = 0;
  for (auto _ : state) {
    auto r = analysis::run_analysis(connection(), name, req);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    rows = r->table.rows.size();
    benchmark::DoNotOptimize(rows);
  }
  state.counters["rows"] = static_cast<double>(rows);
}

// A yardstick for the machine: one pass over every consumption record.
void full_scan(benchmark::State& state) {
  for (auto _ : state) {
    Table t = connection().query("SELECT SUM(amount) FROM consumption_records");
    benchmark::DoNotOptimize(t);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const db::DbConfig cfg = bench_db_config();
  std::cerr << "analysis_bench: database " << cfg.database << " on " << cfg.host << ":" << cfg.port
            << "\n";
  for (const auto& a : analysis::catalog()) {
    benchmark::RegisterBenchmark(a.name.c_str(), run_one, a.name,
                                 std::map<std::string, std::string>{})
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MinTime(2.0);
  }
  benchmark::RegisterBenchmark("growth-points/detail=1", run_one, std::string("growth-points"),
                               std::map<std::string, std::string>{{"detail", "1"}})
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->MinTime(2.0);
  benchmark::RegisterBenchmark("baseline/sum-of-all-consumption", full_scan)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->MinTime(2.0);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
