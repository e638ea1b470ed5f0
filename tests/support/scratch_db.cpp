// ScratchDatabase: CREATE DATABASE with a unique name, migrate, load fixtures through the same
// Connection class the product uses; DROP at the end.
#include "tests/support/scratch_db.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/analysis/analysis.hpp"
#include "core/db/migrate.hpp"

namespace yimei::test {

namespace {

// The schema version whose tables are schema.md's contract tables (sql/schema.sql).
constexpr int kContractTablesVersion = 1;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string read_fixture(const std::string& file) {
  const std::string path = fixture_path(file);
  std::string text;
  if (file.size() > 3 && file.ends_with(".gz")) {
    FILE* p = popen(("gzip -dc '" + path + "'").c_str(), "r");
    if (!p) throw std::runtime_error("cannot run gzip for " + path);
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    if (pclose(p) != 0) throw std::runtime_error("gzip failed on " + path);
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  return text;
}

}  // namespace

std::string fixture_path(const std::string& file) {
  return std::string(YIMEI_FIXTURES_DIR) + "/" + file;
}

db::DbConfig env_db_config() {
  if (!std::getenv("DB_PORT")) {
    ADD_FAILURE() << "DB_* variables are not set: run the tests through scripts/test.sh";
  }
  db::DbConfig c;
  c.host = env_or("DB_HOST", "127.0.0.1");
  c.port = std::stoi(env_or("DB_PORT", "3307"));
  c.database = env_or("DB_NAME", "medical_cosmetics");
  c.user = env_or("DB_USER", "yimei");
  c.password = env_or("DB_PASSWORD", "");
  c.pool_size = 4;
  return c;
}

db::DbConfig env_readonly_config(const std::string& database) {
  db::DbConfig c = env_db_config();
  c.user = env_or("DB_READONLY_USER", "yimei_ro");
  c.password = env_or("DB_READONLY_PASSWORD", "");
  c.database = database;
  return c;
}

ScratchDatabase::ScratchDatabase(const std::string& fixture) {
  static std::atomic<int> counter{0};
  db::DbConfig base = env_db_config();
  config_ = base;
  // The name keeps the configured prefix: the test accounts own `<DB_NAME>%` databases only.
  config_.database =
      base.database + "_t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  {
    db::Connection admin(base);
    admin.execute_unprepared("DROP DATABASE IF EXISTS `" + config_.database + "`");
    admin.execute_unprepared("CREATE DATABASE `" + config_.database +
                             "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
  }
  pool_ = std::make_unique<db::ConnectionPool>(config_);
  auto c = pool_->acquire();
  if (!fixture.empty()) {
    // Like a clinic's existing database: the data first, into the contract tables, then the
    // upgrade that `yimei db init` runs (it builds the analysis summaries from the data). Loading
    // through the summary triggers instead costs 13x the plain load (SummaryRebuild tests that).
    db::migrate(*c, kContractTablesVersion);
    for (const std::string& stmt : db::split_sql_script(read_fixture(fixture)))
      c->execute_unprepared(stmt);
  }
  db::migrate(*c);
}

ScratchDatabase::ScratchDatabase(Attach existing) : owned_(false) {
  config_ = env_db_config();
  config_.database = existing.database;
  pool_ = std::make_unique<db::ConnectionPool>(config_);
}

ScratchDatabase::~ScratchDatabase() {
  pool_.reset();
  if (!owned_) return;
  try {
    db::Connection admin(env_db_config());
    admin.execute_unprepared("DROP DATABASE IF EXISTS `" + config_.database + "`");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: could not drop %s: %s\n", config_.database.c_str(), e.what());
  }
}

void ScratchDatabase::run_script(const std::string& sql) {
  auto c = pool_->acquire();
  for (const std::string& stmt : db::split_sql_script(sql)) c->execute_unprepared(stmt);
}

void ScratchDatabase::load_fixture(const std::string& file) {
  // A bulk load: the analysis summaries are rebuilt once, not row by row by their triggers.
  auto c = pool_->acquire();
  const analysis::DeferSummaries defer(*c);
  for (const std::string& stmt : db::split_sql_script(read_fixture(file)))
    c->execute_unprepared(stmt);
  analysis::rebuild_summaries(*c);
}

ScratchDatabase& fixture_db() {
  // Leaked on purpose: dropped by scripts/test.sh's cleanup, which also removes the
  // databases of crashed runs.
  static ScratchDatabase* db = [] {
    const char* shared = std::getenv("YIMEI_FIXTURE_DB");
    return shared && *shared ? new ScratchDatabase(ScratchDatabase::Attach{shared})
                             : new ScratchDatabase("clinic-a-small.sql.gz");
  }();
  return *db;
}

}  // namespace yimei::test
