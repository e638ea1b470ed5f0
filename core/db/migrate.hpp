// Creates or upgrades the schema to the newest embedded version, idempotently, and records each
// applied version in schema_migrations. Concurrent callers serialize on a named database lock.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "core/db/connection.hpp"

namespace yimei::db {

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // names of the scripts run now
};

// Throws DbError when a statement fails (the version is then not recorded). `up_to` stops after
// that version (tests load data into an older schema, then upgrade it as `yimei db init` would).
MigrationReport migrate(Connection& conn, int up_to = std::numeric_limits<int>::max());
// 0 when the database has no schema_migrations table yet.
int schema_version(Connection& conn);
int latest_schema_version();

}  // namespace yimei::db
