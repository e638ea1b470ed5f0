// Question normalization: ICU NFKC and Traditional-Simplified (built once, one clone per
// thread), @-mentions stripped, punctuation and spaces unified, ASCII lower-cased, and number
// words turned into digits (numerals.cpp).
#include "core/text2sql/normalize.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include <memory>
#include <stdexcept>

#include "core/text2sql/numerals.hpp"

namespace yimei::text2sql {

namespace {

// The Traditional-Simplified transliterator is expensive to build (about 80 ms) and not
// documented as safe for concurrent use: one prototype, one clone per thread.
struct T2S {
  std::unique_ptr<icu::Transliterator> prototype;
  icu::UnicodeSet source;  // the characters it may change: skip it when none is present
};

const T2S& t2s_shared() {
  static const T2S shared = [] {
    UErrorCode status = U_ZERO_ERROR;
    T2S t;
    t.prototype.reset(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !t.prototype) {
      throw std::runtime_error(std::string("ICU Traditional-Simplified unavailable: ") +
                               u_errorName(status));
    }
    t.prototype->getSourceSet(t.source);
    t.source.freeze();
    return t;
  }();
  return shared;
}

const icu::Transliterator& t2s_for_this_thread() {
  thread_local std::unique_ptr<icu::Transliterator> mine(t2s_shared().prototype->clone());
  return *mine;
}

const icu::Normalizer2& nfkc() {
  static const icu::Normalizer2* n = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* p = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status) || !p) throw std::runtime_error("ICU NFKC unavailable");
    return p;
  }();
  return *n;
}

// UTF-8 to code points through ICU; invalid bytes become U+FFFD, which is dropped later.
icu::UnicodeString from_utf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::u32string to_u32(const icu::UnicodeString& u) {
  std::u32string out;
  out.reserve(static_cast<std::size_t>(u.length()));
  for (int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

std::string to_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

bool is_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v' ||
         c == 0x00A0 || c == 0x2005 || c == 0x3000 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
         c == 0x205F;
}

// Characters removed outright: controls, zero-width marks, the replacement character.
bool is_dropped(char32_t c) {
  return (c < 0x20 && !is_space(c)) || c == 0x7F || (c >= 0x200B && c <= 0x200F) || c == 0x2060 ||
         c == 0xFEFF || c == 0xFFFD;
}

// One ASCII form for the punctuation people type (after NFKC, full-width forms are ASCII).
char32_t unify_punct(char32_t c) {
  switch (c) {
    case U'、':
    case U';':
    case U'﹐':
      return U',';
    case U'。':
    case U'｡':
      return U'.';
    case U'“':
    case U'”':
    case U'‘':
    case U'’':
    case U'「':
    case U'」':
    case U'『':
    case U'』':
      return U'"';
    case U'【':
    case U'〔':
      return U'[';
    case U'】':
    case U'〕':
      return U']';
    case U'—':
    case U'–':
    case U'―':
    case U'‐':
    case U'−':
      return U'-';
    case U'〜':
    case U'∼':
      return U'~';
    default:
      return c;
  }
}

bool ends_mention(char32_t c) {
  return is_space(c) || c == U',' || c == U'.' || c == U'?' || c == U'!' || c == U':' ||
         c == U';' || c == U'、' || c == U'。' || c == U'@';
}

bool is_address_char(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') ||
         c == U'.' || c == U'_' || c == U'-';
}

// @张三 and the WeCom/DingTalk form "@张三\u2005": the mention runs to the next space or
// punctuation. Not after a letter or digit, so mail addresses stay intact.
std::u32string strip_mentions(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == U'@' && (i == 0 || !is_address_char(s[i - 1]))) {
      std::size_t j = i + 1;
      while (j < s.size() && !ends_mention(s[j])) ++j;
      if (j > i + 1) {
        out.push_back(U' ');
        i = j;
        continue;
      }
    }
    out.push_back(s[i++]);
  }
  return out;
}

// Punctuation unified, ASCII lower-cased, dropped characters removed, spaces collapsed and
// trimmed.
std::u32string tidy(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char32_t c : s) {
    if (is_dropped(c)) continue;
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(U' ');
    pending_space = false;
    c = unify_punct(c);
    if (c >= U'A' && c <= U'Z') c = c - U'A' + U'a';
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string normalize_question(std::string_view raw) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u = nfkc().normalize(from_utf8(raw), status);
  if (U_FAILURE(status)) u = from_utf8(raw);
  const T2S& shared = t2s_shared();
  if (shared.source.containsSome(u)) t2s_for_this_thread().transliterate(u);
  return to_utf8(convert_numerals(tidy(strip_mentions(to_u32(u)))));
}

std::optional<double> parse_number_word(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u = nfkc().normalize(from_utf8(text), status);
  if (U_FAILURE(status)) return std::nullopt;
  std::u32string s = to_u32(u);
  for (char32_t& c : s)
    if (c >= U'A' && c <= U'Z') c = c - U'A' + U'a';
  return parse_number_u32(s);
}

}  // namespace yimei::text2sql
