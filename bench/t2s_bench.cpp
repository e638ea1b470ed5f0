// The rules path of Text2SQL (normalize, lex, parse, compile; no database) over the 40 public
// example questions, with the catalog of clinic-a-small built from in-memory lists (read from
// the fixture file once, before timing). Reports per-question latency percentiles.
#include <benchmark/benchmark.h>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/text2sql/rules_engine.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

const std::filesystem::path kFixtures =
    std::filesystem::path(__FILE__).parent_path().parent_path() / "tests" / "fixtures";

std::vector<std::string> questions() {
  std::vector<std::string> out;
  std::ifstream in(kFixtures / "text2sql-examples.jsonl");
  std::string line;
  while (std::getline(in, line))
    if (!line.empty())
      out.emplace_back(boost::json::parse(line).as_object().at("question").as_string());
  return out;
}

// The quoted fields of each "(...)" tuple after `INSERT INTO `table``.
std::vector<std::vector<std::string>> rows_of(const std::string& sql, const std::string& table) {
  std::vector<std::vector<std::string>> rows;
  std::size_t at = sql.find("INSERT INTO `" + table + "`");
  while (at != std::string::npos) {
    std::size_t end = sql.find(";\n", at);
    std::size_t p = sql.find("VALUES", at);
    while (p < end) {
      p = sql.find('(', p);
      if (p == std::string::npos || p > end) break;
      std::vector<std::string> row;
      std::size_t q = p + 1;
      while (q < end && sql[q] != ')') {
        if (sql[q] == '\'') {
          std::size_t close = sql.find('\'', q + 1);
          row.push_back(sql.substr(q + 1, close - q - 1));
          q = close + 1;
        } else {
          std::size_t comma = sql.find_first_of(",)", q);
          row.push_back(sql.substr(q, comma - q));
          q = comma;
        }
        if (sql[q] == ',') ++q;
      }
      rows.push_back(std::move(row));
      p = q + 1;
    }
    at = sql.find("INSERT INTO `" + table + "`", end);
  }
  return rows;
}

CatalogLists catalog_lists() {
  std::string sql;
  const std::string cmd = "gzip -dc '" + (kFixtures / "clinic-a-small.sql.gz").string() + "'";
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) sql.append(buf, n);
    pclose(p);
  }
  CatalogLists l;
  for (const auto& r : rows_of(sql, "consultants")) l.consultants.push_back({r[0], r[1], r[2]});
  for (const auto& r : rows_of(sql, "medical_products"))
    l.products.push_back({r[0], r[1], r[2], r[3]});
  for (const auto& r : rows_of(sql, "customers")) l.customers.push_back({r[0], r[1]});
  l.membership_levels = {"普通", "银卡", "金卡", "钻石"};
  l.payment_methods = {"现金", "微信", "支付宝", "银行卡", "储值卡"};
  l.health_tags = {"敏感肌", "过敏史", "痘痘肌", "孕期", "哺乳期"};
  return l;
}

std::shared_ptr<const EntitySnapshot> catalog() {
  return EntityIndex::from_lists(catalog_lists());
}

void BM_RulesPath(benchmark::State& state) {
  static const auto qs = questions();
  static const auto snap = catalog();
  const RulesEngine engine;
  const Date as_of = *parse_date("2026-06-30");
  std::vector<double> us;
  std::size_t compiled = 0;
  for (auto _ : state) {
    for (const auto& q : qs) {
      const auto t0 = std::chrono::steady_clock::now();
      RulesResult r = engine.understand(q, as_of, *snap);
      const auto t1 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(r);
      if (r.compiled) ++compiled;
      us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
  }
  std::sort(us.begin(), us.end());
  auto pct = [&](double p) { return us[static_cast<std::size_t>(p * (us.size() - 1))]; };
  state.counters["questions"] = static_cast<double>(qs.size());
  state.counters["customers"] = static_cast<double>(snap->lists().customers.size());
  state.counters["compiled"] =
      static_cast<double>(compiled) / static_cast<double>(state.iterations());
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
  state.counters["max_us"] = us.back();
}
BENCHMARK(BM_RulesPath)->Unit(benchmark::kMillisecond);

// Rebuilding the catalog's lexicon after a change (3000 customers, 39 products, 16 consultants).
void BM_BuildSnapshot(benchmark::State& state) {
  static const CatalogLists lists = catalog_lists();
  for (auto _ : state) benchmark::DoNotOptimize(EntityIndex::from_lists(lists));
}
BENCHMARK(BM_BuildSnapshot)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
