// Applies the embedded scripts of sql/ in version order under GET_LOCK, so two `yimei db init`
// (or two service instances starting) never run a migration twice.
#include "core/db/migrate.hpp"

#include "sql/embedded.hpp"

namespace yimei::db {

namespace {
constexpr const char* kLockName = "yimei_schema_migration";

class NamedLock {
 public:
  explicit NamedLock(Connection& c) : c_(c) {
    Table t = c_.query("SELECT GET_LOCK(?, 60)", {std::string(kLockName)});
    if (t.rows.empty() || t.rows[0][0] != Value{std::int64_t{1}})
      throw DependencyError("could not take the schema migration lock within 60 s");
  }
  ~NamedLock() {
    try {
      c_.query("SELECT RELEASE_LOCK(?)", {std::string(kLockName)});
    } catch (const std::exception&) {
      // the lock dies with the session anyway
    }
  }

 private:
  Connection& c_;
};
}  // namespace

int latest_schema_version() {
  return sql::migrations().back().version;
}

int schema_version(Connection& conn) {
  Table exists = conn.query(
      "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
      "table_name = 'schema_migrations'");
  if (std::get<std::int64_t>(exists.rows.at(0).at(0)) == 0) return 0;
  Table t = conn.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return static_cast<int>(std::get<std::int64_t>(t.rows.at(0).at(0)));
}

MigrationReport migrate(Connection& conn, int up_to) {
  NamedLock lock(conn);
  conn.execute_unprepared(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INT NOT NULL PRIMARY KEY COMMENT '架构版本',"
      " name VARCHAR(128) NOT NULL COMMENT '迁移脚本名',"
      " applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT '应用时间'"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='架构迁移记录'");
  MigrationReport report;
  report.from_version = schema_version(conn);
  report.to_version = report.from_version;
  for (const sql::Migration& m : sql::migrations()) {
    if (m.version <= report.from_version) continue;
    if (m.version > up_to) break;
    for (const std::string& stmt : split_sql_script(m.script)) conn.execute_unprepared(stmt);
    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                 {std::int64_t{m.version}, std::string(m.name)});
    report.applied.emplace_back(m.name);
    report.to_version = m.version;
  }
  return report;
}

}  // namespace yimei::db
