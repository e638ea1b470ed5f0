// XLSX through libxlsxwriter (see xlsx_writer.hpp). libxlsxwriter 1.1.4 (Debian 12) writes to
// a file only, so the workbook goes to a private temporary file that is read back and removed.
#include "core/export/xlsx_writer.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>

#include "core/render/column_traits.hpp"
#include "core/render/table_render.hpp"

namespace yimei::exports {
namespace {

constexpr std::size_t kMaxCellChars = 32767;   // Excel's limit for one cell
constexpr std::size_t kWidthSampleRows = 500;  // rows measured for column widths

std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

// At most `max_chars` UTF-8 characters of s.
std::string cut_chars(std::string_view s, std::size_t max_chars) {
  std::size_t i = 0, chars = 0;
  while (i < s.size() && chars < max_chars) {
    i += std::min(utf8_length(static_cast<unsigned char>(s[i])), s.size() - i);
    ++chars;
  }
  return std::string(s.substr(0, i));
}

// The temporary file of one workbook, removed on scope exit.
class TempFile {
 public:
  TempFile() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "yimei-export-XXXXXX.xlsx").string();
    const int fd = ::mkstemps(tmpl.data(), 5);
    if (fd < 0) throw std::runtime_error("xlsx: cannot create a temporary file");
    ::close(fd);
    path_ = tmpl;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Formats {
  lxw_format* header = nullptr;
  lxw_format* money = nullptr;
  lxw_format* percent = nullptr;
  lxw_format* count = nullptr;
  lxw_format* real = nullptr;
  lxw_format* date = nullptr;
  lxw_format* wrap = nullptr;
};

Formats make_formats(lxw_workbook* wb) {
  Formats f;
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xDDEBF7);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  f.money = workbook_add_format(wb);
  format_set_num_format(f.money, "#,##0.00");
  f.percent = workbook_add_format(wb);
  format_set_num_format(f.percent, "0.00%");
  f.count = workbook_add_format(wb);
  format_set_num_format(f.count, "#,##0");
  f.real = workbook_add_format(wb);
  format_set_num_format(f.real, "#,##0.00");
  f.date = workbook_add_format(wb);
  format_set_num_format(f.date, "yyyy-mm-dd");
  f.wrap = workbook_add_format(wb);
  format_set_text_wrap(f.wrap);
  format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
  return f;
}

lxw_format* number_format(const Column& c, const Formats& f) {
  if (c.unit == ColumnUnit::Percent) return f.percent;
  if (render::is_money(c)) return f.money;
  if (c.unit == ColumnUnit::Count) return f.count;
  if (c.type == ColumnType::Real) return f.real;
  return nullptr;  // plain integers (ranks, days, quantities): General
}

void check(lxw_error e, const char* what) {
  if (e != LXW_NO_ERROR)
    throw std::runtime_error(std::string("xlsx: ") + what + ": " + lxw_strerror(e));
}

void write_cell(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const Value& v, const Column& col,
                bool show_phone, const Formats& f) {
  if (is_null(v)) return;
  if (col.is_phone || std::holds_alternative<Text>(v)) {
    const std::string text = cut_chars(render::format_value(v, col, show_phone), kMaxCellChars);
    check(worksheet_write_string(ws, r, c, text.c_str(), nullptr), "write_string");
    return;
  }
  if (const auto* d = std::get_if<Date>(&v)) {
    lxw_datetime dt{static_cast<int>(d->year()),
                    static_cast<int>(static_cast<unsigned>(d->month())),
                    static_cast<int>(static_cast<unsigned>(d->day())),
                    0,
                    0,
                    0.0};
    check(worksheet_write_datetime(ws, r, c, &dt, f.date), "write_datetime");
    return;
  }
  double x = 0;
  if (const auto* i = std::get_if<std::int64_t>(&v)) x = static_cast<double>(*i);
  // The file format stores numbers as binary doubles; the exact decimal text parsed with
  // strtod is the closest one (15 significant digits hold every DECIMAL(12,2) exactly).
  if (const auto* d = std::get_if<Decimal>(&v)) x = std::strtod(d->to_string().c_str(), nullptr);
  if (const auto* r_ = std::get_if<double>(&v)) x = *r_;
  check(worksheet_write_number(ws, r, c, x, number_format(col, f)), "write_number");
}

void write_table_sheet(lxw_worksheet* ws, const Table& t, bool show_phone, const Formats& f) {
  const auto n_col = t.columns.size();
  std::vector<double> widths(n_col, 8);
  for (std::size_t j = 0; j < n_col; ++j) {
    const std::string header = cut_chars(t.columns[j].display(), kMaxCellChars);
    check(worksheet_write_string(ws, 0, static_cast<lxw_col_t>(j), header.c_str(), f.header),
          "write_string");
    widths[j] = std::max(widths[j], column_width_for(header) + 2);  // room for the filter arrow
  }
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const Row& row = t.rows[i];
    for (std::size_t j = 0; j < n_col && j < row.size(); ++j) {
      write_cell(ws, static_cast<lxw_row_t>(i + 1), static_cast<lxw_col_t>(j), row[j], t.columns[j],
                 show_phone, f);
      if (i < kWidthSampleRows)
        widths[j] = std::max(
            widths[j], column_width_for(render::format_value(row[j], t.columns[j], show_phone)));
    }
  }
  for (std::size_t j = 0; j < n_col; ++j)
    check(worksheet_set_column(ws, static_cast<lxw_col_t>(j), static_cast<lxw_col_t>(j),
                               std::min(widths[j], 60.0), nullptr),
          "set_column");
  worksheet_freeze_panes(ws, 1, 0);
  if (n_col > 0)
    check(worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(t.rows.size()),
                               static_cast<lxw_col_t>(n_col - 1)),
          "autofilter");
}

void write_notes_sheet(lxw_worksheet* ws, const ExportDocument& doc, const Formats& f) {
  check(worksheet_write_string(ws, 0, 0, "项目", f.header), "write_string");
  check(worksheet_write_string(ws, 0, 1, "内容", f.header), "write_string");
  double w0 = 10, w1 = 20;
  lxw_row_t r = 1;
  for (const auto& [key, text] : doc.notes) {
    const std::string k = cut_chars(key, kMaxCellChars), v = cut_chars(text, kMaxCellChars);
    check(worksheet_write_string(ws, r, 0, k.c_str(), nullptr), "write_string");
    check(worksheet_write_string(ws, r, 1, v.c_str(), f.wrap), "write_string");
    w0 = std::max(w0, column_width_for(k));
    w1 = std::max(w1, column_width_for(v));
    ++r;
  }
  check(worksheet_set_column(ws, 0, 0, w0, nullptr), "set_column");
  check(worksheet_set_column(ws, 1, 1, std::min(w1, 80.0), f.wrap), "set_column");
  worksheet_freeze_panes(ws, 1, 0);
}

std::string unique_name(const std::string& wanted, std::set<std::string>& used) {
  std::string name = sheet_name_for(wanted);
  for (int k = 2; used.count(name); ++k) {
    const std::string suffix = "(" + std::to_string(k) + ")";
    name = cut_chars(sheet_name_for(wanted), 31 - suffix.size()) + suffix;
  }
  used.insert(name);
  return name;
}

}  // namespace

double column_width_for(std::string_view text) {
  const double w = static_cast<double>(render::display_width(text)) * 1.1 + 2;
  return std::clamp(w, 8.0, 60.0);
}

std::string sheet_name_for(std::string_view wanted) {
  std::string out;
  for (char ch : wanted)
    out += std::string_view("[]:*?/\\").find(ch) == std::string_view::npos ? ch : '_';
  while (!out.empty() && out.front() == '\'') out.erase(0, 1);
  out = cut_chars(out, 31);
  while (!out.empty() && out.back() == '\'') out.pop_back();
  return out.empty() ? "数据" : out;
}

std::string to_xlsx(const ExportDocument& doc) {
  TempFile file;
  lxw_workbook* wb = workbook_new(file.path().c_str());
  if (!wb) throw std::runtime_error("xlsx: workbook_new failed");
  try {
    lxw_doc_properties props{};
    const std::string title = doc.title;
    props.title = const_cast<char*>(title.c_str());
    props.author = const_cast<char*>("医美助手 yimei");
    check(workbook_set_properties(wb, &props), "set_properties");
    const Formats f = make_formats(wb);
    std::set<std::string> used;
    for (const ExportSheet& sheet : doc.sheets) {
      lxw_worksheet* ws = workbook_add_worksheet(wb, unique_name(sheet.name, used).c_str());
      if (!ws) throw std::runtime_error("xlsx: add_worksheet failed");
      write_table_sheet(ws, sheet.table, doc.show_phone, f);
    }
    if (doc.sheets.empty() || !doc.notes.empty()) {
      lxw_worksheet* ws = workbook_add_worksheet(wb, unique_name("说明", used).c_str());
      if (!ws) throw std::runtime_error("xlsx: add_worksheet failed");
      write_notes_sheet(ws, doc, f);
    }
  } catch (...) {
    workbook_close(wb);
    throw;
  }
  check(workbook_close(wb), "close");
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw std::runtime_error("xlsx: cannot read the written file");
  if (bytes.empty()) throw std::runtime_error("xlsx: empty file written");
  return bytes;
}

}  // namespace yimei::exports
