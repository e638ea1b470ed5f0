// The last answer of a user in a chat (bot_conversation_state): what /反馈 judges, what /导出
// exports and what a bare steering message (画成饼图, 不要图) redraws. Rows are never stored:
// the answer is run again — a Text2SQL answer from its QuerySpec (or its SQL, through the
// guard), an analysis from its name and parameters. Functions run on the message's
// connection and transaction; thread-safe as that connection.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "bot/router.hpp"
#include "core/text2sql/answer.hpp"

namespace yimei::bot {

struct LastAnswer {
  std::string question;
  std::optional<text2sql::QuerySpec> spec;
  std::string sql;       // as executed, parameters inlined (used when there is no spec)
  std::string analysis;  // set when the last answer was an analysis (then spec and sql are empty)
  std::map<std::string, std::string> params;  // the analysis parameters
};

// The stored last answer of the message's (platform, user, chat); nullopt when there is none
// or it cannot be read. Throws db::DbError.
std::optional<LastAnswer> load_last_answer(db::Connection& conn, const IncomingMessage& m);

// The first `max_bytes` bytes of a reply text, cut at a UTF-8 character boundary: the answer
// digest kept with the last answer (and in /反馈 records).
std::string answer_digest(const std::string& text, std::size_t max_bytes = 500);

// Stores an analysis as the last answer (question "/分析 NAME k=v", empty spec and SQL), so that
// /导出 exports it and /反馈 judges it. Throws db::DbError.
void remember_analysis(CommandContext& ctx, const std::string& name,
                       const std::map<std::string, std::string>& params, const std::string& digest);

// Runs a stored Text2SQL answer again for the asking user (their consultant scope applies),
// with `row_cap` rows at most (0 = the engine's cap). UserError when Text2SQL is off, the
// answer was an analysis, or the query is refused now; throws db::DbError.
Outcome<text2sql::Answer> rerun_answer(CommandContext& ctx, const LastAnswer& last,
                                       std::size_t row_cap);

}  // namespace yimei::bot
