// run_parallel against the real server: jobs spread over the caller's connection and a sibling,
// each run once; failures reach the caller with their type; a transaction keeps every job on
// the caller's connection.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>

#include "core/db/parallel.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using yimei::test::ScratchDatabase;

namespace {

std::int64_t connection_id(db::Connection& c) {
  return std::get<std::int64_t>(c.query("SELECT CONNECTION_ID()").rows.at(0).at(0));
}

// Jobs that write the id of the connection they ran on into ran_on[i], after `sleep` seconds.
std::vector<db::ConnectionJob> recording_jobs(std::vector<std::int64_t>& ran_on, double sleep) {
  std::vector<db::ConnectionJob> jobs;
  for (std::size_t i = 0; i < ran_on.size(); ++i)
    jobs.emplace_back([&ran_on, i, sleep](db::Connection& conn) {
      if (sleep > 0) conn.query("SELECT SLEEP(?)", {std::to_string(sleep)});
      ran_on[i] = connection_id(conn);
    });
  return jobs;
}

}  // namespace

TEST(DbParallel, JobsRunOnceEachOnAsManyConnectionsAsWorkers) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  const std::int64_t own = connection_id(*c);
  std::vector<std::int64_t> ran_on(6, 0);
  // Long enough for the sibling to connect and take some.
  db::run_parallel(*c, recording_jobs(ran_on, 0.1), 2);
  const std::set<std::int64_t> used(ran_on.begin(), ran_on.end());
  EXPECT_EQ(used.size(), 2u);
  EXPECT_TRUE(used.count(own));
  EXPECT_FALSE(used.count(0));
  // The sibling is closed again; the caller's connection still works, and alone does it all.
  std::vector<std::int64_t> alone(3, 0);
  db::run_parallel(*c, recording_jobs(alone, 0), 1);
  EXPECT_EQ(alone, std::vector<std::int64_t>(3, own));
}

TEST(DbParallel, TheLowestIndexedFailureReachesTheCallerAndLaterJobsDoNotStart) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  std::atomic<int> started{0};
  std::vector<db::ConnectionJob> jobs;
  jobs.emplace_back([&](db::Connection& conn) {
    ++started;
    conn.query("SELECT SLEEP(0.3)");  // the sibling's job 1 fails meanwhile
    throw std::runtime_error("job 0");
  });
  jobs.emplace_back([&](db::Connection&) {
    ++started;
    throw std::runtime_error("job 1");
  });
  for (int i = 0; i < 4; ++i) jobs.emplace_back([&](db::Connection&) { ++started; });
  try {
    db::run_parallel(*c, jobs, 2);
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "job 0");
  }
  EXPECT_LE(started.load(), 2);
}

TEST(DbParallel, ADatabaseErrorOnTheSiblingKeepsItsType) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  std::vector<db::ConnectionJob> jobs;
  jobs.emplace_back([](db::Connection& conn) { conn.query("SELECT SLEEP(0.2)"); });
  jobs.emplace_back([](db::Connection& conn) { conn.query("SELECT * FROM no_such_table"); });
  EXPECT_THROW(db::run_parallel(*c, jobs, 2), db::DbError);
  EXPECT_FALSE(c->broken());
}

TEST(DbParallel, InsideATransactionEveryJobSeesItsWritesOnTheCallersConnection) {
  ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  const std::int64_t own = connection_id(*c);
  db::Transaction tx(*c);
  EXPECT_TRUE(c->in_transaction());
  c->execute(
      "INSERT INTO consultants (consultant_id, name, department) VALUES ('T1', '甲', '皮肤科')");
  std::vector<std::int64_t> ran_on(4, 0), seen(4, 0);
  std::vector<db::ConnectionJob> jobs;
  for (std::size_t i = 0; i < ran_on.size(); ++i)
    jobs.emplace_back([&, i](db::Connection& conn) {
      ran_on[i] = connection_id(conn);
      seen[i] = std::get<std::int64_t>(
          conn.query("SELECT COUNT(*) FROM consultants WHERE consultant_id = 'T1'").rows[0][0]);
    });
  db::run_parallel(*c, jobs, 2);
  EXPECT_EQ(ran_on, std::vector<std::int64_t>(4, own));
  EXPECT_EQ(seen, std::vector<std::int64_t>(4, 1));
  tx.commit();
  EXPECT_FALSE(c->in_transaction());
}
