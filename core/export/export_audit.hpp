// The audit trail of exports: every file that leaves the bot (chat /导出, a long answer's
// attachment, `yimei analyze --export`) becomes one bot_audit_log row with action "export":
// who, from which message, what (an analysis or a question), the format, rows and columns,
// and whether phones were masked. Runs on the caller's connection (inside its transaction);
// thread-safe as that connection.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/db/connection.hpp"
#include "core/entry/actor.hpp"
#include "core/export/export_document.hpp"

namespace yimei::exports {

struct ExportRecord {
  std::string source_kind;                    // "analysis" | "answer"
  std::string source;                         // the analysis name or the question
  std::map<std::string, std::string> params;  // analysis parameters, if any
  std::string chat_id;                        // empty for a private chat or the CLI
  ExportFormat format = ExportFormat::Xlsx;
  std::string file_name;
  std::size_t rows = 0;
  std::size_t columns = 0;
  std::size_t bytes = 0;
  bool phones_masked = true;
};

// Appends the bot_audit_log row (entity = source_kind, entity_id = the analysis name or the
// first 64 characters of the question, after_json = the whole record) and returns its id.
// Throws db::DbError.
std::int64_t record_export(db::Connection& conn, const entry::Actor& actor, const ExportRecord& r);

}  // namespace yimei::exports
