// Text helpers of data entry: UTF-8 scanning, quoting, money and phone display.
#include "core/entry/text.hpp"

#include <stdexcept>

namespace yimei::entry {
namespace {

std::size_t utf8_seq_length(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 0;  // continuation or invalid lead byte
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

}  // namespace

std::string trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && is_ascii_space(s.front())) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && is_ascii_space(s.back())) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return std::string(s);
}

std::vector<std::string> utf8_chars(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8_seq_length(static_cast<unsigned char>(s[i]));
    if (n == 0 || i + n > s.size()) n = 1;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        n = 1;
        break;
      }
    }
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::size_t utf8_length(std::string_view s) {
  return utf8_chars(s).size();
}

bool is_clean_text(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = utf8_seq_length(c);
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    if (n == 1 && (c < 0x20 || c == 0x7F)) return false;
    i += n;
  }
  return true;
}

std::string quote_arg(std::string_view text) {
  const std::vector<std::string> chars = utf8_chars(text);
  std::string out = "“";
  const std::size_t n = chars.size() > kQuoteChars ? kQuoteChars : chars.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(chars[i][0]);
    out += (chars[i].size() == 1 && (c < 0x20 || c == 0x7F)) ? std::string(" ") : chars[i];
  }
  if (chars.size() > kQuoteChars) out += "…";
  out += "”";
  return out;
}

std::string format_yuan(const Decimal& amount) {
  std::string plain = amount.rounded(2).to_string();
  std::string sign;
  if (!plain.empty() && plain.front() == '-') {
    sign = "-";
    plain.erase(0, 1);
  }
  const std::size_t dot = plain.find('.');
  std::string whole = plain.substr(0, dot);
  const std::string frac = dot == std::string::npos ? ".00" : plain.substr(dot);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return sign + grouped + frac;
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() >= 8) {
    return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(phone.size() - 4));
  }
  if (phone.size() > 4) return "****" + std::string(phone.substr(phone.size() - 4));
  return "****";
}

std::int64_t to_cents(const Decimal& amount) {
  const std::string text = amount.rounded(2).to_string();
  std::int64_t cents = 0;
  bool negative = false;
  for (char c : text) {
    if (c == '-') {
      negative = true;
    } else if (c >= '0' && c <= '9') {
      if (cents > (INT64_MAX - 9) / 10) throw std::overflow_error("amount too large");
      cents = cents * 10 + (c - '0');
    }
  }
  return negative ? -cents : cents;
}

Decimal from_cents(std::int64_t cents) {
  const bool negative = cents < 0;
  std::string digits = std::to_string(negative ? -cents : cents);
  while (digits.size() < 3) digits.insert(digits.begin(), '0');
  digits.insert(digits.end() - 2, '.');
  return Decimal::from_db((negative ? "-" : "") + digits);
}

}  // namespace yimei::entry
