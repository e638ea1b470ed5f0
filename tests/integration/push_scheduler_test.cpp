// The push scheduler on a real MariaDB with a test clock: a slot delivered exactly once by two
// instances (separate connection pools) racing in threads, a crash between claim and commit
// finished once after the lease, missed slots inside and outside the grace period, the quiet
// period of alerts (per cause), and the customer list only for managers messaged directly.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "bot/outbox.hpp"
#include "bot/scheduler.hpp"
#include "tests/integration/analysis_test_util.hpp"

using namespace yimei;
using namespace yimei::bot;
using namespace yimei::test;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

namespace {

// Customers with consumption on 2026-06-30, balances expiring in July, two VIPs gone quiet.
const char* kData = R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, last_visit_date, consultant_id, membership_level) VALUES
  ('C1', '张三', '13800000001', '2025-01-01', '2026-05-01', 'K1', '金卡'),
  ('C2', '李四', '13800000002', '2025-01-01', '2026-06-01', 'K2', '钻石'),
  ('C3', '王五', '13800000003', '2025-01-01', '2026-06-30', 'K1', '普通');
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  ('C3', '2026-06-30', 1000.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('C3', '2026-06-23', 800.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('C1', '2026-05-01', 500.00, '注射科', 0, 'K1', 'P3', 1, '现金'),
  ('C2', '2026-06-01', 700.00, '注射科', 0, 'K2', 'P3', 1, '现金');
INSERT INTO unspent_balances (customer_id, product_id, total_amount, spent_amount, last_write_off_date, expiration_date) VALUES
  ('C1', 'P2', 5000.00, 1000.00, '2026-05-01', '2026-07-10'),
  ('C3', 'P4', 6000.00, 0.00, NULL, '2026-12-31');
INSERT INTO bot_users (platform, user_id, role) VALUES
  ('wecom', 'boss', 'manager'), ('wecom', 'clerk', 'viewer');
)sql";

Clock::time_point utc(const std::string& text) {
  auto t = parse_utc_text(text);
  if (!t) throw std::invalid_argument(text);
  return *t;
}

PushJob make_job(const std::string& name, const std::string& cron, const std::string& zone,
                 const std::string& report, std::vector<std::string> targets,
                 std::map<std::string, std::string> params = {}) {
  PushJobConfig cfg{name, cron, zone, report, std::move(params), std::move(targets)};
  std::optional<PushJob> job;
  auto problems = validate_push_job(cfg, "Asia/Shanghai", "金卡,钻石", job);
  if (!job) throw std::invalid_argument(problems.empty() ? name : problems.front());
  return *job;
}

SchedulerOptions options(const std::string& id, std::chrono::seconds grace = 3600s) {
  SchedulerOptions o;
  o.instance_id = id;
  o.grace = grace;
  o.lease = 300s;
  o.quiet = 86400s;
  o.admins = {"root"};
  return o;
}

class PushScheduler : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run_script(kAnalysisCatalogSql);
    db_.run_script(kData);
  }
  Table q(const std::string& sql, const db::Params& p = {}) {
    auto c = db_.pool().acquire();
    return c->query(sql, p);
  }
  std::int64_t count(const std::string& sql, const db::Params& p = {}) {
    return std::get<std::int64_t>(q(sql, p).rows.at(0).at(0));
  }
  // status of the job's slot at `slot` (UTC text), or "" when there is no row.
  std::string slot_status(const std::string& job, const std::string& slot) {
    const Table t = q("SELECT status FROM bot_schedule_slots WHERE job_name = ? AND slot_time = ?",
                      {job, slot});
    return t.rows.empty() ? "" : std::get<Text>(t.rows[0][0]);
  }
  std::vector<Reply> replies_of(const std::string& job, const std::string& slot) {
    const Table t =
        q("SELECT o.payload FROM bot_outbox o JOIN bot_schedule_slots s ON s.slot_id = o.slot_id"
          " WHERE s.job_name = ? AND s.slot_time = ? ORDER BY o.outbox_id",
          {job, slot});
    std::vector<Reply> out;
    for (const Row& r : t.rows) out.push_back(reply_from_json(std::get<Text>(r[0])));
    return out;
  }
  ScratchDatabase db_;
};

bool is_png(const std::vector<std::uint8_t>& b) {
  return b.size() > 8 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
}

}  // namespace

TEST_F(PushScheduler, ASlotFiresOnceAtItsLocalTime) {
  const PushJob job = make_job("daily", "0 9 * * *", "Asia/Shanghai", "daily-summary",
                               {"wecom-robot:R1", "wecom-user:boss"});
  Scheduler s(db_.pool(), {job}, options("A", 600s));
  EXPECT_EQ(s.run_due(utc("2026-07-01 00:59:59")), 0u) << "08:59:59 in Shanghai";
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_schedule_slots"), 0);
  EXPECT_EQ(s.run_due(utc("2026-07-01 01:00:00")), 1u) << "09:00 in Shanghai";
  EXPECT_EQ(slot_status("daily", "2026-07-01 01:00:00"), "done");
  EXPECT_EQ(s.run_due(utc("2026-07-01 01:00:30")), 0u);
  EXPECT_EQ(s.run_due(utc("2026-07-01 05:00:00")), 0u);

  const auto replies = replies_of("daily", "2026-07-01 01:00:00");
  ASSERT_EQ(replies.size(), 2u);
  // as_of = the slot's local date 2026-07-01: yesterday is 2026-06-30, compared with 06-23.
  EXPECT_NE(replies[0].text.find("【每日经营摘要】2026-06-30（周二）"), std::string::npos)
      << replies[0].text;
  EXPECT_NE(replies[0].text.find("实收 1,000.00元，上周同日（2026-06-23） 800.00元，+25.0%"),
            std::string::npos)
      << replies[0].text;
  EXPECT_TRUE(is_png(replies[0].chart_png));
  const Table targets = q("SELECT platform, target FROM bot_outbox ORDER BY outbox_id");
  EXPECT_EQ(std::get<Text>(targets.rows[0][0]), "wecom");
  EXPECT_EQ(std::get<Text>(targets.rows[0][1]), "robot:R1");
  EXPECT_EQ(std::get<Text>(targets.rows[1][1]), "user:boss");
}

TEST_F(PushScheduler, TwoInstancesRacingDeliverEverySlotExactlyOnce) {
  const PushJob job = make_job("minutely", "* * * * *", "UTC", "daily-summary",
                               {"wecom-robot:R1", "wecom-party:7"});
  db::ConnectionPool pool_a(db_.config()), pool_b(db_.config());
  Scheduler a(pool_a, {job}, options("A", 120s));
  Scheduler b(pool_b, {job}, options("B", 120s));
  const Clock::time_point t0 = utc("2026-07-01 00:00:30");
  constexpr int kTicks = 30;
  std::atomic<std::size_t> done_a{0}, done_b{0};
  for (int i = 0; i <= kTicks; ++i) {
    const Clock::time_point now = t0 + std::chrono::minutes(i);
    std::latch start(2);
    std::thread ta([&] {
      start.arrive_and_wait();
      done_a += a.run_due(now);
    });
    std::thread tb([&] {
      start.arrive_and_wait();
      done_b += b.run_due(now);
    });
    ta.join();
    tb.join();
  }
  // The first pass looked back over the grace period (2 slots), then one slot a tick.
  const std::int64_t slots = kTicks + 2;
  EXPECT_EQ(static_cast<std::int64_t>(done_a + done_b), slots);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_schedule_slots WHERE job_name = 'minutely'"), slots);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_schedule_slots WHERE status = 'done'"), slots);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox"), 2 * slots);
  EXPECT_EQ(count("SELECT COUNT(*) FROM (SELECT slot_id FROM bot_outbox GROUP BY slot_id"
                  " HAVING COUNT(*) <> 2) x"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox o LEFT JOIN bot_schedule_slots s"
                  " ON s.slot_id = o.slot_id WHERE s.slot_id IS NULL"),
            0);

  // Delivery from both instances at once: every row sent exactly once.
  std::mutex mu;
  std::multiset<std::int64_t> delivered;
  auto deliver = [&](const OutboxRow& row) -> Outcome<bool> {
    std::lock_guard lock(mu);
    delivered.insert(row.outbox_id);
    return true;
  };
  std::thread da([&] {
    while (deliver_due(pool_a, "wecom", deliver, OutboxPolicy{}, 5) > 0) {
    }
  });
  std::thread dbt([&] {
    while (deliver_due(pool_b, "wecom", deliver, OutboxPolicy{}, 5) > 0) {
    }
  });
  da.join();
  dbt.join();
  EXPECT_EQ(static_cast<std::int64_t>(delivered.size()), 2 * slots);
  EXPECT_EQ(
      static_cast<std::int64_t>(std::set<std::int64_t>(delivered.begin(), delivered.end()).size()),
      2 * slots);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox WHERE status = 'sent'"), 2 * slots);
}

TEST_F(PushScheduler, ACrashBetweenClaimAndCommitIsFinishedOnceAfterTheLease) {
  const PushJob job = make_job("daily", "0 9 * * *", "Asia/Shanghai", "daily-summary",
                               {"wecom-robot:R1", "wecom-user:boss"});
  const std::string slot = "2026-07-01 01:00:00";
  {
    SchedulerOptions o = options("A");
    o.before_commit = [](const std::string&, std::int64_t) {
      throw std::runtime_error("simulated crash before the commit");
    };
    Scheduler crashing(db_.pool(), {job}, o);
    EXPECT_EQ(crashing.run_due(utc("2026-07-01 01:00:10")), 0u);
    EXPECT_EQ(crashing.last_pass().failed, 1u);
  }
  EXPECT_EQ(slot_status("daily", slot), "claimed");
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox"), 0) << "nothing committed";

  // After the restart, two new instances. Inside the lease the claim is respected...
  db::ConnectionPool pool_c(db_.config());
  Scheduler b(db_.pool(), {job}, options("B"));
  Scheduler c(pool_c, {job}, options("C"));
  EXPECT_EQ(b.run_due(utc("2026-07-01 01:04:00")), 0u);
  EXPECT_EQ(c.run_due(utc("2026-07-01 01:04:00")), 0u);
  EXPECT_EQ(slot_status("daily", slot), "claimed");
  // ...after it, exactly one of them takes the slot over and finishes it.
  const Clock::time_point later = utc("2026-07-01 01:05:11");
  std::size_t done_b = 0, done_c = 0;
  std::latch start(2);
  std::thread tb([&] {
    start.arrive_and_wait();
    done_b = b.run_due(later);
  });
  std::thread tc([&] {
    start.arrive_and_wait();
    done_c = c.run_due(later);
  });
  tb.join();
  tc.join();
  EXPECT_EQ(done_b + done_c, 1u);
  EXPECT_EQ(b.last_pass().taken_over + c.last_pass().taken_over, 1u);
  EXPECT_EQ(slot_status("daily", slot), "done");
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox"), 2);
  const Table by = q("SELECT claimed_by FROM bot_schedule_slots WHERE slot_time = ?", {slot});
  const std::string winner = std::get<Text>(by.rows[0][0]);
  EXPECT_TRUE(winner == "B" || winner == "C") << winner;
  // Nobody repeats it later.
  EXPECT_EQ(b.run_due(utc("2026-07-01 02:00:00")), 0u);
  EXPECT_EQ(c.run_due(utc("2026-07-01 02:00:00")), 0u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox"), 2);
}

TEST_F(PushScheduler, AnAbandonedClaimPastTheGracePeriodIsSkipped) {
  const PushJob job =
      make_job("daily", "0 9 * * *", "Asia/Shanghai", "daily-summary", {"wecom-robot:R1"});
  {
    db::Connection c(db_.config());
    c.execute(
        "INSERT INTO bot_schedule_slots (job_name, slot_time, status, claimed_by, claimed_at)"
        " VALUES ('daily', '2026-07-01 01:00:00', 'claimed', 'dead', '2026-07-01 01:00:01')");
  }
  Scheduler s(db_.pool(), {job}, options("B", 3600s));
  EXPECT_EQ(s.run_due(utc("2026-07-01 03:00:00")), 0u);
  EXPECT_EQ(slot_status("daily", "2026-07-01 01:00:00"), "skipped");
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox"), 0);
}

TEST_F(PushScheduler, MissedSlotsRunInsideTheGracePeriodAndAreSkippedOutsideIt) {
  const PushJob job =
      make_job("daily", "0 9 * * *", "Asia/Shanghai", "daily-summary", {"wecom-robot:R1"});
  {
    Scheduler first(db_.pool(), {job}, options("A"));
    EXPECT_EQ(first.run_due(utc("2026-06-30 01:00:05")), 1u);
  }
  // Down from 06-30 until 07-01 01:30 UTC: the 07-01 09:00 slot is 30 minutes late.
  {
    Scheduler restarted(db_.pool(), {job}, options("B"));
    EXPECT_EQ(restarted.run_due(utc("2026-07-01 01:30:00")), 1u);
    EXPECT_EQ(slot_status("daily", "2026-07-01 01:00:00"), "done");
    const auto replies = replies_of("daily", "2026-07-01 01:00:00");
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_NE(replies[0].text.find("2026-06-30（周二）"), std::string::npos)
        << "a late slot still reports for its own date";
  }
  // Down from 07-01 until 07-02 03:00 UTC: two hours late, past the hour of grace.
  {
    Scheduler restarted(db_.pool(), {job}, options("C"));
    EXPECT_EQ(restarted.run_due(utc("2026-07-02 03:00:00")), 0u);
    EXPECT_EQ(restarted.last_pass().skipped, 1u);
    EXPECT_EQ(slot_status("daily", "2026-07-02 01:00:00"), "skipped");
    const Table reason =
        q("SELECT reason FROM bot_schedule_slots WHERE slot_time = '2026-07-02 01:00:00'");
    const std::string why = std::get<Text>(reason.rows[0][0]);
    EXPECT_NE(why.find("超过宽限期 3600 秒"), std::string::npos) << why;
    EXPECT_NE(why.find("晚 7200 秒"), std::string::npos) << why;
    EXPECT_TRUE(replies_of("daily", "2026-07-02 01:00:00").empty());
  }
  // Down for days: the old slots are skipped, the one inside the grace period runs.
  {
    Scheduler restarted(db_.pool(), {job}, options("D"));
    EXPECT_EQ(restarted.run_due(utc("2026-07-05 01:20:00")), 1u);
    EXPECT_EQ(slot_status("daily", "2026-07-03 01:00:00"), "skipped");
    EXPECT_EQ(slot_status("daily", "2026-07-04 01:00:00"), "skipped");
    EXPECT_EQ(slot_status("daily", "2026-07-05 01:00:00"), "done");
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox"), 3);
  // A new job without history runs a slot missed within the grace period of its first start.
  const PushJob fresh =
      make_job("fresh", "0 9 * * *", "Asia/Shanghai", "daily-summary", {"wecom-robot:R1"});
  Scheduler s(db_.pool(), {fresh}, options("E"));
  EXPECT_EQ(s.run_due(utc("2026-07-05 01:59:00")), 1u);
  EXPECT_EQ(slot_status("fresh", "2026-07-05 01:00:00"), "done");
  EXPECT_EQ(slot_status("fresh", "2026-07-04 01:00:00"), "") << "no history: nothing to skip";
}

TEST_F(PushScheduler, AnAlertDoesNotRepeatWithinItsQuietPeriod) {
  // 4,000.00 of C1's card expires on 07-10: above 1,000 within 30 days of every slot below.
  const PushJob daily_quiet = make_job("expiring", "0 * * * *", "UTC", "alert-expiring-amount",
                                       {"wecom-robot:R1"}, {{"days", "30"}, {"amount", "1000"}});
  const PushJob two_hours =
      make_job("expiring2h", "0 * * * *", "UTC", "alert-expiring-amount", {"wecom-robot:R1"},
               {{"days", "30"}, {"amount", "1000"}, {"quiet_hours", "2"}});
  Scheduler s(db_.pool(), {daily_quiet, two_hours}, options("A", 600s));
  const Clock::time_point t0 = utc("2026-07-01 09:00:05");
  for (int h = 0; h <= 25; ++h) s.run_due(t0 + std::chrono::hours(h));
  auto fired_hours = [&](const std::string& job) {
    const Table t =
        q("SELECT DISTINCT s.slot_time FROM bot_outbox o JOIN bot_schedule_slots s"
          " ON s.slot_id = o.slot_id WHERE s.job_name = ? ORDER BY s.slot_time",
          {job});
    std::vector<std::string> out;
    for (const Row& r : t.rows) out.push_back(std::get<Text>(r[0]));
    return out;
  };
  // Default quiet period (24 h): 09:00, then again 24 hours later.
  EXPECT_EQ(fired_hours("expiring"),
            (std::vector<std::string>{"2026-07-01 09:00:00", "2026-07-02 09:00:00"}));
  // quiet_hours = 2: every second hour.
  const auto two = fired_hours("expiring2h");
  ASSERT_EQ(two.size(), 13u);
  EXPECT_EQ(two[0], "2026-07-01 09:00:00");
  EXPECT_EQ(two[1], "2026-07-01 11:00:00");
  // Every slot is done; the quiet ones say why nothing was sent.
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_schedule_slots WHERE status = 'done'"), 2 * 26);
  const Table reason =
      q("SELECT reason FROM bot_schedule_slots WHERE job_name = 'expiring'"
        " AND slot_time = '2026-07-01 10:00:00'");
  EXPECT_NE(std::get<Text>(reason.rows[0][0]).view().find("静默期"), std::string::npos);
  const Table state =
      q("SELECT cause_key, last_fired FROM bot_alert_state WHERE job_name = 'expiring'");
  ASSERT_EQ(state.rows.size(), 1u);
  EXPECT_EQ(std::get<Text>(state.rows[0][0]), "expiring-amount");
}

TEST_F(PushScheduler, EachVipIsACauseOfItsOwn) {
  // Gone 30 days: C1 (last 05-01) from the first slot on; C2 (last 06-01) from the second.
  const PushJob job =
      make_job("vip", "0 9 * * *", "Asia/Shanghai", "alert-vip-gone",
               {"wecom-robot:R1", "wecom-user:boss"}, {{"days", "30"}, {"quiet_hours", "72"}});
  Scheduler s(db_.pool(), {job}, options("A", 600s));
  EXPECT_EQ(s.run_due(utc("2026-07-01 01:00:00")), 1u);
  auto day1 = replies_of("vip", "2026-07-01 01:00:00");
  ASSERT_EQ(day1.size(), 2u);
  EXPECT_NE(day1[0].text.find("有 1 位VIP顾客（金卡 1 位）"), std::string::npos) << day1[0].text;
  EXPECT_EQ(day1[0].text.find("张三"), std::string::npos) << "the group gets no names";
  EXPECT_NE(day1[1].text.find("张三"), std::string::npos) << "the manager gets the list";
  EXPECT_EQ(s.run_due(utc("2026-07-02 01:00:00")), 1u);
  auto day2 = replies_of("vip", "2026-07-02 01:00:00");
  ASSERT_EQ(day2.size(), 2u);
  EXPECT_NE(day2[0].text.find("有 1 位VIP顾客（钻石 1 位）"), std::string::npos) << day2[0].text;
  EXPECT_NE(day2[0].text.find("另有 1 位已提醒过"), std::string::npos) << day2[0].text;
  EXPECT_NE(day2[1].text.find("李四"), std::string::npos);
  EXPECT_EQ(day2[1].text.find("张三"), std::string::npos) << "still quiet";
  EXPECT_EQ(s.run_due(utc("2026-07-03 01:00:00")), 1u);
  EXPECT_TRUE(replies_of("vip", "2026-07-03 01:00:00").empty()) << "both quiet";
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_alert_state WHERE job_name = 'vip'"), 2);
}

TEST_F(PushScheduler, TheCustomerListGoesOnlyToManagersAndAdminsDirectly) {
  const PushJob job = make_job("expiring", "0 9 * * *", "Asia/Shanghai", "expiring-balances",
                               {"wecom-robot:R1", "wecom-party:9", "wecom-user:boss",
                                "wecom-user:root", "wecom-user:clerk", "wecom-user:stranger"},
                               {{"days", "30"}});
  Scheduler s(db_.pool(), {job}, options("A", 600s));
  ASSERT_EQ(s.run_due(utc("2026-07-01 01:00:00")), 1u);
  const auto replies = replies_of("expiring", "2026-07-01 01:00:00");
  ASSERT_EQ(replies.size(), 6u);
  const bool allowed[] = {false, false, true, true, false, false};
  for (std::size_t i = 0; i < replies.size(); ++i) {
    const Reply& r = replies[i];
    EXPECT_NE(r.text.find("将有 1 笔未划扣余额到期，涉及 1 位顾客，合计 4,000.00元"),
              std::string::npos)
        << r.text;
    EXPECT_TRUE(is_png(r.chart_png)) << i;
    if (allowed[i]) {
      EXPECT_NE(r.text.find("张三"), std::string::npos) << i;
      EXPECT_NE(r.text.find("13800000001"), std::string::npos) << "managers see full phones";
      ASSERT_TRUE(r.table.has_value());
      EXPECT_EQ(r.table->rows.size(), 1u);
    } else {
      EXPECT_EQ(r.text.find("张三"), std::string::npos) << i;
      EXPECT_EQ(r.text.find("1380000"), std::string::npos) << i;
      EXPECT_FALSE(r.table.has_value()) << i;
      EXPECT_NE(r.text.find("顾客名单仅私信发送给店长和管理员"), std::string::npos) << i;
    }
  }
}

TEST_F(PushScheduler, AJobThatFailsForGoodIsRecordedFailed) {
  // A report refusing its request (here: a parameter the report no longer accepts) cannot get
  // better by retrying: the slot is failed with the reason, not retried forever.
  PushJob job =
      make_job("daily", "0 9 * * *", "Asia/Shanghai", "daily-summary", {"wecom-robot:R1"});
  job.params["unknown"] = "1";
  Scheduler s(db_.pool(), {job}, options("A", 600s));
  EXPECT_EQ(s.run_due(utc("2026-07-01 01:00:00")), 0u);
  EXPECT_EQ(slot_status("daily", "2026-07-01 01:00:00"), "failed");
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox"), 0);
  EXPECT_EQ(s.run_due(utc("2026-07-01 02:00:00")), 0u);
  EXPECT_EQ(slot_status("daily", "2026-07-01 01:00:00"), "failed");
}
