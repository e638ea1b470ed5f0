// Chart numbers in display units (see chart_data.hpp).
#include "core/render/chart_data.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace yimei::render {

PlotData prepare_plot(const ChartSpec& spec, std::size_t first, std::size_t count,
                      std::size_t max_series) {
  PlotData d;
  first = std::min(first, spec.categories.size());
  count = std::min(count, spec.categories.size() - first);
  d.categories.assign(spec.categories.begin() + first, spec.categories.begin() + first + count);
  const std::size_t n_series = std::min(spec.series.size(), max_series);
  std::vector<double> finite;
  for (std::size_t s = 0; s < n_series; ++s) {
    const Series& series = spec.series[s];
    d.names.push_back(series.name.empty() ? "系列" + std::to_string(s + 1) : series.name);
    std::vector<double> raw(count, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < count; ++i) {
      if (first + i >= series.values.size()) break;
      const double v = series.values[first + i];
      if (!std::isfinite(v)) continue;
      raw[i] = v;
      finite.push_back(v);
    }
    d.values.push_back(std::move(raw));
  }
  d.axis = make_value_axis(spec.unit, finite);
  for (auto& series : d.values)
    for (double& v : series) {
      if (std::isnan(v)) continue;
      v *= d.axis.factor;
      d.min = d.has_values ? std::min(d.min, v) : v;
      d.max = d.has_values ? std::max(d.max, v) : v;
      d.has_values = true;
    }
  if (spec.series.size() > n_series)
    d.notes.push_back("仅显示前" + std::to_string(n_series) + "个系列（共" +
                      std::to_string(spec.series.size()) + "个）");
  return d;
}

}  // namespace yimei::render
