// The read-only execution path for generated SQL (Text2SQL): a SELECT-only account, a READ ONLY
// transaction, a per-statement time limit (MariaDB max_statement_time) and a row cap. The
// account's privileges stay the final boundary; this layer adds the time and size bounds.
#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

#include "core/db/pool.hpp"

namespace yimei::db {

struct ReadOnlyLimits {
  std::size_t max_rows = 200;
  std::chrono::milliseconds statement_timeout{5000};
};

// Runs one SELECT on a connection of `pool` (which should log in as the SELECT-only account),
// as a statement prepared for this call alone (never the connection's statement cache).
// Throws DbError: is_statement_timeout() when the limit hit, is_permission_denied() on a write.
Table run_read_only(ConnectionPool& pool, std::string_view select_sql, const Params& params,
                    const ReadOnlyLimits& limits);

// Session settings for a pool of the read-only account (DbConfig::session_init_sql).
std::string read_only_session_sql(std::chrono::milliseconds statement_timeout);

}  // namespace yimei::db
