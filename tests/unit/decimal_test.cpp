// Decimal: exact parsing, printing, arithmetic and rounding of money values.
#include "core/decimal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>

using yimei::Decimal;

TEST(Decimal, ParsesAndPrintsExactly) {
  EXPECT_EQ(Decimal::from_db("12345678901234.123456").to_string(), "12345678901234.123456");
  EXPECT_EQ(Decimal::from_db("-0.05").to_string(), "-0.05");
  EXPECT_EQ(Decimal::from_db("7").to_string(), "7");
  EXPECT_EQ(Decimal::from_db("0.10").to_string(), "0.10");
  EXPECT_FALSE(Decimal::parse("1e5"));
  EXPECT_FALSE(Decimal::parse("1.2.3"));
  EXPECT_FALSE(Decimal::parse(""));
  EXPECT_FALSE(Decimal::parse("-"));
  EXPECT_FALSE(Decimal::parse(" 1"));
}

TEST(Decimal, AddsWithoutBinaryFloatError) {
  Decimal sum;
  for (int i = 0; i < 10; ++i) sum += Decimal::from_db("0.1");
  EXPECT_EQ(sum, Decimal::from_db("1"));
  EXPECT_EQ((Decimal::from_db("0.1") + Decimal::from_db("0.2")).to_string(), "0.3");
  EXPECT_EQ((Decimal::from_db("100.00") - Decimal::from_db("0.01")).to_string(), "99.99");
  EXPECT_EQ((Decimal::from_db("19.99") * 3).to_string(), "59.97");
}

TEST(Decimal, RoundsHalfAwayFromZero) {
  EXPECT_EQ(Decimal::from_db("2.345").rounded(2).to_string(), "2.35");
  EXPECT_EQ(Decimal::from_db("-2.345").rounded(2).to_string(), "-2.35");
  EXPECT_EQ(Decimal::from_db("2.344").rounded(2).to_string(), "2.34");
  EXPECT_EQ(Decimal::from_db("2.5").rounded(4).to_string(), "2.5000");
  EXPECT_EQ(Decimal::from_db("0.004").rounded(2).to_string(), "0.00");
}

TEST(Decimal, ComparesAcrossScales) {
  EXPECT_EQ(Decimal::from_db("1.50"), Decimal::from_db("1.5"));
  EXPECT_LT(Decimal::from_db("-3"), Decimal::from_db("2.99"));
  EXPECT_GT(Decimal::from_db("10"), Decimal::from_db("9.999999"));
}

TEST(Decimal, MantissaAcrossTheSixtyFourBitHalves) {
  // 2^64 - 1, 2^64 and their negatives: the mantissa is kept as two 64-bit halves.
  const Decimal below = Decimal::from_db("18446744073709551615");
  const Decimal one = Decimal::from_int(1);
  EXPECT_EQ((below + one).to_string(), "18446744073709551616");
  EXPECT_EQ((below + one - one), below);
  EXPECT_EQ((Decimal::from_int(0) - below - one).to_string(), "-18446744073709551616");
  EXPECT_TRUE((Decimal::from_int(0) - below).is_negative());
  EXPECT_FALSE(below.is_negative());
  EXPECT_TRUE((below - below).is_zero());
  EXPECT_FALSE(Decimal::from_db("-0.01").is_zero());
  EXPECT_TRUE(Decimal::from_db("-0.00").is_zero());
  EXPECT_TRUE(Decimal().is_zero());
  // Negative values whose high half is all ones, compared and rounded.
  EXPECT_LT(Decimal::from_db("-1"), Decimal::from_db("-0.5"));
  EXPECT_LT(Decimal::from_db("-18446744073709551617"), Decimal::from_db("-18446744073709551616"));
  EXPECT_GT(Decimal::from_db("18446744073709551616"), Decimal::from_db("-18446744073709551616"));
  EXPECT_EQ(Decimal::from_db("-18446744073709551616.5").rounded(0).to_string(),
            "-18446744073709551617");
  EXPECT_EQ((Decimal::from_db("-4611686018427387904") * 4).to_string(), "-18446744073709551616");
  EXPECT_DOUBLE_EQ(Decimal::from_db("-18446744073709551616").to_double(), -18446744073709551616.0);
  // The widest values parse and print (36 digits), and overflow still throws.
  const char* wide = "-123456789012345678.901234567890123456";
  EXPECT_EQ(Decimal::from_db(wide).to_string(), wide);
  const Decimal big = Decimal::from_db("999999999999999999999999999999999999");
  EXPECT_THROW((void)(big * 1000), std::overflow_error);
  EXPECT_EQ(sizeof(Decimal), 16u);
}

TEST(Decimal, ScaleAndWidestMantissaShareSixteenBytes) {
  // The scale sits below the mantissa in the same two words: every scale with the widest and
  // the smallest mantissas of either sign keeps both exactly.
  for (int scale = 0; scale <= Decimal::kMaxScale; ++scale) {
    std::string digits(36, '9');
    if (scale > 0) digits.insert(digits.end() - scale, '.');
    for (const std::string& text : {digits, "-" + digits}) {
      const Decimal d = Decimal::from_db(text);
      EXPECT_EQ(d.scale(), scale) << text;
      EXPECT_EQ(d.to_string(), text);
      EXPECT_EQ(Decimal::from_units(d.units(), scale), d);
      EXPECT_EQ(d.is_negative(), text[0] == '-');
    }
    const Decimal tiny = Decimal::from_units(-1, scale);
    EXPECT_EQ(tiny.units(), -1);
    EXPECT_EQ(tiny.scale(), scale);
    EXPECT_TRUE(tiny.is_negative());
    EXPECT_FALSE(tiny.is_zero());
    EXPECT_TRUE(Decimal::from_units(0, scale).is_zero());
  }
}

TEST(Decimal, SameScaleFastPathsAgreeWithRescaledArithmetic) {
  // Equal scales skip the rescaling; the answers must be those of the general path.
  const Decimal a = Decimal::from_db("1234.56"), b = Decimal::from_db("-0.07");
  const Decimal b_wider = Decimal::from_db("-0.070");
  EXPECT_EQ((a + b).to_string(), "1234.49");
  EXPECT_EQ((a + b_wider).to_string(), "1234.490");
  EXPECT_EQ(a + b, a + b_wider);
  EXPECT_EQ((b - a).to_string(), "-1234.63");
  EXPECT_LT(b, a);
  EXPECT_GT(a, b);
  EXPECT_EQ(b, b_wider);
  EXPECT_EQ(Decimal::from_db("0.10") <=> Decimal::from_db("0.10"), std::strong_ordering::equal);
  const Decimal near_limit = Decimal::from_db("99999999999999999999999999999999999.9");
  EXPECT_EQ((near_limit + Decimal::from_db("-0.9")).to_string(),
            "99999999999999999999999999999999999.0");
}

TEST(Decimal, ParsesEveryDigitCountExactly) {
  // Digits gather in 64 bits up to 18 and in 128 bits past them: every count, both signs, with
  // and without decimals, reads back the same units.
  std::string digits;
  __int128 units = 0;
  for (int n = 1; n <= 36; ++n) {
    const char d = static_cast<char>('0' + (n * 7) % 10);
    digits.push_back(d);
    units = units * 10 + (d - '0');
    EXPECT_TRUE(Decimal::from_db(digits).units() == units) << digits;
    EXPECT_TRUE(Decimal::from_db("-" + digits).units() == -units) << digits;
    std::string with_point = digits;
    const int scale = std::min(n - 1, Decimal::kMaxScale);
    with_point.insert(with_point.end() - scale, '.');
    const Decimal d2 = Decimal::from_db(with_point);
    EXPECT_TRUE(d2.units() == units && d2.scale() == scale) << with_point;
  }
  EXPECT_FALSE(Decimal::parse(std::string(37, '9')));
}

TEST(Decimal, FromUnitsIsParseOfTheSameDigits) {
  EXPECT_EQ(Decimal::from_units(123456, 2).to_string(), "1234.56");
  EXPECT_EQ(Decimal::from_units(-5, 3).to_string(), "-0.005");
  EXPECT_EQ(Decimal::from_units(0, 2).to_string(), "0.00");
  EXPECT_EQ(Decimal::from_units(7, 0), Decimal::from_int(7));
  // 2^64 + 1 and a quarter, negative: units across both 64-bit halves.
  EXPECT_TRUE(Decimal::from_db("-18446744073709551617.25").units() ==
              -((static_cast<__int128>(1) << 64) + 1) * 100 - 25);
  // The limits parse() has: 36 digits and 18 decimals.
  __int128 widest = 0;
  for (int i = 0; i < 36; ++i) widest = widest * 10 + 9;
  EXPECT_EQ(Decimal::from_units(widest, 0).to_string(), std::string(36, '9'));
  EXPECT_THROW((void)Decimal::from_units(widest + 1, 0), std::invalid_argument);
  EXPECT_THROW((void)Decimal::from_units(-widest - 1, 0), std::invalid_argument);
  EXPECT_THROW((void)Decimal::from_units(1, 19), std::invalid_argument);
  EXPECT_THROW((void)Decimal::from_units(1, -1), std::invalid_argument);
}
