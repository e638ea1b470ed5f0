// Donut charts for shares: slices of the first series' positive values (largest first, the
// tail merged into "其他"), percentages on the ring, the total in the centre, and a legend
// listing each name with its value and share.
#include <algorithm>
#include <cmath>

#include "core/render/chart_data.hpp"
#include "core/render/chart_parts.hpp"
#include "core/render/number_text.hpp"

namespace yimei::render {
namespace {

constexpr std::size_t kMaxSlices = 8;  // the 8th and later are merged into "其他"
constexpr double kMinLabelledShare = 0.05;

struct Slice {
  std::string name;
  double value;  // display units
  Rgb color;
};

std::string share_text(double share) {
  return fixed_text(share * 100, 1) + "%";
}

}  // namespace

ChartImage render_donut_chart(const ChartSpec& spec) {
  PlotData data = prepare_plot(spec, 0, spec.categories.size(), 1);
  std::vector<Slice> slices;
  std::size_t left_out = 0;
  if (data.has_values)
    for (std::size_t i = 0; i < data.categories.size(); ++i) {
      const double v = data.values[0][i];
      if (std::isnan(v)) continue;
      if (v > 0)
        slices.push_back({data.categories[i], v, {}});
      else
        ++left_out;
    }
  if (slices.empty()) return render_no_data(spec);
  std::stable_sort(slices.begin(), slices.end(),
                   [](const Slice& a, const Slice& b) { return a.value > b.value; });
  const Theme theme(spec.width);
  for (std::size_t i = 0; i < slices.size(); ++i) slices[i].color = series_color(i);
  if (slices.size() > kMaxSlices) {
    double rest = 0;
    for (std::size_t i = kMaxSlices - 1; i < slices.size(); ++i) rest += slices[i].value;
    const std::size_t merged = slices.size() - (kMaxSlices - 1);
    slices.resize(kMaxSlices - 1);
    slices.push_back({"其他（" + std::to_string(merged) + "项）", rest, theme.other});
  }
  if (left_out > 0)
    data.notes.push_back("另有" + std::to_string(left_out) + "项为零或负值，未计入占比");
  double total = 0;
  for (const auto& s : slices) total += s.value;

  Canvas canvas(theme.width);
  const double left = theme.content_left(), right = theme.content_right();
  const Header header = make_header(canvas, theme, spec);
  const double outer = std::min(theme.content_width() * 0.30, theme.px(300));
  const double inner = outer * 0.58;
  const TextBox total_caption = canvas.text("合计", {theme.px(28)});
  const TextBox total_text =
      canvas.text(data.axis.value_with_unit(total), {theme.px(40), true, inner * 1.8, 1});

  // Legend rows: swatch, name, value, share.
  std::vector<TextBox> shares, values, names;
  double share_w = 0, value_w = 0;
  for (const auto& s : slices) {
    shares.push_back(canvas.text(share_text(s.value / total), theme.legend));
    values.push_back(canvas.text(data.axis.value_with_unit(s.value), theme.legend));
    share_w = std::max(share_w, shares.back().width());
    value_w = std::max(value_w, values.back().width());
  }
  const double swatch = theme.px(26), col_gap = theme.px(28);
  TextStyle name_style = theme.legend;
  name_style.max_width = std::max(theme.px(120), theme.content_width() - swatch - theme.px(12) -
                                                     2 * col_gap - value_w - share_w);
  for (const auto& s : slices) names.push_back(canvas.text(s.name, name_style));
  const double row_h = theme.px(52);
  const Notes notes = make_notes(canvas, theme, data.notes);

  const double ring_top = theme.margin + header.height + theme.px(10);
  const double cx = theme.width / 2.0, cy = ring_top + outer;
  const double legend_top = ring_top + 2 * outer + theme.px(44);
  const double notes_y = legend_top + slices.size() * row_h;
  const double height = notes_y + notes.height + theme.margin;

  canvas.begin(static_cast<int>(std::ceil(height)));
  draw_header(canvas, theme, header, theme.margin);
  cairo_t* cr = canvas.cr();
  double angle = -M_PI / 2;
  std::vector<std::pair<double, double>> mids;  // (angle, share) for labels
  for (const auto& s : slices) {
    const double sweep = 2 * M_PI * s.value / total;
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, outer, angle, angle + sweep);
    cairo_arc_negative(cr, cx, cy, inner, angle + sweep, angle);
    cairo_close_path(cr);
    canvas.set_color(s.color);
    cairo_fill_preserve(cr);
    if (slices.size() > 1) {
      canvas.set_color(rgb(0xffffff));
      cairo_set_line_width(cr, theme.px(3));
      cairo_stroke(cr);
    }
    cairo_new_path(cr);
    mids.emplace_back(angle + sweep / 2, s.value / total);
    angle += sweep;
  }
  const double label_r = (outer + inner) / 2;
  for (const auto& [mid, share] : mids) {
    if (share < kMinLabelledShare) continue;
    const TextBox t = canvas.text(share_text(share), {theme.px(26), true});
    canvas.draw(t, cx + label_r * std::cos(mid), cy + label_r * std::sin(mid), rgb(0xffffff),
                HAlign::Center, VAlign::Middle);
  }
  canvas.draw(total_caption, cx, cy - theme.px(4), theme.muted, HAlign::Center, VAlign::Bottom);
  canvas.draw(total_text, cx, cy + theme.px(2), theme.ink, HAlign::Center, VAlign::Top);

  for (std::size_t i = 0; i < slices.size(); ++i) {
    const double mid = legend_top + i * row_h + row_h / 2;
    if (i % 2 == 1)
      canvas.fill_rect(left, mid - row_h / 2, theme.content_width(), row_h, theme.zebra);
    canvas.fill_rect(left + theme.px(6), mid - swatch / 2, swatch, swatch, slices[i].color);
    canvas.draw(names[i], left + theme.px(6) + swatch + theme.px(12), mid, theme.ink, HAlign::Left,
                VAlign::Middle);
    canvas.draw(values[i], right - share_w - col_gap, mid, theme.ink, HAlign::Right,
                VAlign::Middle);
    canvas.draw(shares[i], right - theme.px(6), mid, theme.muted, HAlign::Right, VAlign::Middle);
  }
  draw_notes(canvas, theme, notes, notes_y);
  return canvas.finish();
}

}  // namespace yimei::render
