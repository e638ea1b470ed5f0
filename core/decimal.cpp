// Decimal arithmetic on a scaled 128-bit integer; overflow throws std::overflow_error.
#include "core/decimal.hpp"

#include <algorithm>
#include <stdexcept>

namespace yimei {
namespace {

constexpr __int128 kLimit = static_cast<__int128>(1) << 120;

__int128 checked(__int128 v) {
  if (v > kLimit || v < -kLimit) throw std::overflow_error("decimal overflow");
  return v;
}

}  // namespace

__int128 Decimal::pow10(int n) {
  __int128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

std::optional<Decimal> Decimal::parse(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  __int128 units = 0;
  int scale = -1;
  int digits = 0;
  for (char c : s) {
    if (c == '.') {
      if (scale >= 0) return std::nullopt;
      scale = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (scale >= 0 && ++scale > kMaxScale) return std::nullopt;
    if (++digits > 36) return std::nullopt;
    units = units * 10 + (c - '0');
  }
  if (digits == 0) return std::nullopt;
  return Decimal(negative ? -units : units, std::max(scale, 0));
}

Decimal Decimal::from_units(__int128 units, int scale) {
  static const __int128 kMaxUnits = pow10(36);  // 36 digits, as parse() accepts
  if (scale < 0 || scale > kMaxScale || units >= kMaxUnits || units <= -kMaxUnits)
    throw std::invalid_argument("decimal out of range");
  return Decimal(units, scale);
}

Decimal Decimal::from_db(std::string_view text) {
  auto d = parse(text);
  if (!d) throw std::invalid_argument("not a decimal: " + std::string(text));
  return *d;
}

std::string Decimal::to_string() const {
  const __int128 u = units();
  __int128 v = u < 0 ? -u : u;
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  while (static_cast<int>(digits.size()) <= scale()) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  if (scale() > 0) digits.insert(digits.end() - scale(), '.');
  if (u < 0) digits.insert(digits.begin(), '-');
  return digits;
}

Decimal Decimal::rounded(int to) const {
  to = std::clamp(to, 0, kMaxScale);
  const __int128 u = units();
  if (to >= scale()) return Decimal(checked(u * pow10(to - scale())), to);
  const __int128 div = pow10(scale() - to);
  __int128 q = u / div;
  const __int128 r = u % div;
  if ((r < 0 ? -r : r) * 2 >= div) q += u < 0 ? -1 : 1;
  return Decimal(q, to);
}

double Decimal::to_double() const {
  return static_cast<double>(units()) / static_cast<double>(pow10(scale()));
}

Decimal operator+(const Decimal& a, const Decimal& b) {
  // Same scale (money columns): no rescaling. Sums and sorts of 100,000s of cells take this path.
  if (a.scale() == b.scale()) return Decimal(checked(a.units() + b.units()), a.scale());
  const int s = std::max(a.scale(), b.scale());
  return Decimal(checked(a.units() * Decimal::pow10(s - a.scale()) +
                         b.units() * Decimal::pow10(s - b.scale())),
                 s);
}

Decimal operator-(const Decimal& a, const Decimal& b) {
  return a + Decimal(-b.units(), b.scale());
}

Decimal operator*(const Decimal& a, std::int64_t k) {
  return Decimal(checked(a.units() * k), a.scale());
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  const bool same_scale = a.scale() == b.scale();
  const int s = std::max(a.scale(), b.scale());
  const __int128 x = same_scale ? a.units() : a.units() * Decimal::pow10(s - a.scale());
  const __int128 y = same_scale ? b.units() : b.units() * Decimal::pow10(s - b.scale());
  return x < y ? std::strong_ordering::less
               : (x > y ? std::strong_ordering::greater : std::strong_ordering::equal);
}

}  // namespace yimei
