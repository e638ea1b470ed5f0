// Rebuild and deferral of the trigger-kept analysis summaries (see analysis.hpp). The rebuild's
// statements are the end of the embedded migration 0004 (after its "-- @rebuild" line): one
// source for `yimei db init` and for bulk loaders.
#include <stdexcept>
#include <string_view>

#include "core/analysis/analysis.hpp"
#include "sql/embedded.hpp"

namespace yimei::analysis {
namespace {

constexpr std::string_view kRebuildMarker = "-- @rebuild\n";

std::string_view rebuild_script() {
  for (const sql::Migration& m : sql::migrations()) {
    const auto at = m.script.find(kRebuildMarker);
    if (at != std::string_view::npos) return m.script.substr(at + kRebuildMarker.size());
  }
  throw std::logic_error("no embedded migration holds the summary rebuild");
}

}  // namespace

void rebuild_summaries(db::Connection& conn) {
  for (const std::string& stmt : db::split_sql_script(rebuild_script()))
    conn.execute_unprepared(stmt);
}

DeferSummaries::DeferSummaries(db::Connection& conn) : conn_(conn) {
  conn_.execute_unprepared("SET @yimei_defer_summaries = 1");
}

DeferSummaries::~DeferSummaries() {
  try {
    conn_.execute_unprepared("SET @yimei_defer_summaries = NULL");
  } catch (const std::exception&) {
    // A lost connection takes the session variable with it.
  }
}

}  // namespace yimei::analysis
