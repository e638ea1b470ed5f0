// XLSX files with libxlsxwriter: one worksheet per ExportSheet plus a 说明 sheet for the notes.
// Cells are typed: integers and money as numbers (money, i.e. 元 and DECIMAL columns, with the
// format #,##0.00), ratios as numbers formatted 0.00%, dates as Excel dates (yyyy-mm-dd), NULL
// as an empty cell, text as strings (never formulas). A bold header row, frozen below the
// header, an autofilter, and column widths fitted to the text (a CJK character counts two).
// Thread-safe: each call writes its own temporary file.
#pragma once

#include <string>

#include "core/export/export_document.hpp"

namespace yimei::exports {

// The .xlsx bytes. Throws std::runtime_error when libxlsxwriter or the temporary file fails.
std::string to_xlsx(const ExportDocument& doc);

// Excel's column width (in characters of the default font) that fits `text`: CJK and
// full-width characters count two, plus a margin; clamped to 8..60.
double column_width_for(std::string_view text);

// A valid, unique-able sheet name: []:*?/\ become "_", at most 31 characters, never empty.
std::string sheet_name_for(std::string_view wanted);

}  // namespace yimei::exports
