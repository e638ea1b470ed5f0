// The chart builders of the presentation rules (see present_parts.hpp): line (with one line per
// category), bar (top N + 其他), grouped bar, pivot and donut specs. Doubles for geometry only.
#include <algorithm>
#include <cmath>
#include <map>

#include "core/present/present_parts.hpp"
#include "core/render/column_traits.hpp"
#include "core/render/table_render.hpp"

namespace yimei::present::detail {

namespace {

render::ChartSpec base_chart(const PresentInput& in, render::ChartKind kind, const Table& t,
                             const Shape& s) {
  render::ChartSpec c;
  c.kind = kind;
  c.title = in.title;
  c.subtitle = in.subtitle;
  c.show_phone = in.show_phone;
  if (!s.labels.empty()) {
    std::string x;
    for (std::size_t j : s.labels) x += (x.empty() ? "" : " / ") + t.columns[j].display();
    c.x_label = x;
  }
  if (!s.numbers.empty()) {
    c.unit = t.columns[s.numbers.front()].unit;
    if (render::is_money(t.columns[s.numbers.front()])) c.unit = ColumnUnit::Yuan;
    c.y_label = t.columns[s.numbers.front()].display();
  }
  return c;
}

}  // namespace

// The numeric columns drawn together: the first and those with its unit (at most `max`).
std::vector<std::size_t> same_unit_numbers(const Table& t, const Shape& s, std::size_t max) {
  std::vector<std::size_t> out;
  if (s.numbers.empty()) return out;
  const Column& first = t.columns[s.numbers.front()];
  for (std::size_t j : s.numbers) {
    const Column& c = t.columns[j];
    const bool same = c.unit == first.unit && render::is_money(c) == render::is_money(first);
    if (same && out.size() < max) out.push_back(j);
  }
  return out;
}

render::ChartSpec line_chart(const PresentInput& in, const Table& t, const Shape& s,
                             std::vector<std::string>& notes) {
  render::ChartSpec c = base_chart(in, render::ChartKind::Line, t, s);
  const auto time = static_cast<std::size_t>(s.time >= 0 ? s.time : s.labels.front());
  c.x_label = t.columns[time].display();
  // Rows in time order (the query's order otherwise).
  std::vector<const Row*> rows;
  for (const Row& r : t.rows) rows.push_back(&r);
  if (s.time >= 0)
    std::stable_sort(rows.begin(), rows.end(), [&](const Row* a, const Row* b) {
      return render::format_value((*a)[time], t.columns[time], false) <
             render::format_value((*b)[time], t.columns[time], false);
    });
  std::vector<std::size_t> others;
  for (std::size_t j : s.labels)
    if (j != time) others.push_back(j);
  if (others.size() == 1 && s.numbers.size() == 1) {
    // time x category: one line per category (the largest totals; the rest as 其他 when the
    // measure adds up).
    const std::size_t cat = others.front(), val = s.numbers.front();
    const bool add = additive(t, val, 0, in.spec, 1);
    std::vector<std::string> times, cats;  // in order of appearance
    std::map<std::string, double> totals;
    std::map<std::pair<std::string, std::string>, double> cell;
    for (const Row* r : rows) {
      const std::string tx = cell_text((*r)[time], t.columns[time], false);
      const std::string cx = cell_text((*r)[cat], t.columns[cat], in.show_phone);
      if (std::find(times.begin(), times.end(), tx) == times.end()) times.push_back(tx);
      if (std::find(cats.begin(), cats.end(), cx) == cats.end()) cats.push_back(cx);
      const double v = number_of((*r)[val]);
      if (std::isnan(v)) continue;
      totals[cx] += std::abs(v);
      cell[{tx, cx}] += v;
    }
    std::stable_sort(cats.begin(), cats.end(),
                     [&](const auto& a, const auto& b) { return totals[a] > totals[b]; });
    const bool fold = cats.size() > kMaxLineSeries && add;
    const std::size_t keep = fold ? kMaxLineSeries - 1 : std::min(cats.size(), kMaxLineSeries);
    c.categories = times;
    for (std::size_t k = 0; k < keep; ++k) {
      render::Series series{cats[k], {}};
      for (const auto& tx : times) {
        auto it = cell.find({tx, cats[k]});
        series.values.push_back(it != cell.end() ? it->second : (add ? 0.0 : kNaN));
      }
      c.series.push_back(std::move(series));
    }
    if (fold) {
      render::Series rest{"其他", std::vector<double>(times.size(), 0.0)};
      for (std::size_t k = keep; k < cats.size(); ++k)
        for (std::size_t i = 0; i < times.size(); ++i)
          if (auto it = cell.find({times[i], cats[k]}); it != cell.end())
            rest.values[i] += it->second;
      c.series.push_back(std::move(rest));
      notes.push_back("线条太多：只画出合计最大的 " + std::to_string(keep) +
                      " 项，其余合并为“其他”。");
    } else if (cats.size() > keep) {
      notes.push_back("线条太多：只画出合计最大的 " + std::to_string(keep) + " 项。");
    }
    c.y_label = t.columns[val].display();
    c.x_label = t.columns[time].display();
    return c;
  }
  for (const Row* r : rows) {
    std::string label = cell_text((*r)[time], t.columns[time], false);
    for (std::size_t j : others) label += " / " + cell_text((*r)[j], t.columns[j], in.show_phone);
    c.categories.push_back(label);
  }
  for (std::size_t j : same_unit_numbers(t, s, kMaxLineSeries)) {
    render::Series series{t.columns[j].display(), {}};
    for (const Row* r : rows) series.values.push_back(number_of((*r)[j]));
    c.series.push_back(std::move(series));
  }
  return c;
}

// Bars of the first measure, largest first (or in the table's order when the user sorted),
// top N and 其他 when the measure adds up.
render::ChartSpec bar_chart(const PresentInput& in, const Table& t, const Shape& s,
                            const PresentOptions& o, bool keep_order,
                            std::vector<std::string>& notes) {
  // The measure the user sorted by, else the first.
  std::size_t val = s.numbers.front();
  if (in.steering.sort) {
    const int j = sort_column(t, s, in.steering.sort_word);
    if (j >= 0 && std::find(s.numbers.begin(), s.numbers.end(), static_cast<std::size_t>(j)) !=
                      s.numbers.end())
      val = static_cast<std::size_t>(j);
  }
  Shape one = s;
  one.numbers = {val};
  render::ChartSpec c = base_chart(in, render::ChartKind::Bar, t, one);
  std::vector<const Row*> rows;
  for (const Row& r : t.rows) rows.push_back(&r);
  if (!keep_order)
    std::stable_sort(rows.begin(), rows.end(), [&](const Row* a, const Row* b) {
      const double x = number_of((*a)[val]), y = number_of((*b)[val]);
      if (std::isnan(x) != std::isnan(y)) return std::isnan(y);
      return x > y;
    });
  const auto k = static_cast<std::size_t>(std::find(s.numbers.begin(), s.numbers.end(), val) -
                                          s.numbers.begin());
  const bool add = additive(t, val, k, in.spec, s.numbers.size());
  const bool fold = rows.size() > o.top_n && add;
  const std::size_t keep = rows.size() > o.top_n ? o.top_n : rows.size();
  render::Series series{t.columns[val].display(), {}};
  for (std::size_t i = 0; i < keep; ++i) {
    c.categories.push_back(label_text(*rows[i], t, s.labels, in.show_phone));
    series.values.push_back(number_of((*rows[i])[val]));
  }
  if (fold) {
    double rest = 0;
    for (std::size_t i = keep; i < rows.size(); ++i)
      if (const double v = number_of((*rows[i])[val]); !std::isnan(v)) rest += v;
    c.categories.push_back("其他（" + std::to_string(rows.size() - keep) + "项）");
    series.values.push_back(rest);
  } else if (rows.size() > keep) {
    notes.push_back("图中只画出前 " + std::to_string(keep) + " 项（共 " +
                    std::to_string(rows.size()) + " 项）。");
  }
  c.series.push_back(std::move(series));
  return c;
}

render::ChartSpec grouped_chart(const PresentInput& in, const Table& t, const Shape& s,
                                const std::vector<std::size_t>& values,
                                std::vector<std::string>& notes) {
  render::ChartSpec c = base_chart(in, render::ChartKind::GroupedBar, t, s);
  const std::size_t n = std::min(t.rows.size(), kMaxGroupedCategories);
  for (std::size_t i = 0; i < n; ++i)
    c.categories.push_back(label_text(t.rows[i], t, s.labels, in.show_phone));
  for (std::size_t j : values) {
    render::Series series{t.columns[j].display(), {}};
    for (std::size_t i = 0; i < n; ++i) series.values.push_back(number_of(t.rows[i][j]));
    c.series.push_back(std::move(series));
  }
  if (t.rows.size() > n)
    notes.push_back("图中只画出前 " + std::to_string(n) + " 组（共 " +
                    std::to_string(t.rows.size()) + " 组）。");
  return c;
}

// Two labels and one measure: categories by the first label, one series per second label.
std::optional<render::ChartSpec> pivot_chart(const PresentInput& in, const Table& t,
                                             const Shape& s) {
  const std::size_t a = s.labels[0], b = s.labels[1], val = s.numbers.front();
  std::vector<std::string> cats, series_names;
  std::map<std::pair<std::string, std::string>, double> cell;
  for (const Row& r : t.rows) {
    const std::string x = cell_text(r[a], t.columns[a], in.show_phone);
    const std::string y = cell_text(r[b], t.columns[b], in.show_phone);
    if (std::find(cats.begin(), cats.end(), x) == cats.end()) cats.push_back(x);
    if (std::find(series_names.begin(), series_names.end(), y) == series_names.end())
      series_names.push_back(y);
    cell[{x, y}] = number_of(r[val]);
  }
  if (cats.size() > kMaxGroupedCategories || series_names.size() > 6) return std::nullopt;
  render::ChartSpec c = base_chart(in, render::ChartKind::GroupedBar, t, s);
  c.x_label = t.columns[a].display();
  c.categories = cats;
  for (const auto& y : series_names) {
    render::Series series{y, {}};
    for (const auto& x : cats) {
      auto it = cell.find({x, y});
      series.values.push_back(it == cell.end() ? kNaN : it->second);
    }
    c.series.push_back(std::move(series));
  }
  return c;
}

render::ChartSpec donut_chart(const PresentInput& in, const Table& t, const Shape& s) {
  render::ChartSpec c = base_chart(in, render::ChartKind::Donut, t, s);
  const std::size_t val = s.numbers.back();  // the share column when there is one
  for (std::size_t j : s.numbers)
    if (t.columns[j].unit == ColumnUnit::Percent) {
      c = base_chart(in, render::ChartKind::Donut, t, s);
      render::Series series{t.columns[j].display(), {}};
      for (const Row& r : t.rows) {
        c.categories.push_back(label_text(r, t, s.labels, in.show_phone));
        series.values.push_back(number_of(r[j]));
      }
      // Shares are drawn from the measure itself when the table has it (exact labels).
      if (s.numbers.front() != j) {
        series = {t.columns[s.numbers.front()].display(), {}};
        for (const Row& r : t.rows) series.values.push_back(number_of(r[s.numbers.front()]));
        c.unit = t.columns[s.numbers.front()].unit;
      } else {
        c.unit = ColumnUnit::Percent;
      }
      c.series = {std::move(series)};
      return c;
    }
  render::Series series{t.columns[val].display(), {}};
  for (const Row& r : t.rows) {
    c.categories.push_back(label_text(r, t, s.labels, in.show_phone));
    series.values.push_back(number_of(r[val]));
  }
  c.series = {std::move(series)};
  return c;
}

bool has_negative(const render::ChartSpec& c) {
  for (const auto& s : c.series)
    for (double v : s.values)
      if (v < 0) return true;
  return false;
}

}  // namespace yimei::present::detail
