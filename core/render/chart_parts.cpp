// Title block, legend, notes and the empty chart shared by every chart kind.
#include "core/render/chart_parts.hpp"

#include <cmath>

namespace yimei::render {

Header make_header(Canvas& canvas, const Theme& theme, const ChartSpec& spec) {
  Header h;
  if (!spec.title.empty()) {
    h.title = canvas.text(spec.title, theme.title);
    h.height += h.title.height();
  }
  if (!spec.subtitle.empty()) {
    h.subtitle = canvas.text(spec.subtitle, theme.subtitle);
    h.height += theme.px(8) + h.subtitle.height();
  }
  if (h.height > 0) h.height += theme.px(28);
  return h;
}

void draw_header(Canvas& canvas, const Theme& theme, const Header& header, double y) {
  canvas.draw(header.title, theme.content_left(), y, theme.ink);
  if (!header.title.empty()) y += header.title.height() + theme.px(8);
  canvas.draw(header.subtitle, theme.content_left(), y, theme.muted);
}

Legend make_legend(Canvas& canvas, const Theme& theme, const std::vector<std::string>& names,
                   double max_width) {
  Legend legend;
  const double swatch = theme.px(26), after_swatch = theme.px(10), between = theme.px(32);
  TextStyle style = theme.legend;
  style.max_width = max_width - swatch - after_swatch;
  double x = 0, y = 0, line_h = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    Legend::Item item{canvas.text(names[i], style), series_color(i)};
    const double w = swatch + after_swatch + item.name.width();
    if (x > 0 && x + w > max_width) {
      x = 0;
      y += line_h + theme.px(10);
      line_h = 0;
    }
    item.x = x;
    item.y = y;
    line_h = std::max(line_h, item.name.height());
    x += w + between;
    legend.items.push_back(std::move(item));
  }
  if (!legend.items.empty()) legend.height = y + line_h + theme.px(24);
  return legend;
}

void draw_legend(Canvas& canvas, const Theme& theme, const Legend& legend, double x, double y) {
  const double swatch = theme.px(26);
  for (const auto& item : legend.items) {
    const double mid = y + item.y + item.name.height() / 2;
    canvas.fill_rect(x + item.x, mid - swatch / 2, swatch, swatch, item.color);
    canvas.draw(item.name, x + item.x + swatch + theme.px(10), mid, theme.ink, HAlign::Left,
                VAlign::Middle);
  }
}

Notes make_notes(Canvas& canvas, const Theme& theme, const std::vector<std::string>& lines) {
  Notes notes;
  for (const auto& line : lines) {
    notes.lines.push_back(canvas.text(line, theme.note));
    notes.height += notes.lines.back().height() + theme.px(4);
  }
  if (!notes.lines.empty()) notes.height += theme.px(20);
  return notes;
}

void draw_notes(Canvas& canvas, const Theme& theme, const Notes& notes, double y) {
  y += theme.px(20);
  for (const auto& line : notes.lines) {
    canvas.draw(line, theme.content_left(), y, theme.faint);
    y += line.height() + theme.px(4);
  }
}

std::string cap_note(std::size_t shown, std::size_t total) {
  return "仅显示前" + std::to_string(shown) + "项（共" + std::to_string(total) + "项）";
}

ChartImage render_no_data(const ChartSpec& spec) {
  const Theme theme(spec.width);
  Canvas canvas(theme.width);
  const Header header = make_header(canvas, theme, spec);
  const TextBox message = canvas.text("暂无数据", {theme.px(40)});
  const double panel_h = theme.px(320);
  const double height = theme.margin + header.height + panel_h + theme.margin;
  canvas.begin(static_cast<int>(std::ceil(height)));
  draw_header(canvas, theme, header, theme.margin);
  const double top = theme.margin + header.height;
  canvas.fill_rect(theme.content_left(), top, theme.content_width(), panel_h, theme.panel);
  canvas.draw(message, theme.width / 2.0, top + panel_h / 2, theme.faint, HAlign::Center,
              VAlign::Middle);
  return canvas.finish();
}

}  // namespace yimei::render
