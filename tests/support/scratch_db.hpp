// Real MariaDB databases for tests: each ScratchDatabase is a fresh, uniquely named database on
// the private server of scripts/db.sh (DB_* variables), migrated to the current schema and
// dropped again at destruction. The shared fixture database holds tests/fixtures/clinic-a-small.
#pragma once

#include <memory>
#include <string>

#include "core/db/pool.hpp"

namespace yimei::test {

// DB_* from the environment (scripts/test.sh exports them); fails the test when missing.
db::DbConfig env_db_config();
// The SELECT-only account (DB_READONLY_USER / DB_READONLY_PASSWORD) on `database`.
db::DbConfig env_readonly_config(const std::string& database);

class ScratchDatabase {
 public:
  // Creates and migrates a new database; `fixture` names a file in tests/fixtures to load
  // (.sql or .sql.gz), or is empty.
  explicit ScratchDatabase(const std::string& fixture = "");
  // Attaches to an existing database without creating, migrating or dropping it.
  struct Attach {
    std::string database;
  };
  explicit ScratchDatabase(Attach existing);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& name() const { return config_.database; }
  const db::DbConfig& config() const { return config_; }
  db::ConnectionPool& pool() { return *pool_; }
  // Runs every statement of a SQL script (plain text) on this database.
  void run_script(const std::string& sql);
  // Loads a file of tests/fixtures (.sql or .sql.gz).
  void load_fixture(const std::string& file);

 private:
  db::DbConfig config_;
  std::unique_ptr<db::ConnectionPool> pool_;
  bool owned_ = true;
};

// The database holding clinic-a-small (as_of 2026-06-30); never modify it. scripts/test.sh
// loads it once and names it in YIMEI_FIXTURE_DB, so each test process does not reload it;
// without that variable the first call creates and loads a scratch copy.
ScratchDatabase& fixture_db();

// Absolute path of a file under tests/fixtures.
std::string fixture_path(const std::string& file);

}  // namespace yimei::test
