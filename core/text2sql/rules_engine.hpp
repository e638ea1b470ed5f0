// The rules engine: normalize -> lex -> parse -> (follow-up patch) -> compile, with no database
// access and no network. It says how sure it is; below the clarification threshold it returns a
// clarifying question with suggested phrasings instead of guessing. Time expressions that cannot
// be placed are refused. Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/text2sql/answer.hpp"
#include "core/text2sql/compiler.hpp"
#include "core/text2sql/entity_index.hpp"
#include "core/text2sql/lexer.hpp"
#include "core/text2sql/parser.hpp"

namespace yimei::text2sql {

struct RulesOptions {
  ParseOptions parse;
  double clarify_below = 0.5;  // confidence under which the engine asks instead of answering
};

struct RulesResult {
  std::string normalized;
  std::vector<Token> tokens;
  std::optional<QuerySpec> spec;
  std::optional<CompiledQuery> compiled;
  std::optional<Clarification> clarification;
  // The question cannot be answered as asked (time that cannot be placed, a combination the
  // model does not support): a Chinese sentence, exit 3 on the command line.
  std::optional<UserError> refusal;
  bool unplaceable = false;  // the refusal is a time expression that cannot be placed
  double confidence = 0;
  bool followup = false;  // the spec patched the previous one
  std::vector<std::string> unexplained;
  std::vector<std::string> notes;
};

class RulesEngine {
 public:
  explicit RulesEngine(RulesOptions options = {}) : options_(options) {}

  // `previous`: the last QuerySpec of this user and chat, for follow-ups (那上个月呢).
  RulesResult understand(std::string_view question, const Date& as_of,
                         const EntitySnapshot& entities, const QuerySpec* previous = nullptr) const;

  const RulesOptions& options() const { return options_; }

 private:
  RulesOptions options_;
};

// Suggested phrasings built from what was understood (a measure, an entity).
Clarification make_clarification(const std::string& understood_measure,
                                 const std::string& understood_entity,
                                 const std::string& entity_field,
                                 const std::vector<std::string>& unexplained);

}  // namespace yimei::text2sql
