// The answer to one Text2SQL question, whichever engine produced it: the question, the engine,
// the QuerySpec (when there is one), the SQL as executed, the result table and the provenance
// line — or, instead of a table, a clarifying question with suggested phrasings.
// Plain value types.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/db/connection.hpp"
#include "core/table.hpp"
#include "core/text2sql/query_spec.hpp"

namespace yimei::text2sql {

struct Clarification {
  std::string message;                   // one Chinese sentence: what was unclear
  std::vector<std::string> suggestions;  // 2-3 phrasings the engine understands
};

struct Answer {
  std::string question;
  std::string engine;  // "rules" | "llm"
  std::optional<QuerySpec> spec;
  std::string sql;    // as executed (after the guard)
  db::Params params;  // bound values of `sql`
  Table table;
  std::string provenance;  // one Chinese line: definition, window, filters, engine
  std::optional<Clarification> clarification;  // set instead of a table
  double confidence = 0;
  std::vector<std::string> notes;  // e.g. fuzzy readings ("水光针"按"水光补水针"理解)

  bool answered() const { return !clarification.has_value(); }
};

}  // namespace yimei::text2sql
