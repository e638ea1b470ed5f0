// The default chart of an analysis result: its ChartSuggestion turned into a render::ChartSpec
// (categories from the label column, one series per value column, values as doubles for
// drawing only).
#include <string>

#include "core/analysis/analyses.hpp"

namespace yimei::analysis {
namespace {

constexpr std::size_t kMaxCategories = 30;

std::string category_text(const Value& v) {
  if (const auto* s = std::get_if<Text>(&v)) return s->empty() ? "未分配" : s->str();
  if (const auto* d = std::get_if<Date>(&v)) return format_date(*d);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* x = std::get_if<Decimal>(&v)) return x->to_string();
  return "未分配";
}

double number(const Value& v) {
  if (const auto* d = std::get_if<Decimal>(&v)) return d->to_double();
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* x = std::get_if<double>(&v)) return *x;
  return 0;
}

}  // namespace

std::optional<render::ChartSpec> default_chart(const AnalysisResult& r) {
  if (!r.chart) return std::nullopt;
  const ChartSuggestion& c = *r.chart;
  const Table& t = c.table ? *c.table : r.table;
  const int label = t.column_index(c.label_column);
  if (label < 0 || t.rows.empty()) return std::nullopt;

  render::ChartSpec spec;
  spec.kind = c.kind;
  spec.title = c.title;
  spec.unit = c.unit;
  spec.x_label = t.columns[label].display();
  if (r.from && r.to)
    spec.subtitle = format_date(*r.from) + " 至 " + format_date(*r.to);
  else
    spec.subtitle = "截至 " + format_date(r.as_of);
  const std::size_t n = std::min(t.rows.size(), kMaxCategories);
  for (std::size_t i = 0; i < n; ++i) spec.categories.push_back(category_text(t.rows[i][label]));
  for (const auto& name : c.value_columns) {
    const int col = t.column_index(name);
    if (col < 0) continue;
    render::Series s;
    s.name = t.columns[col].display();
    for (std::size_t i = 0; i < n; ++i) s.values.push_back(number(t.rows[i][col]));
    spec.series.push_back(std::move(s));
  }
  if (spec.series.empty()) return std::nullopt;
  if (spec.series.size() == 1) spec.y_label = spec.series.front().name;
  return spec;
}

}  // namespace yimei::analysis
