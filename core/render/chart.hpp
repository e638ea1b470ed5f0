// Chart images (PNG) drawn with cairo + pango and the CJK font WenQuanYi Micro Hei, readable on
// a phone (1080 px wide by default): bar, grouped bar, line (trends), donut (shares) and a
// table image for wide tables. Thread-safe: each call draws on its own surface.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/table.hpp"

namespace yimei::render {

enum class ChartKind { Bar, GroupedBar, Line, Donut, TableImage };

struct Series {
  std::string name;            // legend label
  std::vector<double> values;  // one per category; display only, never fed back into money
};

struct ChartSpec {
  ChartKind kind = ChartKind::Bar;
  std::string title;
  std::string subtitle;  // e.g. the period and the definition
  std::string x_label;   // names the categories (e.g. 科室, 月份)
  std::string y_label;   // names the values (e.g. 实收金额); the unit is added by the chart
  ColumnUnit unit = ColumnUnit::None;  // Yuan: axis in 元 or 万元 by magnitude
  std::vector<std::string> categories;
  std::vector<Series> series;
  Table table;              // for TableImage
  bool show_phone = false;  // TableImage: phones are masked unless the caller may see them
  int width = 1080;  // clamped to 480..4096; a wide TableImage grows up to 1.6x (more if it must)
};

struct ChartImage {
  std::vector<std::uint8_t> png;
  int width = 0;
  int height = 0;
  std::string font_family;  // the family pango resolved for CJK text
  int unknown_glyphs = 0;   // glyphs drawn as boxes (0 when the CJK font works)
};

// Draws the chart; the height follows from the content. Per kind:
//  Bar / GroupedBar: HORIZONTAL bars (long Chinese category names stay readable on the left,
//    the image grows by rows); negatives extend left of zero; at most 30 categories (grouped:
//    15 categories x 6 series), the rest noted under the chart.
//  Line: categories along x (months…), up to 6 series, the latest 60 points; value labels
//    wherever they fit; the value axis includes zero.
//  Donut: shares of the first series' positive values, largest first, 8th and later merged
//    into "其他"; zero/negative values are left out with a note; the total in the centre.
//  TableImage: `table` (50 rows at most, like to_text's cut line), masked phones.
// Empty or all-missing data gives a chart with the title and "暂无数据". Money (unit Yuan) is
// shown in 万元 once the largest value reaches 100000, with the unit in the axis title.
// Throws std::runtime_error when cairo or the PNG encoder fails.
ChartImage render_chart(const ChartSpec& spec);

// A chart spec from a table: categories from column `label_col` (as format_value prints them,
// phones masked; row numbers when there is no such column), one series per column of
// `value_cols` (names of numeric columns; unknown or non-numeric names are skipped; empty =
// every numeric column but the label). Values become doubles for geometry only (NULL = no
// point); unit and y_label come from the first value column, x_label from the label column,
// and `table` is copied for TableImage. Never fails.
ChartSpec chart_from_table(const Table& t, ChartKind kind, const std::string& title,
                           const std::string& label_col,
                           const std::vector<std::string>& value_cols);

}  // namespace yimei::render
