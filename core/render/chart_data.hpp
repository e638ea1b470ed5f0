// Internal to the chart renderers: the numbers of a ChartSpec made ready to draw, i.e. a window
// of categories, at most N series, values converted to display units (元 / 万元 / %), and notes
// about anything left out. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/render/chart.hpp"
#include "core/render/chart_scale.hpp"

namespace yimei::render {

struct PlotData {
  std::vector<std::string> categories;
  std::vector<std::string> names;           // series names
  std::vector<std::vector<double>> values;  // [series][category] in display units; NaN = none
  ValueAxis axis;
  double min = 0, max = 0;  // over the finite display values
  bool has_values = false;  // at least one finite value
  std::vector<std::string> notes;
};

// Categories [first, first + count) and the first max_series series of `spec`. Missing and
// non-finite values become NaN.
PlotData prepare_plot(const ChartSpec& spec, std::size_t first, std::size_t count,
                      std::size_t max_series);

}  // namespace yimei::render
