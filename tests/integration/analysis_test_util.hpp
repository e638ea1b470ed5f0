// Helpers shared by the analysis integration tests: run an analysis and fail the test on a
// UserError, find rows and breakdowns, read typed cells, and the small catalog (consultants and
// products) the hand-made datasets build on.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "core/analysis/analysis.hpp"
#include "tests/support/scratch_db.hpp"

namespace yimei::test {

// Two consultants and five products in two departments, for hand-made datasets.
inline const char* kAnalysisCatalogSql = R"sql(
INSERT INTO consultants (consultant_id, name, department) VALUES
  ('K1', '甲咨询', '皮肤科'), ('K2', '乙咨询', '注射科');
INSERT INTO medical_products (product_id, product_name, department, product_type, standard_price) VALUES
  ('P1', '水光针', '皮肤科', '单次', 1000.00),
  ('P2', '祛痘疗程卡', '皮肤科', '疗程卡', 5000.00),
  ('P3', '瘦脸针', '注射科', '单次', 2000.00),
  ('P4', '瘦脸针3次卡', '注射科', '疗程卡', 6000.00),
  ('P5', '洁牙', '口腔科', '单次', 300.00);
)sql";

inline Date d(const char* text) {
  auto v = parse_date(text);
  if (!v) throw std::invalid_argument(text);
  return *v;
}

inline analysis::AnalysisResult run_ok(ScratchDatabase& db, const std::string& name,
                                       analysis::AnalysisRequest req) {
  auto c = db.pool().acquire();
  auto out = analysis::run_analysis(*c, name, req);
  if (!out) {
    ADD_FAILURE() << name << ": " << out.error().message;
    return {};
  }
  return std::move(out.value());
}

inline analysis::AnalysisRequest request(const char* as_of,
                                         std::map<std::string, std::string> params = {}) {
  analysis::AnalysisRequest r;
  r.as_of = d(as_of);
  r.params = std::move(params);
  return r;
}

inline int col(const Table& t, const std::string& name) {
  const int i = t.column_index(name);
  if (i < 0) throw std::out_of_range("no column " + name);
  return i;
}

// A value as text: strings as they are, decimals exact, dates as YYYY-MM-DD, NULL as "NULL".
inline std::string value_text(const Value& v) {
  if (const auto* s = std::get_if<Text>(&v)) return *s;
  if (const auto* x = std::get_if<Decimal>(&v)) return x->to_string();
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* dt = std::get_if<Date>(&v)) return format_date(*dt);
  if (const auto* r = std::get_if<double>(&v)) return std::to_string(*r);
  return "NULL";
}

inline std::string text(const Table& t, std::size_t row, const std::string& name) {
  return value_text(t.rows.at(row).at(col(t, name)));
}

inline std::string cell(const Table& t, std::size_t row, std::size_t column) {
  return value_text(t.rows.at(row).at(column));
}

// An independent query on the shared fixture database.
inline Table fixture_sql(const std::string& q) {
  auto c = fixture_db().pool().acquire();
  return c->query(q);
}

inline std::string money(const Table& t, std::size_t row, const std::string& name) {
  return std::get<Decimal>(t.rows.at(row).at(col(t, name))).to_string();
}

inline std::int64_t integer(const Table& t, std::size_t row, const std::string& name) {
  return std::get<std::int64_t>(t.rows.at(row).at(col(t, name)));
}

inline std::optional<double> ratio(const Table& t, std::size_t row, const std::string& name) {
  const Value& v = t.rows.at(row).at(col(t, name));
  if (is_null(v)) return std::nullopt;
  return std::get<double>(v);
}

// Index of the row whose `column` reads `value` (as text); throws when absent.
inline std::size_t row_of(const Table& t, const std::string& column, const std::string& value) {
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    if (text(t, i, column) == value) return i;
  throw std::out_of_range("no row with " + column + " = " + value);
}

// A breakdown table by name, or a row subset of the main table made into one.
inline Table breakdown(const analysis::AnalysisResult& r, const std::string& name) {
  for (const auto& [n, t] : r.breakdowns)
    if (n == name) return t;
  for (const auto& subset : r.row_subsets)
    if (subset.name == name) return analysis::subset_table(r.table, subset);
  throw std::out_of_range("no breakdown " + name);
}

inline const Value& summary(const analysis::AnalysisResult& r, const std::string& key) {
  for (const auto& s : r.summary)
    if (s.key == key) return s.value;
  throw std::out_of_range("no summary item " + key);
}

inline std::string summary_text(const analysis::AnalysisResult& r, const std::string& key) {
  const Value& v = summary(r, key);
  if (const auto* x = std::get_if<Decimal>(&v)) return x->to_string();
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* s = std::get_if<Text>(&v)) return *s;
  if (is_null(v)) return "NULL";
  return "?";
}

inline std::optional<double> summary_ratio(const analysis::AnalysisResult& r,
                                           const std::string& key) {
  const Value& v = summary(r, key);
  if (is_null(v)) return std::nullopt;
  return std::get<double>(v);
}

// The values of one column, as text, in row order.
inline std::vector<std::string> column_texts(const Table& t, const std::string& name) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i) out.push_back(text(t, i, name));
  return out;
}

// A table as text: each column's name, label, type, unit and phone flag, then every cell.
inline std::string table_dump(const Table& t) {
  std::string out;
  for (const Column& c : t.columns)
    out += c.name + "|" + c.label + "|" + std::to_string(static_cast<int>(c.type)) + "|" +
           std::to_string(static_cast<int>(c.unit)) + (c.is_phone ? "|phone" : "") + "\t";
  out += t.truncated ? "truncated\n" : "\n";
  for (const Row& row : t.rows) {
    for (const Value& v : row) out += std::to_string(v.index()) + ":" + value_text(v) + "\t";
    out += "\n";
  }
  return out;
}

// Everything of a result that a renderer could show, as text: for comparing two runs exactly.
inline std::string result_dump(const analysis::AnalysisResult& r) {
  std::string out = r.name + "\n" + r.title_zh + "\n" + r.narrative_zh + "\n";
  for (const auto& [k, v] : r.params) out += k + "=" + v + "\n";
  const auto items = [&](const std::vector<analysis::SummaryItem>& list) {
    for (const auto& s : list)
      out += s.key + "|" + s.label_zh + "|" + std::to_string(static_cast<int>(s.unit)) + "|" +
             value_text(s.value) + "\n";
  };
  items(r.summary);
  out += table_dump(r.table);
  for (const auto& [name, t] : r.breakdowns) out += "== " + name + "\n" + table_dump(t);
  for (const auto& subset : r.row_subsets)
    out += "== " + subset.name + "\n" + table_dump(analysis::subset_table(r.table, subset));
  for (const auto& o : r.opportunities) {
    out += "## " + std::to_string(o.rank) + " " + o.key + " " + o.title_zh + " " +
           o.opportunity_amount.to_string() + " " + std::to_string(o.score) + " " + o.priority_zh +
           " " + o.target_kind_zh + "\n" + o.formula_zh + "\n";
    items(o.evidence);
    for (const auto& a : o.actions_zh) out += a + "\n";
    out += table_dump(o.targets);
  }
  return out;
}

}  // namespace yimei::test
