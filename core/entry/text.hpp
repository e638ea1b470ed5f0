// Small text helpers of data entry: UTF-8 character counts, quoting a user's argument inside a
// Chinese sentence (long arguments cut), money with thousands separators, masked phones.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"

namespace yimei::entry {

// Longest argument quoted back in full; longer ones are cut and end with "…".
inline constexpr std::size_t kQuoteChars = 20;

// Strips ASCII whitespace and the full-width space U+3000 at both ends.
std::string trim(std::string_view text);
// The UTF-8 characters of `text` (each element one code point's bytes); invalid bytes are
// kept as single-byte elements.
std::vector<std::string> utf8_chars(std::string_view text);
// Number of code points.
std::size_t utf8_length(std::string_view text);
// True when `text` is valid UTF-8 without control characters.
bool is_clean_text(std::string_view text);
// “text” with Chinese quotes; cut to kQuoteChars characters plus "…" when longer.
std::string quote_arg(std::string_view text);
// "1,234.50": two decimals, thousands separators, a leading '-' when negative.
std::string format_yuan(const Decimal& amount);
// "138****5678": first 3 and last 4 digits kept; shorter values keep only their last 4.
std::string mask_phone(std::string_view phone);

// Money as whole cents (amount rounded half away from zero to 2 decimals); throws
// std::overflow_error beyond int64.
std::int64_t to_cents(const Decimal& amount);
Decimal from_cents(std::int64_t cents);

}  // namespace yimei::entry
