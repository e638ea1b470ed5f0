// Number words to digits: a small evaluator for Chinese numerals (十二, 一百零五, 一万五,
// 二零二五), Arabic numbers with a Chinese or k/w multiplier (1.5万, 3千, 5k, 2w) and 百分之N,
// applied to the maximal numeral run at each position; fixed words such as 一共 and 二开 are
// skipped.
#include "core/text2sql/numerals.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace yimei::text2sql {

namespace {

int digit_value(char32_t c) {
  switch (c) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
    case U'壹':
      return 1;
    case U'二':
    case U'贰':
    case U'两':
      return 2;
    case U'三':
    case U'叁':
      return 3;
    case U'四':
    case U'肆':
      return 4;
    case U'五':
    case U'伍':
      return 5;
    case U'六':
    case U'陆':
      return 6;
    case U'七':
    case U'柒':
      return 7;
    case U'八':
    case U'捌':
      return 8;
    case U'九':
    case U'玖':
      return 9;
    default:
      return -1;
  }
}

double unit_value(char32_t c) {
  switch (c) {
    case U'十':
    case U'拾':
      return 10;
    case U'百':
    case U'佰':
      return 100;
    case U'千':
    case U'仟':
      return 1000;
    case U'万':
      return 1e4;
    case U'亿':
      return 1e8;
    default:
      return 0;
  }
}

bool is_ascii_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}
bool is_ascii_alpha(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}
bool is_ascii_alnum(char32_t c) {
  return is_ascii_digit(c) || is_ascii_alpha(c);
}
bool is_numeral_char(char32_t c) {
  return digit_value(c) >= 0 || unit_value(c) > 0 || c == U'点' || is_ascii_digit(c);
}

// Words holding numeral characters that are not numbers. `guarded`: the word is kept only
// when no numeral follows (一点 is "a little", but 一点五 is 1.5).
struct FixedWord {
  std::u32string_view word;
  bool guarded;
};
constexpr std::array<FixedWord, 41> kFixedWords{{
    {U"一次都", false}, {U"一次也", false}, {U"一次性", false}, {U"一模一样", false},
    {U"一共", false},   {U"一单", false},   {U"万一", false},   {U"二开", false},
    {U"一下", false},   {U"一起", false},   {U"一样", false},   {U"一直", false},
    {U"一些", false},   {U"一般", false},   {U"一定", false},   {U"一旦", false},
    {U"一切", false},   {U"一律", false},   {U"一致", false},   {U"一边", false},
    {U"一会", false},   {U"一向", false},   {U"一再", false},   {U"一味", false},
    {U"一览", false},   {U"一线", false},   {U"一流", false},   {U"一手", false},
    {U"一口价", false}, {U"统一", false},   {U"唯一", false},   {U"之一", false},
    {U"不一", false},   {U"一半", false},   {U"五官", false},   {U"五一", false},
    {U"零售", false},   {U"零星", false},   {U"零钱", false},   {U"单一", true},
    {U"一点", true},
}};

std::size_t match_fixed_word(std::u32string_view t, std::size_t i) {
  std::size_t best = 0;
  for (const FixedWord& f : kFixedWords) {
    if (f.word.size() <= best || t.substr(i, f.word.size()) != f.word) continue;
    const std::size_t after = i + f.word.size();
    if (f.guarded && after < t.size() && is_numeral_char(t[after])) continue;
    best = f.word.size();
  }
  return best;
}

struct Run {
  double value = 0;
  std::size_t end = 0;
  bool changed = false;  // false: the run is already plain digits (or must stay as written)
};

// Reads ASCII digits with an optional decimal part at p; advances p.
double read_arabic(std::u32string_view t, std::size_t& p, std::size_t* int_digits = nullptr) {
  double v = 0;
  std::size_t n = 0;
  while (p < t.size() && is_ascii_digit(t[p])) {
    v = v * 10 + static_cast<double>(t[p] - U'0');
    ++p;
    ++n;
  }
  if (int_digits) *int_digits = n;
  if (p + 1 < t.size() && t[p] == U'.' && is_ascii_digit(t[p + 1])) {
    ++p;
    double scale = 0.1;
    while (p < t.size() && is_ascii_digit(t[p])) {
      v += scale * static_cast<double>(t[p] - U'0');
      scale /= 10;
      ++p;
    }
  }
  return v;
}

// 二零二五 / 二〇二六: digits read one by one, converted only for a year or when 零 shows it
// is a written-out digit string (三五个 "three or five" stays as written).
Run digit_sequence(std::u32string_view t, std::size_t i) {
  Run r;
  std::size_t p = i;
  bool has_zero = false;
  double v = 0;
  while (p < t.size() && digit_value(t[p]) >= 0) {
    has_zero = has_zero || digit_value(t[p]) == 0;
    v = v * 10 + digit_value(t[p]);
    ++p;
  }
  r.value = v;
  r.end = p;
  const bool year = (p - i == 4) && p < t.size() && t[p] == U'年';
  r.changed = year || has_zero;
  return r;
}

// The longest number word starting at i, or nullopt when none starts there.
std::optional<Run> parse_run(std::u32string_view t, std::size_t i) {
  if (i >= t.size()) return std::nullopt;
  double big = 0;      // completed 万 / 亿 parts
  double section = 0;  // the part below 万 being built
  double cur = 0;
  bool has_cur = false;
  double last_unit = 0;         // the last unit read, for 一万五 = 15000
  double last_small = 0;        // the last 十/百/千 of this section (units must decrease)
  double last_big = 0;          // the last 万/亿
  bool zero_gap = false;        // a 零 since the last unit: 一万零五 = 10005
  bool cur_after_unit = false;  // cur is one digit right after a unit
  bool chinese = false;
  std::size_t p = i;

  auto value_now = [&]() {
    double tail = has_cur ? cur : 0;
    if (has_cur && cur_after_unit && !zero_gap && last_unit >= 100) tail *= last_unit / 10;
    return big + section + tail;
  };

  if (is_ascii_digit(t[p])) {
    std::size_t digits = 0;
    const double v = read_arabic(t, p, &digits);
    if (p < t.size() && (t[p] == U'k' || t[p] == U'w') &&
        (p + 1 >= t.size() || !is_ascii_alnum(t[p + 1]))) {
      return Run{v * (t[p] == U'k' ? 1000 : 10000), p + 1, true};
    }
    if (p >= t.size() || unit_value(t[p]) < 100) return Run{v, p, false};
    cur = v;
    has_cur = true;
  } else if (digit_value(t[p]) >= 0 || unit_value(t[p]) == 10) {
    if (digit_value(t[p]) >= 0 && p + 1 < t.size() && digit_value(t[p + 1]) >= 0) {
      return digit_sequence(t, i);  // 二零二五, or 两三个 ("two or three"), kept as written
    }
    chinese = true;
  } else {
    return std::nullopt;
  }

  std::size_t end = p;
  double end_value = value_now();
  while (p < t.size()) {
    const char32_t c = t[p];
    const int d = digit_value(c);
    const double u = unit_value(c);
    if (d >= 0) {
      if (has_cur) break;  // two digits in a row after units: stop here
      if (d == 0 && last_unit > 0) {
        zero_gap = true;
        ++p;
        continue;
      }
      cur = d;
      has_cur = true;
      cur_after_unit = last_unit > 0;
      chinese = true;
      ++p;
    } else if (is_ascii_digit(c) && last_unit >= 100 && !has_cur) {
      // 1万5, 3千5, 1万5000: Arabic digits after a unit.
      std::size_t digits = 0;
      std::size_t q = p;
      const double v = read_arabic(t, q, &digits);
      if (q < t.size() && t[q] == U'.') break;
      cur = v;
      has_cur = true;
      cur_after_unit = digits == 1;
      p = q;
    } else if (u > 0 && u < 1e4) {
      if (!has_cur) {
        if (u == 10 && p == i) {
          cur = 1;  // 十二 = 12
          has_cur = true;
        } else {
          break;
        }
      }
      if (last_small > 0 && u >= last_small) break;
      section += cur * u;
      has_cur = false;
      cur = 0;
      last_small = u;
      last_unit = u;
      zero_gap = false;
      cur_after_unit = false;
      chinese = true;
      ++p;
    } else if (u >= 1e4) {
      if (u == 1e4) {
        const double v = section + cur;
        if (v == 0 || last_big == 1e4) break;
        big += v * 1e4;
      } else {
        const double v = big + section + cur;
        if (v == 0 || last_big == 1e8) break;
        big = v * 1e8;
      }
      section = 0;
      has_cur = false;
      cur = 0;
      last_small = 0;
      last_unit = u;
      last_big = u;
      zero_gap = false;
      cur_after_unit = false;
      chinese = true;
      ++p;
    } else if (c == U'点' && has_cur && section == 0 && big == 0 && last_unit == 0 &&
               p + 1 < t.size() && digit_value(t[p + 1]) >= 0 && t[p + 1] != U'两') {
      // 一点五 = 1.5, 一点五万 = 15000.
      std::size_t q = p + 1;
      double scale = 0.1;
      double v = cur;
      while (q < t.size() && digit_value(t[q]) >= 0 && t[q] != U'两') {
        v += scale * digit_value(t[q]);
        scale /= 10;
        ++q;
      }
      if (q < t.size() && unit_value(t[q]) >= 100) {
        v *= unit_value(t[q]);
        ++q;
      }
      return Run{v, q, true};
    } else {
      break;
    }
    end = p;
    end_value = value_now();
  }
  if (end == i) return std::nullopt;
  return Run{end_value, end, chinese};
}

void append_ascii(std::u32string& out, const std::string& s) {
  for (char ch : s) out.push_back(static_cast<char32_t>(ch));
}

}  // namespace

std::string format_number(double value) {
  char buf[64];
  if (std::fabs(value - std::round(value)) < 1e-7 && std::fabs(value) < 9e15) {
    std::snprintf(buf, sizeof buf, "%.0f", std::round(value));
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.6f", value);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::u32string convert_numerals(std::u32string_view t) {
  static constexpr std::u32string_view kPercent = U"百分之";
  std::u32string out;
  out.reserve(t.size() + 8);
  std::size_t i = 0;
  while (i < t.size()) {
    if (const std::size_t n = match_fixed_word(t, i); n > 0) {
      out.append(t.substr(i, n));
      i += n;
      continue;
    }
    if (t.substr(i, kPercent.size()) == kPercent) {
      if (auto r = parse_run(t, i + kPercent.size())) {
        append_ascii(out, format_number(r->value));
        out.push_back(U'%');
        i = r->end;
        continue;
      }
    }
    const char32_t c = t[i];
    const char32_t prev = i > 0 ? t[i - 1] : U' ';
    if (is_ascii_digit(c) && (is_ascii_alnum(prev) || prev == U'_' || prev == U'.')) {
      // Part of an identifier such as C000504 or q1: copy the whole run as written.
      while (i < t.size() && (is_ascii_alnum(t[i]) || t[i] == U'.' || t[i] == U'_'))
        out.push_back(t[i++]);
      continue;
    }
    if (prev != U'几' && (is_ascii_digit(c) || digit_value(c) >= 0 || unit_value(c) == 10)) {
      if (auto r = parse_run(t, i)) {
        const bool approximate = r->end < t.size() && t[r->end] == U'几';  // 十几个
        if (r->changed && !approximate) {
          append_ascii(out, format_number(r->value));
        } else {
          out.append(t.substr(i, r->end - i));
        }
        i = r->end;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

std::optional<double> parse_number_u32(std::u32string_view t) {
  if (t.empty()) return std::nullopt;
  auto r = parse_run(t, 0);
  if (!r || r->end != t.size()) return std::nullopt;
  return r->value;
}

}  // namespace yimei::text2sql
