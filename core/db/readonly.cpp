// Read-only execution: the session is READ ONLY from its first statement (preInit), each query
// runs inside START TRANSACTION READ ONLY with SET STATEMENT max_statement_time.
#include "core/db/readonly.hpp"

#include <cstdio>

namespace yimei::db {

namespace {
std::string seconds_text(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}
}  // namespace

std::string read_only_session_sql(std::chrono::milliseconds statement_timeout) {
  return "SET SESSION tx_read_only=1, SESSION max_statement_time=" +
         seconds_text(statement_timeout);
}

Table run_read_only(ConnectionPool& pool, std::string_view select_sql, const Params& params,
                    const ReadOnlyLimits& limits) {
  auto conn = pool.acquire();
  Transaction tx(*conn, /*read_only=*/true);
  std::string sql = "SET STATEMENT max_statement_time=" + seconds_text(limits.statement_timeout) +
                    " FOR " + std::string(select_sql);
  // Generated SQL runs once: never from the statement cache (see Connection::query_uncached).
  Table t = conn->query_uncached(sql, params, limits.max_rows);
  tx.commit();
  return t;
}

}  // namespace yimei::db
