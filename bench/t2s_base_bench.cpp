// The base of the Text2SQL rules path on the 40 example questions: normalize_question,
// parse_time_expressions, both together (with per-question p50/p99/max latencies as counters),
// and guard_sql on the examples' gold SQL (with and without consultant scope).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/text2sql/normalize.hpp"
#include "core/text2sql/sql_guard.hpp"
#include "core/text2sql/time_expr.hpp"

namespace {

using namespace yimei;
using namespace yimei::text2sql;

// The string value of "key" on one JSONL line (the fixture holds plain UTF-8 strings).
std::string field(const std::string& line, const std::string& key) {
  const std::string open = "\"" + key + "\": \"";
  std::size_t p = line.find(open);
  if (p == std::string::npos) return {};
  std::string out;
  for (p += open.size(); p < line.size() && line[p] != '"'; ++p) {
    if (line[p] == '\\' && p + 1 < line.size()) ++p;
    out += line[p];
  }
  return out;
}

struct Examples {
  std::vector<std::string> questions;
  std::vector<std::string> normalized;
  std::vector<std::string> gold;
};

const Examples& examples() {
  static const Examples e = [] {
    const auto path = std::filesystem::path(__FILE__).parent_path().parent_path() / "tests" /
                      "fixtures" / "text2sql-examples.jsonl";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    Examples x;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      x.questions.push_back(field(line, "question"));
      x.gold.push_back(field(line, "gold_sql"));
      x.normalized.push_back(normalize_question(x.questions.back()));
    }
    return x;
  }();
  return e;
}

const Date kAsOf = *parse_date("2026-06-30");

void BM_Normalize(benchmark::State& state) {
  const auto& q = examples().questions;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(normalize_question(q[i]));
    i = (i + 1) % q.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Normalize);

void BM_ParseTime(benchmark::State& state) {
  const auto& n = examples().normalized;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(parse_time_expressions(n[i], kAsOf));
    i = (i + 1) % n.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseTime);

// One iteration = the 40 questions, each timed on its own; counters give the per-question
// latency distribution of normalize + parse_time_expressions.
void BM_NormalizeAndParseTime(benchmark::State& state) {
  const auto& q = examples().questions;
  std::vector<double> micros;
  for (auto _ : state) {
    for (const std::string& question : q) {
      const auto t0 = std::chrono::steady_clock::now();
      TimeParse t = parse_time_expressions(normalize_question(question), kAsOf);
      benchmark::DoNotOptimize(t);
      const auto t1 = std::chrono::steady_clock::now();
      micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
  }
  std::sort(micros.begin(), micros.end());
  auto pct = [&](double p) {
    return micros[std::min(micros.size() - 1, static_cast<std::size_t>(p * micros.size()))];
  };
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
  state.counters["max_us"] = micros.back();
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(q.size()));
}
BENCHMARK(BM_NormalizeAndParseTime)->Unit(benchmark::kMicrosecond);

void BM_GuardGoldSql(benchmark::State& state) {
  const auto& g = examples().gold;
  GuardOptions options;
  if (state.range(0)) options.consultant_scope = "S001";
  std::size_t i = 0;
  for (auto _ : state) {
    auto out = guard_sql(g[i], options);
    if (!out) state.SkipWithError("a gold query was refused");
    benchmark::DoNotOptimize(out);
    i = (i + 1) % g.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GuardGoldSql)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
