// Table images for results too wide for a chat message: shaded bold header, zebra rows,
// numbers right-aligned, CJK text measured by the font itself. Too wide a table first gets a
// smaller font, then a wider image (up to 1.6x), then ellipsized cells.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/render/chart_parts.hpp"
#include "core/render/column_traits.hpp"
#include "core/render/table_render.hpp"

namespace yimei::render {
namespace {

constexpr std::size_t kMaxTableRows = 50;
constexpr double kBaseFont = 28;  // design pixels
constexpr double kMinFont = 22;
constexpr double kMaxCellWidth = 480;  // design pixels at the base font
constexpr double kMaxWidening = 1.6;

// The largest cap c with sum(min(w, c)) <= budget (all widths when they already fit).
double cap_for_budget(const std::vector<double>& widths, double budget) {
  double lo = 0, hi = *std::max_element(widths.begin(), widths.end());
  for (int i = 0; i < 40; ++i) {
    const double mid = (lo + hi) / 2;
    double sum = 0;
    for (double w : widths) sum += std::min(w, mid);
    (sum <= budget ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace

ChartImage render_table_image(const ChartSpec& spec) {
  const Table& t = spec.table;
  if (t.columns.empty()) return render_no_data(spec);
  const std::size_t n_col = t.columns.size();
  const std::size_t shown = std::min(t.rows.size(), kMaxTableRows);
  std::vector<std::vector<std::string>> cells(shown);
  for (std::size_t r = 0; r < shown; ++r)
    for (std::size_t j = 0; j < n_col; ++j)
      cells[r].push_back(format_value(j < t.rows[r].size() ? t.rows[r][j] : Value{Null{}},
                                      t.columns[j], spec.show_phone));
  std::vector<std::string> note_lines;
  if (t.rows.empty()) note_lines.push_back("（无数据）");
  if (t.truncated)
    note_lines.push_back("结果已达查询上限，只取回了前" + std::to_string(t.rows.size()) + "行");
  if (shown < t.rows.size())
    note_lines.push_back("共" + std::to_string(t.rows.size()) + "行，显示前" +
                         std::to_string(shown) + "行");

  Theme theme(spec.width);
  Canvas measure(theme.width);
  const double pad = theme.px(18);
  const double pads = 2 * pad * n_col;
  // Natural column widths at a font size (header bold), each capped.
  auto natural_widths = [&](double font) {
    std::vector<double> widths(n_col, 0);
    for (std::size_t j = 0; j < n_col; ++j) {
      widths[j] = measure.text(t.columns[j].display(), {theme.px(font), true}).width();
      for (const auto& row : cells)
        widths[j] = std::max(widths[j], measure.text(row[j], {theme.px(font)}).width());
      widths[j] = std::min(widths[j], theme.px(kMaxCellWidth * font / kBaseFont));
    }
    return widths;
  };
  auto sum = [](const std::vector<double>& w) { return std::accumulate(w.begin(), w.end(), 0.0); };
  std::vector<double> col_w = natural_widths(kBaseFont);
  // Smaller font first (estimated: text width scales with the size), measured again once.
  double font = kBaseFont;
  while (font > kMinFont && sum(col_w) * font / kBaseFont + pads > theme.content_width()) font -= 2;
  if (font != kBaseFont) col_w = natural_widths(font);
  // Then a wider image.
  const double widest = std::floor(spec.width * kMaxWidening);
  if (sum(col_w) + pads > theme.content_width())
    theme.width =
        static_cast<int>(std::min(widest, std::ceil(sum(col_w) + pads + 2 * theme.margin)));
  // Then shorter text columns; numbers, dates and phones always stay whole.
  if (sum(col_w) + pads > theme.content_width()) {
    std::vector<double> text_widths;
    double fixed = 0;
    for (std::size_t j = 0; j < n_col; ++j) {
      const Column& c = t.columns[j];
      if (is_numeric(c) || c.type == ColumnType::Date || c.is_phone)
        fixed += col_w[j];
      else
        text_widths.push_back(col_w[j]);
    }
    if (!text_widths.empty()) {
      const double min_text = theme.px(font * 5);  // about five Chinese characters
      const double cap =
          std::max(min_text, cap_for_budget(text_widths, theme.content_width() - pads - fixed));
      for (std::size_t j = 0; j < n_col; ++j) {
        const Column& c = t.columns[j];
        if (!(is_numeric(c) || c.type == ColumnType::Date || c.is_phone))
          col_w[j] = std::min(col_w[j], cap);
      }
    }
    // Still too wide (very many columns): the image grows as far as it must.
    if (sum(col_w) + pads > theme.content_width())
      theme.width = static_cast<int>(
          std::min<double>(kMaxChartWidth, std::ceil(sum(col_w) + pads + 2 * theme.margin)));
  }

  Canvas canvas(theme.width);
  const Header header = make_header(canvas, theme, spec);
  std::vector<TextBox> heads;
  std::vector<std::vector<TextBox>> boxes(shown);
  for (std::size_t j = 0; j < n_col; ++j)
    heads.push_back(canvas.text(t.columns[j].display(), {theme.px(font), true, col_w[j] + 1, 1}));
  for (std::size_t r = 0; r < shown; ++r)
    for (std::size_t j = 0; j < n_col; ++j)
      boxes[r].push_back(canvas.text(cells[r][j], {theme.px(font), false, col_w[j] + 1, 1}));
  const Notes notes = make_notes(canvas, theme, note_lines);
  const double head_h = theme.px(font * 2.2), row_h = theme.px(font * 1.95);
  const double top = theme.margin + header.height;
  const double table_w = sum(col_w) + pads;
  const double notes_y = top + head_h + shown * row_h;
  canvas.begin(static_cast<int>(std::ceil(notes_y + notes.height + theme.margin)));
  draw_header(canvas, theme, header, theme.margin);

  const double left = theme.content_left();
  canvas.fill_rect(left, top, table_w, head_h, theme.header_fill);
  for (std::size_t r = 1; r < shown; r += 2)
    canvas.fill_rect(left, top + head_h + r * row_h, table_w, row_h, theme.zebra);
  double x = left;
  for (std::size_t j = 0; j < n_col; ++j) {
    const bool right = is_numeric(t.columns[j]);
    const double anchor = right ? x + pad + col_w[j] : x + pad;
    const HAlign h = right ? HAlign::Right : HAlign::Left;
    canvas.draw(heads[j], anchor, top + head_h / 2, theme.ink, h, VAlign::Middle);
    for (std::size_t r = 0; r < shown; ++r)
      canvas.draw(boxes[r][j], anchor, top + head_h + r * row_h + row_h / 2, theme.ink, h,
                  VAlign::Middle);
    x += col_w[j] + 2 * pad;
  }
  canvas.line(left, top + head_h, left + table_w, top + head_h, theme.px(2), theme.axis);
  canvas.line(left, notes_y, left + table_w, notes_y, theme.px(1.5), theme.grid);
  draw_notes(canvas, theme, notes, notes_y);
  return canvas.finish();
}

}  // namespace yimei::render
