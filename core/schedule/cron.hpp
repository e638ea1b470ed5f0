// Five-field cron expressions (minute hour day-of-month month day-of-week) and the next time a
// schedule fires in an IANA time zone. Pure value types and functions; thread-safe.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/error.hpp"

namespace yimei::schedule {

// A parsed cron expression. Fields accept `*`, numbers, ranges `a-b`, lists `a,b`, steps `*/n`
// and `a-b/n` (and `a/n` = from a to the field's end), month names JAN-DEC and weekday names
// SUN-SAT (any case); day-of-week 7 is Sunday like 0. The macros @yearly (@annually), @monthly,
// @weekly, @daily (@midnight) and @hourly are accepted. As in Vixie cron, when both
// day-of-month and day-of-week are restricted (neither field starts with `*`) a day matches
// when EITHER matches; otherwise both must.
class CronExpr {
 public:
  // Returns a BadInput UserError naming the field and the problem in one Chinese sentence.
  static Outcome<CronExpr> parse(std::string_view text);

  // True when the local calendar day (year, month 1-12, day 1-31, weekday 0 = Sunday) matches.
  bool matches_day(unsigned month, unsigned day_of_month, unsigned weekday) const;
  bool matches_time(unsigned hour, unsigned minute) const {
    return hours_[hour] && minutes_[minute];
  }
  const std::bitset<60>& minutes() const { return minutes_; }
  const std::bitset<24>& hours() const { return hours_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1..31
  std::bitset<13> months_;   // 1..12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool day_restricted_ = false;
  bool weekday_restricted_ = false;
};

using TimePoint = std::chrono::system_clock::time_point;

// The first time strictly after `after` at which `expr` fires, read as local wall-clock time in
// `zone` (e.g. "Asia/Shanghai"). A local time that does not exist (skipped by a DST jump) is
// skipped; a local time that occurs twice (DST fall-back) fires once, at its first occurrence.
// nullopt when nothing matches within ten years (e.g. "0 0 30 2 *"). Throws
// std::invalid_argument for an unknown zone (validate with is_valid_time_zone first).
std::optional<TimePoint> next_fire_time(const CronExpr& expr, const std::string& zone,
                                        TimePoint after);

// Local wall-clock text "YYYY-MM-DD HH:MM" of `t` in `zone`, and its local calendar date.
// Throw std::invalid_argument for an unknown zone.
std::string local_time_text(TimePoint t, const std::string& zone);
Date local_date(TimePoint t, const std::string& zone);

}  // namespace yimei::schedule
