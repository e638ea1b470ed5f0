// Cron parsing and next-fire-time computation, table-tested: fields, steps, names, the
// day-of-month / day-of-week OR rule, month ends, leap days, time zones and DST gaps and overlaps.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "bot/scheduler.hpp"
#include "core/schedule/cron.hpp"

using namespace yimei;
using schedule::CronExpr;

namespace {

schedule::TimePoint utc(const std::string& text) {
  auto t = bot::parse_utc_text(text);
  if (!t) throw std::invalid_argument(text);
  return *t;
}

struct NextCase {
  const char* cron;
  const char* zone;
  const char* after_utc;
  const char* expected_local;  // "" = never fires
  const char* expected_utc;    // "" = not checked
};

class CronNext : public ::testing::TestWithParam<NextCase> {};

TEST_P(CronNext, FiresAtTheExpectedLocalTime) {
  const NextCase& c = GetParam();
  auto expr = CronExpr::parse(c.cron);
  ASSERT_TRUE(expr) << expr.error().message;
  const auto next = schedule::next_fire_time(*expr, c.zone, utc(c.after_utc));
  if (std::string(c.expected_local).empty()) {
    EXPECT_FALSE(next.has_value()) << schedule::local_time_text(*next, c.zone);
    return;
  }
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(schedule::local_time_text(*next, c.zone), c.expected_local)
      << c.cron << " after " << c.after_utc;
  if (std::string(c.expected_utc).size()) {
    EXPECT_EQ(bot::utc_text(*next), c.expected_utc);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, CronNext,
    ::testing::Values(
        // Daily at 09:00 in Shanghai (UTC+8): strictly after, so 09:00:00 itself moves on a day.
        NextCase{"0 9 * * *", "Asia/Shanghai", "2026-06-30 00:59:59", "2026-06-30 09:00",
                 "2026-06-30 01:00:00"},
        NextCase{"0 9 * * *", "Asia/Shanghai", "2026-06-30 01:00:00", "2026-07-01 09:00",
                 "2026-07-01 01:00:00"},
        // The local date differs from the UTC date: 00:30 local is the previous day in UTC.
        NextCase{"30 0 * * *", "Asia/Shanghai", "2026-06-30 12:00:00", "2026-07-01 00:30",
                 "2026-06-30 16:30:00"},
        // Steps, ranges with steps, a start with a step, lists.
        NextCase{"*/15 * * * *", "UTC", "2026-06-30 10:07:30", "2026-06-30 10:15", ""},
        NextCase{"*/15 * * * *", "UTC", "2026-06-30 10:45:00", "2026-06-30 11:00", ""},
        NextCase{"10-50/20 * * * *", "UTC", "2026-06-30 10:31:00", "2026-06-30 10:50", ""},
        NextCase{"10-50/20 * * * *", "UTC", "2026-06-30 10:50:00", "2026-06-30 11:10", ""},
        NextCase{"5/20 * * * *", "UTC", "2026-06-30 10:26:00", "2026-06-30 10:45", ""},
        NextCase{"0 8,12,18 * * *", "UTC", "2026-06-30 12:00:00", "2026-06-30 18:00", ""},
        // Month ends: the 31st skips 30-day months; 28-31 in February 2026 (28 days).
        NextCase{"0 0 31 * *", "Asia/Shanghai", "2026-04-01 00:00:00", "2026-05-31 00:00", ""},
        NextCase{"59 23 28-31 * *", "UTC", "2026-02-28 23:59:00", "2026-03-28 23:59", ""},
        // Leap days: every four years, and not in 2100.
        NextCase{"0 0 29 2 *", "UTC", "2026-03-01 00:00:00", "2028-02-29 00:00", ""},
        NextCase{"0 12 29 * *", "UTC", "2024-02-01 00:00:00", "2024-02-29 12:00", ""},
        NextCase{"0 12 29 * *", "UTC", "2023-02-01 00:00:00", "2023-03-29 12:00", ""},
        NextCase{"0 0 29 2 *", "UTC", "2096-03-01 00:00:00", "2104-02-29 00:00", ""},
        NextCase{"0 0 30 2 *", "UTC", "2026-01-01 00:00:00", "", ""},
        // Day of week: names, 7 = Sunday, month names.
        NextCase{"0 9 * * MON", "UTC", "2026-06-02 12:00:00", "2026-06-08 09:00", ""},
        NextCase{"0 8 * * 7", "UTC", "2026-06-30 00:00:00", "2026-07-05 08:00", ""},
        NextCase{"0 8 * jul sun", "UTC", "2026-01-01 00:00:00", "2026-07-05 08:00", ""},
        NextCase{"0 9 * * mon-fri", "UTC", "2026-07-03 10:00:00", "2026-07-06 09:00", ""},
        // Both day fields restricted: either matches (Wednesday the 3rd is in 1-7).
        NextCase{"0 9 1-7 * MON", "UTC", "2026-06-02 12:00:00", "2026-06-03 09:00", ""},
        NextCase{"0 9 1-7 * MON", "UTC", "2026-06-07 12:00:00", "2026-06-08 09:00", ""},
        // Day of month starts with '*': both must match (an odd day that is a Monday).
        NextCase{"0 9 */2 * MON", "UTC", "2026-06-01 10:00:00", "2026-06-15 09:00", ""},
        // Macros.
        NextCase{"@monthly", "Asia/Shanghai", "2026-06-30 12:00:00", "2026-07-01 00:00", ""},
        NextCase{"@weekly", "UTC", "2026-06-30 12:00:00", "2026-07-05 00:00", ""},
        // New York: DST begins 2026-03-08 02:00 (02:30 does not exist that day: skipped) and
        // ends 2026-11-01 02:00 (01:30 happens twice: fires once, at the first).
        NextCase{"0 9 * * *", "America/New_York", "2026-03-07 15:00:00", "2026-03-08 09:00",
                 "2026-03-08 13:00:00"},
        NextCase{"30 2 * * *", "America/New_York", "2026-03-08 05:00:00", "2026-03-09 02:30",
                 "2026-03-09 06:30:00"},
        NextCase{"30 1 * * *", "America/New_York", "2026-11-01 04:00:00", "2026-11-01 01:30",
                 "2026-11-01 05:30:00"},
        NextCase{"30 1 * * *", "America/New_York", "2026-11-01 05:30:00", "2026-11-02 01:30",
                 "2026-11-02 06:30:00"},
        NextCase{"*/30 * * * *", "America/New_York", "2026-11-01 05:45:00", "2026-11-01 02:00",
                 "2026-11-01 07:00:00"}));

struct BadCase {
  const char* cron;
  const char* reason_part;  // a fragment of the Chinese reason
};

class CronRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(CronRejects, WithAReasonNamingTheField) {
  auto expr = CronExpr::parse(GetParam().cron);
  ASSERT_FALSE(expr) << GetParam().cron;
  EXPECT_EQ(expr.error().kind, ErrorKind::BadInput);
  EXPECT_NE(expr.error().message.find(GetParam().reason_part), std::string::npos)
      << expr.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, CronRejects,
    ::testing::Values(BadCase{"", "5 个字段"}, BadCase{"0 9 * *", "收到 4 个"},
                      BadCase{"0 9 * * * *", "收到 6 个"}, BadCase{"60 * * * *", "分钟"},
                      BadCase{"* 24 * * *", "小时"}, BadCase{"* * 0 * *", "日期"},
                      BadCase{"* * 32 * *", "日期"}, BadCase{"* * * 13 *", "月份"},
                      BadCase{"* * * * 8", "星期"}, BadCase{"*/0 * * * *", "步长"},
                      BadCase{"5-1 * * * *", "起点大于终点"}, BadCase{"a * * * *", "无法识别"},
                      BadCase{"1,,2 * * * *", "空的列表项"}, BadCase{"* * * FOO *", "月份"},
                      BadCase{"0 6 L * *", "日期"}, BadCase{"@weird", "简写"}));

TEST(Cron, MatchesDayUsesTheOrRuleOnlyWhenBothAreRestricted) {
  auto both = CronExpr::parse("0 0 13 * 5");  // the 13th, or any Friday
  ASSERT_TRUE(both);
  EXPECT_TRUE(both->matches_day(6, 13, 6));   // Saturday the 13th
  EXPECT_TRUE(both->matches_day(6, 12, 5));   // Friday the 12th
  EXPECT_FALSE(both->matches_day(6, 12, 4));  // Thursday the 12th
  auto dom_only = CronExpr::parse("0 0 13 * *");
  ASSERT_TRUE(dom_only);
  EXPECT_FALSE(dom_only->matches_day(6, 12, 5));
}

TEST(Cron, LocalDateOfAnInstantFollowsTheZone) {
  const auto t = utc("2026-06-30 16:30:00");
  EXPECT_EQ(format_date(schedule::local_date(t, "Asia/Shanghai")), "2026-07-01");
  EXPECT_EQ(format_date(schedule::local_date(t, "UTC")), "2026-06-30");
  EXPECT_THROW(schedule::local_date(t, "Mars/Olympus"), std::invalid_argument);
}

}  // namespace
