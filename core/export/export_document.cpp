// Export formats, file names and the format dispatch (see export_document.hpp).
#include "core/export/export_document.hpp"

#include <algorithm>
#include <cctype>

#include "core/export/csv_writer.hpp"
#include "core/export/xlsx_writer.hpp"

namespace yimei::exports {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view text) {
  std::string t = lower_ascii(text);
  if (!t.empty() && t.front() == '.') t.erase(0, 1);
  if (t == "xlsx" || t == "excel" || t == "xls") return ExportFormat::Xlsx;
  if (t == "csv") return ExportFormat::Csv;
  return std::nullopt;
}

std::optional<ExportFormat> format_of_path(std::string_view path) {
  const auto dot = path.rfind('.');
  const auto slash = path.find_last_of("/\\");
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return std::nullopt;
  const std::string ext = lower_ascii(path.substr(dot + 1));
  if (ext == "xlsx") return ExportFormat::Xlsx;
  if (ext == "csv") return ExportFormat::Csv;
  return std::nullopt;
}

std::string_view extension_of(ExportFormat f) {
  return f == ExportFormat::Xlsx ? "xlsx" : "csv";
}

std::string_view mime_type_of(ExportFormat f) {
  return f == ExportFormat::Xlsx
             ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
             : "text/csv; charset=utf-8";
}

std::string_view format_name_zh(ExportFormat f) {
  return f == ExportFormat::Xlsx ? "Excel" : "CSV";
}

std::string export_file_name(std::string_view title, const Date& as_of, ExportFormat f) {
  constexpr std::size_t kMaxChars = 40;
  std::string name;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < title.size() && chars < kMaxChars; ++chars) {
    const auto c = static_cast<unsigned char>(title[i]);
    const std::size_t n = std::min(utf8_length(c), title.size() - i);
    if (n == 1 &&
        (c < 0x20 || c == 0x7f ||
         std::string_view("/\\:*?\"<>| ").find(static_cast<char>(c)) != std::string_view::npos))
      name += '_';
    else
      name.append(title.substr(i, n));
    i += n;
  }
  while (!name.empty() && (name.front() == '.' || name.front() == '_')) name.erase(0, 1);
  if (name.empty()) name = "导出";
  if (as_of.ok()) name += "-" + format_date(as_of);
  return name + "." + std::string(extension_of(f));
}

std::string render_export(const ExportDocument& doc, ExportFormat f) {
  if (f == ExportFormat::Csv) {
    static const Table kEmpty;
    return to_csv(doc.sheets.empty() ? kEmpty : doc.sheets.front().table, doc.show_phone);
  }
  return to_xlsx(doc);
}

}  // namespace yimei::exports
