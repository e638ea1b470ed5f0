// Thousands grouping and decimal text for doubles (see number_text.hpp).
#include "core/render/number_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace yimei::render {

std::string with_thousands(std::string_view plain) {
  std::size_t start = (!plain.empty() && (plain[0] == '-' || plain[0] == '+')) ? 1 : 0;
  std::size_t end = start;
  while (end < plain.size() && plain[end] >= '0' && plain[end] <= '9') ++end;
  if (end == start) return std::string(plain);
  if (end < plain.size()) {
    if (plain[end] != '.') return std::string(plain);
    for (std::size_t i = end + 1; i < plain.size(); ++i)
      if (plain[i] < '0' || plain[i] > '9') return std::string(plain);
  }
  std::string out(plain.substr(0, start));
  const std::size_t digits = end - start;
  for (std::size_t i = 0; i < digits; ++i) {
    if (i > 0 && (digits - i) % 3 == 0) out.push_back(',');
    out.push_back(plain[start + i]);
  }
  out.append(plain.substr(end));
  return out;
}

std::string fixed_text(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

char* shortest_chars(char (&buf)[kShortestChars], double v) {
  const double a = std::fabs(v);
  const bool plain = a == 0.0 || (a >= 1e-6 && a < 1e21);
  return (plain ? std::to_chars(buf, buf + kShortestChars, v, std::chars_format::fixed)
                : std::to_chars(buf, buf + kShortestChars, v))
      .ptr;
}

std::string shortest_text(double v) {
  if (!std::isfinite(v)) return {};
  char buf[kShortestChars];
  return std::string(buf, shortest_chars(buf, v));
}

}  // namespace yimei::render
