// The connection pool: bounded, reuses connections, drops killed ones, and recovers when the
// MariaDB server restarts in the middle of a test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "tests/support/scratch_db.hpp"

using namespace yimei;

namespace {
std::int64_t connection_id(db::Connection& c) {
  return std::get<std::int64_t>(c.query("SELECT CONNECTION_ID()").rows.at(0).at(0));
}
}  // namespace

TEST(Pool, ReusesAndBoundsConnections) {
  db::DbConfig cfg = test::env_db_config();
  cfg.pool_size = 2;
  db::ConnectionPool pool(cfg);
  std::int64_t first;
  {
    auto a = pool.acquire();
    first = connection_id(*a);
  }
  {
    auto a = pool.acquire();
    EXPECT_EQ(connection_id(*a), first) << "an idle connection is reused";
    auto b = pool.acquire();
    EXPECT_NE(connection_id(*b), first);
    EXPECT_THROW(pool.acquire(std::chrono::milliseconds(200)), DependencyError);
  }
  EXPECT_EQ(pool.idle_count(), 2u);
}

TEST(Pool, WaitsForAReleasedConnection) {
  db::DbConfig cfg = test::env_db_config();
  cfg.pool_size = 1;
  db::ConnectionPool pool(cfg);
  auto held = std::make_unique<db::ConnectionPool::Lease>(pool.acquire());
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    held.reset();
  });
  auto c = pool.acquire(std::chrono::seconds(3));
  EXPECT_EQ(std::get<std::int64_t>(c->query("SELECT 1").rows[0][0]), 1);
  releaser.join();
}

TEST(Pool, DropsAKilledConnectionAndReconnects) {
  db::DbConfig cfg = test::env_db_config();
  cfg.pool_size = 2;
  db::ConnectionPool pool(cfg);
  std::int64_t victim;
  {
    auto c = pool.acquire();
    victim = connection_id(*c);
  }
  {
    db::Connection killer(cfg);
    killer.execute_unprepared("KILL CONNECTION " + std::to_string(victim));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // The next lease either pings the dead connection away or fails once and is discarded.
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      auto c = pool.acquire();
      EXPECT_NE(connection_id(*c), victim);
      return;
    } catch (const db::DbError& e) {
      EXPECT_TRUE(e.is_connection_lost()) << e.what();
    }
  }
  FAIL() << "the pool did not recover from a killed connection";
}

TEST(Pool, RecoversWhenTheServerRestarts) {
  if (!std::getenv("YIMEI_TEST_DB_RESTART")) {
    GTEST_SKIP() << "set YIMEI_TEST_DB_RESTART=1 (scripts/test.sh does) to restart MariaDB";
  }
  db::DbConfig cfg = test::env_db_config();
  cfg.pool_size = 3;
  cfg.connect_timeout_s = 2;
  db::ConnectionPool pool(cfg);
  {
    auto a = pool.acquire();
    auto b = pool.acquire();
    ASSERT_EQ(std::get<std::int64_t>(a->query("SELECT 1").rows[0][0]), 1);
  }
  const std::string script = std::string(YIMEI_SOURCE_DIR) + "/scripts/db.sh";
  ASSERT_EQ(std::system((script + " stop >/dev/null").c_str()), 0);
  EXPECT_THROW(
      {
        auto c = pool.acquire();
        c->query("SELECT 1");
      },
      DependencyError);
  ASSERT_EQ(std::system((script + " start >/dev/null").c_str()), 0);
  // Every pooled connection died with the old server; fresh ones must be made.
  for (int i = 0; i < 3; ++i) {
    std::optional<std::int64_t> got;
    for (int attempt = 0; attempt < 3 && !got; ++attempt) {
      try {
        auto c = pool.acquire();
        got = std::get<std::int64_t>(c->query("SELECT 41 + 1").rows[0][0]);
      } catch (const db::DbError& e) {
        EXPECT_TRUE(e.is_connection_lost()) << e.what();
      }
    }
    ASSERT_TRUE(got.has_value()) << "no working connection after the restart";
    EXPECT_EQ(*got, 42);
  }
}
