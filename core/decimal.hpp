// Exact decimal numbers for money: a 128-bit mantissa and a decimal scale, parsed from and
// printed to the database's own text form, so that no binary float ever stands between MariaDB
// and a reply. Value type; thread-safe as any value.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yimei {

class Decimal {
 public:
  static constexpr int kMaxScale = 18;

  Decimal() = default;
  // Integer value with scale 0.
  static Decimal from_int(std::int64_t v) { return Decimal(v, 0); }
  // Parses "-123.45", "0.5", "12"; nullopt for anything else (no exponents, no spaces).
  static std::optional<Decimal> parse(std::string_view text);
  // Like parse, but throws std::invalid_argument: for values the database produced.
  static Decimal from_db(std::string_view text);
  // units / 10^scale exactly; std::invalid_argument where parse() would refuse the text (more
  // than 36 digits or kMaxScale decimals). For arithmetic done on the integer units.
  static Decimal from_units(__int128 units, int scale);

  // Exact text with exactly scale() decimals, e.g. "1234.50".
  std::string to_string() const;
  // Rounded half away from zero to `scale` decimals (scale may also grow).
  Decimal rounded(int scale) const;
  // For charts and ratios only: never feed this back into money arithmetic.
  double to_double() const;

  int scale() const { return static_cast<int>(lo_ & kScaleMask); }
  // The value in integer units of 10^-scale().
  __int128 units() const { return static_cast<__int128>(packed()) >> kScaleBits; }
  bool is_zero() const { return lo_ <= kScaleMask && hi_ == 0; }
  bool is_negative() const { return static_cast<std::int64_t>(hi_) < 0; }

  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  friend Decimal operator*(const Decimal& a, std::int64_t k);
  Decimal& operator+=(const Decimal& o) { return *this = *this + o; }
  Decimal& operator-=(const Decimal& o) { return *this = *this - o; }
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }

 private:
  // The units (|units| <= 2^120, as the arithmetic checks) shifted left past the scale, which
  // takes the low kScaleBits: 16 bytes, aligned to 8 (an __int128 member would align Decimal to
  // 16 and with it every table cell, Value, to 32 bytes instead of 24).
  static constexpr int kScaleBits = 5;
  static constexpr std::uint64_t kScaleMask = (1u << kScaleBits) - 1;
  Decimal(__int128 units, int scale) {
    const auto packed =
        static_cast<unsigned __int128>(units) << kScaleBits | static_cast<unsigned __int128>(scale);
    lo_ = static_cast<std::uint64_t>(packed);
    hi_ = static_cast<std::uint64_t>(packed >> 64);
  }
  unsigned __int128 packed() const { return static_cast<unsigned __int128>(hi_) << 64 | lo_; }
  static __int128 pow10(int n);
  std::uint64_t lo_ = 0;
  std::uint64_t hi_ = 0;
};

static_assert(sizeof(Decimal) == 16 && alignof(Decimal) == 8);
static_assert(Decimal::kMaxScale < 32);  // fits kScaleBits

}  // namespace yimei
