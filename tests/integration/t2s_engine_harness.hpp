// Test support for the Text2SQL example sets: reading the JSONL files and comparing result sets
// the way the acceptance checks do (multiset of rows, numbers normalized to 2 decimals, order
// only when the example says it matters).
#pragma once

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/table.hpp"

namespace yimei::test {

struct T2sExample {
  std::string id;
  std::string question;
  std::string gold_sql;
  std::vector<std::string> alt_gold_sql;
  bool order_matters = false;
  std::string category;
};

inline std::vector<T2sExample> load_t2s_examples(const std::string& path) {
  std::vector<T2sExample> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto v = boost::json::parse(line).as_object();
    T2sExample e;
    e.id = std::string(v.at("id").as_string());
    e.question = std::string(v.at("question").as_string());
    e.gold_sql = std::string(v.at("gold_sql").as_string());
    if (const auto* alt = v.if_contains("alt_gold_sql"))
      for (const auto& a : alt->as_array()) e.alt_gold_sql.emplace_back(a.as_string());
    if (const auto* om = v.if_contains("order_matters")) e.order_matters = om->as_bool();
    e.category = std::string(v.at("category").as_string());
    out.push_back(std::move(e));
  }
  return out;
}

// One value as comparable text: numbers of any type rounded to 2 decimals.
inline std::string canonical_value(const Value& v) {
  char buf[64];
  if (std::holds_alternative<Null>(v)) return "NULL";
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    std::snprintf(buf, sizeof buf, "%lld.00", static_cast<long long>(*i));
    return buf;
  }
  if (const auto* d = std::get_if<Decimal>(&v)) return d->rounded(2).to_string();
  if (const auto* x = std::get_if<double>(&v)) {
    std::snprintf(buf, sizeof buf, "%.2f", std::round(*x * 100.0) / 100.0);
    std::string s = buf;
    return s == "-0.00" ? "0.00" : s;
  }
  if (const auto* dt = std::get_if<Date>(&v)) return format_date(*dt);
  const std::string& s = std::get<Text>(v);
  // Numbers that arrive as text (e.g. from CONCAT) stay text; a numeric string is normalized.
  if (auto d = Decimal::parse(s)) return d->rounded(2).to_string();
  return s;
}

inline std::vector<std::string> canonical_rows(const Table& t) {
  std::vector<std::string> rows;
  for (const Row& r : t.rows) {
    std::string s;
    for (const Value& v : r) s += canonical_value(v) + "\x1f";
    rows.push_back(s);
  }
  return rows;
}

inline bool same_result(const Table& mine, const Table& gold, bool order_matters) {
  if (mine.columns.size() != gold.columns.size()) return false;
  auto a = canonical_rows(mine);
  auto b = canonical_rows(gold);
  if (!order_matters) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
  }
  return a == b;
}

inline std::string preview(const Table& t, std::size_t n = 5) {
  std::ostringstream os;
  os << t.rows.size() << " rows [";
  for (std::size_t i = 0; i < t.rows.size() && i < n; ++i) {
    os << (i ? " | " : "");
    for (std::size_t j = 0; j < t.rows[i].size(); ++j)
      os << (j ? "," : "") << canonical_value(t.rows[i][j]);
  }
  os << "]";
  return os.str();
}

}  // namespace yimei::test
