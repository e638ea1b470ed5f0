// Rebuild and deferral of the trigger-kept analysis summaries (see analysis.hpp). The rebuild's
// statements are the ends of the embedded migrations that keep summaries (after their
// "-- @rebuild" line: 0004 creates the summaries, 0005 adds copies to them), run in version order:
// one source for `yimei db init` and for bulk loaders.
#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/analysis/analysis.hpp"
#include "sql/embedded.hpp"

namespace yimei::analysis {
namespace {

constexpr std::string_view kRebuildMarker = "-- @rebuild\n";

std::vector<std::string_view> rebuild_scripts() {
  std::vector<std::string_view> scripts;
  for (const sql::Migration& m : sql::migrations()) {
    const auto at = m.script.find(kRebuildMarker);
    if (at != std::string_view::npos)
      scripts.push_back(m.script.substr(at + kRebuildMarker.size()));
  }
  if (scripts.empty()) throw std::logic_error("no embedded migration holds the summary rebuild");
  return scripts;
}

}  // namespace

void rebuild_summaries(db::Connection& conn) {
  for (const std::string_view script : rebuild_scripts())
    for (const std::string& stmt : db::split_sql_script(script)) conn.execute_unprepared(stmt);
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
