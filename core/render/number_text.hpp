// Number text shared by the table renderers and the charts: thousands separators and fixed
// decimals for doubles (geometry and ratios only; money arrives as Decimal). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace yimei::render {

// Inserts "," every three digits of the integer part: "-12345.60" -> "-12,345.60".
// Text that is not a plain decimal number is returned unchanged.
std::string with_thousands(std::string_view plain);
// `v` with exactly `decimals` decimals ("%.*f"), "-0.00" printed as "0.00"; "-" for NaN/inf.
std::string fixed_text(double v, int decimals);
// Shortest text that reads back as exactly `v`, in plain (non-exponent) notation when
// 1e-6 <= |v| < 1e21: 12345.6 -> "12345.6", 1.0 -> "1". Empty for NaN/inf.
std::string shortest_text(double v);
// Room for any shortest_text (a fixed-notation double just below 1e21 with its sign).
inline constexpr std::size_t kShortestChars = 48;
// Writes shortest_text(v) of a finite `v` into `buf` without allocating; returns its end.
char* shortest_chars(char (&buf)[kShortestChars], double v);

}  // namespace yimei::render
