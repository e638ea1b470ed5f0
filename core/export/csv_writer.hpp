// CSV for Excel and scripts: UTF-8 with a byte-order mark (so Excel opens Chinese correctly),
// RFC 4180 (CRLF line ends; fields with a comma, quote, CR or LF quoted, quotes doubled), a
// header row of the Chinese column labels. Money with exactly 2 decimals and no separators,
// ratios as "12.34%", dates YYYY-MM-DD, NULL empty. Text that a spreadsheet would run as a
// formula (=, +, -, @ first, unless the cell is a plain number) is prefixed with "'".
// Pure; thread-safe.
#pragma once

#include <string>

#include "core/table.hpp"

namespace yimei::exports {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The whole file, BOM included. Phone columns are masked unless show_phone.
std::string to_csv(const Table& t, bool show_phone);

// One cell as CSV field text (before quoting).
std::string csv_cell_text(const Value& v, const Column& c, bool show_phone);

// The field quoted when RFC 4180 requires it.
std::string csv_quote(std::string_view field);

}  // namespace yimei::exports
