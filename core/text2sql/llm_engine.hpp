// The LLM engine: a prompt built from the schema's column COMMENTs (read from
// information_schema.COLUMNS), the semantic model, the live catalog's small lists and few-shot
// examples — never result rows. The model answers with QuerySpec JSON (compiled like the rules
// engine's) or one ```sql block; output that does not parse, compile, pass the guard or run goes
// back with the error for at most `max_repairs` repairs. Tokens and latency are logged.
// Thread-safe when the ChatClient is.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "core/text2sql/chat_client.hpp"
#include "core/text2sql/compiler.hpp"
#include "core/text2sql/entity_index.hpp"
#include "core/text2sql/query_spec.hpp"

namespace yimei::text2sql {

struct SchemaColumn {
  std::string table;
  std::string column;
  std::string type;
  std::string comment;
};

// The contract tables' columns with their COMMENTs, from information_schema.COLUMNS of the
// connection's current database. Throws DbError.
std::vector<SchemaColumn> load_schema_comments(db::Connection& conn);

struct LlmConfig {
  std::string model = "gpt-4o-mini";
  std::chrono::milliseconds timeout{20000};
  int max_repairs = 2;
};

// What the model's output became: a spec (compiled here) or raw SQL.
struct LlmDraft {
  std::optional<QuerySpec> spec;
  std::string sql;
  db::Params params;
  std::vector<OutputColumn> columns;  // empty for raw SQL (labels come from its aliases)
};

// Runs a draft (guard + read-only execution). A UserError is fed back to the model for repair;
// exceptions (connection lost, timeouts) end the attempt.
struct ExecutedDraft {
  std::string sql;  // as executed
  db::Params params;
  Table table;
};
using DraftExecutor = std::function<Outcome<ExecutedDraft>(const LlmDraft&)>;

struct LlmAnswer {
  LlmDraft draft;
  ExecutedDraft executed;
  int repairs = 0;
  int prompt_tokens = 0;
  int completion_tokens = 0;
};

class LlmEngine {
 public:
  LlmEngine(ChatClient& client, LlmConfig config, std::vector<SchemaColumn> schema);

  // UserError Unavailable when the model cannot be reached (timeout, transport); BadInput when
  // its output stays invalid after the repairs (the message names the last problem).
  Outcome<LlmAnswer> answer(const std::string& question, const Date& as_of,
                            const EntitySnapshot& entities, const DraftExecutor& execute) const;

  // The system prompt (exposed for tests: it must hold schema comments, never data rows).
  std::string system_prompt(const Date& as_of, const EntitySnapshot& entities) const;

  // Reads one model reply: a single ```sql block, or a QuerySpec JSON object (possibly inside
  // a ```json block). BadInput describing what is wrong otherwise.
  static Outcome<LlmDraft> read_reply(const std::string& content, const Date& as_of);

 private:
  ChatClient& client_;
  LlmConfig config_;
  std::vector<SchemaColumn> schema_;
};

}  // namespace yimei::text2sql
