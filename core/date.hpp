// Calendar dates (no time of day) as the analyses and Text2SQL use them: parsing, printing,
// day arithmetic and "today" in a configured IANA time zone. Thread-safe free functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace yimei {

using Date = std::chrono::year_month_day;

// "YYYY-MM-DD" (also accepts "YYYY/MM/DD"); nullopt when malformed or not a real day.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(const Date& d);
Date add_days(const Date& d, int days);
// Signed whole days from a to b (b - a).
int days_between(const Date& a, const Date& b);
Date first_of_month(const Date& d);
Date last_of_month(const Date& d);
// Adds months, clamping the day to the target month's length (Mar 31 - 1 month = Feb 28/29).
Date add_months(const Date& d, int months);
// Monday of d's ISO week.
Date monday_of(const Date& d);
// 1 = Monday … 7 = Sunday.
unsigned iso_weekday(const Date& d);
// Today in the named time zone (e.g. "Asia/Shanghai"); throws std::runtime_error for an
// unknown zone.
Date today_in(const std::string& time_zone);
// True when the zone exists in the system tz database.
bool is_valid_time_zone(const std::string& time_zone);

}  // namespace yimei
