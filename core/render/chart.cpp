// render_chart dispatches on the chart kind; chart_from_table turns a result table into a
// ChartSpec (numbers become doubles here, for geometry only).
#include "core/render/chart.hpp"

#include <cmath>
#include <limits>

#include "core/render/chart_parts.hpp"
#include "core/render/column_traits.hpp"
#include "core/render/table_render.hpp"

namespace yimei::render {
namespace {

double to_number(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<Decimal>(&v)) return d->to_double();
  if (const auto* r = std::get_if<double>(&v)) return *r;
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

ChartImage render_chart(const ChartSpec& spec) {
  switch (spec.kind) {
    case ChartKind::Bar:
    case ChartKind::GroupedBar:
      return render_bar_chart(spec);
    case ChartKind::Line:
      return render_line_chart(spec);
    case ChartKind::Donut:
      return render_donut_chart(spec);
    case ChartKind::TableImage:
      return render_table_image(spec);
  }
  return render_no_data(spec);
}

ChartSpec chart_from_table(const Table& t, ChartKind kind, const std::string& title,
                           const std::string& label_col,
                           const std::vector<std::string>& value_cols) {
  ChartSpec spec;
  spec.kind = kind;
  spec.title = title;
  spec.table = t;
  const int label = t.column_index(label_col);
  std::vector<int> values;
  for (const auto& name : value_cols) {
    const int j = t.column_index(name);
    if (j >= 0 && is_numeric(t.columns[j])) values.push_back(j);
  }
  if (value_cols.empty())  // every numeric column but the label
    for (std::size_t j = 0; j < t.columns.size(); ++j)
      if (static_cast<int>(j) != label && is_numeric(t.columns[j]))
        values.push_back(static_cast<int>(j));
  if (label >= 0) spec.x_label = t.columns[label].display();
  if (!values.empty()) {
    spec.unit = t.columns[values.front()].unit;
    spec.y_label = t.columns[values.front()].display();
  }
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const Row& row = t.rows[r];
    spec.categories.push_back(label >= 0 && static_cast<std::size_t>(label) < row.size()
                                  ? format_value(row[label], t.columns[label], false)
                                  : std::to_string(r + 1));
  }
  for (int j : values) {
    Series s{t.columns[j].display(), {}};
    for (const Row& row : t.rows)
      s.values.push_back(static_cast<std::size_t>(j) < row.size()
                             ? to_number(row[j])
                             : std::numeric_limits<double>::quiet_NaN());
    spec.series.push_back(std::move(s));
  }
  return spec;
}

}  // namespace yimei::render
