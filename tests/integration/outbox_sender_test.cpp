// OutboxSender on a real database: a burst of replies is delivered once each in batches (one
// claim per batch), two instances' senders sharing one outbox never send a row twice, a
// refused send is left for its retry, and stop() still delivers what was requested just before.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>

#include "bot/metrics.hpp"
#include "bot/outbox.hpp"
#include "bot/outbox_sender.hpp"
#include "bot/thread_priority.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::bot;
using yimei::test::ScratchDatabase;
using namespace std::chrono_literals;

namespace {

// Records each delivered outbox id; optionally refuses every send as "retry later".
class RecordingAdapter final : public PlatformAdapter {
 public:
  explicit RecordingAdapter(bool unavailable = false) : unavailable_(unavailable) {}
  const std::string& platform() const override { return name_; }
  void add_routes(net::Router&) override {}
  Outcome<bool> deliver(const OutboxRow& row) override {
    std::lock_guard lock(mu_);
    ++attempts_;
    nice_ = thread_nice_value();
    if (unavailable_) return UserError{ErrorKind::Unavailable, "platform down"};
    ++sent_[row.outbox_id];
    return true;
  }
  std::map<std::int64_t, int> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  int attempts() const {
    std::lock_guard lock(mu_);
    return attempts_;
  }
  int nice() const {
    std::lock_guard lock(mu_);
    return nice_;
  }

 private:
  std::string name_ = "wecom";
  bool unavailable_;
  mutable std::mutex mu_;
  std::map<std::int64_t, int> sent_;
  int attempts_ = 0;
  int nice_ = -100;
};

std::vector<std::int64_t> enqueue(ScratchDatabase& db, int n) {
  auto c = db.pool().acquire();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < n; ++i) {
    Reply r;
    r.text = "回复 " + std::to_string(i);
    ids.push_back(
        enqueue_reply(*c, "wecom", "user:u" + std::to_string(i), std::nullopt, std::nullopt, r));
  }
  return ids;
}

std::int64_t count(ScratchDatabase& db, const std::string& where) {
  auto c = db.pool().acquire();
  return std::get<std::int64_t>(
      c->query("SELECT COUNT(*) FROM bot_outbox WHERE " + where, {}).rows[0][0]);
}

template <class F>
bool wait_for(F done, std::chrono::milliseconds limit = 15s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

OutboxSenderOptions options(std::size_t batch) {
  OutboxSenderOptions o;
  o.batch = batch;
  o.poll = 1h;  // only requests wake the threads: the tests see what a request does
  return o;
}

TEST(OutboxSender, ABurstIsDeliveredOnceEachInBatches) {
  ScratchDatabase db;
  const auto ids = enqueue(db, 70);
  RecordingAdapter adapter;
  Metrics metrics;
  OutboxSender sender(db.pool(), adapter, metrics, options(16));
  sender.start();
  sender.request();  // one request: the pass repeats while it finds full batches
  ASSERT_TRUE(wait_for([&] { return count(db, "status = 'sent'") == 70; }))
      << count(db, "status = 'sent'") << " of 70 sent";
  const auto sent = adapter.sent();
  ASSERT_EQ(sent.size(), 70u);
  for (auto id : ids) EXPECT_EQ(sent.at(id), 1) << "outbox " << id;
  EXPECT_EQ(count(db, "attempts = 1 AND sent_at IS NOT NULL"), 70);
  EXPECT_NE(metrics.prometheus_text().find("yimei_outbox_delivered_total{platform=\"wecom\"} 70"),
            std::string::npos)
      << metrics.prometheus_text();
}

TEST(OutboxSender, TwoInstancesSharingTheOutboxSendEachRowOnce) {
  ScratchDatabase db;
  ScratchDatabase::Attach same{db.name()};
  ScratchDatabase other(same);  // a second instance: its own connection pool
  RecordingAdapter adapter_a, adapter_b;
  Metrics metrics;
  OutboxSender a(db.pool(), adapter_a, metrics, options(8));
  OutboxSender b(other.pool(), adapter_b, metrics, options(8));
  a.start();
  b.start();
  std::vector<std::int64_t> ids;
  for (int round = 0; round < 10; ++round) {
    for (auto id : enqueue(db, 12)) ids.push_back(id);
    a.request();
    b.request();
  }
  ASSERT_TRUE(wait_for([&] { return count(db, "status = 'sent'") == 120; }));
  auto sent = adapter_a.sent();
  for (const auto& [id, n] : adapter_b.sent()) sent[id] += n;
  ASSERT_EQ(sent.size(), 120u);
  for (auto id : ids) EXPECT_EQ(sent.at(id), 1) << "outbox " << id;
}

TEST(OutboxSender, ARefusedSendWaitsForItsRetry) {
  ScratchDatabase db;
  enqueue(db, 3);
  RecordingAdapter down(/*unavailable=*/true);
  Metrics metrics;
  OutboxSender sender(db.pool(), down, metrics, options(16));
  sender.start();
  sender.request();
  ASSERT_TRUE(wait_for([&] { return count(db, "status = 'pending' AND attempts = 1") == 3; }));
  EXPECT_EQ(count(db, "next_attempt > NOW(3) AND last_error = 'platform down'"), 3);
  sender.request();  // not due yet: nothing is tried again
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(down.attempts(), 3);
  EXPECT_EQ(count(db, "status = 'sent'"), 0);
}

TEST(OutboxSender, SendsAtTheLoweredPriorityItIsGiven) {
  ScratchDatabase db;
  enqueue(db, 1);
  RecordingAdapter adapter;
  Metrics metrics;
  auto o = options(16);
  o.nice = 4;
  OutboxSender sender(db.pool(), adapter, metrics, o);
  sender.start();
  sender.request();
  ASSERT_TRUE(wait_for([&] { return count(db, "status = 'sent'") == 1; }));
  EXPECT_EQ(adapter.nice(), std::min(thread_nice_value() + 4, 19));
}

TEST(OutboxSender, StopDeliversWhatWasRequestedJustBefore) {
  ScratchDatabase db;
  RecordingAdapter adapter;
  Metrics metrics;
  {
    OutboxSender sender(db.pool(), adapter, metrics, options(16));
    sender.start();
    enqueue(db, 5);
    sender.request();
    sender.stop();
  }
  EXPECT_EQ(adapter.sent().size(), 5u);
  EXPECT_EQ(count(db, "status = 'sent'"), 5);
}

}  // namespace
