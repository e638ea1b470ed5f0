// Result tables as text for people and machines: plain text aligned for CJK double-width
// characters, markdown, and JSON values per docs/spec/interfaces.md. Long results are cut with
// a "共N行，显示前M行" line. Phones are masked (138****5678) unless show_phone.
// Pure functions; thread-safe.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "core/table.hpp"

namespace yimei::render {

struct RenderOptions {
  bool show_phone = false;
  std::size_t max_rows = 50;  // rows shown in text/markdown; the rest summarized
  // The full length of a table that holds only its first rows (0: its own length), for the
  // "共N行" line.
  std::size_t total_rows = 0;
};

// Display width of UTF-8 text in terminal cells (CJK and full-width = 2).
std::size_t display_width(std::string_view utf8);
// "13812345678" -> "138****5678"; other shapes keep their first 3 and last 4 characters.
std::string mask_phone(std::string_view phone);
// One value as people read it: money with 2 decimals, dates YYYY-MM-DD, NULL as "-".
std::string format_value(const Value& v, const Column& c, bool show_phone);

std::string to_text(const Table& t, const RenderOptions& o = {});
std::string to_markdown(const Table& t, const RenderOptions& o = {});
// JSON value of one cell: numbers as numbers (money rounded to 2 decimals), dates as
// "YYYY-MM-DD", NULL as null, phones masked unless show_phone.
boost::json::value to_json_value(const Value& v, const Column& c, bool show_phone);
// {"columns": [...names], "rows": [[...]]}, every row (no cap).
boost::json::object to_json(const Table& t, bool show_phone);
// Appends one row as the JSON array text that serializing to_json's row would give, without
// building JSON values (for writing large results row by row).
void append_json_row(std::string& out, const Table& t, const Row& row, bool show_phone);

}  // namespace yimei::render
