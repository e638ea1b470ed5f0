// `/反馈` records as a regression set in the format of tests/fixtures/text2sql-examples.jsonl:
// one JSON object a line with id, question, gold_sql (the SQL that answered, parameters
// inlined), order_matters, category, plus verdict and note. Thread-safe as its connection.
#pragma once

#include <ostream>
#include <string>

#include "core/db/connection.hpp"

namespace yimei::bot {

// verdict: "correct", "wrong" or "all". Returns the number of lines written.
std::size_t export_feedback(db::Connection& conn, const std::string& verdict, std::ostream& out);

// The SQL with each `?` outside strings and comments replaced by the literal of its parameter
// (strings quoted with ' and \ escaped; dates quoted; NULL). For export and display only.
std::string inline_params(const std::string& sql, const db::Params& params);

}  // namespace yimei::bot
