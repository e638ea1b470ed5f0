// The report builders' number and date formats and the exact threshold comparison of the
// department-drop alert (no float between the figures and the decision).
#include <gtest/gtest.h>

#include "core/report/report_parts.hpp"

using namespace yimei;
using namespace yimei::report::detail;

namespace {

Decimal dec(const char* s) {
  return Decimal::from_db(s);
}

}  // namespace

TEST(PushReportText, MoneyIsGroupedWithTwoDecimals) {
  EXPECT_EQ(yuan(dec("1234567.5")), "1,234,567.50元");
  EXPECT_EQ(yuan(dec("999.994")), "999.99元");
  EXPECT_EQ(yuan(dec("0")), "0.00元");
  EXPECT_EQ(yuan(dec("-1000")), "-1,000.00元");
  EXPECT_EQ(yuan(dec("100")), "100.00元");
}

TEST(PushReportText, ChangesAreSignedPercentages) {
  EXPECT_EQ(change_text(dec("1000"), dec("800")), "+25.0%");
  EXPECT_EQ(change_text(dec("600"), dec("800")), "-25.0%");
  EXPECT_EQ(change_text(dec("800"), dec("800")), "持平");
  EXPECT_EQ(change_text(dec("0"), dec("0")), "持平");
  EXPECT_EQ(change_text(dec("5"), dec("0")), "（对比期为 0）");
  EXPECT_EQ(change_text(std::int64_t{3}, std::int64_t{4}), "-25.0%");
}

TEST(PushReportText, DaysCarryTheirWeekday) {
  EXPECT_EQ(day_text(*parse_date("2026-06-29")), "2026-06-29（周一）");
  EXPECT_EQ(day_text(*parse_date("2026-07-05")), "2026-07-05（周日）");
  EXPECT_EQ(period_text(*parse_date("2026-06-22"), *parse_date("2026-06-28")),
            "2026-06-22 至 2026-06-28");
}

TEST(PushReportText, DropThresholdIsExact) {
  // Exactly 20% is not "more than" 20%; one cent more is.
  EXPECT_FALSE(dropped_more_than(dec("800.00"), dec("1000.00"), dec("0.2")));
  EXPECT_TRUE(dropped_more_than(dec("799.99"), dec("1000.00"), dec("0.2")));
  // 0.1 + 0.2 style ratios that binary floats get wrong: 70% of 0.30 is 0.21.
  EXPECT_FALSE(dropped_more_than(dec("0.09"), dec("0.30"), dec("0.7")));
  EXPECT_TRUE(dropped_more_than(dec("0.08"), dec("0.30"), dec("0.7")));
  // A rise is never a drop; a zero threshold fires on any fall.
  EXPECT_FALSE(dropped_more_than(dec("1200"), dec("1000"), dec("0")));
  EXPECT_TRUE(dropped_more_than(dec("999.99"), dec("1000"), dec("0")));
  EXPECT_FALSE(dropped_more_than(dec("0"), dec("1000"), dec("1")));
}
