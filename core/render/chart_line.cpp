// Line charts for trends: categories (months, weeks, days) along x, one line per series with
// points, value labels wherever they fit without overlapping, the value axis including zero.
#include <cmath>

#include "core/render/chart_data.hpp"
#include "core/render/chart_parts.hpp"

namespace yimei::render {
namespace {

constexpr std::size_t kMaxPoints = 60;  // the latest points are kept
constexpr std::size_t kMaxLines = 6;

struct Box {
  double x0, y0, x1, y1;
  bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

}  // namespace

ChartImage render_line_chart(const ChartSpec& spec) {
  const std::size_t total = spec.categories.size();
  const std::size_t first = total > kMaxPoints ? total - kMaxPoints : 0;
  PlotData data = prepare_plot(spec, first, kMaxPoints, kMaxLines);
  if (!data.has_values) return render_no_data(spec);
  if (first > 0)
    data.notes.insert(data.notes.begin(), "仅显示最近" + std::to_string(kMaxPoints) + "项（共" +
                                              std::to_string(total) + "项）");
  const std::size_t n = data.categories.size();
  const std::size_t n_ser = data.values.size();

  const Theme theme(spec.width);
  Canvas canvas(theme.width);
  const double left = theme.content_left(), right = theme.content_right();
  const Header header = make_header(canvas, theme, spec);
  const Legend legend =
      n_ser > 1 ? make_legend(canvas, theme, data.names, theme.content_width()) : Legend{};
  const std::string axis_text = data.axis.title(spec.y_label);
  const TextBox axis_title =
      axis_text.empty() ? TextBox{} : canvas.text(axis_text, theme.axis_title);

  const Ticks ticks = nice_ticks(std::min(0.0, data.min), std::max(0.0, data.max), 5, true);
  std::vector<TextBox> tick_labels;
  double tick_w = 0;
  for (double t : ticks.values) {
    tick_labels.push_back(canvas.text(data.axis.tick_text(t, ticks.decimals), theme.tick));
    tick_w = std::max(tick_w, tick_labels.back().width());
  }
  const double x0 = left + tick_w + theme.px(14), x1 = right - theme.px(8);
  const double slot = (x1 - x0) / n;
  auto X = [&](std::size_t i) { return x0 + (i + 0.5) * slot; };

  // Category labels: every k-th one, k chosen so that neighbours never touch.
  TextStyle label_style = theme.tick;
  label_style.size = theme.px(26);
  label_style.max_width = std::max(theme.px(240), slot);
  std::vector<TextBox> labels;
  double label_w = 0;
  for (const auto& c : data.categories) {
    labels.push_back(canvas.text(c, label_style));
    label_w = std::max(label_w, labels.back().width());
  }
  const std::size_t every = std::max<std::size_t>(1, std::ceil((label_w + theme.px(16)) / slot));
  const TextBox category_title =
      spec.x_label.empty() ? TextBox{} : canvas.text(spec.x_label, theme.axis_title);
  const Notes notes = make_notes(canvas, theme, data.notes);

  double y = theme.margin + header.height + legend.height;
  const double axis_title_y = y;
  if (!axis_title.empty()) y += axis_title.height() + theme.px(16);
  const double plot_top = y + theme.px(10);
  const double plot_bottom = plot_top + theme.px(560);
  auto Y = [&](double v) {
    return plot_bottom - (v - ticks.lo) / (ticks.hi - ticks.lo) * (plot_bottom - plot_top);
  };
  const double label_y = plot_bottom + theme.px(12);
  y = label_y + (labels.empty() ? 0 : labels.front().height());
  const double category_title_y = y + theme.px(10);
  if (!category_title.empty()) y = category_title_y + category_title.height();
  const double notes_y = y;
  y += notes.height + theme.margin;

  canvas.begin(static_cast<int>(std::ceil(y)));
  draw_header(canvas, theme, header, theme.margin);
  draw_legend(canvas, theme, legend, left, theme.margin + header.height);
  canvas.draw(axis_title, left, axis_title_y, theme.muted);
  for (std::size_t k = 0; k < ticks.values.size(); ++k) {
    const double ty = Y(ticks.values[k]);
    const bool zero = ticks.values[k] == 0;
    canvas.line(x0, ty, x1, ty, theme.px(zero ? 2 : 1.5), zero ? theme.axis : theme.grid);
    canvas.draw(tick_labels[k], x0 - theme.px(14), ty, theme.faint, HAlign::Right, VAlign::Middle);
  }
  for (std::size_t i = 0; i < n; i += every)
    canvas.draw(labels[i], X(i), label_y, theme.muted, HAlign::Center);
  canvas.draw(category_title, (x0 + x1) / 2, category_title_y, theme.muted, HAlign::Center);

  cairo_t* cr = canvas.cr();
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  const double radius = slot < theme.px(24) ? theme.px(4) : n <= 2 ? theme.px(10) : theme.px(7);
  for (std::size_t s = 0; s < n_ser; ++s) {  // lines (broken where a value is missing)
    canvas.set_color(series_color(s));
    cairo_set_line_width(cr, theme.px(4));
    bool drawing = false;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = data.values[s][i];
      if (std::isnan(v)) {
        drawing = false;
        continue;
      }
      if (drawing)
        cairo_line_to(cr, X(i), Y(v));
      else
        cairo_move_to(cr, X(i), Y(v));
      drawing = true;
    }
    cairo_stroke(cr);
  }
  std::vector<Box> taken;  // points first, then labels as placed
  for (std::size_t s = 0; s < n_ser; ++s)
    for (std::size_t i = 0; i < n; ++i) {
      const double v = data.values[s][i];
      if (std::isnan(v)) continue;
      cairo_arc(cr, X(i), Y(v), radius, 0, 2 * M_PI);
      canvas.set_color(rgb(0xffffff));
      cairo_fill_preserve(cr);
      canvas.set_color(series_color(s));
      cairo_set_line_width(cr, theme.px(3));
      cairo_stroke(cr);
      taken.push_back({X(i) - radius, Y(v) - radius, X(i) + radius, Y(v) + radius});
    }
  for (std::size_t s = 0; s < n_ser; ++s)
    for (std::size_t i = 0; i < n; ++i) {
      const double v = data.values[s][i];
      if (std::isnan(v)) continue;
      const TextBox t = canvas.text(data.axis.value_text(v), theme.small_value);
      const double gap = radius + theme.px(6);
      // Above the point first (below for negatives), then the other side.
      for (int attempt = 0; attempt < 2; ++attempt) {
        const bool above = (v >= 0) == (attempt == 0);
        const double top = above ? Y(v) - gap - t.height() : Y(v) + gap;
        const Box box{X(i) - t.width() / 2, top, X(i) + t.width() / 2, top + t.height()};
        if (box.x0 < left || box.x1 > theme.width - theme.px(8) ||
            box.y0 < plot_top - theme.px(4) || box.y1 > plot_bottom)
          continue;
        bool free = true;
        for (const Box& other : taken) free = free && !box.overlaps(other);
        if (!free) continue;
        taken.push_back(box);
        canvas.draw(t, box.x0, box.y0, n_ser > 1 ? series_color(s) : theme.ink);
        break;
      }
    }
  draw_notes(canvas, theme, notes, notes_y);
  return canvas.finish();
}

}  // namespace yimei::render
