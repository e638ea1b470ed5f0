// Internal to the chart renderers: the pieces every chart kind shares (title block, legend,
// notes, the "暂无数据" chart) and the per-kind entry points that chart.cpp dispatches to.
// Each piece is shaped first (so the image height can be computed) and drawn afterwards.
#pragma once

#include <string>
#include <vector>

#include "core/render/chart.hpp"
#include "core/render/chart_canvas.hpp"
#include "core/render/chart_theme.hpp"

namespace yimei::render {

// Title (bold, up to 2 lines) and subtitle (up to 2 lines); height includes the gap below.
struct Header {
  TextBox title, subtitle;
  double height = 0;
};
Header make_header(Canvas& canvas, const Theme& theme, const ChartSpec& spec);
void draw_header(Canvas& canvas, const Theme& theme, const Header& header, double y);

// Colour swatches with names, flowing into as many lines as the width needs.
struct Legend {
  struct Item {
    TextBox name;
    Rgb color;
    double x = 0, y = 0;  // offsets from the legend's origin
  };
  std::vector<Item> items;
  double height = 0;  // includes the gap below; 0 when there are no items
};
Legend make_legend(Canvas& canvas, const Theme& theme, const std::vector<std::string>& names,
                   double max_width);
void draw_legend(Canvas& canvas, const Theme& theme, const Legend& legend, double x, double y);

// Muted lines under the chart (caps, omitted values).
struct Notes {
  std::vector<TextBox> lines;
  double height = 0;  // includes the gap above; 0 when empty
};
Notes make_notes(Canvas& canvas, const Theme& theme, const std::vector<std::string>& lines);
void draw_notes(Canvas& canvas, const Theme& theme, const Notes& notes, double y);

// "仅显示前M项（共N项）"
std::string cap_note(std::size_t shown, std::size_t total);

// The chart kinds (chart_bar.cpp, chart_line.cpp, chart_donut.cpp, chart_table.cpp).
ChartImage render_bar_chart(const ChartSpec& spec);  // Bar and GroupedBar
ChartImage render_line_chart(const ChartSpec& spec);
ChartImage render_donut_chart(const ChartSpec& spec);
ChartImage render_table_image(const ChartSpec& spec);
// Title, subtitle and a panel saying "暂无数据".
ChartImage render_no_data(const ChartSpec& spec);

}  // namespace yimei::render
