// Engine: mode selection, fallbacks between the engines, guarded execution and follow-ups.
#include "core/text2sql/engine.hpp"

#include <spdlog/spdlog.h>

#include "core/text2sql/compiler.hpp"
#include "core/text2sql/provenance.hpp"
#include "core/text2sql/sql_guard.hpp"

namespace yimei::text2sql {

std::optional<EngineMode> parse_engine_mode(const std::string& text) {
  if (text == "auto") return EngineMode::Auto;
  if (text == "rules") return EngineMode::Rules;
  if (text == "llm") return EngineMode::Llm;
  return std::nullopt;
}

Engine::Engine(db::ConnectionPool& pool, EntityIndex& index, EngineConfig config,
               const LlmEngine* llm)
    : pool_(pool),
      index_(index),
      config_(std::move(config)),
      llm_(llm),
      rules_(config_.rules),
      followups_(config_.followup_ttl) {}

namespace {

// The MariaDB message without the SQL the DbError appends for the log.
std::string db_message(const db::DbError& e) {
  std::string s = e.what();
  const auto cut = s.find(" in: ");
  if (cut != std::string::npos) s.resize(cut);
  return s;
}

}  // namespace

Outcome<ExecutedDraft> Engine::execute(const std::string& sql, const db::Params& params,
                                       const std::optional<std::string>& scope,
                                       std::size_t row_cap) {
  db::ReadOnlyLimits limits = config_.limits;
  if (row_cap > 0) limits.max_rows = row_cap;
  GuardOptions g;
  g.row_cap = limits.max_rows;
  g.consultant_scope = scope;
  g.params = params;
  g.database = config_.database;
  Outcome<GuardedSql> guarded = guard_sql(sql, g);
  if (!guarded) {
    spdlog::warn("text2sql: guard refused a query: {}", guarded.error().message);
    return guarded.error();
  }
  Table t = db::run_read_only(pool_, guarded->sql, guarded->bound, limits);
  return ExecutedDraft{guarded->sql, guarded->bound, std::move(t)};
}

Outcome<Answer> Engine::run_spec(const QuerySpec& spec, const std::string& question,
                                 const Date& as_of,
                                 const std::optional<std::string>& consultant_scope,
                                 std::size_t row_cap) {
  Outcome<CompiledQuery> compiled = compile_query(spec, as_of);
  if (!compiled) return compiled.error();
  Outcome<ExecutedDraft> ran = execute(compiled->sql, compiled->params, consultant_scope, row_cap);
  if (!ran) return ran.error();
  Answer a;
  a.question = question;
  a.engine = "rules";
  a.spec = spec;
  a.sql = std::move(ran->sql);
  a.params = std::move(ran->params);
  a.table = std::move(ran->table);
  label_columns(a.table, compiled->columns);
  a.provenance = provenance_line(spec, "rules");
  a.confidence = 1.0;
  return a;
}

Outcome<Answer> Engine::run_sql(const std::string& sql, const std::string& question,
                                const std::optional<std::string>& consultant_scope,
                                std::size_t row_cap) {
  Outcome<ExecutedDraft> ran = execute(sql, {}, consultant_scope, row_cap);
  if (!ran) return ran.error();
  Answer a;
  a.question = question;
  a.engine = "llm";
  a.sql = std::move(ran->sql);
  a.params = std::move(ran->params);
  a.table = std::move(ran->table);
  a.provenance = provenance_line_for_sql("llm");
  a.confidence = 1.0;
  return a;
}

Outcome<Answer> Engine::answer_rules(const AskRequest& req, RulesResult rr) {
  Outcome<ExecutedDraft> ran = execute(rr.compiled->sql, rr.compiled->params, req.consultant_scope);
  if (!ran) return ran.error();
  Answer a;
  a.question = req.question;
  a.engine = "rules";
  a.spec = rr.spec;
  a.sql = std::move(ran->sql);
  a.params = std::move(ran->params);
  a.table = std::move(ran->table);
  label_columns(a.table, rr.compiled->columns);
  a.provenance = provenance_line(*rr.spec, "rules");
  a.confidence = rr.confidence;
  a.notes = rr.notes;
  if (!req.user.empty()) followups_.put(req.user, req.chat, *rr.spec);
  return a;
}

Outcome<Answer> Engine::answer_llm(const AskRequest& req, const EntitySnapshot& snap) {
  if (req.before_llm) req.before_llm();  // e.g. tell the user 正在查询… before the slow call
  const auto started = std::chrono::steady_clock::now();
  DraftExecutor exec = [&](const LlmDraft& d) -> Outcome<ExecutedDraft> {
    try {
      return execute(d.sql, d.params, req.consultant_scope);
    } catch (const db::DbError& e) {
      if (e.is_connection_lost()) throw;
      // An SQL error (unknown column, syntax, time limit) goes back to the model.
      return bad_input("数据库执行出错：" + db_message(e));
    }
  };
  Outcome<LlmAnswer> got = llm_->answer(req.question, req.as_of, snap, exec);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  if (!got) {
    spdlog::warn("text2sql llm: no answer after {} ms: {}", ms, got.error().message);
    return got.error();
  }
  spdlog::info("text2sql llm: answered in {} ms, {} repairs, tokens {}+{}", ms, got->repairs,
               got->prompt_tokens, got->completion_tokens);
  Answer a;
  a.question = req.question;
  a.engine = "llm";
  a.spec = got->draft.spec;
  a.sql = std::move(got->executed.sql);
  a.params = std::move(got->executed.params);
  a.table = std::move(got->executed.table);
  if (!got->draft.columns.empty()) label_columns(a.table, got->draft.columns);
  a.provenance = a.spec ? provenance_line(*a.spec, "llm") : provenance_line_for_sql("llm");
  a.confidence = 1.0;
  if (a.spec && !req.user.empty()) followups_.put(req.user, req.chat, *a.spec);
  return a;
}

Outcome<Answer> Engine::ask(const AskRequest& req) {
  auto snap = index_.snapshot();
  std::optional<QuerySpec> prev;
  if (!req.user.empty()) prev = followups_.get(req.user, req.chat);
  RulesResult rr = rules_.understand(req.question, req.as_of, *snap, prev ? &*prev : nullptr);
  // A time that cannot be placed is refused whatever the engine: never guessed.
  if (rr.unplaceable) return *rr.refusal;

  const bool rules_sure = rr.compiled && !rr.clarification && rr.confidence >= config_.llm_below;
  const bool use_llm =
      llm_ && (req.mode == EngineMode::Llm || (req.mode == EngineMode::Auto && !rules_sure));
  if (req.mode == EngineMode::Llm && !llm_)
    return UserError{ErrorKind::Unavailable,
                     "没有配置大模型（OPENAI_API_KEY），无法使用大模型引擎回答。"};
  if (use_llm) {
    Outcome<Answer> a = answer_llm(req, *snap);
    if (a) return a;
    // Fall back to the rules answer (or its clarification), saying why.
    if (rr.compiled && !rr.clarification) {
      Outcome<Answer> b = answer_rules(req, std::move(rr));
      if (b)
        b->notes.push_back("大模型暂时无法回答（" + a.error().message + "），以下为规则引擎的结果");
      return b;
    }
    // Asked for the model by name and it could not be reached: a failed dependency, not a
    // question to rephrase.
    if (req.mode == EngineMode::Llm && a.error().kind == ErrorKind::Unavailable) {
      std::string why = a.error().message;
      if (why.size() < 3 || why.compare(why.size() - 3, 3, "。") != 0) why += "。";
      return UserError{ErrorKind::Unavailable,
                       why + "规则引擎也无法回答这个问题，请稍后再试或换个问法。"};
    }
    if (rr.clarification) {
      Answer c;
      c.question = req.question;
      c.engine = "rules";
      c.clarification = rr.clarification;
      c.confidence = rr.confidence;
      return c;
    }
    return a.error();
  }
  if (rr.refusal) return *rr.refusal;
  if (rr.clarification) {
    Answer c;
    c.question = req.question;
    c.engine = "rules";
    c.clarification = rr.clarification;
    c.confidence = rr.confidence;
    c.notes = rr.notes;
    return c;
  }
  return answer_rules(req, std::move(rr));
}

}  // namespace yimei::text2sql
