// Internal to the chart renderers: the value axis (units such as 元 / 万元 / %, label text,
// decimals) and "nice" tick values. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/table.hpp"

namespace yimei::render {

struct ValueAxis {
  double factor = 1;     // display value = raw value * factor (1/10000 for 万元, 100 for %)
  std::string unit;      // unit named in the axis title: "元", "万元", "天"; empty for none
  bool percent = false;  // labels end with "%"
  int decimals = 0;      // decimals of value labels

  // A display value as a label: "12.35", "1,234", "12.5%".
  std::string value_text(double display) const;
  // A label with its unit: "12.35万元", "1,234元", "12.5%".
  std::string value_with_unit(double display) const;
  // A tick label with `tick_decimals` decimals.
  std::string tick_text(double display, int tick_decimals) const;
  // The axis title: "销售额(万元)", "单位：万元" when label is empty, or the label alone.
  std::string title(const std::string& label) const;
};

// The axis for these raw values (finite ones). Yuan switches to 万元 when the largest absolute
// value is >= 100000. Labels get as few decimals as the values need (万元 and plain numbers
// at most 2, % at most 1); 元 shows whole yuan from 1,000 up and 2 decimals below.
ValueAxis make_value_axis(ColumnUnit unit, const std::vector<double>& raw_values);

struct Ticks {
  std::vector<double> values;
  double step = 1;
  int decimals = 0;       // enough to tell ticks apart
  double lo = 0, hi = 1;  // the domain (widened to whole steps when `extend`)
};

// About `target` evenly spaced round values (steps 1, 2, 5 × 10^k) covering [lo, hi];
// with `extend` the domain grows to whole steps. hi <= lo is treated as a unit range.
Ticks nice_ticks(double lo, double hi, int target, bool extend);

}  // namespace yimei::render
