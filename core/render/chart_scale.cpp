// Value axis units, label text and nice ticks for the charts (see chart_scale.hpp).
#include "core/render/chart_scale.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "core/render/number_text.hpp"

namespace yimei::render {
namespace {

constexpr double kWanThreshold = 100000;  // 10万: from here money is shown in 万元

int decimals_for_step(double step) {
  for (int d = 0; d < 6; ++d) {
    const double scaled = step * std::pow(10.0, d);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) return d;
  }
  return 6;
}

// Fewest decimals (up to `cap`) that show every value * factor exactly.
int decimals_needed(const std::vector<double>& values, double factor, int cap) {
  for (int d = 0; d < cap; ++d) {
    const double scale = std::pow(10.0, d);
    bool exact = true;
    for (double v : values) {
      const double x = v * factor * scale;
      exact = exact && std::fabs(x - std::round(x)) < 1e-6 * std::max(1.0, std::fabs(x));
    }
    if (exact) return d;
  }
  return cap;
}

// "金额(元)" / "金额（元）" -> "金额": the axis title adds the unit it actually uses.
std::string strip_unit_suffix(std::string label) {
  static constexpr std::string_view kSuffixes[] = {"(元)",     "（元）", "(万元)",
                                                   "（万元）", "(%)",    "（%）"};
  for (std::string_view suffix : kSuffixes)
    if (label.size() > suffix.size() && label.ends_with(suffix)) {
      label.resize(label.size() - suffix.size());
      break;
    }
  return label;
}

}  // namespace

std::string ValueAxis::value_text(double display) const {
  std::string s = with_thousands(fixed_text(display, decimals));
  return percent ? s + "%" : s;
}

std::string ValueAxis::value_with_unit(double display) const {
  return value_text(display) + unit;
}

std::string ValueAxis::tick_text(double display, int tick_decimals) const {
  std::string s = with_thousands(fixed_text(display, tick_decimals));
  return percent ? s + "%" : s;
}

std::string ValueAxis::title(const std::string& label) const {
  const std::string base = strip_unit_suffix(label);
  if (unit.empty()) return base;
  if (base.empty()) return "单位：" + unit;
  return base + "(" + unit + ")";  // ASCII brackets: WenQuanYi's full-width ones look gappy
}

ValueAxis make_value_axis(ColumnUnit unit, const std::vector<double>& raw_values) {
  double max_abs = 0;
  for (double v : raw_values) max_abs = std::max(max_abs, std::fabs(v));
  ValueAxis a;
  switch (unit) {
    case ColumnUnit::Percent:
      a.factor = 100;
      a.percent = true;
      a.decimals = decimals_needed(raw_values, a.factor, 1);
      return a;
    case ColumnUnit::Yuan:
      if (max_abs >= kWanThreshold) {
        a.factor = 1.0 / 10000;
        a.unit = "万元";
        a.decimals = decimals_needed(raw_values, a.factor, 2);
      } else {
        a.unit = "元";
        a.decimals = (max_abs >= 1000 || decimals_needed(raw_values, 1, 2) == 0) ? 0 : 2;
      }
      return a;
    case ColumnUnit::Days:
      a.unit = "天";
      break;
    case ColumnUnit::Count:
    case ColumnUnit::None:
      break;
  }
  a.decimals = decimals_needed(raw_values, 1, max_abs >= 100 ? 1 : 2);
  return a;
}

Ticks nice_ticks(double lo, double hi, int target, bool extend) {
  if (!(hi > lo)) {
    const double base = std::isfinite(lo) ? lo : 0;
    lo = std::min(base, 0.0);
    hi = std::max(base, 0.0);
    if (!(hi > lo)) hi = lo + 1;
  }
  const double rough = (hi - lo) / std::max(target, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  const double norm = rough / magnitude;
  // Thresholds at the geometric means of neighbouring steps (as d3-scale does).
  const double unit = norm >= 7.071 ? 10 : norm >= 3.162 ? 5 : norm >= 1.414 ? 2 : 1;
  Ticks t;
  t.step = unit * magnitude;
  t.decimals = decimals_for_step(t.step);
  const double eps = t.step * 1e-9;
  t.lo = extend ? std::floor(lo / t.step + 1e-9) * t.step : lo;
  t.hi = extend ? std::ceil(hi / t.step - 1e-9) * t.step : hi;
  for (double k = std::ceil(t.lo / t.step - 1e-9); k * t.step <= t.hi + eps; k += 1) {
    const double v = k * t.step;
    t.values.push_back(std::fabs(v) < eps ? 0.0 : v);
  }
  return t;
}

}  // namespace yimei::render
