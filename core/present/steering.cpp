// Steering phrases (see steering.hpp): chart words with their verbs, "no chart" and "table
// only" phrases, and 按X排序-style sort requests. Bare 从低到高 / 最高 are left alone: they are
// part of a question's meaning (前5名从低到高) and belong to the Text2SQL engine.
#include "core/present/steering.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace yimei::present {
namespace {

struct Word {
  std::string_view text;
  ChartChoice chart;
  bool table_only;
};

// Longest first within each group so that 柱状图 wins over 柱图 and 不要图表 over 不要图.
constexpr std::array<Word, 36> kWords = {{
    {"不需要图表", ChartChoice::None, false}, {"不需要图", ChartChoice::None, false},
    {"不要画图", ChartChoice::None, false},   {"不用画图", ChartChoice::None, false},
    {"不要图表", ChartChoice::None, false},   {"不用图表", ChartChoice::None, false},
    {"无需图表", ChartChoice::None, false},   {"不要图片", ChartChoice::None, false},
    {"不要图", ChartChoice::None, false},     {"不用图", ChartChoice::None, false},
    {"别画图", ChartChoice::None, false},     {"不画图", ChartChoice::None, false},
    {"只要表格", ChartChoice::None, true},    {"只看表格", ChartChoice::None, true},
    {"只给表格", ChartChoice::None, true},    {"列成表格", ChartChoice::None, true},
    {"表格形式", ChartChoice::None, true},    {"用表格", ChartChoice::None, true},
    {"只要表", ChartChoice::None, true},      {"甜甜圈图", ChartChoice::Donut, false},
    {"饼状图", ChartChoice::Donut, false},    {"环形图", ChartChoice::Donut, false},
    {"圆环图", ChartChoice::Donut, false},    {"饼图", ChartChoice::Donut, false},
    {"折线图", ChartChoice::Line, false},     {"曲线图", ChartChoice::Line, false},
    {"趋势图", ChartChoice::Line, false},     {"走势图", ChartChoice::Line, false},
    {"线图", ChartChoice::Line, false},       {"柱状图", ChartChoice::Bar, false},
    {"柱形图", ChartChoice::Bar, false},      {"条形图", ChartChoice::Bar, false},
    {"直方图", ChartChoice::Bar, false},      {"柱子图", ChartChoice::Bar, false},
    {"排行图", ChartChoice::Bar, false},      {"柱图", ChartChoice::Bar, false},
}};

// Verbs before a chart word. One-character verbs are taken unless the character before makes
// them part of a word (费用, 可以, 所以 ...).
constexpr std::array<std::string_view, 22> kLongPrefixes = {
    "画成", "画个", "画一个", "画一张", "画张",   "做成",   "换成", "改成",
    "变成", "生成", "显示成", "显示为", "展示成", "展示为", "来个", "来一个",
    "出个", "给我", "帮我",   "麻烦",   "请用",   "再用"};
struct ShortPrefix {
  std::string_view verb;
  std::string_view not_after;  // characters that make the verb part of a word
};
constexpr std::array<ShortPrefix, 7> kShortPrefixes = {{
    {"用", "费使作效信应试专通公常运采"},
    {"以", "可所加难足得予给用"},
    {"画", ""},
    {"做", ""},
    {"换", ""},
    {"请", ""},
    {"再", ""},
}};
constexpr std::array<std::string_view, 14> kSuffixes = {
    "来展示", "来显示", "来表示", "展示", "显示", "表示", "呈现",
    "看一下", "看看",   "的形式", "形式", "出来", "一下", "看"};
constexpr std::array<std::string_view, 4> kParticles = {"吧", "呢", "哈", "啊"};

constexpr std::array<std::string_view, 10> kAscending = {
    "从低到高", "从小到大", "由低到高", "由小到大", "升序",
    "正序",     "从少到多", "由少到多", "低到高",   "小到大"};
constexpr std::array<std::string_view, 10> kDescending = {
    "从高到低", "从大到小", "由高到低", "由大到小", "降序",
    "倒序",     "从多到少", "由多到少", "高到低",   "大到小"};
constexpr std::array<std::string_view, 3> kSortWords = {"排序", "排列", "排一下"};

constexpr std::string_view kMark = "\x1f";  // where a phrase was cut

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Byte offset of the code point before `pos`.
std::size_t prev_char(std::string_view s, std::size_t pos) {
  if (pos == 0) return 0;
  std::size_t i = pos - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

bool is_boundary_text(std::string_view ch) {
  for (std::string_view p :
       {"，", "。", "；", "：", "！", "？", "、", " ", ",", ";", ":", "!", "?", ".", "\t", "\x1f"})
    if (ch == p) return true;
  return false;
}

// True when the one-character verb p ending at `end` stands as a verb.
bool short_verb_at(std::string_view s, std::size_t end, const ShortPrefix& p) {
  if (end < p.verb.size() || s.substr(end - p.verb.size(), p.verb.size()) != p.verb) return false;
  const std::size_t b = end - p.verb.size();
  if (b == 0) return true;
  const std::size_t q = prev_char(s, b);
  return p.not_after.find(s.substr(q, b - q)) == std::string_view::npos;
}

// Extends [b, e) over verbs on the left and over suffixes and particles on the right.
void widen(std::string_view s, std::size_t& b, std::size_t& e) {
  for (bool grew = true; grew;) {
    grew = false;
    for (std::string_view p : kLongPrefixes)
      if (b >= p.size() && s.substr(b - p.size(), p.size()) == p) {
        b -= p.size();
        grew = true;
        break;
      }
    if (grew) continue;
    for (const ShortPrefix& p : kShortPrefixes)
      if (short_verb_at(s, b, p)) {
        b -= p.verb.size();
        grew = true;
        break;
      }
  }
  for (std::string_view x : kSuffixes)
    if (starts_with(s.substr(e), x)) {
      e += x.size();
      break;
    }
  for (std::string_view x : kParticles)
    if (starts_with(s.substr(e), x)) {
      e += x.size();
      break;
    }
}

struct Cut {
  std::size_t b, e;
};

// One 按X…排序 or …排序 request starting the search at `from`; the cut and what it asks.
std::optional<Cut> find_sort(std::string_view s, std::size_t from, Steering& st) {
  for (std::size_t at = s.find("排", from); at != std::string_view::npos;
       at = s.find("排", at + 1)) {
    std::size_t e = std::string_view::npos;
    for (std::string_view w : kSortWords)
      if (starts_with(s.substr(at), w)) e = at + w.size();
    if (e == std::string_view::npos) continue;
    // Direction words right before 排序.
    std::size_t b = at;
    std::optional<bool> ascending;
    for (std::string_view d : kAscending)
      if (ends_with(s.substr(0, b), d)) {
        b -= d.size();
        ascending = true;
        break;
      }
    if (!ascending)
      for (std::string_view d : kDescending)
        if (ends_with(s.substr(0, b), d)) {
          b -= d.size();
          ascending = false;
          break;
        }
    // 按X before: X is 1..8 characters without punctuation.
    std::string word;
    const std::size_t an = s.substr(0, b).rfind("按");
    if (an != std::string_view::npos) {
      const std::string_view x = s.substr(an + 3, b - an - 3);
      std::size_t chars = 0;
      bool clean = !x.empty();
      for (std::size_t i = 0; i < x.size(); ++chars) {
        std::size_t n = 1;
        const auto c = static_cast<unsigned char>(x[i]);
        n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        if (is_boundary_text(x.substr(i, n))) clean = false;
        i += n;
      }
      if (clean && chars <= 8) {
        word = std::string(x);
        b = an;
      }
    }
    if (word.empty() && !ascending) continue;  // a bare 排序 says nothing
    for (std::string_view x : kParticles)
      if (starts_with(s.substr(e), x)) {
        e += x.size();
        break;
      }
    st.sort = true;
    st.sort_word = word;
    st.sort_ascending = ascending;
    return Cut{b, e};
  }
  return std::nullopt;
}

bool is_punct_text(std::string_view ch) {
  return ch != kMark && is_boundary_text(ch);
}

// Removes the cut marks and the punctuation or spaces they leave doubled or dangling.
std::string tidy(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, kMark.size(), kMark) != 0) {
      const auto c = static_cast<unsigned char>(s[i]);
      const std::size_t n = std::min<std::size_t>(c >= 0xf0   ? 4
                                                  : c >= 0xe0 ? 3
                                                  : c >= 0xc0 ? 2
                                                              : 1,
                                                  s.size() - i);
      out.append(s, i, n);
      i += n;
      continue;
    }
    i += kMark.size();
    // Drop spaces around the cut; when punctuation now stands on both sides, keep the left one.
    while (!out.empty() && out.back() == ' ') out.pop_back();
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t p = prev_char(out, out.size());
    const bool left_punct = out.empty() || is_punct_text(std::string_view(out).substr(p));
    while (left_punct && i < s.size()) {
      const auto c = static_cast<unsigned char>(s[i]);
      const std::size_t n = c >= 0xe0 ? 3 : 1;
      if (!is_punct_text(std::string_view(s).substr(i, n)) &&
          s.compare(i, kMark.size(), kMark) != 0)
        break;
      if (s.compare(i, kMark.size(), kMark) == 0) {
        i += kMark.size();
        continue;
      }
      i += n;
    }
  }
  // Trim punctuation and spaces at both ends, and a dangling 的 at the end.
  auto trim = [](std::string& t) {
    bool changed = true;
    while (changed && !t.empty()) {
      changed = false;
      const std::size_t p = prev_char(t, t.size());
      const std::string_view last = std::string_view(t).substr(p);
      if (is_punct_text(last) || last == "的" || last == "\x1f") {
        t.resize(p);
        changed = true;
      }
    }
    while (!t.empty()) {
      const auto c = static_cast<unsigned char>(t[0]);
      const std::size_t n = std::min<std::size_t>(c >= 0xe0 ? 3 : 1, t.size());
      if (!is_punct_text(std::string_view(t).substr(0, n))) break;
      t.erase(0, n);
    }
  };
  trim(out);
  return out;
}

std::string trim_spaces(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

SteeredQuestion extract_steering(std::string_view question) {
  SteeredQuestion out;
  std::string s = trim_spaces(question);
  Steering& st = out.steering;
  bool cut_any = false;
  // Chart, no-chart and table-only phrases, each occurrence.
  for (const Word& w : kWords) {
    for (std::size_t at = s.find(w.text); at != std::string::npos; at = s.find(w.text)) {
      std::size_t b = at, e = at + w.text.size();
      widen(s, b, e);
      if (w.table_only) st.table_only = true;
      // "No chart" wins over a chart word; otherwise the last chart word named wins.
      if (st.chart != ChartChoice::None || w.chart == ChartChoice::None) st.chart = w.chart;
      st.phrases.push_back(s.substr(b, e - b));
      s.replace(b, e - b, kMark);
      cut_any = true;
    }
  }
  for (std::size_t from = 0;;) {
    auto cut = find_sort(s, from, st);
    if (!cut) break;
    st.phrases.push_back(s.substr(cut->b, cut->e - cut->b));
    s.replace(cut->b, cut->e - cut->b, kMark);
    from = cut->b + kMark.size();
    cut_any = true;
  }
  out.question = cut_any ? tidy(s) : s;
  return out;
}

}  // namespace yimei::present
