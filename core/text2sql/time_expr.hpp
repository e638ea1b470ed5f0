// Time expressions relative to as_of, on normalized text: 今天, 昨天, 前天, 本周/这周, 上周,
// 本月/这个月, 上个月, 近N天/周/个月/年, 最近半年, 今年, 去年, 前年, 上半年/下半年, 第N季度,
// 2025年3月, 3月份, 3月到5月, 1月至3月, explicit dates (2026-06-01, 6月1日), 年初至今...
// Ranges are closed [from, to] and never end after as_of unless the text names a future period
// explicitly (7月份到期). Pure; thread-safe.
//
// Conventions (the examples' gold SQL is the oracle):
// - 近/最近/过去 N 天 = [as_of - (N-1), as_of]; N 周 = 7N days the same way; N 个月 (N 年 = 12N
//   months, 半年 = 6) = [as_of - N months + 1 day, as_of] (最近3个月 on 2026-06-30 is
//   2026-03-31..2026-06-30). 上N个月 / 上N周 / 上N年 = the N whole periods before the current one.
// - Calendar periods (本周, 本月, 本季度, 今年, 2026年, the current month or quarter) end at
//   as_of; whole past periods (上个月, 去年, 上季度, 上周 Monday..Sunday) are whole.
// - A month, day, quarter or half named without a year (3月份, 6月1日, 第3季度, 下半年) is the
//   latest one that has started by as_of: 7月 with as_of 2026-06-30 is 2025-07, unless the
//   clause is about expiry (到期 / 过期 / 失效 / 有效期), where it is this year's and is not cut
//   at as_of. A period named with its year or relative to the future (2027年, 今年下半年,
//   下个月, 明天, 未来N天) is taken as named, even after as_of.
// - Ranges take what the left side leaves out from it: 上个月1号到10号 is days of last month,
//   上周1到周3 days of last week.
// - 去年同期 compares with the period before it, or, written first (和去年同期相比今年...), with
//   the one after it: it is then a pure marker like 同比.
// - Suffixes: 以来 / 至今 / 到目前 / 到现在 = [start of the period, as_of].
//   Points: N天前 / N个月前 = the single day; 未来N天 and N天内到期 = [as_of, as_of + N].
// - Unplaceable (refused with a sentence, never guessed): vague spans (最近几天, 前段时间,
//   那天), 前N天/前N个月 without a year, holidays (春节, 双11), times of day (上午), 月底 /
//   年初 alone, open-ended periods (2025年以前, 3月之后), 前后 / 左右 (春节前后), impossible dates
//   (6月31日, 第5季度), 去年同期 with nothing to compare with.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"

namespace yimei::text2sql {

struct DateRange {
  Date from;
  Date to;
  std::string label;  // the words matched, for the provenance line, e.g. "上个月"
};

enum class TimeMarker {
  None,
  SamePeriodLastYear,  // 去年同期 / 同比: compare with the same dates one year earlier
  PreviousPeriod,      // 环比 / 上期: compare with the period of the same length before
};

struct TimeMatch {
  std::size_t begin = 0;  // byte offsets of the matched words in the normalized text
  std::size_t end = 0;
  std::optional<DateRange> range;  // empty for a pure marker such as 同比
  TimeMarker marker = TimeMarker::None;
};

struct TimeParse {
  std::vector<TimeMatch> matches;  // in text order, non-overlapping, longest match first
  // Set when the text holds a time word that cannot be placed (e.g. "上上上个季度前后"):
  // a Chinese sentence for the user; the question must then be refused, never guessed.
  std::optional<std::string> unplaceable;
};

TimeParse parse_time_expressions(std::string_view normalized, const Date& as_of);

// The same dates one year earlier (a month-end stays a month-end: 2024-02-29 -> 2023-02-28).
DateRange same_period_last_year(const DateRange& range);
// The period before: whole calendar months shift by their number of months (2026-05 -> 2026-04,
// Q2 -> Q1); any other range by its length in days, ending the day before `from`
// (analyses.md's "previous period").
DateRange previous_period(const DateRange& range);

}  // namespace yimei::text2sql
