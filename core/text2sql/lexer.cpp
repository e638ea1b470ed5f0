// Lexer: time spans first, then leftmost-longest over domain words and catalog names, numbers
// with units, punctuation, and fuzzy linking of unexplained spans to catalog names.
#include "core/text2sql/lexer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace yimei::text2sql {

namespace {

std::size_t utf8_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 6) return 2;
  if ((c >> 4) == 14) return 3;
  if ((c >> 3) == 30) return 4;
  return 1;
}

// Byte offsets of every character start, plus the end.
std::vector<std::size_t> char_starts(std::string_view s) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.size(); i += utf8_len(static_cast<unsigned char>(s[i])))
    out.push_back(i);
  out.push_back(s.size());
  return out;
}

bool is_punct(std::string_view ch) {
  static const std::string_view kPunct[] = {
      ",", "?", "!",  ":", ";", ".", "、", "。", "，", "？", "！", "：", "；", "~", "…",
      "|", "/", "\"", "'", "“", "”", "‘",  "’",  "《", "》", "【", "】", "[",  "]", "-"};
  for (auto p : kPunct)
    if (ch == p) return true;
  return false;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Units that may follow a number and belong to it.
bool is_unit(std::string_view ch) {
  static const std::string_view kUnits[] = {"元", "块", "次", "单", "笔", "个", "位", "名", "人",
                                            "天", "款", "项", "家", "种", "%",  "w",  "k",  "回"};
  for (auto u : kUnits)
    if (ch == u) return true;
  return false;
}

Token make(TokKind kind, std::string_view text, std::size_t begin, std::size_t end) {
  Token t;
  t.kind = kind;
  t.text = std::string(text.substr(begin, end - begin));
  t.begin = begin;
  t.end = end;
  return t;
}

void push_specs(std::vector<Token>& out, const std::vector<LexSpec>& specs, std::string_view text,
                std::size_t begin, std::size_t end) {
  for (const auto& spec : specs) {
    Token t = make(spec.kind, text, begin, end);
    t.a = spec.a;
    t.b = spec.b;
    out.push_back(std::move(t));
  }
}

// Fuzzy linking of Unknown runs to catalog names (products, consultants, departments, types).
class FuzzyLinker {
 public:
  FuzzyLinker(std::vector<Token>& toks, const EntitySnapshot& ents) : toks_(toks), ents_(ents) {}

  void run() {
    std::size_t i = 0;
    while (i < toks_.size()) {
      if (toks_[i].kind != TokKind::Unknown) {
        ++i;
        continue;
      }
      // The region: Unknown tokens plus numbers/classifiers/short fillers between them.
      std::size_t j = i;
      std::size_t last_unknown = i;
      while (j + 1 < toks_.size() && bridgeable(toks_[j + 1])) {
        ++j;
        if (toks_[j].kind == TokKind::Unknown) last_unknown = j;
      }
      const std::size_t region_end = last_unknown + 1;
      if (!link(i, region_end)) i = region_end;
      // On success the region became one Value token: continue from the same index.
    }
  }

 private:
  static bool bridgeable(const Token& t) {
    return t.kind == TokKind::Unknown || t.kind == TokKind::Num || t.kind == TokKind::Classifier ||
           (t.kind == TokKind::Filler && t.text.size() <= 3);
  }
  static bool barrier(const Token& t) {
    return t.kind == TokKind::Time || t.kind == TokKind::Marker || t.kind == TokKind::Value ||
           t.kind == TokKind::Punct || t.kind == TokKind::ParenOpen ||
           t.kind == TokKind::ParenClose;
  }

  // Tries windows around the unknown region [first, end); replaces the best one.
  bool link(std::size_t first, std::size_t end) {
    int best_score = 1 << 20;
    std::size_t best_l = 0, best_r = 0;
    const EntitySnapshot::FuzzyName* best_name = nullptr;
    bool tie = false;
    int unknown_chars_total = 0;
    for (std::size_t k = first; k < end; ++k)
      if (toks_[k].kind == TokKind::Unknown) unknown_chars_total += 1;
    const std::size_t lo = first >= 3 ? first - 3 : 0;
    const std::size_t hi = std::min(toks_.size(), end + 3);
    for (std::size_t l = lo; l <= first; ++l) {
      bool bad = false;
      for (std::size_t k = l; k < first; ++k)
        if (barrier(toks_[k])) bad = true;
      if (bad) continue;
      for (std::size_t r = first + 1; r <= hi; ++r) {
        if (r > first + 1 && barrier(toks_[r - 1])) break;
        std::u32string w;
        int absorbed_known = 0;
        int covered_unknown = 0;
        for (std::size_t k = l; k < r; ++k) {
          w += to_u32(toks_[k].text);
          if (toks_[k].kind == TokKind::Unknown) {
            if (k < end) ++covered_unknown;
          } else {
            ++absorbed_known;
          }
        }
        const int uncovered = unknown_chars_total - covered_unknown;
        for (const auto& name : ents_.fuzzy_names()) {
          const int score = match_score(w, name.key, l == first && r == end, uncovered == 0);
          if (score < 0) continue;
          const int total = score + uncovered * 4 + absorbed_known;
          if (total < best_score) {
            best_score = total;
            best_l = l;
            best_r = r;
            best_name = &name;
            tie = false;
          } else if (total == best_score && best_name && name.ref.value != best_name->ref.value) {
            tie = true;
          }
        }
      }
    }
    if (!best_name || best_score >= 60) return false;
    Token t;
    t.kind = TokKind::Value;
    t.begin = toks_[best_l].begin;
    t.end = toks_[best_r - 1].end;
    for (std::size_t k = best_l; k < best_r; ++k) t.text += toks_[k].text;
    t.refs.push_back(best_name->ref);
    t.fuzzy = true;
    t.a = tie ? "tie" : "";
    toks_.erase(toks_.begin() + static_cast<std::ptrdiff_t>(best_l),
                toks_.begin() + static_cast<std::ptrdiff_t>(best_r));
    toks_.insert(toks_.begin() + static_cast<std::ptrdiff_t>(best_l), std::move(t));
    return true;
  }

  // Lower is better; -1 when the window cannot stand for the name.
  static int match_score(const std::u32string& w, const std::u32string& name, bool exact_run,
                         bool covers_region) {
    if (w.size() < 2 || name.size() < 2) return -1;
    if (name.size() >= 3 && w.size() >= 3) {
      const int d = bounded_edit_distance(w, name, 1);
      // A 3-character name tolerates a substitution, not a dropped character.
      if (d <= 1 && !(name.size() == 3 && w.size() < 3)) return d == 0 ? 0 : 10;
    }
    // Short forms: the window's characters appear in order in the name, starting with the
    // name's first character (水光针 -> 水光补水针), or as a contiguous part of it (瘦脸针).
    const int extra = static_cast<int>(name.size()) - static_cast<int>(w.size());
    if (extra <= 0) return -1;
    const bool is_card = name.find(U"卡") != std::u32string::npos ||
                         name.find(U"套餐") != std::u32string::npos ||
                         name.find(U"疗程") != std::u32string::npos;
    const bool asks_card = w.find(U"卡") != std::u32string::npos ||
                           w.find(U"套餐") != std::u32string::npos ||
                           w.find(U"疗程") != std::u32string::npos;
    const int card_penalty = (is_card && !asks_card) ? 8 : 0;
    // A window grown over known words must take in every unknown character of the region and
    // be a real prefix of the name (超 + 皮秒 -> 超皮秒祛斑).
    if (!exact_run && !covers_region) return -1;
    const int grown = exact_run ? 0 : 5;
    if (name.compare(0, w.size(), w) == 0) return 20 + extra + card_penalty + grown;
    if (!exact_run) return -1;
    if (w.size() >= 3 && w[0] == name[0]) {
      std::size_t k = 0;
      for (char32_t c : name)
        if (k < w.size() && c == w[k]) ++k;
      if (k == w.size()) return 30 + extra + card_penalty;
    }
    if (w.size() >= 3 && name.find(w) != std::u32string::npos) return 35 + extra + card_penalty;
    // 瘦脸针 -> 肉毒素瘦脸100单位: 针 names an injectable whose catalog name does not say it.
    if (w.size() >= 3 && w.back() == U'针' && name.find(U'针') == std::u32string::npos &&
        name.find(w.substr(0, w.size() - 1)) != std::u32string::npos)
      return 38 + extra + card_penalty;
    // Two characters that end the name (洗牙 -> 超声波洗牙, 美白 -> 冷光美白).
    if (w.size() == 2 && name.compare(name.size() - 2, 2, w) == 0) return 40 + extra + card_penalty;
    // Reordered short forms that keep the name's last character: every character of the window
    // is in the name (植发中心 -> 毛发移植中心, 全腿脱毛卡 -> 冰点脱毛全腿6次卡).
    if (w.size() >= 3 && w.back() == name.back()) {
      std::u32string rest = name;
      bool all_in = true;
      for (char32_t c : w) {
        const auto at = rest.find(c);
        if (at == std::u32string::npos) {
          all_in = false;
          break;
        }
        rest.erase(at, 1);
      }
      if (all_in) return 45 + extra + card_penalty;
    }
    return -1;
  }

  std::vector<Token>& toks_;
  const EntitySnapshot& ents_;
};

}  // namespace

int bounded_edit_distance(std::u32string_view a, std::u32string_view b, int limit) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<int> prev(static_cast<std::size_t>(m) + 1), cur(static_cast<std::size_t>(m) + 1);
  for (int j = 0; j <= m; ++j) prev[static_cast<std::size_t>(j)] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      const auto ju = static_cast<std::size_t>(j);
      const int sub = prev[ju - 1] + (a[static_cast<std::size_t>(i - 1)] == b[ju - 1] ? 0 : 1);
      cur[ju] = std::min({prev[ju] + 1, cur[ju - 1] + 1, sub});
      row_min = std::min(row_min, cur[ju]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[static_cast<std::size_t>(m)], limit + 1);
}

LexResult lex_question(std::string_view text, const Date& as_of, const EntitySnapshot& ents) {
  LexResult out;
  const TimeParse tp = parse_time_expressions(text, as_of);
  if (tp.unplaceable) {
    out.unplaceable = tp.unplaceable;
    return out;
  }
  const DomainLexicon& lex = DomainLexicon::instance();
  const std::vector<std::size_t> starts = char_starts(text);
  const std::size_t nchars = starts.size() - 1;
  const std::size_t max_chars = std::max(lex.max_word_chars(), ents.max_key_chars());
  std::size_t next_time = 0;
  std::vector<Token>& toks = out.tokens;

  std::size_t ci = 0;  // character index
  while (ci < nchars) {
    const std::size_t bi = starts[ci];
    // Time expressions own their span.
    while (next_time < tp.matches.size() && tp.matches[next_time].end <= bi) ++next_time;
    if (next_time < tp.matches.size() && tp.matches[next_time].begin == bi) {
      const TimeMatch& m = tp.matches[next_time];
      Token t = make(m.range ? TokKind::Time : TokKind::Marker, text, m.begin, m.end);
      t.range = m.range;
      t.marker = m.marker;
      if (!m.range) t.a = m.marker == TimeMarker::PreviousPeriod ? "prev" : "yoy";
      toks.push_back(std::move(t));
      // The marker of a range ("去年同期" inside a longer match) is kept too.
      if (m.range && m.marker != TimeMarker::None) {
        Token mk = make(TokKind::Marker, text, m.begin, m.end);
        mk.marker = m.marker;
        mk.a = m.marker == TimeMarker::PreviousPeriod ? "prev" : "yoy";
        toks.push_back(std::move(mk));
      }
      while (ci < nchars && starts[ci] < m.end) ++ci;
      ++next_time;
      continue;
    }
    const std::size_t time_limit =
        next_time < tp.matches.size() ? tp.matches[next_time].begin : text.size();
    const char c0 = text[bi];
    if (c0 == ' ' || c0 == '\t' || c0 == '\n' || c0 == '\r' || c0 == '@') {
      ++ci;
      continue;
    }
    const std::string_view ch = text.substr(bi, starts[ci + 1] - bi);
    if (ch == "(" || ch == "（") {
      toks.push_back(make(TokKind::ParenOpen, text, bi, starts[ci + 1]));
      ++ci;
      continue;
    }
    if (ch == ")" || ch == "）") {
      toks.push_back(make(TokKind::ParenClose, text, bi, starts[ci + 1]));
      ++ci;
      continue;
    }
    // Leftmost-longest over catalog names and domain words.
    bool matched = false;
    const std::size_t max_here = std::min(max_chars, nchars - ci);
    for (std::size_t len = max_here; len >= 1 && !matched; --len) {
      const std::size_t be = starts[ci + len];
      if (be > time_limit) continue;
      const std::string_view word = text.substr(bi, be - bi);
      const auto* refs = ents.find(word);
      const auto* specs = lex.find(word);
      if (!refs && !specs) continue;
      // A number glued to a unit or a word ("5000以上", "10个") is not a catalog digit string.
      if (refs && !specs && is_digit(word[0])) {
        bool all_digits = true;
        for (char c : word)
          if (!is_digit(c) && c != '.') all_digits = false;
        if (all_digits) continue;
      }
      if (refs) {
        // A catalog name: when the same words are also a domain word (产品 as a product type
        // and as a noun), both readings travel on the token and the parser picks one.
        Token t = make(TokKind::Value, text, bi, be);
        t.refs = *refs;
        if (specs) t.alt = *specs;
        toks.push_back(std::move(t));
      } else {
        push_specs(toks, *specs, text, bi, be);
      }
      ci += len;
      matched = true;
    }
    if (matched) continue;
    if (is_punct(ch)) {
      toks.push_back(make(TokKind::Punct, text, bi, starts[ci + 1]));
      ++ci;
      continue;
    }
    if (is_digit(c0)) {
      std::size_t cj = ci;
      while (cj < nchars &&
             (is_digit(text[starts[cj]]) ||
              (text[starts[cj]] == '.' && cj + 1 < nchars && is_digit(text[starts[cj + 1]]))))
        ++cj;
      Token t = make(TokKind::Num, text, bi, starts[cj]);
      t.number = std::strtod(std::string(t.text).c_str(), nullptr);
      if (cj < nchars) {
        const std::string_view unit = text.substr(starts[cj], starts[cj + 1] - starts[cj]);
        if (is_unit(unit)) {
          if (unit == "w") t.number *= 10000;
          if (unit == "k") t.number *= 1000;
          t.a = std::string(unit);
          t.end = starts[cj + 1];
          t.text = std::string(text.substr(bi, t.end - bi));
          ++cj;
        }
      }
      toks.push_back(std::move(t));
      ci = cj;
      continue;
    }
    toks.push_back(make(TokKind::Unknown, text, bi, starts[ci + 1]));
    ++ci;
  }
  FuzzyLinker(toks, ents).run();
  return out;
}

}  // namespace yimei::text2sql
