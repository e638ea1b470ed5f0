// Bar and grouped bar charts, drawn HORIZONTALLY: on a phone, long Chinese category names
// (departments, products) stay readable on the left instead of being rotated or cut under
// vertical bars, and the chart grows downwards by rows, which a phone scrolls naturally.
// Negative values extend left of the zero line; value labels sit just past each bar's end.
#include <cmath>

#include "core/render/chart_data.hpp"
#include "core/render/chart_parts.hpp"

namespace yimei::render {
namespace {

constexpr std::size_t kMaxBars = 30;        // single-series categories shown
constexpr std::size_t kMaxGroups = 15;      // grouped categories shown
constexpr std::size_t kMaxGroupSeries = 6;  // series in a grouped chart

struct BarGeometry {
  double bar_h, inner_gap, row_gap;
};

}  // namespace

ChartImage render_bar_chart(const ChartSpec& spec) {
  const bool grouped = spec.kind == ChartKind::GroupedBar && spec.series.size() > 1;
  const std::size_t cap = grouped ? kMaxGroups : kMaxBars;
  PlotData data = prepare_plot(spec, 0, cap, grouped ? kMaxGroupSeries : 1);
  if (!data.has_values) return render_no_data(spec);
  if (spec.categories.size() > cap)
    data.notes.insert(data.notes.begin(), cap_note(cap, spec.categories.size()));
  const std::size_t n_cat = data.categories.size();
  const std::size_t n_ser = data.values.size();

  const Theme theme(spec.width);
  Canvas canvas(theme.width);
  const double left = theme.content_left(), right = theme.content_right();
  const Header header = make_header(canvas, theme, spec);
  const Legend legend =
      grouped ? make_legend(canvas, theme, data.names, theme.content_width()) : Legend{};
  const TextBox category_title =
      spec.x_label.empty() ? TextBox{} : canvas.text(spec.x_label, theme.axis_title);

  // Category labels on the left, at most 36% of the width, ellipsized beyond.
  TextStyle label_style = theme.label;
  label_style.max_width = theme.content_width() * 0.36;
  std::vector<TextBox> labels;
  double label_w = 0;
  for (const auto& c : data.categories) {
    labels.push_back(canvas.text(c, label_style));
    label_w = std::max(label_w, labels.back().width());
  }

  // Value labels: room is reserved on both sides so that they always fit outside the bars.
  const TextStyle& value_style = grouped ? theme.small_value : theme.value;
  std::vector<std::vector<TextBox>> value_labels(n_ser);
  double pos_w = 0, neg_w = 0;
  for (std::size_t s = 0; s < n_ser; ++s)
    for (double v : data.values[s]) {
      value_labels[s].push_back(std::isnan(v) ? TextBox{}
                                              : canvas.text(data.axis.value_text(v), value_style));
      (v < 0 ? neg_w : pos_w) = std::max(v < 0 ? neg_w : pos_w, value_labels[s].back().width());
    }
  const double lo = std::min(0.0, data.min), hi = std::max(0.0, data.max);
  const Ticks ticks = nice_ticks(lo, hi, 4, false);
  const double pad = theme.px(12);
  const double x0 = left + label_w + theme.px(20) + (neg_w > 0 ? neg_w + pad : 0);
  const double x1 = right - (pos_w > 0 ? pos_w + pad : 0);
  auto X = [&](double v) { return x0 + (v - ticks.lo) / (ticks.hi - ticks.lo) * (x1 - x0); };

  std::vector<TextBox> tick_labels;
  for (double t : ticks.values)
    tick_labels.push_back(canvas.text(data.axis.tick_text(t, ticks.decimals), theme.tick));
  const std::string axis_text = data.axis.title(spec.y_label);
  const TextBox axis_title =
      axis_text.empty() ? TextBox{} : canvas.text(axis_text, theme.axis_title);
  const Notes notes = make_notes(canvas, theme, data.notes);

  const BarGeometry g = grouped ? BarGeometry{theme.px(30), theme.px(6), theme.px(30)}
                                : BarGeometry{theme.px(44), 0, theme.px(22)};
  const double group_h = n_ser * g.bar_h + (n_ser - 1) * g.inner_gap;
  const double row_h = std::max(group_h, labels.empty() ? 0 : labels.front().height());
  const double pitch = row_h + g.row_gap;

  double y = theme.margin + header.height + legend.height;
  const double category_title_y = y;
  if (!category_title.empty()) y += category_title.height() + theme.px(10);
  const double plot_top = y + theme.px(8);
  const double plot_bottom = plot_top + n_cat * pitch;
  const double tick_y = plot_bottom + theme.px(8);
  y = tick_y + (tick_labels.empty() ? 0 : tick_labels.front().height());
  const double axis_title_y = y + theme.px(10);
  if (!axis_title.empty()) y = axis_title_y + axis_title.height();
  const double notes_y = y;
  y += notes.height + theme.margin;

  canvas.begin(static_cast<int>(std::ceil(y)));
  draw_header(canvas, theme, header, theme.margin);
  draw_legend(canvas, theme, legend, left, theme.margin + header.height);
  canvas.draw(category_title, left, category_title_y, theme.faint);
  for (std::size_t k = 0; k < ticks.values.size(); ++k) {
    const double x = X(ticks.values[k]);
    canvas.line(x, plot_top - theme.px(6), x, plot_bottom, theme.px(1.5), theme.grid);
    canvas.draw(tick_labels[k], x, tick_y, theme.faint, HAlign::Center);
  }
  for (std::size_t i = 0; i < n_cat; ++i) {
    const double row_top = plot_top + i * pitch + g.row_gap / 2;
    const double mid = row_top + row_h / 2;
    canvas.draw(labels[i], left + label_w, mid, theme.ink, HAlign::Right, VAlign::Middle);
    double bar_top = mid - group_h / 2;
    for (std::size_t s = 0; s < n_ser; ++s, bar_top += g.bar_h + g.inner_gap) {
      const double v = data.values[s][i];
      if (std::isnan(v)) continue;
      const Rgb color = grouped ? series_color(s) : v < 0 ? theme.negative : series_color(0);
      const double a = X(0), b = X(v);
      canvas.fill_rect(std::min(a, b), bar_top, std::max(std::fabs(b - a), theme.px(2)), g.bar_h,
                       color);
      const double bar_mid = bar_top + g.bar_h / 2;
      if (v < 0)
        canvas.draw(value_labels[s][i], b - pad, bar_mid, theme.ink, HAlign::Right, VAlign::Middle);
      else
        canvas.draw(value_labels[s][i], b + pad, bar_mid, theme.ink, HAlign::Left, VAlign::Middle);
    }
  }
  canvas.line(X(0), plot_top - theme.px(6), X(0), plot_bottom, theme.px(2), theme.axis);
  canvas.draw(axis_title, (x0 + x1) / 2, axis_title_y, theme.muted, HAlign::Center);
  draw_notes(canvas, theme, notes, notes_y);
  return canvas.finish();
}

}  // namespace yimei::render
