// Generated Text2SQL SQL never comes from a connection's prepared-statement cache (MariaDB 10.11
// can give wrong rows on the second execution of a cached prepared statement with a correlated
// [NOT] EXISTS, MDEV-30073): each answer prepares its statement afresh, which the server's
// Com_stmt_prepare counter shows, and the same generated query run again — correlated EXISTS,
// NOT EXISTS, derived tables, windows — gives the same rows as the first run and as its gold SQL.
#include <gtest/gtest.h>

#include <iostream>

#include "core/db/readonly.hpp"
#include "core/text2sql/engine.hpp"
#include "tests/integration/t2s_engine_harness.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

const Date kAsOf = *parse_date("2026-06-30");

struct Rig {
  db::ConnectionPool ro;
  EntityIndex index;
  Engine engine;

  explicit Rig(yimei::test::ScratchDatabase& fx)
      : ro(readonly(fx)),
        index(fx.pool(), std::chrono::seconds(60)),
        engine(ro, index, config(fx)) {}

  static db::DbConfig readonly(yimei::test::ScratchDatabase& fx) {
    db::DbConfig c = yimei::test::env_readonly_config(fx.name());
    c.session_init_sql = db::read_only_session_sql(std::chrono::seconds(30));
    c.pool_size = 1;  // one connection: every run below reuses it
    return c;
  }
  static EngineConfig config(yimei::test::ScratchDatabase& fx) {
    EngineConfig c;
    c.limits.max_rows = 10000;
    c.limits.statement_timeout = std::chrono::seconds(30);
    c.database = fx.name();
    return c;
  }
  Answer ask(const std::string& question) {
    AskRequest r;
    r.question = question;
    r.as_of = kAsOf;
    r.mode = EngineMode::Rules;
    Outcome<Answer> a = engine.ask(r);
    EXPECT_TRUE(a) << question << ": " << a.error().message;
    if (!a) return {};
    EXPECT_TRUE(a->answered()) << question;
    return *a;
  }
  // Com_stmt_prepare of the pool's one connection (the SHOW itself is cached after its first
  // run, so reading the counter does not move it).
  std::int64_t prepares() {
    auto c = ro.acquire();
    const Table t = c->query("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'");
    return std::stoll(std::get<Text>(t.rows.at(0).at(1)));
  }
};

}  // namespace

TEST(T2sEngineReexec, EveryAnswerPreparesItsStatementAfresh) {
  Rig rig(yimei::test::fixture_db());
  const std::int64_t p0 = rig.prepares();
  EXPECT_EQ(rig.prepares(), p0);  // cached statements are not prepared again
  const std::string q = "从来没买过产品类的金卡客户数量";
  const Answer first = rig.ask(q);
  const std::int64_t p1 = rig.prepares();
  EXPECT_EQ(p1, p0 + 1);
  const Answer second = rig.ask(q);
  EXPECT_EQ(rig.prepares(), p1 + 1);  // prepared again, not reused from a cache
  EXPECT_EQ(first.sql, second.sql);
  EXPECT_EQ(yimei::test::canonical_rows(first.table), yimei::test::canonical_rows(second.table));
}

TEST(T2sEngineReexec, SameGeneratedQueryTwiceGivesTheSameRowsAsGold) {
  auto& fx = yimei::test::fixture_db();
  Rig rig(fx);
  struct Case {
    const char* question;
    const char* gold;
  };
  const Case cases[] = {
      {"从来没买过产品类的金卡客户数量",
       "SELECT COUNT(*) FROM customers c WHERE c.membership_level = '金卡' AND NOT EXISTS (SELECT "
       "1 FROM consumption_records r JOIN medical_products p ON p.product_id = r.product_id WHERE "
       "r.customer_id = c.customer_id AND p.product_type = '产品')"},
      {"上个月来消费过、这个月还没来过的钻石客户有多少",
       "SELECT COUNT(*) FROM customers c WHERE c.membership_level = '钻石' AND EXISTS (SELECT 1 "
       "FROM consumption_records r WHERE r.customer_id = c.customer_id AND r.consume_date BETWEEN "
       "'2026-05-01' AND '2026-05-31') AND NOT EXISTS (SELECT 1 FROM consumption_records r WHERE "
       "r.customer_id = c.customer_id AND r.consume_date BETWEEN '2026-06-01' AND '2026-06-30')"},
      {"去年有卖、今年一单没卖的项目是哪些",
       "SELECT p.product_name FROM medical_products p WHERE EXISTS (SELECT 1 FROM "
       "consumption_records r WHERE r.product_id = p.product_id AND r.consume_date BETWEEN "
       "'2025-01-01' AND '2025-12-31') AND NOT EXISTS (SELECT 1 FROM consumption_records r WHERE "
       "r.product_id = p.product_id AND r.consume_date BETWEEN '2026-01-01' AND '2026-06-30')"},
      {"今年来了3次以上的客户有多少",
       "SELECT COUNT(*) FROM (SELECT customer_id FROM consumption_records WHERE consume_date "
       "BETWEEN '2026-01-01' AND '2026-06-30' GROUP BY customer_id HAVING COUNT(DISTINCT "
       "consume_date) >= 3) t"},
      {"今年2月新客的二开率是多少",
       "SELECT SUM(x.rep) / COUNT(*) FROM (SELECT f.customer_id, EXISTS (SELECT 1 FROM "
       "consumption_records r WHERE r.customer_id = f.customer_id AND r.consume_date > f.F AND "
       "r.consume_date <= DATE_ADD(f.F, INTERVAL 90 DAY)) AS rep FROM (SELECT customer_id, "
       "MIN(consume_date) AS F FROM consumption_records GROUP BY customer_id) f WHERE f.F BETWEEN "
       "'2026-02-01' AND '2026-02-28') x"},
      {"有余额但是一次都没划扣过的客户有多少",
       "SELECT COUNT(*) FROM customers c WHERE EXISTS (SELECT 1 FROM unspent_balances b WHERE "
       "b.customer_id = c.customer_id AND b.total_amount > b.spent_amount) AND NOT EXISTS (SELECT "
       "1 FROM write_off_records w WHERE w.customer_id = c.customer_id)"},
  };
  // Each query three times, interleaved with the others, against its gold.
  for (int round = 0; round < 3; ++round) {
    for (const Case& c : cases) {
      const Answer a = rig.ask(c.question);
      Table gold;
      {
        // The gold SQL itself has a correlated EXISTS over a derived table: never cached.
        auto conn = fx.pool().acquire();
        gold = conn->query_uncached(c.gold);
      }
      EXPECT_TRUE(yimei::test::same_result(a.table, gold, false))
          << "round " << round << ": " << c.question << "\n  mine " << yimei::test::preview(a.table)
          << "\n  gold " << yimei::test::preview(gold) << "\n  sql " << a.sql;
    }
  }
}

// SQL the LLM may write: a correlated EXISTS over a derived table. On the read-only path it runs
// correctly every time on the same connection. (Through a cached prepared statement MariaDB
// 10.11.19 refuses its second execution with "Unknown column 'f.customer_id'"; printed, not
// asserted, since a fixed server would not.)
TEST(T2sEngineReexec, CorrelatedExistsOverADerivedTableRunsAgainOnTheReadOnlyPath) {
  auto& fx = yimei::test::fixture_db();
  db::ConnectionPool ro(Rig::readonly(fx));
  const std::string sql =
      "SELECT COUNT(*) AS n, SUM(x.rep) AS rep FROM (SELECT f.customer_id, EXISTS (SELECT 1 FROM "
      "consumption_records r WHERE r.customer_id = f.customer_id AND r.consume_date > f.F AND "
      "r.consume_date <= DATE_ADD(f.F, INTERVAL 90 DAY)) AS rep FROM (SELECT customer_id, "
      "MIN(consume_date) AS F FROM consumption_records GROUP BY customer_id) f WHERE f.F BETWEEN ? "
      "AND ?) x";
  const db::Params window{*parse_date("2026-01-01"), *parse_date("2026-03-31")};
  // Independent: the same counts with a join instead of EXISTS.
  Table gold;
  {
    auto conn = fx.pool().acquire();
    gold = conn->query(
        "SELECT COUNT(*), SUM(x.rep) FROM (SELECT f.customer_id, MAX(r.record_id IS NOT NULL) AS "
        "rep FROM (SELECT customer_id, MIN(consume_date) AS F FROM consumption_records GROUP BY "
        "customer_id) f LEFT JOIN consumption_records r ON r.customer_id = f.customer_id AND "
        "r.consume_date > f.F AND r.consume_date <= DATE_ADD(f.F, INTERVAL 90 DAY) WHERE f.F "
        "BETWEEN '2026-01-01' AND '2026-03-31' GROUP BY f.customer_id) x");
  }
  ASSERT_GT(std::get<std::int64_t>(gold.rows.at(0).at(0)), 0);
  db::ReadOnlyLimits limits;
  limits.statement_timeout = std::chrono::seconds(30);
  for (int run = 0; run < 3; ++run) {
    const Table t = db::run_read_only(ro, sql, window, limits);
    EXPECT_TRUE(yimei::test::same_result(t, gold, true))
        << "run " << run << ": " << yimei::test::preview(t) << " vs " << yimei::test::preview(gold);
  }
  // For the record: the same statement from the connection's cache.
  auto conn = ro.acquire();
  for (int run = 0; run < 2; ++run) {
    try {
      conn->query("SELECT " + sql.substr(7), window);
      std::cout << "cached execution " << run + 1 << ": ok\n";
    } catch (const db::DbError& e) {
      std::cout << "cached execution " << run + 1 << ": " << e.what() << "\n";
    }
  }
}
