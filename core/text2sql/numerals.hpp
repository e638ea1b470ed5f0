// Chinese numerals and number words to digits, the last step of question normalization:
// 三个月 -> 3个月, 一万五 -> 15000, 1.5万 -> 15000, 5k -> 5000, 百分之十 -> 10%, with a short list
// of fixed words that hold numeral characters but are not numbers (一共, 万一, 二开, 一下...).
// Pure functions on UTF-32 text; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace yimei::text2sql {

// Rewrites every number word of `text` (already NFKC, simplified, ASCII lower-cased) as
// digits; everything else is copied unchanged. Plain Arabic numbers (2025, 1.5, C000504) are
// never touched.
std::u32string convert_numerals(std::u32string_view text);

// The value of `text` when the whole of it is one number word ("十二", "两", "一万五",
// "1.5万", "5k", "3千", "15000", "1.5"); nullopt otherwise (percentages included).
std::optional<double> parse_number_u32(std::u32string_view text);

// Formats a number as convert_numerals writes it: no exponent, no trailing zeros
// (15000, 1.5, 0.25).
std::string format_number(double value);

}  // namespace yimei::text2sql
