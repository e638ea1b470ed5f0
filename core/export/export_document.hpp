// What an export file holds, whatever its format: named sheets of typed tables (the first is
// the main result) and a few notes (title, period, definition, parameters) for a 说明 sheet.
// Plus the export formats and a safe file name. Plain value types; pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/table.hpp"

namespace yimei::exports {

enum class ExportFormat { Xlsx, Csv };

struct ExportSheet {
  std::string name;  // shown on the sheet tab; made valid for Excel by the writer
  Table table;
};

struct ExportDocument {
  std::string title;                // e.g. 不活跃顾客, or the question
  std::vector<ExportSheet> sheets;  // the first is the main table (the only one in CSV)
  // (项目, 内容) rows of the 说明 sheet: period, definition, parameters, notes.
  std::vector<std::pair<std::string, std::string>> notes;
  // Phone columns (Column::is_phone) are written masked (138****5678) unless this is set.
  bool show_phone = false;
};

// "xlsx" / "excel" / "csv" (any case; also with a leading "."); nullopt otherwise.
std::optional<ExportFormat> parse_export_format(std::string_view text);
// The format a file name asks for by its extension (.xlsx / .csv); nullopt otherwise.
std::optional<ExportFormat> format_of_path(std::string_view path);
std::string_view extension_of(ExportFormat f);  // "xlsx" | "csv"
std::string_view mime_type_of(ExportFormat f);
std::string_view format_name_zh(ExportFormat f);  // "Excel" | "CSV"

// "<title>-<YYYY-MM-DD>.<ext>" (no date when as_of is not a valid date): characters that are unsafe
// in file names (/\:*?"<>| and control characters) become "_", and the title is cut to 40
// characters (UTF-8 aware).
std::string export_file_name(std::string_view title, const Date& as_of, ExportFormat f);

// The document's bytes in the chosen format (see xlsx_writer.hpp and csv_writer.hpp).
// Throws std::runtime_error when the XLSX library fails.
std::string render_export(const ExportDocument& doc, ExportFormat f);

}  // namespace yimei::exports
