// Question normalization, the first step of Text2SQL: NFKC (full-width to half-width),
// traditional to simplified Chinese (ICU), @-mentions and noise stripped, punctuation and
// spaces unified, Chinese numerals and number words turned into digits
// (三个月 -> 3个月, 两周 -> 2周, 一万五 -> 15000, 1.5万 -> 15000, 5k -> 5000, 百分之十 -> 10%).
// Pure functions; thread-safe after the first call (ICU transliterator built once).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace yimei::text2sql {

// The normalized question: lower-case ASCII, half-width, simplified, digits for numerals,
// Chinese punctuation mapped to one ASCII form (，、；→ ",", ？→ "?", ！→ "!", ：→ ":",
// 。→ ".", quotes “”‘’「」 → '"', 【】 → [], dashes → "-", 〜 → "~"), @-mentions removed, runs
// of spaces collapsed and trimmed; dates like 2025年3月 keep their digits. Words that hold
// numerals but are not numbers stay as written (一共, 一次都没, 一单, 万一, 单一, 二开, 一下,
// 一点 unless a digit follows, 零售, 五官...), as do approximations (十几, 两三个) and Arabic
// numbers (C000504, 水光补水针6次卡). Entity names loaded from the database should go through
// this same function before they are matched against a question (张三 becomes 张3 on both
// sides). Never throws on bad UTF-8 (invalid bytes are dropped); throws std::runtime_error
// only if ICU's data lacks NFKC or Traditional-Simplified (a broken install).
std::string normalize_question(std::string_view raw);

// Parses a Chinese or Arabic number word as a whole ("十二" -> 12, "两" -> 2, "一万五" -> 15000,
// "1.5万" -> 15000, "5k" -> 5000, "3千" -> 3000, "15000", "一点五" -> 1.5); nullopt when the
// text is not one number (percentages included: normalize_question writes 百分之十 as 10%).
std::optional<double> parse_number_word(std::string_view text);

}  // namespace yimei::text2sql
