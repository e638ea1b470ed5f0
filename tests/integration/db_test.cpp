// The database layer against the real private MariaDB: DECIMAL round trip, UTF-8, typed
// reads, transactions, the read-only path and the migration runner.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/db/migrate.hpp"
#include "core/db/readonly.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using yimei::test::ScratchDatabase;

TEST(Db, DecimalSurvivesRoundTripExactly) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  c->execute_unprepared("CREATE TABLE money (v DECIMAL(20,6), w DECIMAL(12,2))");
  const char* values[] = {"12345678901234.123456", "0.100000", "-99999999999999.999999"};
  for (const char* v : values)
    c->execute("INSERT INTO money (v, w) VALUES (?, ?)",
               {Decimal::from_db(v), Decimal::from_db("0.30")});
  Table t = c->query("SELECT v, w, v + 0 FROM money ORDER BY v DESC");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.columns[0].type, ColumnType::Decimal);
  EXPECT_EQ(std::get<Decimal>(t.rows[0][0]).to_string(), "12345678901234.123456");
  EXPECT_EQ(std::get<Decimal>(t.rows[1][0]).to_string(), "0.100000");
  EXPECT_EQ(std::get<Decimal>(t.rows[2][0]).to_string(), "-99999999999999.999999");
  EXPECT_EQ(std::get<Decimal>(t.rows[0][1]).to_string(), "0.30");
  Table sum = c->query("SELECT SUM(w) FROM money");
  EXPECT_EQ(std::get<Decimal>(sum.rows[0][0]).to_string(), "0.90");
}

TEST(Db, TypedReadsNullsAndUtf8) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  Table t =
      c->query("SELECT ? AS s, CAST('2024-02-29' AS DATE) AS d, 42 AS n, NULL AS z, 0.5e0 AS r",
               {std::string("金卡顾客😀")});
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(std::get<Text>(t.rows[0][0]), "金卡顾客😀");
  EXPECT_EQ(format_date(std::get<Date>(t.rows[0][1])), "2024-02-29");
  EXPECT_EQ(std::get<std::int64_t>(t.rows[0][2]), 42);
  EXPECT_TRUE(is_null(t.rows[0][3]));
  EXPECT_DOUBLE_EQ(std::get<double>(t.rows[0][4]), 0.5);
  EXPECT_EQ(t.columns[1].name, "d");
}

TEST(Db, TransactionRollsBackUnlessCommitted) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  c->execute(
      "INSERT INTO consultants (consultant_id, name, department) VALUES ('X1','甲','皮肤科')");
  {
    db::Transaction tx(*c);
    c->execute(
        "INSERT INTO consultants (consultant_id, name, department) VALUES ('X2','乙','皮肤科')");
  }
  {
    db::Transaction tx(*c);
    c->execute(
        "INSERT INTO consultants (consultant_id, name, department) VALUES ('X3','丙','皮肤科')");
    tx.commit();
  }
  Table t = c->query("SELECT consultant_id FROM consultants ORDER BY consultant_id");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(std::get<Text>(t.rows[1][0]), "X3");
}

TEST(Db, DuplicateKeyIsClassified) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  c->execute("INSERT INTO consultants VALUES ('X1','甲','皮肤科')");
  try {
    c->execute("INSERT INTO consultants VALUES ('X1','甲','皮肤科')");
    FAIL() << "duplicate accepted";
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.is_duplicate_key());
    EXPECT_FALSE(c->broken());
  }
}

TEST(Db, RowCapMarksTruncationAndLeavesTheConnectionReady) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  Table t = c->query("SELECT seq FROM seq_1_to_50", {}, 10);
  EXPECT_EQ(t.rows.size(), 10u);
  EXPECT_TRUE(t.truncated);
  Table all = c->query("SELECT seq FROM seq_1_to_50", {}, 50);
  EXPECT_FALSE(all.truncated);
  // Rows arrive unbuffered: the 19,995 rows after the cap are read and dropped, not left on the
  // wire to break the next statement.
  Table cut = c->query("SELECT seq, REPEAT('x', 1000) AS pad FROM seq_1_to_20000", {}, 5);
  EXPECT_EQ(cut.rows.size(), 5u);
  EXPECT_TRUE(cut.truncated);
  EXPECT_EQ(std::get<std::int64_t>(c->query("SELECT 7").rows.at(0).at(0)), 7);
  EXPECT_EQ(c->execute("DELETE FROM consultants WHERE consultant_id = ?", {std::string("none")}),
            0u);
  EXPECT_FALSE(c->broken());
}

TEST(Db, ReadsLongTextsTimesBitsAndUnsignedCells) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  const std::string long_text = [] {
    std::string s;
    for (int i = 0; i < 300; ++i) s += "医";  // 900 bytes: longer than the first fetch buffer
    return s;
  }();
  c->execute_unprepared("CREATE TABLE flags (b BIT(10))");
  c->execute_unprepared("INSERT INTO flags VALUES (b'1000000001')");
  Table t = c->query(
      "SELECT ? AS l, 'short' AS s, CAST('2024-02-29 12:34:56.789' AS DATETIME(3)) AS dt,"
      " CAST('2024-03-01 00:00:00' AS DATETIME(3)) AS whole, CAST('-01:02:03' AS TIME) AS tm,"
      " (SELECT b FROM flags) AS bits, CAST(18446744073709551615 AS UNSIGNED) AS big,"
      " CAST(3 AS UNSIGNED) AS small, CAST(1.5 AS FLOAT) AS f",
      {long_text});
  ASSERT_EQ(t.rows.size(), 1u);
  const Row& r = t.rows[0];
  EXPECT_EQ(std::get<Text>(r[0]), long_text);
  EXPECT_EQ(std::get<Text>(r[1]), "short");
  EXPECT_EQ(std::get<Text>(r[2]), "2024-02-29 12:34:56.789000");
  EXPECT_EQ(std::get<Text>(r[3]), "2024-03-01 00:00:00");
  EXPECT_EQ(std::get<Text>(r[4]), "-01:02:03");
  EXPECT_EQ(t.columns[5].type, ColumnType::Integer);
  EXPECT_EQ(std::get<std::int64_t>(r[5]), 513);
  EXPECT_EQ(std::get<std::int64_t>(r[6]), -1);  // the bits of 2^64-1, as getInt64 gave them
  EXPECT_EQ(std::get<std::int64_t>(r[7]), 3);
  EXPECT_DOUBLE_EQ(std::get<double>(r[8]), 1.5);
}

TEST(Db, AWrongParameterCountIsAnErrorNotACrash) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  EXPECT_THROW(c->query("SELECT ? + ?", {std::int64_t{1}}), db::DbError);
  EXPECT_EQ(std::get<std::int64_t>(
                c->query("SELECT ? + ?", {std::int64_t{1}, std::int64_t{2}}).rows.at(0).at(0)),
            3);
}

TEST(Db, ReadOnlyPathRefusesWritesAndStopsSlowQueries) {
  ScratchDatabase sdb;
  db::DbConfig ro = test::env_readonly_config(sdb.name());
  ro.session_init_sql = db::read_only_session_sql(std::chrono::milliseconds(5000));
  db::ConnectionPool pool(ro);
  db::ReadOnlyLimits limits{.max_rows = 5, .statement_timeout = std::chrono::milliseconds(300)};
  Table t = db::run_read_only(pool, "SELECT seq FROM seq_1_to_100", {}, limits);
  EXPECT_EQ(t.rows.size(), 5u);
  EXPECT_TRUE(t.truncated);
  try {
    db::run_read_only(pool, "SELECT SLEEP(3)", {}, limits);
    // MariaDB answers an interrupted SLEEP with 1 rather than an error.
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.is_statement_timeout()) << e.what();
  }
  try {
    db::run_read_only(pool, "SELECT COUNT(*) FROM seq_1_to_100000 a, seq_1_to_100000 b", {},
                      limits);
    FAIL() << "a heavy query was not interrupted";
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.is_statement_timeout()) << e.what();
  }
  try {
    auto c = pool.acquire();
    c->execute("INSERT INTO consultants VALUES ('X9','甲','皮肤科')");
    FAIL() << "the read-only account wrote";
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.is_permission_denied()) << e.what();
  }
}

TEST(Db, SplitsScriptsOutsideQuotesAndComments) {
  auto parts = db::split_sql_script(
      "INSERT INTO t VALUES ('a;b'); -- c;d\nSELECT \"x;\" /* ; */ ; SELECT `q;`;");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_NE(parts[0].find("'a;b'"), std::string::npos);
  EXPECT_NE(parts[2].find("`q;`"), std::string::npos);
}

// DB_SOCKET: the same server through its unix socket (scripts/db.sh exports the path).
TEST(Db, ConnectsThroughTheUnixSocketWhenOneIsGiven) {
  const char* socket = std::getenv("YIMEI_DB_SOCKET");
  ASSERT_NE(socket, nullptr) << "scripts/test.sh exports YIMEI_DB_SOCKET";
  ScratchDatabase db;
  db::DbConfig c = db.config();
  c.socket = socket;
  c.host = "192.0.2.1";  // unroutable (TEST-NET-1): would fail if it were used
  c.connect_timeout_s = 2;
  db::Connection conn(c);
  const Table t = conn.query("SELECT @@socket, DATABASE()", {});
  EXPECT_EQ(std::get<Text>(t.rows[0][0]), socket);
  EXPECT_EQ(std::get<Text>(t.rows[0][1]), db.name());

  c.socket = "/nonexistent/mysqld.sock";
  try {
    db::Connection bad(c);
    FAIL() << "connected through a socket that does not exist";
  } catch (const db::DbError& e) {
    EXPECT_NE(std::string(e.what()).find("socket /nonexistent/mysqld.sock"), std::string::npos)
        << e.what();
  }
}
