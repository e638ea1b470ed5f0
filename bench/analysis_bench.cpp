// Wall time of every analysis of docs/spec/analyses.md (growth-points included) on a real
// database. Targets: each analysis < 300 ms, growth-points < 2 s on a 1,000,000-record seed.
//
// The database comes from the DB_* variables (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD); the
// database NAME from YIMEI_BENCH_DB (e.g. a database holding tests/fixtures/clinic-a-small or
// `yimei db seed` output), falling back to DB_NAME. YIMEI_BENCH_AS_OF sets the reference date
// (default 2026-06-30: the fixture's, and the last day of scripts/bench.sh's seed). Example:
//   eval "$(scripts/db.sh env)"; YIMEI_BENCH_DB=medical_cosmetics_bench
//   build/x/bench/analysis_bench
// Times are real (wall) time: the work happens in the database server, not in this process.
// The CPU column is this process's CPU (reading and shaping the rows); with YIMEI_BENCH_SERVER_PID
// naming the MariaDB server's pid (same machine), server_cpu_ms adds the server's CPU time per run:
// together the cost an idle machine would see as wall time, whatever the load.
// baseline/sum-of-all-consumption (one pass over consumption_records) is the machine's yardstick.
// YIMEI_BENCH_DEBUG=1 logs each growth detector's time.
// The "/as_of-30d" runs take a reference date a month before the last records: customers with
// records after as_of are then recomputed from the records instead of the facts tables.
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include <unistd.h>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
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

// CPU seconds (user + system) the MariaDB server has used so far, from /proc/PID/stat; 0 when
// YIMEI_BENCH_SERVER_PID is unset or unreadable.
double server_cpu_seconds() {
  static const std::string pid = env_or("YIMEI_BENCH_SERVER_PID", "");
  if (pid.empty()) return 0;
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i)
    if (i == 14 || i == 15) ticks += std::stod(f);  // utime, stime
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Adds the server's CPU time per iteration as a counter.
class ServerCpu {
 public:
  ServerCpu() : start_(server_cpu_seconds()) {}
  void report(benchmark::State& state) const {
    if (env_or("YIMEI_BENCH_SERVER_PID", "").empty() || state.iterations() == 0) return;
    state.counters["server_cpu_ms"] =
        1000.0 * (server_cpu_seconds() - start_) / static_cast<double>(state.iterations());
  }

 private:
  double start_;
};

Date bench_as_of(int days_back) {
  return add_days(*parse_date(env_or("YIMEI_BENCH_AS_OF", "2026-06-30")), -days_back);
}

void run_one(benchmark::State& state, const std::string& name,
             std::map<std::string, std::string> params, int days_back) {
  analysis::AnalysisRequest req;
  req.as_of = bench_as_of(days_back);
  req.params = std::move(params);
  std::size_t rows = 0;
  const ServerCpu cpu;
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
  cpu.report(state);
}

// A yardstick for the machine: one pass over every consumption record.
void full_scan(benchmark::State& state) {
  const ServerCpu cpu;
  for (auto _ : state) {
    Table t = connection().query("SELECT SUM(amount) FROM consumption_records");
    benchmark::DoNotOptimize(t);
  }
  cpu.report(state);
}

void add(const std::string& label, const std::string& name,
         std::map<std::string, std::string> params = {}, int days_back = 0) {
  benchmark::RegisterBenchmark(label.c_str(), run_one, name, std::move(params), days_back)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->MinTime(2.0);
}

}  // namespace

int main(int argc, char** argv) {
  // YIMEI_BENCH_DEBUG=1 logs the analyses' own timings (growth-points per detector).
  if (!env_or("YIMEI_BENCH_DEBUG", "").empty()) spdlog::set_level(spdlog::level::debug);
  const db::DbConfig cfg = bench_db_config();
  std::cerr << "analysis_bench: database " << cfg.database << " on " << cfg.host << ":" << cfg.port
            << "\n";
  for (const auto& a : analysis::catalog()) add(a.name, a.name);
  add("growth-points/detail=1", "growth-points", {{"detail", "1"}});
  for (const char* name : {"inactive-customers", "new-customer-repurchase", "growth-points"})
    add(std::string(name) + "/as_of-30d", name, {}, 30);
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
