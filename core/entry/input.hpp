// Parsers for what a user types in a data-entry command: amounts, quantities, dates, payment
// methods, phones, names and health tags. Each returns the clean value or a UserError with one
// Chinese sentence that quotes the argument (cut when long). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"

namespace yimei::entry {

// Highest amount of one purchase line or write-off, in yuan.
inline constexpr std::int64_t kMaxAmountYuan = 1'000'000;
inline constexpr int kMaxQuantity = 999;
inline constexpr std::size_t kMaxNameChars = 32;
inline constexpr std::size_t kMaxTagsChars = 255;

// The payment methods of the data contract, in the order messages list them.
const std::vector<std::string>& payment_methods();
// The membership levels every clinic has, in order (普通, 银卡, 金卡, 钻石).
const std::vector<std::string>& standard_levels();

// "1200", "1,200.50", "¥1200", "1200元": > 0, at most 2 decimals, at most kMaxAmountYuan.
// Returns the amount with scale 2.
Outcome<Decimal> parse_amount(std::string_view text);
// Empty → 1; "2", "2次": 1..kMaxQuantity.
Outcome<int> parse_quantity(std::string_view text);
// Empty → today; "2026-06-30", "2026/6/30", "20260630", "6月30日", "6-30" (this year), 今天,
// 昨天, 前天. Never after today.
Outcome<Date> parse_entry_date(std::string_view text, const Date& today);
// Empty → 微信; the five methods and a few common aliases (微信支付, 刷卡, 银联, 储值…).
Outcome<std::string> parse_payment_method(std::string_view text);
// A mainland mobile number: spaces and dashes dropped, +86 / 86 prefix removed; 11 digits
// starting 13-19. Returns the 11 digits.
Outcome<std::string> parse_phone(std::string_view text);
// The 11 digits when `text` reads as a mainland mobile number (as parse_phone), else nullopt.
std::optional<std::string> as_phone(std::string_view text);
// A person's name: 1..kMaxNameChars characters of script, Latin letters, spaces, '·', '.', '-'.
Outcome<std::string> parse_person_name(std::string_view text);
// Health tags separated by commas, 、 ; or spaces → "敏感肌,过敏史"; nullopt when empty.
Outcome<std::optional<std::string>> parse_tags(std::string_view text);
// One of `allowed` (empty text → the first); the message lists `allowed`.
Outcome<std::string> parse_level(std::string_view text, const std::vector<std::string>& allowed);

}  // namespace yimei::entry
