// Date helpers on std::chrono calendar types; time zones through Howard Hinnant's date/tz
// because g++ 12's <chrono> has no tzdb.
#include "core/date.hpp"

#include <date/tz.h>

#include <cstdio>
#include <stdexcept>

namespace yimei {

using std::chrono::days;
using std::chrono::sys_days;

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || (s[4] != '-' && s[4] != '/') || s[7] != s[4]) return std::nullopt;
  int y = 0, m = 0, d = 0;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
            std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string format_date(const Date& d) {
  const int year = static_cast<int>(d.year());
  if (year < 0 || year > 9999) {  // never in clinic data; kept exact rather than fast
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
  }
  // Digits by hand: snprintf was a noticeable part of writing 100,000-row results.
  const auto month = static_cast<unsigned>(d.month());
  const auto day = static_cast<unsigned>(d.day());
  const char text[10] = {static_cast<char>('0' + year / 1000),
                         static_cast<char>('0' + year / 100 % 10),
                         static_cast<char>('0' + year / 10 % 10),
                         static_cast<char>('0' + year % 10),
                         '-',
                         static_cast<char>('0' + month / 10),
                         static_cast<char>('0' + month % 10),
                         '-',
                         static_cast<char>('0' + day / 10),
                         static_cast<char>('0' + day % 10)};
  return std::string(text, sizeof text);
}

Date add_days(const Date& d, int n) {
  return Date{sys_days{d} + days{n}};
}

int days_between(const Date& a, const Date& b) {
  return static_cast<int>((sys_days{b} - sys_days{a}).count());
}

Date first_of_month(const Date& d) {
  return d.year() / d.month() / 1;
}

Date last_of_month(const Date& d) {
  return Date{std::chrono::year_month_day_last{d.year(), std::chrono::month_day_last{d.month()}}};
}

Date add_months(const Date& d, int months) {
  std::chrono::year_month ym = d.year() / d.month();
  ym += std::chrono::months{months};
  const Date last{
      std::chrono::year_month_day_last{ym.year(), std::chrono::month_day_last{ym.month()}}};
  return ym.year() / ym.month() / std::min(d.day(), last.day());
}

unsigned iso_weekday(const Date& d) {
  return std::chrono::weekday{sys_days{d}}.iso_encoding();
}

Date monday_of(const Date& d) {
  return add_days(d, -static_cast<int>(iso_weekday(d) - 1));
}

Date today_in(const std::string& time_zone) {
  const auto zoned = date::make_zoned(time_zone, std::chrono::system_clock::now());
  const auto local_day = date::floor<date::days>(zoned.get_local_time());
  const date::year_month_day ymd{local_day};
  return Date{std::chrono::year{static_cast<int>(ymd.year())},
              std::chrono::month{static_cast<unsigned>(ymd.month())},
              std::chrono::day{static_cast<unsigned>(ymd.day())}};
}

bool is_valid_time_zone(const std::string& time_zone) {
  try {
    (void)date::locate_zone(time_zone);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace yimei
