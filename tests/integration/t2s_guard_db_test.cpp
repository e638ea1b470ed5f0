// The SQL guard on the real database: hostile queries are refused before execution and leave
// no trace; every example gold query passes and returns, through the read-only path, the same
// result set as run directly; a consultant-scoped query sees only that consultant's customers
// (checked against independent queries); the row cap and truncation hold.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "core/db/readonly.hpp"
#include "core/text2sql/sql_guard.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;
using yimei::test::fixture_db;
using yimei::test::ScratchDatabase;

namespace {

db::DbConfig read_only_config(const std::string& database) {
  db::DbConfig c = test::env_readonly_config(database);
  c.session_init_sql = db::read_only_session_sql(std::chrono::milliseconds(10000));
  return c;
}

// The way the product runs generated SQL: guard first, then the read-only path; a refused
// query never reaches the database.
Outcome<Table> guarded_run(db::ConnectionPool& ro, const std::string& sql, GuardOptions options) {
  auto g = guard_sql(sql, options);
  if (!g) return g.error();
  db::ReadOnlyLimits limits;
  limits.max_rows = options.row_cap;
  limits.statement_timeout = std::chrono::milliseconds(10000);
  return db::run_read_only(ro, g->sql, g->bound, limits);
}

std::string text_of(const Value& v) {
  if (is_null(v)) return "NULL";
  if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<Decimal>(&v)) return d->to_string();
  if (auto* r = std::get_if<double>(&v)) return std::to_string(*r);
  if (auto* s = std::get_if<Text>(&v)) return "'" + s->str() + "'";
  return format_date(std::get<Date>(v));
}

std::vector<std::string> rows_of(const Table& t, bool keep_order) {
  std::vector<std::string> out;
  for (const Row& r : t.rows) {
    std::string line;
    for (const Value& v : r) line += text_of(v) + "|";
    out.push_back(line);
  }
  if (!keep_order) std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> column_values(const Table& t) {
  std::vector<std::string> out;
  for (const Row& r : t.rows) out.push_back(text_of(r.at(0)));
  std::sort(out.begin(), out.end());
  return out;
}

struct Example {
  std::string id;
  std::string gold;
  bool order_matters = false;
};

std::vector<Example> examples(const std::string& file = "text2sql-examples.jsonl") {
  std::ifstream in(test::fixture_path(file));
  std::vector<Example> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto o = boost::json::parse(line).as_object();
    out.push_back({std::string(o.at("id").as_string()), std::string(o.at("gold_sql").as_string()),
                   o.at("order_matters").as_bool()});
  }
  return out;
}

}  // namespace

TEST(T2sGuardDb, HostileQueriesAreRefusedBeforeExecution) {
  ScratchDatabase sdb;
  {
    auto c = sdb.pool().acquire();
    c->execute("INSERT INTO consultants VALUES ('S1', '甲', '皮肤科')");
  }
  db::ConnectionPool ro(read_only_config(sdb.name()));
  const std::vector<std::string> hostile = {
      "SELECT 1; DROP TABLE consultants",
      "DROP TABLE consultants",
      "DELETE FROM consultants",
      "UPDATE consultants SET name = '乙'",
      "SELECT 1 /*!50000 ; DROP TABLE consultants */",
      "SELECT name FROM consultants WHERE 1 = 1 /*M! OR SLEEP(3) */",
      "SELECT SLEEP(3)",
      "SELECT BENCHMARK(50000000, MD5('x'))",
      "SELECT GET_LOCK('t2s_guard_probe', 10)",
      "SELECT * FROM consultants INTO OUTFILE '/tmp/t2s_guard_probe.txt'",
      "SELECT table_name FROM information_schema.tables",
      "SELECT * FROM consultants FOR UPDATE",
      "SELECT @@version",
      "SELECT name FROM consultants UNION SELECT user FROM mysql.user",
      "SELECT '\\'; DROP TABLE consultants; -- '",
  };
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& sql : hostile) {
    auto r = guarded_run(ro, sql, {});
    EXPECT_FALSE(r) << "executed: " << sql;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2)) << "something slow ran";

  auto c = sdb.pool().acquire();
  Table t = c->query("SELECT consultant_id, name FROM consultants");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(std::get<Text>(t.rows[0][1]), "甲");
  Table lock = c->query("SELECT IS_FREE_LOCK('t2s_guard_probe')");
  EXPECT_EQ(std::get<std::int64_t>(lock.rows[0][0]), 1);

  // Harmless look-alikes run, and leave the table as it was.
  auto s = guarded_run(ro, "SELECT 'DROP TABLE consultants; --' AS s", {});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(std::get<Text>(s->rows.at(0).at(0)), "DROP TABLE consultants; --");
  auto n = guarded_run(ro, "SELECT COUNT(*) FROM consultants /* ; DROP TABLE consultants */", {});
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(std::get<std::int64_t>(n->rows.at(0).at(0)), 1);
  EXPECT_EQ(std::get<std::int64_t>(c->query("SELECT COUNT(*) FROM consultants").rows[0][0]), 1);
}

TEST(T2sGuardDb, EveryGoldQueryPassesAndReturnsTheDirectResult) {
  auto& fx = fixture_db();
  db::ConnectionPool ro(read_only_config(fx.name()));
  GuardOptions options;
  options.row_cap = 100000;
  for (const std::string file : {"text2sql-examples.jsonl", "t2s-heldout-style.jsonl"}) {
    int compared = 0;
    for (const Example& e : examples(file)) {
      auto guarded = guarded_run(ro, e.gold, options);
      ASSERT_TRUE(guarded) << e.id << ": " << guarded.error().message;
      Table direct = fx.pool().acquire()->query(e.gold);
      ASSERT_EQ(guarded->columns.size(), direct.columns.size()) << e.id;
      EXPECT_FALSE(guarded->truncated) << e.id;
      EXPECT_EQ(rows_of(*guarded, e.order_matters), rows_of(direct, e.order_matters)) << e.id;
      ++compared;
    }
    EXPECT_GE(compared, 40) << file;
  }
}

TEST(T2sGuardDb, ConsultantScopeSeesOnlyTheirCustomers) {
  auto& fx = fixture_db();
  db::ConnectionPool ro(read_only_config(fx.name()));
  auto rw = fx.pool().acquire();
  Table busiest = rw->query(
      "SELECT consultant_id FROM customers WHERE consultant_id IS NOT NULL "
      "GROUP BY consultant_id ORDER BY COUNT(*) DESC, consultant_id LIMIT 1");
  ASSERT_EQ(busiest.rows.size(), 1u);
  const std::string sid = std::get<Text>(busiest.rows[0][0]);
  GuardOptions scope;
  scope.consultant_scope = sid;
  scope.row_cap = 100000;

  // Customers: exactly theirs, and fewer than all.
  auto mine = guarded_run(ro, "SELECT customer_id FROM customers", scope);
  ASSERT_TRUE(mine) << mine.error().message;
  Table expected =
      rw->query("SELECT customer_id FROM customers WHERE consultant_id = ?", {Value{sid}});
  Table all = rw->query("SELECT customer_id FROM customers");
  EXPECT_FALSE(expected.rows.empty());
  EXPECT_LT(expected.rows.size(), all.rows.size());
  EXPECT_EQ(column_values(*mine), column_values(expected));

  // Revenue per customer over a join: only their customers, with the same sums.
  auto revenue =
      guarded_run(ro,
                  "SELECT r.customer_id, SUM(r.amount) FROM consumption_records r JOIN customers c "
                  "ON c.customer_id = r.customer_id GROUP BY r.customer_id",
                  scope);
  ASSERT_TRUE(revenue) << revenue.error().message;
  Table revenue_expected = rw->query(
      "SELECT r.customer_id, SUM(r.amount) FROM consumption_records r, customers c "
      "WHERE c.customer_id = r.customer_id AND c.consultant_id = ? GROUP BY r.customer_id",
      {Value{sid}});
  EXPECT_FALSE(revenue_expected.rows.empty());
  EXPECT_EQ(rows_of(*revenue, false), rows_of(revenue_expected, false));

  // A table read without any join to customers is restricted as well.
  auto total = guarded_run(ro, "SELECT SUM(amount), COUNT(*) FROM write_off_records", scope);
  ASSERT_TRUE(total) << total.error().message;
  Table total_expected = rw->query(
      "SELECT SUM(w.amount), COUNT(*) FROM write_off_records w WHERE w.customer_id IN "
      "(SELECT customer_id FROM customers WHERE consultant_id = ?)",
      {Value{sid}});
  EXPECT_EQ(rows_of(*total, false), rows_of(total_expected, false));
  Table total_all = rw->query("SELECT SUM(amount), COUNT(*) FROM write_off_records");
  EXPECT_NE(rows_of(*total, false), rows_of(total_all, false));

  // A gold query with NOT EXISTS over another customer table, against a hand-written version.
  auto negation = guarded_run(
      ro,
      "SELECT COUNT(*) FROM customers c WHERE EXISTS (SELECT 1 FROM unspent_balances b WHERE "
      "b.customer_id = c.customer_id AND b.total_amount > b.spent_amount) AND NOT EXISTS "
      "(SELECT 1 FROM write_off_records w WHERE w.customer_id = c.customer_id)",
      scope);
  ASSERT_TRUE(negation) << negation.error().message;
  Table negation_expected = rw->query(
      "SELECT COUNT(*) FROM customers c WHERE c.consultant_id = ? AND c.customer_id IN "
      "(SELECT customer_id FROM unspent_balances WHERE total_amount > spent_amount) AND "
      "c.customer_id NOT IN (SELECT customer_id FROM write_off_records)",
      {Value{sid}});
  EXPECT_EQ(rows_of(*negation, false), rows_of(negation_expected, false));

  // Every gold query still runs under scope; those over tables without customer rows are
  // unchanged, and no scoped answer names a customer of another consultant.
  Table others = rw->query(
      "SELECT name FROM customers WHERE (consultant_id IS NULL OR consultant_id <> ?) AND "
      "name NOT IN (SELECT name FROM customers WHERE consultant_id = ?)",
      {Value{sid}, Value{sid}});
  std::vector<std::string> other_names = column_values(others);
  for (const Example& e : examples()) {
    auto scoped = guarded_run(ro, e.gold, scope);
    ASSERT_TRUE(scoped) << e.id << ": " << scoped.error().message;
    auto g = guard_sql(e.gold, scope);
    if (g->params.empty()) {
      Table direct = rw->query(e.gold);
      EXPECT_EQ(rows_of(*scoped, false), rows_of(direct, false)) << e.id;
    }
    for (const Row& r : scoped->rows) {
      for (const Value& v : r) {
        if (!std::holds_alternative<Text>(v)) continue;
        EXPECT_FALSE(std::binary_search(other_names.begin(), other_names.end(), text_of(v)))
            << e.id << " leaked " << text_of(v);
      }
    }
  }
}

TEST(T2sGuardDb, RowCapMarksTruncation) {
  auto& fx = fixture_db();
  db::ConnectionPool ro(read_only_config(fx.name()));
  GuardOptions cap;
  cap.row_cap = 5;
  auto capped = guarded_run(ro, "SELECT customer_id FROM customers ORDER BY customer_id", cap);
  ASSERT_TRUE(capped) << capped.error().message;
  EXPECT_EQ(capped->rows.size(), 5u);
  EXPECT_TRUE(capped->truncated);
  auto small = guarded_run(ro, "SELECT customer_id FROM customers LIMIT 3", cap);
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_EQ(small->rows.size(), 3u);
  EXPECT_FALSE(small->truncated);
  auto exact = guarded_run(ro, "SELECT customer_id FROM customers LIMIT 5", cap);
  ASSERT_TRUE(exact) << exact.error().message;
  EXPECT_EQ(exact->rows.size(), 5u);
  EXPECT_FALSE(exact->truncated);
}
