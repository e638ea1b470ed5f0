// Parsing and validation of data-entry arguments; the messages are what the user reads.
#include "core/entry/input.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/entry/text.hpp"

namespace yimei::entry {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool strip_prefix(std::string& s, std::string_view p) {
  if (!s.starts_with(p)) return false;
  s.erase(0, p.size());
  return true;
}

bool strip_suffix(std::string& s, std::string_view p) {
  if (!s.ends_with(p)) return false;
  s.erase(s.size() - p.size());
  return true;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::optional<int> small_number(std::string_view s, std::size_t max_digits) {
  if (!all_digits(s) || s.size() > max_digits) return std::nullopt;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::optional<Date> make_date(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  const Date date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                  std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok()) return std::nullopt;
  return date;
}

// "6月30日", "6月30号", "6-30", "6/30" → month and day.
std::optional<std::pair<int, int>> month_day(std::string s) {
  strip_suffix(s, "日") || strip_suffix(s, "号");
  std::size_t sep = s.find("月");
  std::size_t sep_len = 3;
  if (sep == std::string::npos) {
    sep = s.find_first_of("-/.");
    sep_len = 1;
  }
  if (sep == std::string::npos) return std::nullopt;
  auto m = small_number(std::string_view(s).substr(0, sep), 2);
  auto d = small_number(std::string_view(s).substr(sep + sep_len), 2);
  if (!m || !d) return std::nullopt;
  return std::pair{*m, *d};
}

std::optional<Date> read_date(const std::string& s, const Date& today) {
  if (s == "今天" || s == "今日") return today;
  if (s == "昨天" || s == "昨日") return add_days(today, -1);
  if (s == "前天") return add_days(today, -2);
  if (s.size() == 8 && all_digits(s)) {
    return make_date(*small_number(std::string_view(s).substr(0, 4), 4),
                     *small_number(std::string_view(s).substr(4, 2), 2),
                     *small_number(std::string_view(s).substr(6, 2), 2));
  }
  // Year-month-day with -, / or . and one- or two-digit month and day, or 2026年6月30日.
  std::string t = s;
  for (std::string_view zh : {"年", "月"}) {
    for (std::size_t p; (p = t.find(zh)) != std::string::npos;) t.replace(p, zh.size(), "-");
  }
  strip_suffix(t, "日") || strip_suffix(t, "号");
  for (char& c : t)
    if (c == '/' || c == '.') c = '-';
  const std::size_t a = t.find('-');
  const std::size_t b = a == std::string::npos ? a : t.find('-', a + 1);
  if (a != std::string::npos && b != std::string::npos && a == 4) {
    auto y = small_number(std::string_view(t).substr(0, 4), 4);
    auto m = small_number(std::string_view(t).substr(a + 1, b - a - 1), 2);
    auto d = small_number(std::string_view(t).substr(b + 1), 2);
    if (!y || !m || !d) return std::nullopt;
    return make_date(*y, *m, *d);
  }
  if (auto md = month_day(s)) {
    return make_date(static_cast<int>(today.year()), md->first, md->second);
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& payment_methods() {
  static const std::vector<std::string> v{"现金", "微信", "支付宝", "银行卡", "储值卡"};
  return v;
}

const std::vector<std::string>& standard_levels() {
  static const std::vector<std::string> v{"普通", "银卡", "金卡", "钻石"};
  return v;
}

Outcome<Decimal> parse_amount(std::string_view text) {
  const std::string original = trim(text);
  if (original.empty()) return bad_input("请写上金额。");
  std::string s = original;
  strip_prefix(s, "¥") || strip_prefix(s, "￥");
  strip_suffix(s, "元");
  s = trim(s);
  std::erase(s, ',');
  auto d = Decimal::parse(s);
  if (!d) return bad_input("金额" + quote_arg(original) + "不是有效的数字。");
  if (d->is_negative() || d->is_zero()) return bad_input("金额必须大于 0。");
  if (d->rounded(2) != *d) return bad_input("金额最多只能有两位小数。");
  if (*d > Decimal::from_int(kMaxAmountYuan)) {
    return bad_input("金额不能超过 " + format_yuan(Decimal::from_int(kMaxAmountYuan)) + " 元。");
  }
  return d->rounded(2);
}

Outcome<int> parse_quantity(std::string_view text) {
  std::string s = trim(text);
  if (s.empty()) return 1;
  for (std::string_view unit : {"次", "个", "件", "支", "张", "盒", "瓶", "份"}) {
    if (strip_suffix(s, unit)) break;
  }
  const std::string message = "数量必须是 1 到 " + std::to_string(kMaxQuantity) + " 之间的整数。";
  while (s.size() > 1 && s.front() == '0') s.erase(0, 1);
  auto v = small_number(s, 3);
  if (!v || *v < 1 || *v > kMaxQuantity) return bad_input(message);
  return *v;
}

Outcome<Date> parse_entry_date(std::string_view text, const Date& today) {
  const std::string s = trim(text);
  if (s.empty()) return today;
  auto d = read_date(s, today);
  if (!d) {
    return bad_input("日期" + quote_arg(s) + "无法识别，请写成 " + format_date(today) +
                     " 这样的格式。");
  }
  if (std::chrono::sys_days(*d) > std::chrono::sys_days(today)) {
    return bad_input("日期不能晚于今天（" + format_date(today) + "）。");
  }
  return *d;
}

Outcome<std::string> parse_payment_method(std::string_view text) {
  const std::string s = trim(text);
  if (s.empty()) return std::string("微信");
  for (const std::string& m : payment_methods())
    if (s == m) return m;
  static const std::array<std::pair<std::string_view, std::string_view>, 14> aliases{{
      {"微信支付", "微信"},
      {"wx", "微信"},
      {"wechat", "微信"},
      {"支付宝支付", "支付宝"},
      {"alipay", "支付宝"},
      {"zfb", "支付宝"},
      {"刷卡", "银行卡"},
      {"银联", "银行卡"},
      {"pos", "银行卡"},
      {"信用卡", "银行卡"},
      {"储值", "储值卡"},
      {"会员卡", "储值卡"},
      {"cash", "现金"},
      {"现金支付", "现金"},
  }};
  const std::string low = lower_ascii(s);
  for (const auto& [alias, method] : aliases)
    if (low == alias) return std::string(method);
  return bad_input("支付方式" + quote_arg(s) + "无法识别，可用：" + join(payment_methods(), "、") +
                   "。");
}

std::optional<std::string> as_phone(std::string_view text) {
  std::string s = trim(text);
  std::erase_if(s, [](char c) { return c == ' ' || c == '-'; });
  if (!strip_prefix(s, "+86") && s.size() == 13) strip_prefix(s, "86");
  if (s.size() != 11 || !all_digits(s) || s[0] != '1' || s[1] < '3') return std::nullopt;
  return s;
}

Outcome<std::string> parse_phone(std::string_view text) {
  const std::string s = trim(text);
  if (s.empty()) return bad_input("请写上手机号。");
  if (auto p = as_phone(s)) return *p;
  return bad_input("手机号" + quote_arg(s) + "不是有效的 11 位手机号。");
}

Outcome<std::string> parse_person_name(std::string_view text) {
  const std::string s = trim(text);
  if (s.empty()) return bad_input("请写上顾客姓名。");
  const std::vector<std::string> chars = utf8_chars(s);
  if (chars.size() > kMaxNameChars) {
    return bad_input("姓名太长了（最多 " + std::to_string(kMaxNameChars) + " 个字）。");
  }
  static const std::vector<std::string_view> forbidden_wide{"，", "。", "；", "：", "！", "？",
                                                            "、", "“",  "”",  "‘",  "’",  "（",
                                                            "）", "【", "】", "《", "》", "　"};
  const std::string message = "姓名只能包含文字、字母、空格和“·”。";
  if (!is_clean_text(s)) return bad_input(message);
  for (const std::string& c : chars) {
    if (c.size() == 1) {
      const char a = c[0];
      const bool ok =
          std::isalpha(static_cast<unsigned char>(a)) || a == ' ' || a == '.' || a == '-';
      if (!ok) return bad_input(message);
    } else if (std::find(forbidden_wide.begin(), forbidden_wide.end(), c) != forbidden_wide.end()) {
      return bad_input(message);
    }
  }
  return s;
}

Outcome<std::optional<std::string>> parse_tags(std::string_view text) {
  std::string s = trim(text);
  for (std::string_view sep : {"，", "、", "；", "　"}) {
    for (std::size_t p; (p = s.find(sep)) != std::string::npos;) s.replace(p, sep.size(), ",");
  }
  for (char& c : s)
    if (c == ';' || c == ' ' || c == '|') c = ',';
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(',', start), s.size());
    std::string tag = trim(std::string_view(s).substr(start, end - start));
    if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end())
      tags.push_back(std::move(tag));
    start = end + 1;
  }
  if (tags.empty()) return std::optional<std::string>();
  std::string joined = join(tags, ",");
  if (!is_clean_text(joined)) return bad_input("健康标签含有不允许的字符。");
  if (utf8_length(joined) > kMaxTagsChars) {
    return bad_input("健康标签太长了（最多 " + std::to_string(kMaxTagsChars) + " 个字）。");
  }
  return std::optional<std::string>(std::move(joined));
}

Outcome<std::string> parse_level(std::string_view text, const std::vector<std::string>& allowed) {
  const std::string s = trim(text);
  if (s.empty() && !allowed.empty()) return allowed.front();
  for (const std::string& level : allowed)
    if (s == level) return level;
  // "金卡会员" / "钻石卡" name a level too.
  for (const std::string& level : allowed) {
    if (!level.empty() && (s == level + "会员" || s == level + "卡")) return level;
  }
  return bad_input("会员等级" + quote_arg(s) + "无法识别，可用：" + join(allowed, "、") + "。");
}

}  // namespace yimei::entry
