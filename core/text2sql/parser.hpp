// The rules parser: typed tokens -> QuerySpec through a small set of frames (entity lookup and
// lists, measure over filters, measure by dimension, top-N, entities lacking an event, two-window
// comparisons and growth rankings, per-entity thresholds such as 复购, 二开率, inactive
// customers). Every token the chosen frame explains is marked used; what is left lowers the
// confidence. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/text2sql/lexer.hpp"
#include "core/text2sql/query_spec.hpp"

namespace yimei::text2sql {

struct ParseOptions {
  int second_purchase_window = 90;  // analyses.md new-customer-repurchase `window`
  int inactive_days = 180;          // analyses.md inactive-customers `days`
};

struct ParseOutcome {
  std::optional<QuerySpec> spec;         // empty when no frame fits
  double confidence = 0;                 // 0..1
  std::vector<std::string> unexplained;  // words no frame used
  std::vector<std::string> notes;        // readings worth telling (fuzzy matches)
  // What was understood, for clarifying suggestions: a measure label, an entity value.
  std::string understood_measure;
  std::string understood_entity;
  std::string understood_entity_field;
};

ParseOutcome parse_tokens(std::vector<Token>& tokens, const Date& as_of,
                          const ParseOptions& options = {});

}  // namespace yimei::text2sql
