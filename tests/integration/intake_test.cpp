// BatchingIntake (group commit) on a real database: concurrent submissions are recorded once
// each, duplicates — also inside one batch and racing from several threads — are reported as
// such, batches really hold several rows under load, on_recorded sees each new message once,
// and stop() records what was queued before it.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "bot/batching_intake.hpp"
#include "bot/inbox.hpp"
#include "bot/metrics.hpp"
#include "core/db/connection.hpp"
#include "tests/support/scratch_db.hpp"

using yimei::bot::BatchingIntake;
using yimei::bot::IncomingMessage;
using yimei::bot::IntakeResult;
using yimei::bot::Metrics;
using yimei::test::ScratchDatabase;

namespace {

IncomingMessage message(const std::string& id) {
  IncomingMessage m;
  m.platform = "wecom";
  m.msg_id = id;
  m.user_id = "u1";
  m.text = "你好 " + id;
  m.time = std::chrono::system_clock::now();
  return m;
}

std::int64_t inbox_rows(ScratchDatabase& db) {
  auto c = db.pool().acquire();
  return std::get<std::int64_t>(c->query("SELECT COUNT(*) FROM bot_inbox", {}).rows[0][0]);
}

TEST(BatchingIntake, RecordsEachMessageOnceUnderConcurrentDuplicates) {
  ScratchDatabase db;
  Metrics metrics;
  std::mutex mu;
  std::multiset<std::string> handed_on;
  // Two writers: their batches race on the same keys.
  yimei::bot::BatchingIntakeOptions two_writers;
  two_writers.writers = 2;
  BatchingIntake intake(
      db.pool(), metrics,
      [&](const IncomingMessage& m) {
        std::lock_guard lock(mu);
        handed_on.insert(m.msg_id);
      },
      two_writers);

  // 8 threads each submit the same 50 ids: every id must be Recorded exactly once overall.
  constexpr int kThreads = 8, kIds = 50;
  std::atomic<int> recorded{0}, duplicate{0}, failed{0};
  std::vector<std::promise<void>> all_done(kThreads * kIds);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIds; ++i)
        intake.submit(message("m" + std::to_string(i)), [&, slot = t * kIds + i](IntakeResult r) {
          (r == IntakeResult::Recorded    ? recorded
           : r == IntakeResult::Duplicate ? duplicate
                                          : failed)++;
          all_done[static_cast<std::size_t>(slot)].set_value();
        });
    });
  for (auto& t : threads) t.join();
  for (auto& p : all_done) p.get_future().wait();

  EXPECT_EQ(recorded.load(), kIds);
  EXPECT_EQ(duplicate.load(), kThreads * kIds - kIds);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(inbox_rows(db), kIds);
  intake.stop();
  EXPECT_EQ(handed_on.size(), static_cast<std::size_t>(kIds));
  for (int i = 0; i < kIds; ++i) EXPECT_EQ(handed_on.count("m" + std::to_string(i)), 1u);
  // 400 submissions in far fewer statements: the batches really grouped rows.
  const auto batches = metrics.counter("yimei_intake_batches_total");
  EXPECT_GT(batches, 0u);
  EXPECT_LT(batches, static_cast<std::uint64_t>(kThreads * kIds));
  EXPECT_EQ(metrics.counter("yimei_intake_total", "result=\"recorded\""),
            static_cast<std::uint64_t>(kIds));
}

// A batch holding rows recorded before and rows repeated inside it: only the first occurrence
// of each new key is reported fresh (the rows are told apart by key and batch token).
TEST(BatchingIntake, ABatchWithEarlierAndRepeatedKeysReportsOnlyItsOwnNewRows) {
  ScratchDatabase db;
  auto c = db.pool().acquire();
  EXPECT_EQ(yimei::bot::record_incoming_batch(*c, {message("a")}), std::vector<bool>({true}));
  IncomingMessage other_platform = message("a");
  other_platform.platform = "dingtalk";
  const auto fresh = yimei::bot::record_incoming_batch(
      *c, {message("b"), message("a"), message("c"), message("b"), other_platform});
  EXPECT_EQ(fresh, std::vector<bool>({true, false, true, false, true}));
  EXPECT_EQ(inbox_rows(db), 4);
  // All of a batch new: reported without a look-up, and each row is in the inbox.
  EXPECT_EQ(yimei::bot::record_incoming_batch(*c, {message("d"), message("e")}),
            std::vector<bool>({true, true}));
  EXPECT_EQ(inbox_rows(db), 6);
}

TEST(BatchingIntake, StopRecordsWhatWasQueuedAndRefusesLaterSubmissions) {
  ScratchDatabase db;
  Metrics metrics;
  BatchingIntake intake(db.pool(), metrics, nullptr, {1, 16, 4096});
  std::atomic<int> recorded{0};
  for (int i = 0; i < 200; ++i)
    intake.submit(message("q" + std::to_string(i)), [&](IntakeResult r) {
      if (r == IntakeResult::Recorded) ++recorded;
    });
  intake.stop();
  EXPECT_EQ(recorded.load(), 200);
  EXPECT_EQ(inbox_rows(db), 200);

  IntakeResult late = IntakeResult::Recorded;
  intake.submit(message("late"), [&](IntakeResult r) { late = r; });
  EXPECT_EQ(late, IntakeResult::Failed);
  EXPECT_EQ(inbox_rows(db), 200);
}

TEST(BatchingIntake, FullQueueFailsAtOnceSoThePlatformRetries) {
  ScratchDatabase db;
  Metrics metrics;
  // No writer threads: nothing drains, so the queue limit is reached deterministically.
  BatchingIntake intake(db.pool(), metrics, nullptr, {0, 16, 3});
  std::vector<IntakeResult> results;
  for (int i = 0; i < 5; ++i)
    intake.submit(message("f" + std::to_string(i)), [&](IntakeResult r) { results.push_back(r); });
  ASSERT_EQ(results.size(), 2u);  // the two over the limit answered at once
  EXPECT_EQ(results[0], IntakeResult::Failed);
  EXPECT_EQ(results[1], IntakeResult::Failed);
  EXPECT_EQ(metrics.counter("yimei_intake_total", "result=\"refused\""), 2u);
  // Stopping with no writer fails what waited instead of leaving its callers hanging.
  intake.stop();
  ASSERT_EQ(results.size(), 5u);
  for (auto r : results) EXPECT_EQ(r, IntakeResult::Failed);
  EXPECT_EQ(inbox_rows(db), 0);
}

}  // namespace

TEST(BatchingIntakeBusy, ABurstMakesItBusyForAMomentAndASingleMessageDoesNot) {
  ScratchDatabase db;
  Metrics metrics;
  yimei::bot::BatchingIntakeOptions options;
  options.writers = 1;
  options.busy_batch = 4;
  options.busy_hold = std::chrono::milliseconds(300);
  BatchingIntake intake(db.pool(), metrics, nullptr, options);

  std::promise<void> one;
  intake.submit(message("single"), [&](IntakeResult) { one.set_value(); });
  one.get_future().wait();
  EXPECT_FALSE(intake.busy()) << "one message is no burst";

  // 40 at once: the single writer takes them in batches of more than 4 rows.
  constexpr int kBurst = 40;
  std::vector<std::promise<void>> done(kBurst);
  for (int i = 0; i < kBurst; ++i)
    intake.submit(message("b" + std::to_string(i)),
                  [&, i](IntakeResult) { done[static_cast<std::size_t>(i)].set_value(); });
  for (auto& p : done) p.get_future().wait();
  EXPECT_TRUE(intake.busy());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_FALSE(intake.busy()) << "busy ends busy_hold after the last large batch";
}

namespace {

// INSERTs into this database's inbox that are running (here: waiting behind a table lock).
std::int64_t inserts_in_flight(yimei::db::Connection& observer, const std::string& database) {
  return std::get<std::int64_t>(
      observer
          .query("SELECT COUNT(*) FROM information_schema.processlist WHERE db = ? AND info LIKE "
                 "'INSERT IGNORE INTO bot_inbox%'",
                 {database})
          .rows[0][0]);
}

bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 100 && !condition(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return condition();
}

}  // namespace

// Two writers: at a calm pace a message that arrives during a commit is written by the second
// writer at once; during a burst only the first writes (its batches grow instead).
TEST(BatchingIntakeBusy, DuringABurstOnlyTheFirstWriterWrites) {
  ScratchDatabase db;
  Metrics metrics;
  yimei::bot::BatchingIntakeOptions options;
  options.writers = 2;
  options.busy_batch = 2;
  options.busy_hold = std::chrono::seconds(5);
  BatchingIntake intake(db.pool(), metrics, nullptr, options);
  yimei::db::Connection blocker(db.config()), observer(db.config());
  std::atomic<int> done{0};
  auto submit = [&](const std::string& id) {
    intake.submit(message(id), [&](IntakeResult r) {
      EXPECT_EQ(r, IntakeResult::Recorded);
      ++done;
    });
  };
  auto in_flight = [&] { return inserts_in_flight(observer, db.name()); };

  // Calm: one message waits in its commit; the next is taken by the other writer at once.
  blocker.execute_unprepared("LOCK TABLES bot_inbox WRITE");
  submit("calm-1");
  ASSERT_TRUE(eventually([&] { return in_flight() == 1; }));
  submit("calm-2");
  EXPECT_TRUE(eventually([&] { return in_flight() == 2; }))
      << "a second writer takes what arrives during a commit";
  EXPECT_FALSE(intake.busy());
  // Both writers wait: these two queue up and are then written together, a burst.
  submit("queued-1");
  submit("queued-2");
  blocker.execute_unprepared("UNLOCK TABLES");
  ASSERT_TRUE(eventually([&] { return done.load() == 4; }));
  ASSERT_TRUE(intake.busy());

  // Burst: while the first writer's commit waits, the other writer does not start one.
  blocker.execute_unprepared("LOCK TABLES bot_inbox WRITE");
  submit("busy-1");
  ASSERT_TRUE(eventually([&] { return in_flight() == 1; }));
  submit("busy-2");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(in_flight(), 1);
  blocker.execute_unprepared("UNLOCK TABLES");
  EXPECT_TRUE(eventually([&] { return done.load() == 6; }));
  EXPECT_EQ(inbox_rows(db), 6);
}
