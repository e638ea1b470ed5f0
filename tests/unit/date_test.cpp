// Calendar helpers: parsing, month arithmetic at month ends and leap years, ISO weeks, zones.
#include "core/date.hpp"

#include <gtest/gtest.h>

using namespace yimei;

static Date d(const char* s) {
  return *parse_date(s);
}

TEST(Date, ParsesOnlyRealDays) {
  EXPECT_TRUE(parse_date("2024-02-29"));
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2024-13-01"));
  EXPECT_FALSE(parse_date("2024-1-01"));
  EXPECT_FALSE(parse_date("abcd-ef-gh"));
  EXPECT_EQ(format_date(d("2024/03/05")), "2024-03-05");
}

TEST(Date, FormatsEveryDigitInPlace) {
  EXPECT_EQ(format_date(d("2026-12-31")), "2026-12-31");
  EXPECT_EQ(format_date(d("1999-10-09")), "1999-10-09");
  EXPECT_EQ(format_date(d("0987-06-05")), "0987-06-05");  // leading zeros kept
  EXPECT_EQ(format_date(Date{std::chrono::year{10000} / 1 / 2}), "10000-01-02");
}

TEST(Date, DayAndMonthArithmetic) {
  EXPECT_EQ(format_date(add_days(d("2024-02-28"), 1)), "2024-02-29");
  EXPECT_EQ(format_date(add_days(d("2025-12-31"), 1)), "2026-01-01");
  EXPECT_EQ(days_between(d("2026-01-01"), d("2026-06-30")), 180);
  EXPECT_EQ(format_date(add_months(d("2024-03-31"), -1)), "2024-02-29");
  EXPECT_EQ(format_date(add_months(d("2025-03-31"), -1)), "2025-02-28");
  EXPECT_EQ(format_date(add_months(d("2025-11-30"), 3)), "2026-02-28");
  EXPECT_EQ(format_date(last_of_month(d("2024-02-10"))), "2024-02-29");
  EXPECT_EQ(format_date(first_of_month(d("2024-02-10"))), "2024-02-01");
}

TEST(Date, IsoWeeks) {
  EXPECT_EQ(iso_weekday(d("2026-06-29")), 1u);  // a Monday
  EXPECT_EQ(format_date(monday_of(d("2026-06-30"))), "2026-06-29");
  EXPECT_EQ(format_date(monday_of(d("2026-01-04"))), "2025-12-29");  // Sunday
}

TEST(Date, TimeZones) {
  EXPECT_TRUE(is_valid_time_zone("Asia/Shanghai"));
  EXPECT_FALSE(is_valid_time_zone("Mars/Olympus"));
  const Date today = today_in("Asia/Shanghai");
  EXPECT_TRUE(today.ok());
  EXPECT_GE(static_cast<int>(today.year()), 2024);
}
