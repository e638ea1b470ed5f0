// The Text2SQL front door: one question in, one Answer out. Modes: rules (the rules engine
// only), llm (the LLM engine, falling back to the rules answer on failure), auto (rules first,
// the LLM when the rules are unsure). Every query, from either engine, passes guard_sql (one
// SELECT over the contract tables, row cap, consultant scope) and runs on the read-only pool
// (SELECT-only account, READ ONLY transaction, statement time limit). Follow-ups are kept per
// (user, chat). Thread-safe (the pool, the index and the follow-up store are).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/db/pool.hpp"
#include "core/db/readonly.hpp"
#include "core/error.hpp"
#include "core/text2sql/answer.hpp"
#include "core/text2sql/entity_index.hpp"
#include "core/text2sql/followup.hpp"
#include "core/text2sql/llm_engine.hpp"
#include "core/text2sql/rules_engine.hpp"

namespace yimei::text2sql {

enum class EngineMode { Auto, Rules, Llm };

// "auto" | "rules" | "llm"; nullopt for anything else.
std::optional<EngineMode> parse_engine_mode(const std::string& text);

struct EngineConfig {
  RulesOptions rules;
  db::ReadOnlyLimits limits;  // max_rows = YIMEI_ROW_CAP, statement_timeout
  double llm_below = 0.8;     // auto: consult the LLM when the rules' confidence is under this
  std::chrono::seconds followup_ttl{600};
  std::string database;  // the read-only account's database (qualified names allowed only here)
};

struct AskRequest {
  std::string question;
  Date as_of;
  EngineMode mode = EngineMode::Auto;
  std::string user;  // follow-up context (empty: no follow-up)
  std::string chat;
  // Set when the caller is a consultant: only their own customers' rows are read.
  std::optional<std::string> consultant_scope;
  // Called once right before the LLM is consulted (the slow path), on the asking thread.
  std::function<void()> before_llm;
};

class Engine {
 public:
  // `llm` may be null (no OPENAI_API_KEY): auto then uses the rules alone.
  Engine(db::ConnectionPool& readonly_pool, EntityIndex& index, EngineConfig config,
         const LlmEngine* llm = nullptr);

  // An Answer with a table, or with a clarification. UserError for questions refused as asked
  // (a time that cannot be placed: BadInput; SQL the guard refuses: Forbidden; the LLM
  // unreachable and no rules answer to fall back to — in llm mode even when the rules would
  // only ask a clarifying question: Unavailable). Throws db::DbError / DependencyError when the
  // database fails.
  Outcome<Answer> ask(const AskRequest& request);

  // Runs a stored spec again (compiled for `as_of`) through the same guard and read-only path
  // as ask(), e.g. to export the last answer or to show its other period. `row_cap` replaces
  // the configured cap when non-zero. Stores no follow-up. Errors as ask().
  Outcome<Answer> run_spec(const QuerySpec& spec, const std::string& question, const Date& as_of,
                           const std::optional<std::string>& consultant_scope,
                           std::size_t row_cap = 0);
  // Runs stored SQL (an LLM answer without a spec) through the guard again; as run_spec.
  Outcome<Answer> run_sql(const std::string& sql, const std::string& question,
                          const std::optional<std::string>& consultant_scope,
                          std::size_t row_cap = 0);

  FollowupStore& followups() { return followups_; }
  const RulesEngine& rules() const { return rules_; }

 private:
  Outcome<ExecutedDraft> execute(const std::string& sql, const db::Params& params,
                                 const std::optional<std::string>& scope, std::size_t row_cap = 0);
  Outcome<Answer> answer_rules(const AskRequest& req, RulesResult rr);
  Outcome<Answer> answer_llm(const AskRequest& req, const EntitySnapshot& snap);

  db::ConnectionPool& pool_;
  EntityIndex& index_;
  EngineConfig config_;
  const LlmEngine* llm_;
  RulesEngine rules_;
  FollowupStore followups_;
};

}  // namespace yimei::text2sql
