// Time expressions on normalized text: a small left-to-right grammar of anchors (今天, 本月,
// 去年...), offsets (近N天, 上上个月), named periods (2025年3月, 第2季度, 6月1日), ranges
// (3月到5月, 1-3月), suffixes (以来, 到目前) and comparison markers (同比, 去年同期), resolved
// against as_of. Conventions (see time_expr.hpp) follow the examples' gold SQL.
#include "core/text2sql/time_expr.hpp"

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

namespace yimei::text2sql {

namespace {

using std::string_view;
using namespace std::string_view_literals;

std::string ymd_text(int y, int m, int d) {
  std::string s;
  if (y) s += std::to_string(y) + "年";
  if (m) s += std::to_string(m) + "月";
  if (d) s += std::to_string(d) + "日";
  return s;
}

Date make_date(int y, int m, int d) {
  return Date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
              std::chrono::day{static_cast<unsigned>(d)}};
}
int year_of(const Date& d) {
  return static_cast<int>(d.year());
}
int month_of(const Date& d) {
  return static_cast<int>(static_cast<unsigned>(d.month()));
}
int day_of(const Date& d) {
  return static_cast<int>(static_cast<unsigned>(d.day()));
}
Date month_end(int y, int m) {
  return last_of_month(make_date(y, m, 1));
}
Date quarter_start(const Date& d) {
  return make_date(year_of(d), (month_of(d) - 1) / 3 * 3 + 1, 1);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A period named by calendar words, possibly without its year (3月, 6月1日, 第2季度, 15号).
struct Named {
  std::optional<int> year;
  int month = 0;
  int day = 0;
  int quarter = 0;
  int half = 0;
  int first_months = 0;   // 今年前N个月
  bool day_only = false;  // 15号: no month either
  bool anchored = false;  // year and month come from a relative word (上个月5号), not typed
};

// One parsed expression before it is placed: either a Named period or an already resolved
// range (relative words), or an error for the user.
struct Piece {
  std::size_t end = 0;
  bool named = false;
  Named n;
  Date from{};
  Date to{};
  bool future = false;  // explicitly in the future (明天, 下个月, 2027年, N天内到期)
  std::optional<std::string> error;
  // Weeks: the Monday of a week named with its weekday (上周1), or the weekday of a bare one
  // (周3), so that 上周1到周3 stays in one week.
  std::optional<Date> week_monday;
  int bare_weekday = 0;
};

struct Resolved {
  Date from{};
  Date to{};
  std::optional<std::string> error;
};

class Parser {
 public:
  Parser(string_view s, const Date& as_of) : s_(s), as_of_(as_of), y_(year_of(as_of)) {}

  TimeParse run() {
    TimeParse out;
    std::size_t p = 0;
    while (p < s_.size()) {
      if (!may_start(p)) {
        p = next_char(p);
        continue;
      }
      if (auto m = match_at(p, out)) {
        if (m->error) {
          out.unplaceable = std::move(m->error);
          return out;
        }
        p = m->end;
        continue;
      }
      p = next_char(p);
    }
    // 去年同期 before any period and none after it: nothing to compare with.
    if (pending_same_period_) out.unplaceable = std::move(pending_same_period_);
    return out;
  }

 private:
  struct Found {
    std::size_t end = 0;
    std::optional<std::string> error;
  };

  string_view s_;
  Date as_of_;
  int y_;
  // Set by a 去年同期 that precedes its period (和去年同期相比，今年...): the refusal to give
  // when no period follows.
  std::optional<std::string> pending_same_period_;

  bool at(std::size_t p, string_view lit) const { return s_.substr(p, lit.size()) == lit; }

  // Every rule starts with a digit, q, or one of these characters: a cheap first test.
  bool may_start(std::size_t p) const {
    static constexpr string_view kStarts =
        "大前昨今明后去上本下年月这当中第星礼周最过近未接同环那段春国元端清圣双寒暑五节晚早凌傍季";
    const char c = s_[p];
    if (is_digit(c) || c == 'q') return true;
    if (static_cast<unsigned char>(c) < 0x80) return false;
    const string_view ch = s_.substr(p, next_char(p) - p);
    for (std::size_t i = 0; i + ch.size() <= kStarts.size(); i += 3)
      if (kStarts.substr(i, ch.size()) == ch) return true;
    return false;
  }
  // The first of `lits` found at p (longest first is the caller's duty); its length or 0.
  std::size_t at_any(std::size_t p, std::initializer_list<string_view> lits) const {
    for (string_view l : lits)
      if (at(p, l)) return l.size();
    return 0;
  }
  std::size_t next_char(std::size_t p) const {
    const unsigned char c = static_cast<unsigned char>(s_[p]);
    std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return std::min(p + n, s_.size());
  }
  bool digit_before(std::size_t p) const {
    return p > 0 && (is_digit(s_[p - 1]) || s_[p - 1] == '.');
  }
  // ASCII digits at p (at most max_digits of them, and not followed by another digit).
  std::optional<int> read_int(std::size_t& p, std::size_t max_digits) const {
    std::size_t q = p;
    int v = 0;
    while (q < s_.size() && is_digit(s_[q])) {
      if (q - p >= max_digits) return std::nullopt;
      v = v * 10 + (s_[q] - '0');
      ++q;
    }
    if (q == p) return std::nullopt;
    p = q;
    return v;
  }

  // The rest of the clause mentions expiry: a named month may then lie in the future.
  bool future_context(std::size_t p) const {
    std::size_t e = s_.find_first_of(",.?!;", p);
    string_view clause = s_.substr(p, e == string_view::npos ? string_view::npos : e - p);
    for (string_view w : {"到期"sv, "过期"sv, "失效"sv, "有效期"sv})
      if (clause.find(w) != string_view::npos) return true;
    return false;
  }

  // ---- top level -------------------------------------------------------------------------

  std::optional<Found> match_at(std::size_t p, TimeParse& out) {
    if (auto f = marker(p, out)) return f;
    std::optional<Piece> best = expression(p);
    if (!best) return vague(p);
    if (best->error) return Found{best->end, best->error};
    const std::size_t end = best->end;
    TimeMatch m;
    m.begin = p;
    m.end = end;
    m.range = DateRange{best->from, best->to, std::string(s_.substr(p, end - p))};
    out.matches.push_back(std::move(m));
    pending_same_period_.reset();
    // What follows may make the period unplaceable after all.
    if (std::size_t n = at_any(end, {"前后", "左右"})) {
      return Found{end + n,
                   "“" + std::string(s_.substr(p, end + n - p)) + "”不够明确，请给出起止日期。"};
    }
    if (std::size_t n = at_any(end, {"以前", "之前", "以后", "之后"})) {
      return Found{end + n, "“" + std::string(s_.substr(p, end + n - p)) +
                                "”是没有边界的时间段，请给出起止日期。"};
    }
    return Found{end, std::nullopt};
  }

  std::optional<Found> marker(std::size_t p, TimeParse& out) {
    // X同期: the period before shifted back by X (去年同期 12 months, 上个月同期 one month,
    // 上周同期 7 days); 同比 / 环比 name the comparison without dates.
    struct Shift {
      string_view words;
      int months;
      int days;
      TimeMarker kind;
    };
    static constexpr std::array<Shift, 9> kShifts{{
        {"去年同期", 12, 0, TimeMarker::SamePeriodLastYear},
        {"上年同期", 12, 0, TimeMarker::SamePeriodLastYear},
        {"上个季度同期", 3, 0, TimeMarker::PreviousPeriod},
        {"上季度同期", 3, 0, TimeMarker::PreviousPeriod},
        {"上个月同期", 1, 0, TimeMarker::PreviousPeriod},
        {"上月同期", 1, 0, TimeMarker::PreviousPeriod},
        {"上个星期同期", 0, 7, TimeMarker::PreviousPeriod},
        {"上星期同期", 0, 7, TimeMarker::PreviousPeriod},
        {"上周同期", 0, 7, TimeMarker::PreviousPeriod},
    }};
    TimeMatch m;
    m.begin = p;
    const Shift* shift = nullptr;
    for (const Shift& sh : kShifts)
      if (at(p, sh.words)) {
        shift = &sh;
        break;
      }
    if (shift) {
      const std::size_t n = shift->words.size();
      const TimeMatch* prev = nullptr;
      for (auto it = out.matches.rbegin(); it != out.matches.rend(); ++it)
        if (it->range) {
          prev = &*it;
          break;
        }
      m.marker = shift->kind;
      m.end = p + n;
      if (prev) {
        DateRange r = *prev->range;
        if (shift->months) {
          r.from = add_months(r.from, -shift->months);
          r.to = r.to == last_of_month(r.to) ? last_of_month(add_months(r.to, -shift->months))
                                             : add_months(r.to, -shift->months);
        } else {
          r.from = add_days(r.from, -shift->days);
          r.to = add_days(r.to, -shift->days);
        }
        r.label = std::string(s_.substr(p, n));
        m.range = r;
      } else {
        // The period may follow (和去年同期相比今年...): a pure marker, like 同比.
        pending_same_period_ = "“" + std::string(s_.substr(p, n)) +
                               "”要和哪段时间比？请说明时间，例如“本月和" +
                               std::string(s_.substr(p, n)) + "比”。";
      }
    } else if (std::size_t n2 = at_any(p, {"同比", "同期"})) {
      m.marker = TimeMarker::SamePeriodLastYear;
      m.end = p + n2;
    } else if (std::size_t n3 = at_any(p, {"环比", "上期"})) {
      m.marker = TimeMarker::PreviousPeriod;
      m.end = p + n3;
    } else {
      return std::nullopt;
    }
    out.matches.push_back(m);
    return Found{m.end, std::nullopt};
  }

  // Time words that name no definite period: refused, never guessed.
  std::optional<Found> vague(std::size_t p) const {
    static constexpr std::array<string_view, 6> kPrefixes{"最近", "近", "过去", "前", "这", "那"};
    static constexpr std::array<string_view, 7> kUnits{"天",   "日", "周",    "个星期",
                                                       "个月", "年", "个季度"};
    for (string_view pre : kPrefixes) {
      if (!at(p, pre) || !at(p + pre.size(), "几")) continue;
      for (string_view u : kUnits) {
        if (at(p + pre.size() + 3, u)) {
          const std::size_t e = p + pre.size() + 3 + u.size();
          return Found{e, "“" + std::string(s_.substr(p, e - p)) +
                              "”不够明确，请说具体的天数或日期，例如“最近7天”。"};
        }
      }
    }
    if (std::size_t n = at_any(p, {"前段时间", "这段时间", "那段时间", "1段时间", "段时间"})) {
      return Found{p + n, "“" + std::string(s_.substr(p, n)) +
                              "”不够明确，请说具体的时间，例如“最近30天”。"};
    }
    if (std::size_t n = at_any(p, {"那天", "那时", "当时", "那个月", "那周"})) {
      return Found{p + n, "“" + std::string(s_.substr(p, n)) + "”指的是哪段时间？请给出日期。"};
    }
    if (std::size_t n = at_any(p, {"春节", "国庆", "元旦", "中秋", "端午", "清明", "圣诞", "双11",
                                   "双12", "寒假", "暑假", "五一", "节假日"})) {
      // 春节前后 / 国庆左右: a holiday and a vague span around it.
      if (std::size_t m = at_any(p + n, {"前后", "左右", "附近"})) {
        return Found{p + n + m, "“" + std::string(s_.substr(p, n + m)) +
                                    "”无法确定日期：节假日每年日期不同，“" +
                                    std::string(s_.substr(p + n, m)) +
                                    "”也没有明确范围，请给出起止日期。"};
      }
      return Found{p + n,
                   "节假日“" + std::string(s_.substr(p, n)) + "”的日期每年不同，请给出具体日期。"};
    }
    if (std::size_t n = at_any(p, {"上午", "下午", "中午", "晚上", "早上", "凌晨", "傍晚"})) {
      return Found{p + n, "数据只记录到日期，无法区分“" + std::string(s_.substr(p, n)) + "”。"};
    }
    if (std::size_t n =
            at_any(p, {"月底", "月末", "月初", "年底", "年末", "年初", "季末", "季初", "周末"})) {
      return Found{p + n, "“" + std::string(s_.substr(p, n)) + "”不够明确，请给出具体日期。"};
    }
    return std::nullopt;
  }

  // A piece, possibly extended by a since-suffix (以来) or a range (到 / 至 / - / ~).
  std::optional<Piece> expression(std::size_t p) {
    std::optional<Piece> left = piece(p);
    if (!left) left = left_partial(p);
    if (!left) return std::nullopt;
    if (left->error) return left;
    const bool fut = future_context(p);
    // 以来 / 至今 / 到目前: from the start of the period to as_of.
    if (std::size_t n =
            at_any(left->end, {"以来", "至今", "到目前为止", "到目前", "到现在", "到今天"})) {
      Resolved l = place(*left, fut);
      if (l.error) return error_piece(left->end + n, *l.error);
      if (l.from > as_of_) {
        return error_piece(left->end + n,
                           "“" + std::string(s_.substr(p, left->end - p)) + "”还没有开始。");
      }
      return resolved_piece(left->end + n, l.from, as_of_, false);
    }
    if (std::size_t n = at_any(left->end, {"到", "至", "-", "~"})) {
      if (std::optional<Piece> right = piece(left->end + n); right && !right->error) {
        return range(p, *left, *right, fut);
      }
    }
    Resolved r = place(*left, fut);
    if (r.error) return error_piece(left->end, *r.error);
    return finish(p, left->end, r.from, r.to, left->future, explicit_year(*left), fut);
  }

  static bool explicit_year(const Piece& pc) {
    return pc.named && pc.n.year.has_value() && !pc.n.anchored;
  }

  std::optional<Piece> range(std::size_t p, Piece left, Piece right, bool fut) {
    const std::size_t end = right.end;
    Resolved l, r;
    // 上周1到周3 / 周1到周3: the right weekday lies in the left one's week.
    if (right.bare_weekday && (left.week_monday || left.bare_weekday)) {
      const Date monday = left.week_monday ? *left.week_monday : monday_of(left.from);
      right.from = right.to = add_days(monday, right.bare_weekday - 1);
      right.future = right.future || (left.future && right.from > as_of_);
    }
    if (left.named && right.named) {
      Named& a = left.n;
      Named& b = right.n;
      if (b.day_only && a.month) {  // 6月1日到15日
        b.day_only = false;
        b.month = a.month;
        if (!b.year && a.year) {
          b.year = a.year;
          b.anchored = a.anchored;
        }
      }
      if (a.day_only && b.month) {
        a.day_only = false;
        a.month = b.month;
      }
      if (a.year && !b.year) {
        b.year = *a.year;
        b.anchored = a.anchored;
        if (auto sa = start_of(a, *a.year), sb = start_of(b, *b.year); sa && sb && *sb < *sa)
          b.year = *a.year + 1;
      } else if (!a.year && !b.year) {
        Resolved rb = place(right, fut);
        if (rb.error) return error_piece(end, *rb.error);
        b.year = year_of(rb.from);
      }
      if (!a.year) {
        a.year = *b.year;
        if (auto sa = start_of(a, *a.year), sb = start_of(b, *b.year); sa && sb && *sa > *sb)
          a.year = *b.year - 1;
      }
    }
    l = place(left, fut);
    if (l.error) return error_piece(end, *l.error);
    r = place(right, fut);
    if (r.error) return error_piece(end, *r.error);
    if (l.from > r.to) {
      return error_piece(
          end, "“" + std::string(s_.substr(p, end - p)) + "”的开始晚于结束，请检查时间。");
    }
    return finish(p, end, l.from, r.to, left.future || right.future,
                  explicit_year(left) || explicit_year(right), fut);
  }

  // 1-3月, 1到3月, 1至3季度: a bare number before a connector takes the unit of the right side.
  std::optional<Piece> left_partial(std::size_t p) {
    if (digit_before(p)) return std::nullopt;
    std::size_t q = p;
    auto v = read_int(q, 2);
    if (!v) return std::nullopt;
    const std::size_t n = at_any(q, {"到", "至", "-", "~"});
    if (!n) return std::nullopt;
    std::optional<Piece> right = piece(q + n);
    if (!right || right->error || !right->named) return std::nullopt;
    Piece left;
    left.named = true;
    left.end = q;
    left.n.year = right->n.year;
    const Named& b = right->n;
    if (b.day || b.day_only) {
      left.n.day = *v;
      left.n.month = b.month;
      left.n.day_only = b.day_only;
    } else if (b.month) {
      left.n.month = *v;
    } else if (b.quarter) {
      left.n.quarter = *v;
    } else {
      return std::nullopt;
    }
    if (auto e = check_named(left.n)) return error_piece(q, *e);
    return left;
  }

  Piece error_piece(std::size_t end, std::string msg) const {
    Piece pc;
    pc.end = end;
    pc.error = std::move(msg);
    return pc;
  }
  Piece resolved_piece(std::size_t end, Date from, Date to, bool future) const {
    Piece pc;
    pc.end = end;
    pc.from = from;
    pc.to = to;
    pc.future = future;
    return pc;
  }

  // Clips the end to as_of unless the period is explicitly in the future (未来30天, 下个月)
  // or about expiry; a period named with its year may lie wholly after as_of (明年, 2027年).
  Piece finish(std::size_t begin, std::size_t end, Date from, Date to, bool future, bool named_year,
               bool fut_ctx) const {
    if (from > as_of_ && !future && !named_year && !fut_ctx) {
      return error_piece(end, "“" + std::string(s_.substr(begin, end - begin)) + "”还没有到。");
    }
    if (!fut_ctx && !future && from <= as_of_ && to > as_of_) to = as_of_;
    return resolved_piece(end, from, to, future);
  }

  // ---- placing named periods ----------------------------------------------------------------

  std::optional<std::string> check_named(const Named& n) const {
    if (n.month && (n.month < 1 || n.month > 12)) return "没有" + std::to_string(n.month) + "月。";
    if ((n.day || n.day_only) && (n.day < 1 || n.day > 31))
      return "没有" + std::to_string(n.day) + "日。";
    if (n.quarter && (n.quarter < 1 || n.quarter > 4))
      return "没有第" + std::to_string(n.quarter) + "季度。";
    if (n.first_months && (n.first_months < 1 || n.first_months > 12))
      return "“前" + std::to_string(n.first_months) + "个月”超出了一年。";
    if (n.year && (*n.year < 1900 || *n.year > 2100))
      return std::to_string(*n.year) + "年不在可查询的范围内。";
    return std::nullopt;
  }

  // The first day of the period in `year`; nullopt when the day does not exist.
  std::optional<Date> start_of(const Named& n, int year) const {
    if (n.day_only) return std::nullopt;
    if (n.month && n.day) {
      Date d = make_date(year, n.month, n.day);
      return d.ok() ? std::optional<Date>(d) : std::nullopt;
    }
    if (n.month) return make_date(year, n.month, 1);
    if (n.quarter) return make_date(year, n.quarter * 3 - 2, 1);
    if (n.half) return make_date(year, n.half == 1 ? 1 : 7, 1);
    return make_date(year, 1, 1);
  }

  Resolved span_of(const Named& n, int year) const {
    Resolved r;
    if (n.month && n.day) {
      Date d = make_date(year, n.month, n.day);
      if (!d.ok()) {
        const bool leap_day = n.month == 2 && n.day == 29;
        r.error = ymd_text(n.year || leap_day ? year : 0, n.month, 0) + "没有" +
                  std::to_string(n.day) + "日。";
        return r;
      }
      r.from = r.to = d;
    } else if (n.month) {
      r.from = make_date(year, n.month, 1);
      r.to = month_end(year, n.month);
    } else if (n.quarter) {
      r.from = make_date(year, n.quarter * 3 - 2, 1);
      r.to = month_end(year, n.quarter * 3);
    } else if (n.half) {
      r.from = make_date(year, n.half == 1 ? 1 : 7, 1);
      r.to = month_end(year, n.half == 1 ? 6 : 12);
    } else if (n.first_months) {
      r.from = make_date(year, 1, 1);
      r.to = month_end(year, n.first_months);
    } else {
      r.from = make_date(year, 1, 1);
      r.to = make_date(year, 12, 31);
    }
    return r;
  }

  // A named period without its year is the latest one that has started by as_of (3月 in
  // June is this March, 7月 in June is last July), unless the clause is about expiry.
  Resolved place(const Piece& pc, bool fut) const {
    if (!pc.named) return Resolved{pc.from, pc.to, std::nullopt};
    const Named& n = pc.n;
    if (n.day_only) {
      Date month_start = first_of_month(as_of_);
      if (n.day > day_of(as_of_) && !fut) month_start = add_months(month_start, -1);
      Date d = make_date(year_of(month_start), month_of(month_start), n.day);
      if (!d.ok()) {
        return Resolved{
            {},
            {},
            ymd_text(0, month_of(month_start), 0) + "没有" + std::to_string(n.day) + "日。"};
      }
      return Resolved{d, d, std::nullopt};
    }
    if (n.year) return span_of(n, *n.year);
    int year = y_;
    if (auto s = start_of(n, year); !s || (*s > as_of_ && !fut)) {
      // Not started yet this year (or 2月29日 in a common year): the year before.
      if (s || !(n.month == 2 && n.day == 29)) year -= 1;
    }
    return span_of(n, year);
  }

  // ---- pieces -------------------------------------------------------------------------------

  std::optional<Piece> piece(std::size_t p) {
    std::optional<Piece> best;
    auto consider = [&](std::optional<Piece> c) {
      if (c && (!best || c->end > best->end)) best = std::move(c);
    };
    consider(relative_day(p));
    consider(year_led(p));
    consider(to_date_words(p));
    consider(month_relative(p));
    consider(week_relative(p));
    consider(quarter_relative(p));
    consider(month_day(p));
    consider(day_only(p));
    consider(quarter_bare(p));
    consider(half_bare(p));
    consider(weekday_bare(p));
    consider(iso_date(p));
    consider(window(p));
    consider(point(p));
    consider(future_window(p));
    return best;
  }

  std::optional<Piece> relative_day(std::size_t p) const {
    struct W {
      string_view w;
      int offset;
    };
    static constexpr std::array<W, 11> kWords{{{"大前天", -3},
                                               {"前天", -2},
                                               {"前日", -2},
                                               {"昨天", -1},
                                               {"昨日", -1},
                                               {"今天", 0},
                                               {"今日", 0},
                                               {"大后天", 3},
                                               {"后天", 2},
                                               {"明天", 1},
                                               {"明日", 1}}};
    for (const W& w : kWords) {
      if (at(p, w.w)) {
        Date d = add_days(as_of_, w.offset);
        return resolved_piece(p + w.w.size(), d, d, w.offset > 0);
      }
    }
    return std::nullopt;
  }

  // 今年 / 去年 / 前年 / 明年 / 2025年, optionally followed by 上半年, 第N季度, qN, 前N个月,
  // M月(份)(D日), 年初至今.
  std::optional<Piece> year_led(std::size_t p) {
    struct Y {
      string_view w;
      int offset;
    };
    static constexpr std::array<Y, 14> kYears{{{"今年度", 0},
                                               {"本年度", 0},
                                               {"今年", 0},
                                               {"本年", 0},
                                               {"去年度", -1},
                                               {"上年度", -1},
                                               {"上一年", -1},
                                               {"去年", -1},
                                               {"上年", -1},
                                               {"大前年", -3},
                                               {"前年", -2},
                                               {"明年度", 1},
                                               {"明年", 1},
                                               {"下一年", 1}}};
    std::optional<int> year;
    std::size_t q = p;
    for (const Y& y : kYears) {
      if (at(p, y.w)) {
        year = y_ + y.offset;
        q = p + y.w.size();
        break;
      }
    }
    if (!year) {
      if (digit_before(p)) return std::nullopt;
      std::size_t r = p;
      auto v = read_int(r, 4);
      if (!v || r - p != 4 || !at(r, "年")) return std::nullopt;
      year = *v;
      q = r + 3;
      if (at(q, "度")) q += 3;
    }
    if (at(q, "的")) {
      // 2025年的3月: only when a month or quarter follows.
      std::size_t r = q + 3;
      if (auto inner = year_suffix(r, *year)) return inner;
    }
    if (auto inner = year_suffix(q, *year)) return inner;
    if (std::size_t n = at_any(q, {"年初至今", "年初以来", "年初到现在", "年初到目前", "初至今",
                                   "初以来", "初到现在", "初到目前"})) {
      return resolved_piece(q + n, make_date(*year, 1, 1), as_of_, false);
    }
    if (std::size_t n = at_any(q, {"年底", "年末", "年初", "底", "末", "初"})) {
      return error_piece(
          q + n, "“" + std::string(s_.substr(p, q + n - p)) + "”不够明确，请给出具体日期。");
    }
    Piece pc;
    pc.named = true;
    pc.end = q;
    pc.n.year = year;
    if (auto e = check_named(pc.n)) return error_piece(q, *e);
    return pc;
  }

  std::optional<Piece> year_suffix(std::size_t q, int year) {
    Piece pc;
    pc.named = true;
    pc.n.year = year;
    if (std::size_t n = at_any(q, {"上半年", "下半年"})) {
      pc.n.half = at(q, "上") ? 1 : 2;
      pc.end = q + n;
    } else if (auto qu = quarter_words(q)) {
      pc.n.quarter = qu->first;
      pc.end = qu->second;
    } else if (at(q, "前")) {
      std::size_t r = q + 3;
      auto v = read_int(r, 2);
      if (!v || !at(r, "个月")) return std::nullopt;
      pc.n.first_months = *v;
      pc.end = r + 6;
    } else if (auto md = month_day_at(q)) {
      pc.n.month = md->month;
      pc.n.day = md->day;
      pc.end = md->end;
    } else {
      return std::nullopt;
    }
    if (auto e = check_named(pc.n)) return error_piece(pc.end, *e);
    return pc;
  }

  // 第N季度 / 第N个季度 / N季度 / qN: (quarter, end).
  std::optional<std::pair<int, std::size_t>> quarter_words(std::size_t q) const {
    std::size_t r = q;
    if (at(r, "q")) {
      if (q > 0 && is_ascii_alpha(s_[q - 1])) return std::nullopt;
      ++r;
      auto v = read_int(r, 1);
      if (!v) return std::nullopt;
      return std::make_pair(*v, r);
    }
    if (at(r, "第")) r += 3;
    if (r == q && digit_before(q)) return std::nullopt;
    auto v = read_int(r, 2);
    if (!v) return std::nullopt;
    if (std::size_t n = at_any(r, {"个季度", "季度"})) return std::make_pair(*v, r + n);
    return std::nullopt;
  }

  struct MonthDay {
    int month = 0;
    int day = 0;
    std::size_t end = 0;
  };
  // M月 / M月份 / M月D日 / M月D号; "M月D" when a connector and a day follow (6月1到15日).
  std::optional<MonthDay> month_day_at(std::size_t p) const {
    if (digit_before(p)) return std::nullopt;
    std::size_t q = p;
    auto m = read_int(q, 2);
    if (!m || !at(q, "月")) return std::nullopt;
    MonthDay md;
    md.month = *m;
    q += 3;
    if (at(q, "份")) {
      md.end = q + 3;
      return md;
    }
    md.end = q;
    std::size_t r = q;
    if (auto d = read_int(r, 2)) {
      if (std::size_t n = at_any(r, {"日", "号"})) {
        md.day = *d;
        md.end = r + n;
      } else if (std::size_t c = at_any(r, {"到", "至", "-", "~"})) {
        std::size_t t = r + c;
        if (read_int(t, 2) && at_any(t, {"日", "号"})) {
          md.day = *d;
          md.end = r;
        }
      }
    }
    return md;
  }

  std::optional<Piece> month_day(std::size_t p) {
    auto md = month_day_at(p);
    if (!md) return std::nullopt;
    Piece pc;
    pc.named = true;
    pc.end = md->end;
    pc.n.month = md->month;
    pc.n.day = md->day;
    if (auto e = check_named(pc.n)) return error_piece(pc.end, *e);
    return pc;
  }

  // 15号 / 15日: a day of this month (or last month, when it has not come yet).
  std::optional<Piece> day_only(std::size_t p) const {
    if (digit_before(p)) return std::nullopt;
    if (p > 0 && is_ascii_alpha(s_[p - 1])) return std::nullopt;
    std::size_t q = p;
    auto d = read_int(q, 2);
    if (!d) return std::nullopt;
    std::size_t n = at_any(q, {"号", "日"});
    if (!n) return std::nullopt;
    Piece pc;
    pc.named = true;
    pc.end = q + n;
    pc.n.day = *d;
    pc.n.day_only = true;
    if (auto e = check_named(pc.n)) return error_piece(pc.end, *e);
    return pc;
  }

  std::optional<Piece> quarter_bare(std::size_t p) const {
    auto qu = quarter_words(p);
    if (!qu) return std::nullopt;
    Piece pc;
    pc.named = true;
    pc.end = qu->second;
    pc.n.quarter = qu->first;
    if (auto e = check_named(pc.n)) return error_piece(pc.end, *e);
    return pc;
  }

  std::optional<Piece> half_bare(std::size_t p) const {
    std::size_t n = at_any(p, {"上半年", "下半年"});
    if (!n) return std::nullopt;
    Piece pc;
    pc.named = true;
    pc.end = p + n;
    pc.n.half = at(p, "上") ? 1 : 2;
    return pc;
  }

  // 年初至今 / 今年以来 (the latter through year_led + suffix) / 月初至今.
  std::optional<Piece> to_date_words(std::size_t p) const {
    if (std::size_t n = at_any(p, {"年初至今", "年初以来", "年初到现在", "年初到目前"}))
      return resolved_piece(p + n, make_date(y_, 1, 1), as_of_, false);
    if (std::size_t n = at_any(p, {"月初至今", "月初以来", "月初到现在", "月初到目前"}))
      return resolved_piece(p + n, first_of_month(as_of_), as_of_, false);
    return std::nullopt;
  }

  // Counts a run of 上 (上上个月 = 2): the number of steps back, and the end.
  std::pair<int, std::size_t> count_back(std::size_t p) const {
    int k = 0;
    while (at(p, "上")) {
      ++k;
      p += 3;
    }
    return {k, p};
  }

  // 本月 / 这个月 / 上个月 / 上上个月 / 下个月, with an optional day or 上旬/中旬/下旬.
  std::optional<Piece> month_relative(std::size_t p) {
    int k = 0;
    std::size_t q = 0;
    if (std::size_t n = at_any(p, {"本月份", "本月", "这个月", "这月", "当月"})) {
      q = p + n;
    } else if (std::size_t n2 = at_any(p, {"下个月", "下月"})) {
      k = -1;
      q = p + n2;
    } else if (auto dk = dekad(p, first_of_month(as_of_), p)) {
      return dk;  // 上旬 / 中旬 / 下旬 alone: of the current month
    } else {
      auto [back, r] = count_back(p);
      if (back == 0) return std::nullopt;
      if (at(r, "个月")) {
        q = r + 6;
      } else if (at(r, "月") && back == 1) {
        q = r + 3;
      } else {
        return std::nullopt;
      }
      k = back;
    }
    const Date start = add_months(first_of_month(as_of_), -k);
    if (auto dk = dekad(q, start, p)) return dk;
    std::size_t r = q;
    if (auto d = read_int(r, 2)) {
      if (std::size_t n = at_any(r, {"日", "号"})) {
        Date day = make_date(year_of(start), month_of(start), *d);
        if (!day.ok()) {
          return error_piece(
              r + n, ymd_text(0, month_of(start), 0) + "没有" + std::to_string(*d) + "日。");
        }
        // Named, so that a bare day after a connector takes this month (上个月1号到10号).
        Piece pc = resolved_piece(r + n, day, day, k < 0);
        pc.named = true;
        pc.n.year = year_of(start);
        pc.n.month = month_of(start);
        pc.n.day = *d;
        pc.n.anchored = true;
        return pc;
      }
    }
    if (std::size_t n = at_any(q, {"底", "末", "初"})) {
      return error_piece(
          q + n, "“" + std::string(s_.substr(p, q + n - p)) + "”不够明确，请给出具体日期。");
    }
    return resolved_piece(q, start, last_of_month(start), k < 0);
  }

  // 上旬 = days 1-10, 中旬 = 11-20, 下旬 = 21 to the end. Without a month word the current
  // month's, or last month's when that part has not started.
  std::optional<Piece> dekad(std::size_t q, Date month_start, std::size_t begin) const {
    std::size_t n = at_any(q, {"上旬", "中旬", "下旬"});
    if (!n) return std::nullopt;
    const int part = at(q, "上") ? 0 : at(q, "中") ? 1 : 2;
    auto span = [&](Date m) {
      Date from = make_date(year_of(m), month_of(m), part * 10 + 1);
      Date to = part == 2 ? last_of_month(m) : make_date(year_of(m), month_of(m), part * 10 + 10);
      return std::make_pair(from, to);
    };
    auto [from, to] = span(month_start);
    if (begin == q && from > as_of_) std::tie(from, to) = span(add_months(month_start, -1));
    return resolved_piece(q + n, from, to, from > as_of_);
  }

  // 本周 / 这周 / 上周 / 上上周 / 下周, with an optional weekday (上周3, 本周日) or 末.
  std::optional<Piece> week_relative(std::size_t p) const {
    int k = 0;
    std::size_t q = 0;
    if (std::size_t n = at_any(
            p, {"这个星期", "这个礼拜", "本星期", "这星期", "本礼拜", "这礼拜", "本周", "这周"})) {
      q = p + n;
    } else if (std::size_t n2 = at_any(p, {"下个星期", "下个礼拜", "下星期", "下礼拜", "下周"})) {
      k = -1;
      q = p + n2;
    } else {
      auto [back, r] = count_back(p);
      if (back == 0) return std::nullopt;
      std::size_t n3 = at_any(r, {"个星期", "个礼拜", "星期", "礼拜", "周"});
      if (!n3) return std::nullopt;
      k = back;
      q = r + n3;
    }
    const Date monday = add_days(monday_of(as_of_), -7 * k);
    if (auto wd = weekday_at(q)) {
      Date d = add_days(monday, wd->first - 1);
      Piece pc = resolved_piece(wd->second, d, d, d > as_of_);
      pc.week_monday = monday;
      return pc;
    }
    if (at(q, "末")) return resolved_piece(q + 3, add_days(monday, 5), add_days(monday, 6), k < 0);
    return resolved_piece(q, monday, add_days(monday, 6), k < 0);
  }

  // A weekday number right after a week word: 1-7, 日 or 天; (weekday, end).
  std::optional<std::pair<int, std::size_t>> weekday_at(std::size_t q) const {
    if (std::size_t n = at_any(q, {"日", "天"})) {
      // 周天 is Sunday, but 周日均 / 天数 are not weekdays.
      if (at(q + n, "均") || at(q + n, "数")) return std::nullopt;
      return std::make_pair(7, q + n);
    }
    if (q < s_.size() && s_[q] >= '1' && s_[q] <= '7') {
      if (q + 1 < s_.size() && is_digit(s_[q + 1])) return std::nullopt;
      // 上周5单 is five orders last week, not Friday.
      if (at_any(q + 1, {"单", "个", "次", "天", "人", "位", "元", "块", "笔", "件", "张", "项",
                         "%", "."}))
        return std::nullopt;
      return std::make_pair(s_[q] - '0', q + 1);
    }
    return std::nullopt;
  }

  // 周3 / 星期日 / 礼拜天 alone: the latest such day on or before as_of.
  std::optional<Piece> weekday_bare(std::size_t p) const {
    if (p >= 3 && at_any(p - 3, {"每", "上", "本", "这", "下", "个"})) return std::nullopt;
    std::size_t n = at_any(p, {"星期", "礼拜", "周"});
    if (!n) return std::nullopt;
    auto wd = weekday_at(p + n);
    if (!wd) return std::nullopt;
    Date d = add_days(monday_of(as_of_), wd->first - 1);
    if (d > as_of_) d = add_days(d, -7);
    Piece pc = resolved_piece(wd->second, d, d, false);
    pc.bare_weekday = wd->first;
    return pc;
  }

  // 本季度 / 上季度 / 上上个季度 / 下季度.
  std::optional<Piece> quarter_relative(std::size_t p) const {
    int k = 0;
    std::size_t q = 0;
    if (std::size_t n = at_any(p, {"这个季度", "本季度", "这季度", "当季度", "本季", "当季"})) {
      q = p + n;
    } else if (std::size_t n2 = at_any(p, {"下个季度", "下季度"})) {
      k = -1;
      q = p + n2;
    } else {
      auto [back, r] = count_back(p);
      if (back == 0) return std::nullopt;
      std::size_t n3 = at_any(r, {"个季度", "一季度", "1季度", "季度", "季"});
      if (!n3) return std::nullopt;
      if ((at(r, "一") || at(r, "1")) && back != 1) return std::nullopt;
      k = back;
      q = r + n3;
    }
    const Date start = add_months(quarter_start(as_of_), -3 * k);
    return resolved_piece(q, start, last_of_month(add_months(start, 2)), k < 0);
  }

  // 2026-06-01, 2026/6/1, 2026.06.01; 2026-06 for a month.
  std::optional<Piece> iso_date(std::size_t p) const {
    if (digit_before(p)) return std::nullopt;
    std::size_t q = p;
    auto y = read_int(q, 4);
    if (!y || q - p != 4 || q >= s_.size()) return std::nullopt;
    const char sep = s_[q];
    if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
    ++q;
    auto m = read_int(q, 2);
    if (!m) return std::nullopt;
    Piece pc;
    pc.named = true;
    pc.n.year = *y;
    pc.n.month = *m;
    if (q < s_.size() && s_[q] == sep) {
      std::size_t r = q + 1;
      auto d = read_int(r, 2);
      if (!d) return std::nullopt;
      pc.n.day = *d;
      q = r;
      if (at(q, "日") || at(q, "号")) q += 3;
    } else if (sep == '.') {
      return std::nullopt;  // 2026.5 is a number
    }
    pc.end = q;
    if (auto e = check_named(pc.n)) return error_piece(q, *e);
    return pc;
  }

  struct Unit {
    string_view word;
    char kind;  // d: days, w: weeks, m: months, q: quarters, y: years
  };
  static constexpr std::array<Unit, 9> kUnits{{{"个星期", 'w'},
                                               {"个季度", 'q'},
                                               {"个月", 'm'},
                                               {"星期", 'w'},
                                               {"季度", 'q'},
                                               {"天", 'd'},
                                               {"日", 'd'},
                                               {"周", 'w'},
                                               {"年", 'y'}}};

  std::optional<std::pair<char, std::size_t>> unit_at(std::size_t q, bool allow_bare_month) const {
    for (const Unit& u : kUnits)
      if (at(q, u.word)) return std::make_pair(u.kind, q + u.word.size());
    if (allow_bare_month && at(q, "月")) return std::make_pair('m', q + 3);
    return std::nullopt;
  }

  static int months_of(char kind, int n) { return kind == 'y' ? 12 * n : kind == 'q' ? 3 * n : n; }

  // 近N天 / 最近N个月 / 过去N周 / 最近半年 (N units ending on as_of, inclusive), 上N个月 (the N
  // whole months before this one); 前N天 without a year is ambiguous and refused.
  std::optional<Piece> window(std::size_t p) const {
    std::size_t n = at_any(p, {"最近", "过去", "近"});
    const bool last = n > 0;
    bool whole = false;
    bool ambiguous = false;
    if (!n && at(p, "上") && !at(p, "上上")) {
      n = 3;
      whole = true;
    }
    if (!n && at(p, "前")) {
      n = 3;
      ambiguous = true;
    }
    if (!n) return std::nullopt;
    std::size_t q = p + n;
    if (last && at(q, "的")) q += 3;
    if (last && at_any(q, {"半年", "半个年"})) {
      return resolved_piece(q + 6, add_days(add_months(as_of_, -6), 1), as_of_, false);
    }
    auto count = read_int(q, 4);
    if (!count) return std::nullopt;
    auto unit = unit_at(q, last);
    if (!unit) return std::nullopt;
    const std::size_t end = unit->second;
    const char kind = unit->first;
    const int k = *count;
    const std::string words(s_.substr(p, end - p));
    if (ambiguous) {
      return error_piece(end, "“" + words + "”不明确：请说“最近" + std::to_string(k) +
                                  std::string(s_.substr(q, end - q)) + "”或给出起止日期。");
    }
    if (k <= 0) return error_piece(end, "“" + words + "”不是有效的时间段。");
    if ((kind == 'd' && k > 3660) || (kind == 'w' && k > 520) || months_of(kind, k) > 120)
      return error_piece(end, "“" + words + "”太长了，最多查询10年。");
    if (whole) {
      if (kind == 'd') return std::nullopt;  // 上3天 is not said
      if (kind == 'w') {
        const Date monday = monday_of(as_of_);
        return resolved_piece(end, add_days(monday, -7 * k), add_days(monday, -1), false);
      }
      if (kind == 'y') {
        return resolved_piece(end, make_date(y_ - k, 1, 1), make_date(y_ - 1, 12, 31), false);
      }
      const int months = months_of(kind, k);
      const Date this_month = first_of_month(as_of_);
      return resolved_piece(end, add_months(this_month, -months), add_days(this_month, -1), false);
    }
    Date from;
    if (kind == 'd') {
      from = add_days(as_of_, -(k - 1));
    } else if (kind == 'w') {
      from = add_days(as_of_, -(7 * k - 1));
    } else {
      from = add_days(add_months(as_of_, -months_of(kind, k)), 1);
    }
    return resolved_piece(end, from, as_of_, false);
  }

  // N天前 / N个月以前 (a single day), N天后 (a future day).
  std::optional<Piece> point(std::size_t p) const {
    if (digit_before(p)) return std::nullopt;
    std::size_t q = p;
    auto count = read_int(q, 4);
    if (!count) return std::nullopt;
    auto unit = unit_at(q, false);
    if (!unit || unit->first == 'q') return std::nullopt;
    const std::size_t u_end = unit->second;
    int sign = 0;
    std::size_t end = u_end;
    if (std::size_t n = at_any(u_end, {"以前", "之前", "前"})) {
      if (at(u_end, "前后")) return std::nullopt;
      sign = -1;
      end = u_end + n;
    } else if (std::size_t n2 = at_any(u_end, {"以后", "之后", "后"})) {
      sign = 1;
      end = u_end + n2;
    }
    if (!sign) return std::nullopt;
    if (*count <= 0 || (unit->first == 'y' && *count > 50) || *count > 3660) return std::nullopt;
    const int k = *count * sign;
    Date d;
    switch (unit->first) {
      case 'd':
        d = add_days(as_of_, k);
        break;
      case 'w':
        d = add_days(as_of_, 7 * k);
        break;
      case 'm':
        d = add_months(as_of_, k);
        break;
      default:
        d = add_months(as_of_, 12 * k);
    }
    return resolved_piece(end, d, d, sign > 0);
  }

  // 未来N天 / 接下来N个月 / N天内到期: [as_of, as_of + N] (the analyses' expiring window).
  std::optional<Piece> future_window(std::size_t p) const {
    std::size_t q = p;
    const std::size_t n = at_any(p, {"未来", "接下来", "今后"});
    if (!n && digit_before(p)) return std::nullopt;
    q += n;
    auto count = read_int(q, 4);
    if (!count) return std::nullopt;
    auto unit = unit_at(q, false);
    if (!unit || unit->first == 'q') return std::nullopt;
    std::size_t end = unit->second;
    if (!n) {
      // Without 未来, only "N天内到期" / "N天内过期" / "N天内要到期".
      std::size_t r = end;
      if (!at(r, "内")) return std::nullopt;
      r += 3;
      if (at(r, "要") || at(r, "将") || at(r, "会")) r += 3;
      if (!at_any(r, {"到期", "过期", "失效"})) return std::nullopt;
      end += 3;
    } else if (at(end, "内")) {
      end += 3;
    }
    const int k = *count;
    Date to;
    switch (unit->first) {
      case 'd':
        to = add_days(as_of_, k);
        break;
      case 'w':
        to = add_days(as_of_, 7 * k);
        break;
      case 'm':
        to = add_months(as_of_, k);
        break;
      default:
        to = add_months(as_of_, 12 * k);
    }
    return resolved_piece(end, as_of_, to, true);
  }
};

}  // namespace

DateRange same_period_last_year(const DateRange& r) {
  DateRange out = r;
  out.from = add_months(r.from, -12);
  out.to =
      r.to == last_of_month(r.to) ? last_of_month(add_months(r.to, -12)) : add_months(r.to, -12);
  return out;
}

DateRange previous_period(const DateRange& r) {
  DateRange out = r;
  const bool whole_months = r.from == first_of_month(r.from) && r.to == last_of_month(r.to);
  if (whole_months) {
    const int months =
        (year_of(r.to) - year_of(r.from)) * 12 + month_of(r.to) - month_of(r.from) + 1;
    out.from = add_months(r.from, -months);
    out.to = last_of_month(add_months(r.from, -1));
    return out;
  }
  const int length = days_between(r.from, r.to) + 1;
  out.to = add_days(r.from, -1);
  out.from = add_days(r.from, -length);
  return out;
}

TimeParse parse_time_expressions(std::string_view normalized, const Date& as_of) {
  return Parser(normalized, as_of).run();
}

}  // namespace yimei::text2sql
