// Cron parsing into bit sets per field, and the next fire time by walking local calendar days
// (date/tz for the zone rules, because g++ 12's <chrono> has no tz database).
#include "core/schedule/cron.hpp"

#include <date/tz.h>

#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace yimei::schedule {
namespace {

struct FieldSpec {
  const char* name_zh;
  unsigned lo, hi;           // inclusive
  const char* const* names;  // names for lo..lo+n-1, or nullptr
  std::size_t name_count;
};

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kWeekdayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

constexpr std::array<FieldSpec, 5> kFields = {{
    {"分钟", 0, 59, nullptr, 0},
    {"小时", 0, 23, nullptr, 0},
    {"日期", 1, 31, nullptr, 0},
    {"月份", 1, 12, kMonthNames, 12},
    {"星期", 0, 7, kWeekdayNames, 7},  // 7 = Sunday, folded to 0
}};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::optional<unsigned> parse_number(std::string_view s, const FieldSpec& f) {
  if (s.empty()) return std::nullopt;
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && p == s.data() + s.size()) return v;
  const std::string u = upper(s);
  for (std::size_t i = 0; i < f.name_count; ++i)
    if (u == f.names[i]) return f.lo + static_cast<unsigned>(i);
  return std::nullopt;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

// Sets the bits of one field; returns the Chinese reason when the text is not valid.
std::string parse_field(std::string_view text, const FieldSpec& f, std::vector<bool>& bits) {
  const std::string where =
      "cron 的" + std::string(f.name_zh) + "字段「" + std::string(text) + "」";
  for (std::string_view item : split(text, ',')) {
    if (item.empty()) return where + "含有空的列表项";
    unsigned step = 1;
    if (const auto slash = item.find('/'); slash != std::string_view::npos) {
      std::string_view s = item.substr(slash + 1);
      unsigned v = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v == 0)
        return where + "的步长应为正整数";
      step = v;
      item = item.substr(0, slash);
      if (item.empty()) return where + "缺少步长前的范围";
    }
    unsigned lo = f.lo, hi = f.hi;
    if (item == "*") {
      if (f.hi == 7) hi = 6;  // weekday: * is Sunday..Saturday
    } else if (const auto dash = item.find('-'); dash != std::string_view::npos) {
      auto a = parse_number(item.substr(0, dash), f);
      auto b = parse_number(item.substr(dash + 1), f);
      if (!a || !b) return where + "的范围应为「起-止」";
      lo = *a;
      hi = *b;
      if (lo > hi) return where + "的范围起点大于终点";
    } else {
      auto a = parse_number(item, f);
      if (!a) return where + "无法识别";
      lo = *a;
      if (step > 1) {
        hi = f.hi == 7 ? 6 : f.hi;  // "a/n": from a to the end of the field
      } else {
        hi = lo;
      }
    }
    if (lo < f.lo || hi > f.hi)
      return where + "超出范围 " + std::to_string(f.lo) + "-" + std::to_string(f.hi);
    for (unsigned v = lo; v <= hi; v += step) bits[v == 7 && f.hi == 7 ? 0 : v] = true;
  }
  return "";
}

std::string_view expand_macro(std::string_view t) {
  if (t == "@yearly" || t == "@annually") return "0 0 1 1 *";
  if (t == "@monthly") return "0 0 1 * *";
  if (t == "@weekly") return "0 0 * * 0";
  if (t == "@daily" || t == "@midnight") return "0 0 * * *";
  if (t == "@hourly") return "0 * * * *";
  return t;
}

const date::time_zone* zone_of(const std::string& zone) {
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    throw std::invalid_argument("unknown time zone: " + zone);
  }
}

Date to_date(const date::year_month_day& ymd) {
  return Date{std::chrono::year{static_cast<int>(ymd.year())},
              std::chrono::month{static_cast<unsigned>(ymd.month())},
              std::chrono::day{static_cast<unsigned>(ymd.day())}};
}

}  // namespace

Outcome<CronExpr> CronExpr::parse(std::string_view raw) {
  std::string_view text = raw;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (!text.empty() && text.front() == '@') {
    const std::string_view expanded = expand_macro(text);
    if (expanded == text) return bad_input("无法识别的 cron 简写「" + std::string(text) + "」");
    text = expanded;
  }
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  if (fields.size() != 5)
    return bad_input("cron 表达式应为 5 个字段（分 时 日 月 周），收到 " +
                     std::to_string(fields.size()) + " 个：「" + std::string(raw) + "」");
  CronExpr e;
  e.text_ = std::string(text);
  for (std::size_t f = 0; f < 5; ++f) {
    std::vector<bool> bits(kFields[f].hi + 1, false);
    if (std::string reason = parse_field(fields[f], kFields[f], bits); !reason.empty())
      return bad_input(reason);
    for (unsigned v = 0; v < bits.size(); ++v) {
      if (!bits[v]) continue;
      switch (f) {
        case 0:
          e.minutes_[v] = true;
          break;
        case 1:
          e.hours_[v] = true;
          break;
        case 2:
          e.days_[v] = true;
          break;
        case 3:
          e.months_[v] = true;
          break;
        default:
          e.weekdays_[v % 7] = true;
          break;
      }
    }
  }
  e.day_restricted_ = fields[2].front() != '*';
  e.weekday_restricted_ = fields[4].front() != '*';
  return e;
}

bool CronExpr::matches_day(unsigned month, unsigned day_of_month, unsigned weekday) const {
  if (!months_[month]) return false;
  const bool dom = days_[day_of_month];
  const bool dow = weekdays_[weekday % 7];
  if (day_restricted_ && weekday_restricted_) return dom || dow;
  return dom && dow;
}

std::optional<TimePoint> next_fire_time(const CronExpr& expr, const std::string& zone,
                                        TimePoint after) {
  using namespace std::chrono;
  const date::time_zone* tz = zone_of(zone);
  const auto after_s = date::floor<seconds>(after);
  // Start at the local minute after `after`'s local minute; ordering checks use the UTC time.
  const auto local_after = tz->to_local(after_s);
  const auto start_day = date::floor<date::days>(local_after);
  const auto start_minute =
      date::floor<minutes>(local_after) - date::local_seconds(start_day);  // minutes into day
  constexpr int kMaxDays = 366 * 10 + 3;
  for (int d = 0; d < kMaxDays; ++d) {
    const date::local_days day = start_day + date::days{d};
    const date::year_month_day ymd{day};
    const unsigned weekday = date::weekday{day}.c_encoding();
    if (!expr.matches_day(static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                          weekday))
      continue;
    for (unsigned h = 0; h < 24; ++h) {
      if (!expr.hours()[h]) continue;
      for (unsigned m = 0; m < 60; ++m) {
        if (!expr.minutes()[m]) continue;
        const minutes into{h * 60 + m};
        if (d == 0 && into <= start_minute) continue;
        const date::local_seconds local = date::local_seconds(day) + into;
        const date::local_info info = tz->get_info(local);
        if (info.result == date::local_info::nonexistent) continue;
        // unique: first.offset; ambiguous: the first occurrence (the earlier offset's reading).
        const date::sys_seconds utc{local.time_since_epoch() - info.first.offset};
        if (utc <= after_s) continue;
        return TimePoint(utc.time_since_epoch());
      }
    }
  }
  return std::nullopt;
}

std::string local_time_text(TimePoint t, const std::string& zone) {
  const date::time_zone* tz = zone_of(zone);
  const auto local = tz->to_local(date::floor<std::chrono::seconds>(t));
  return date::format("%Y-%m-%d %H:%M", date::floor<std::chrono::minutes>(local));
}

Date local_date(TimePoint t, const std::string& zone) {
  const date::time_zone* tz = zone_of(zone);
  const auto local = tz->to_local(date::floor<std::chrono::seconds>(t));
  return to_date(date::year_month_day{date::floor<date::days>(local)});
}

}  // namespace yimei::schedule
