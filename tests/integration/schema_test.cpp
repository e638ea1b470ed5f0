// The schema matches the contract of docs/spec/schema.md (names, types, nullability, comments)
// and migrations are idempotent.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "core/db/migrate.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;

namespace {

struct ContractColumn {
  const char* table;
  const char* column;
  const char* type;  // information_schema.COLUMNS.COLUMN_TYPE
  bool nullable;
};

// Transcribed from schema.md; the names and types are fixed by the contract.
const ContractColumn kContract[] = {
    {"consultants", "consultant_id", "varchar(32)", false},
    {"consultants", "name", "varchar(64)", false},
    {"consultants", "department", "varchar(32)", false},
    {"customers", "customer_id", "varchar(32)", false},
    {"customers", "name", "varchar(64)", false},
    {"customers", "phone", "varchar(20)", true},
    {"customers", "register_date", "date", false},
    {"customers", "last_visit_date", "date", true},
    {"customers", "consultant_id", "varchar(32)", true},
    {"customers", "health_tags", "varchar(255)", true},
    {"customers", "membership_level", "varchar(16)", false},
    {"medical_products", "product_id", "varchar(32)", false},
    {"medical_products", "product_name", "varchar(128)", false},
    {"medical_products", "department", "varchar(32)", false},
    {"medical_products", "product_type", "varchar(32)", false},
    {"medical_products", "standard_price", "decimal(12,2)", false},
    {"consumption_records", "record_id", "bigint(20)", false},
    {"consumption_records", "customer_id", "varchar(32)", false},
    {"consumption_records", "consume_date", "date", false},
    {"consumption_records", "amount", "decimal(12,2)", false},
    {"consumption_records", "department", "varchar(32)", false},
    {"consumption_records", "is_new_customer", "tinyint(1)", false},
    {"consumption_records", "consultant_id", "varchar(32)", true},
    {"consumption_records", "product_id", "varchar(32)", false},
    {"consumption_records", "quantity", "int(11)", false},
    {"consumption_records", "payment_method", "varchar(16)", false},
    {"write_off_records", "write_off_id", "bigint(20)", false},
    {"write_off_records", "customer_id", "varchar(32)", false},
    {"write_off_records", "write_off_date", "date", false},
    {"write_off_records", "amount", "decimal(12,2)", false},
    {"write_off_records", "department", "varchar(32)", false},
    {"write_off_records", "product_id", "varchar(32)", false},
    {"write_off_records", "quantity", "int(11)", false},
    {"write_off_records", "consultant_id", "varchar(32)", true},
    {"write_off_records", "consume_record_id", "bigint(20)", true},
    {"unspent_balances", "balance_id", "bigint(20)", false},
    {"unspent_balances", "customer_id", "varchar(32)", false},
    {"unspent_balances", "product_id", "varchar(32)", false},
    {"unspent_balances", "total_amount", "decimal(12,2)", false},
    {"unspent_balances", "spent_amount", "decimal(12,2)", false},
    {"unspent_balances", "last_write_off_date", "date", true},
    {"unspent_balances", "expiration_date", "date", true},
};

std::string s(const Value& v) {
  return std::get<Text>(v);
}

// A textual fingerprint of every table, column, index and constraint of the database.
std::string schema_fingerprint(db::Connection& c) {
  std::string out;
  for (const char* q :
       {"SELECT CONCAT_WS('|', table_name, column_name, column_type, is_nullable, "
        "COALESCE(column_default,''), column_comment) FROM information_schema.columns WHERE "
        "table_schema = DATABASE() ORDER BY table_name, ordinal_position",
        "SELECT CONCAT_WS('|', table_name, index_name, seq_in_index, column_name, non_unique) "
        "FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY 1",
        "SELECT CONCAT_WS('|', table_name, constraint_name, referenced_table_name) FROM "
        "information_schema.referential_constraints WHERE constraint_schema = DATABASE() ORDER BY "
        "1"}) {
    for (const Row& r : c.query(q).rows) out += s(r[0]) + "\n";
  }
  return out;
}

}  // namespace

TEST(Schema, MatchesTheContract) {
  test::ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  Table cols = c->query(
      "SELECT table_name, column_name, column_type, is_nullable, column_comment "
      "FROM information_schema.columns WHERE table_schema = DATABASE()");
  std::map<std::pair<std::string, std::string>, Row> by_name;
  for (const Row& r : cols.rows) by_name[{s(r[0]), s(r[1])}] = r;
  for (const ContractColumn& want : kContract) {
    SCOPED_TRACE(std::string(want.table) + "." + want.column);
    auto it = by_name.find({want.table, want.column});
    ASSERT_NE(it, by_name.end()) << "missing column";
    EXPECT_EQ(s(it->second[2]), want.type);
    EXPECT_EQ(s(it->second[3]), want.nullable ? "YES" : "NO");
    EXPECT_FALSE(s(it->second[4]).empty()) << "every column carries a Chinese COMMENT";
  }
  // Added columns must be NULL-able or defaulted so contract-only INSERTs work: the fixture
  // (contract columns only) loads.
  Table extra = c->query(
      "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND "
      "table_name IN ('consultants','customers','medical_products','consumption_records',"
      "'write_off_records','unspent_balances')");
  EXPECT_EQ(std::get<std::int64_t>(extra.rows[0][0]),
            static_cast<std::int64_t>(std::size(kContract)));
  // Contract keys and defaults.
  Table keys = c->query(
      "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND "
      "((table_name='customers' AND column_name='phone' AND non_unique=0) OR "
      "(table_name='medical_products' AND column_name='product_name' AND non_unique=0) OR "
      "(table_name='unspent_balances' AND index_name='uk_balances_customer_product'))");
  EXPECT_EQ(std::get<std::int64_t>(keys.rows[0][0]), 4);
  Table def = c->query(
      "SELECT column_default FROM information_schema.columns WHERE table_schema = DATABASE() "
      "AND table_name = 'customers' AND column_name = 'membership_level'");
  EXPECT_EQ(s(def.rows[0][0]), "'普通'");
}

TEST(Schema, MigrationsAppliedTwiceLeaveTheSameSchema) {
  test::ScratchDatabase sdb;  // already migrated once
  auto c = sdb.pool().acquire();
  const std::string before = schema_fingerprint(*c);
  EXPECT_EQ(db::schema_version(*c), db::latest_schema_version());
  db::MigrationReport again = db::migrate(*c);
  EXPECT_TRUE(again.applied.empty());
  // Re-running every script from scratch on the existing tables changes nothing either.
  c->execute_unprepared("DELETE FROM schema_migrations");
  db::MigrationReport rerun = db::migrate(*c);
  EXPECT_EQ(rerun.to_version, db::latest_schema_version());
  EXPECT_EQ(schema_fingerprint(*c), before);
}

TEST(Schema, UpgradesAnExistingClinicDatabaseWithoutTouchingItsData) {
  test::ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  // An existing clinic database: the contract tables without our indexes or bookkeeping.
  c->execute_unprepared("DROP INDEX ix_consumption_date ON consumption_records");
  c->execute_unprepared("DROP TABLE schema_migrations");
  c->execute("INSERT INTO consultants VALUES ('E1','甲','皮肤科')");
  db::MigrationReport r = db::migrate(*c);
  EXPECT_EQ(r.from_version, 0);
  EXPECT_EQ(r.to_version, db::latest_schema_version());
  Table idx = c->query(
      "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND "
      "index_name = 'ix_consumption_date'");
  EXPECT_GT(std::get<std::int64_t>(idx.rows[0][0]), 0);
  Table rows = c->query("SELECT name FROM consultants");
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_EQ(s(rows.rows[0][0]), "甲");
}

TEST(Schema, FixtureLoadsWithContractColumnsOnly) {
  auto& fx = test::fixture_db();
  auto c = fx.pool().acquire();
  Table t = c->query("SELECT COUNT(*), MAX(consume_date) FROM consumption_records");
  EXPECT_GT(std::get<std::int64_t>(t.rows[0][0]), 30000);
  EXPECT_EQ(format_date(std::get<Date>(t.rows[0][1])), "2026-06-30");
}
