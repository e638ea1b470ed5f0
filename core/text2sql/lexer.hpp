// Lexing a normalized question into typed tokens: time expressions (time_expr), then
// leftmost-longest matching over the domain lexicon and the live catalog, numbers with their
// units, and finally fuzzy linking of the spans nothing explained (edit distance <= 1 on
// characters, short forms such as 水光针 for 水光补水针 or 洗牙 for
// 超声波洗牙). Pure given its inputs; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/text2sql/entity_index.hpp"
#include "core/text2sql/lexicon.hpp"
#include "core/text2sql/time_expr.hpp"

namespace yimei::text2sql {

struct Token {
  TokKind kind = TokKind::Unknown;
  std::size_t begin = 0;  // byte offsets in the normalized question
  std::size_t end = 0;
  std::string text;
  std::string a;  // meaning payload (see TokKind)
  std::string b;
  std::vector<EntityRef> refs;  // Value: what the words may name
  std::vector<LexSpec> alt;     // Value: domain meanings of the same words (产品 is a noun too)
  double number = 0;
  std::optional<DateRange> range;
  TimeMarker marker = TimeMarker::None;
  bool fuzzy = false;  // Value linked by fuzzy matching
  bool used = false;   // set by the parser when the token shaped the query
};

struct LexResult {
  std::vector<Token> tokens;
  // Set when a time expression cannot be placed: the question must be refused.
  std::optional<std::string> unplaceable;
};

LexResult lex_question(std::string_view normalized, const Date& as_of,
                       const EntitySnapshot& entities);

// Edit distance between two code point strings, or limit + 1 once it exceeds `limit`.
int bounded_edit_distance(std::u32string_view a, std::u32string_view b, int limit);

}  // namespace yimei::text2sql
