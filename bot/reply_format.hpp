// Turning results into chat replies for one reader: phones masked unless the role allows,
// customer-level rows withheld in group chats (aggregates only), long tables cut for a phone
// screen, the chart attached. Pure functions; thread-safe.
#pragma once

#include <string>

#include "bot/channel.hpp"
#include "core/analysis/analysis.hpp"
#include "core/entry/entry.hpp"
#include "core/present/presentation.hpp"
#include "core/text2sql/answer.hpp"

namespace yimei::bot {

struct Reader {
  bool show_phone = false;  // managers and admins
  bool is_group = false;    // group chats get aggregates only
  std::size_t max_rows = 20;
  Date as_of{};  // the reference date, in export file names (unset: no date in the name)
};

Reader reader_for(const entry::Actor& actor, bool is_group, std::size_t max_rows);

// A copy with phone cells masked unless the reader may see phones.
Table masked_for(const Table& t, const Reader& reader);

// True when the table names individual customers (their id, name or phone).
bool names_customers(const Table& t);
bool names_customers(const text2sql::Answer& a);

Reply analysis_reply(const analysis::AnalysisResult& result, const Reader& reader);
// A Text2SQL answer shown as core/present chooses for this reader: a sentence, a chart with
// the table text, or for a long or wide result its first rows, a table image and the whole
// table as an XLSX attachment (masked like the text; the caller audits attachments). The
// user's steering words and, for 环比/同比 answers, the two periods shape the choice. Nothing
// customer-level (text, chart or file) in a group.
Reply answer_reply(const text2sql::Answer& answer, const Reader& reader,
                   const present::Steering& steering = {},
                   const present::Comparison* comparison = nullptr);

// The sentence offered in groups instead of customer rows.
extern const char* const kPrivateDetailsHint;

}  // namespace yimei::bot
