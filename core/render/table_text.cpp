// Plain-text and markdown tables: columns aligned by display width (CJK = 2 cells), numbers
// right-aligned, long results cut after max_rows with a "共N行，显示前M行" line.
#include <algorithm>
#include <string>
#include <vector>

#include "core/render/column_traits.hpp"
#include "core/render/table_render.hpp"

namespace yimei::render {
namespace {

constexpr std::string_view kGap = "  ";

// Control characters (newlines, tabs) would break the grid: each becomes one space.
std::string single_line(std::string s) {
  for (char& ch : s)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
  return s;
}

std::size_t shown_rows(const Table& t, const RenderOptions& o) {
  return (o.max_rows == 0 || t.rows.size() <= o.max_rows) ? t.rows.size() : o.max_rows;
}

std::vector<std::vector<std::string>> cell_texts(const Table& t, std::size_t rows,
                                                 bool show_phone) {
  std::vector<std::vector<std::string>> cells(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const Row& row = t.rows[r];
    for (std::size_t j = 0; j < t.columns.size(); ++j) {
      const Value v = j < row.size() ? row[j] : Value{Null{}};
      cells[r].push_back(single_line(format_value(v, t.columns[j], show_phone)));
    }
  }
  return cells;
}

// The lines after the table: empty result, the database row cap, the display cut (last).
std::vector<std::string> notes(const Table& t, std::size_t shown, std::size_t total_rows) {
  std::vector<std::string> out;
  const std::size_t total = std::max(total_rows, t.rows.size());
  if (t.rows.empty()) out.push_back("（无数据）");
  if (t.truncated)
    out.push_back("（结果已达查询上限，只取回了前" + std::to_string(t.rows.size()) +
                  "行，实际可能更多）");
  if (shown < total)
    out.push_back("共" + std::to_string(total) + "行，显示前" + std::to_string(shown) + "行");
  return out;
}

void append_padded(std::string& line, const std::string& text, std::size_t width, bool right) {
  const std::size_t w = display_width(text);
  const std::string pad(width > w ? width - w : 0, ' ');
  if (right) line += pad;
  line += text;
  if (!right) line += pad;
}

// " cell |" with `|` and `\` escaped.
void append_markdown_cell(std::string& out, const std::string& cell) {
  out.push_back(' ');
  for (char ch : cell) {
    if (ch == '|' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  out += " |";
}

}  // namespace

std::string to_text(const Table& t, const RenderOptions& o) {
  if (t.columns.empty()) return "（无数据）\n";
  const std::size_t shown = shown_rows(t, o);
  const auto cells = cell_texts(t, shown, o.show_phone);
  const std::size_t n = t.columns.size();
  std::vector<std::string> headers;
  std::vector<std::size_t> widths;
  for (const Column& c : t.columns) {
    headers.push_back(single_line(c.display()));
    widths.push_back(display_width(headers.back()));
  }
  for (const auto& row : cells)
    for (std::size_t j = 0; j < n; ++j) widths[j] = std::max(widths[j], display_width(row[j]));

  auto line_of = [&](const std::vector<std::string>& texts) {
    std::string line;
    for (std::size_t j = 0; j < n; ++j) {
      if (j > 0) line += kGap;
      append_padded(line, texts[j], widths[j], is_numeric(t.columns[j]));
    }
    return line + "\n";
  };
  std::string out = line_of(headers);
  for (std::size_t j = 0; j < n; ++j) {
    if (j > 0) out += kGap;
    out += std::string(widths[j], '-');
  }
  out += "\n";
  for (const auto& row : cells) out += line_of(row);
  for (const std::string& note : notes(t, shown, o.total_rows)) out += note + "\n";
  return out;
}

std::string to_markdown(const Table& t, const RenderOptions& o) {
  if (t.columns.empty()) return "（无数据）\n";
  const std::size_t shown = shown_rows(t, o);
  std::string out = "|";
  for (const Column& c : t.columns) append_markdown_cell(out, single_line(c.display()));
  out += "\n|";
  for (const Column& c : t.columns) out += is_numeric(c) ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& row : cell_texts(t, shown, o.show_phone)) {
    out += "|";
    for (const std::string& cell : row) append_markdown_cell(out, cell);
    out += "\n";
  }
  const auto lines = notes(t, shown, o.total_rows);
  if (!lines.empty()) out += "\n";
  for (const std::string& note : lines) out += note + "\n";
  return out;
}

}  // namespace yimei::render
