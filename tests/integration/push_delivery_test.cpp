// Push delivery end to end against the fake WeCom API: a scheduled slot goes through the outbox
// to a group robot (markdown + the chart image, md5 checked by the fake) and through the app API
// to a manager and a department (text + the uploaded chart), exactly once; `yimei push NAME`
// sends the same way through the adapter factory; and the `yimei push` command line: --list,
// --dry-run with the chart file, and the exit codes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "adapters/wecom/wecom_adapter.hpp"
#include "bot/cli.hpp"
#include "bot/metrics.hpp"
#include "bot/net/http_client.hpp"
#include "bot/net/net_runtime.hpp"
#include "bot/outbox.hpp"
#include "bot/scheduler.hpp"
#include "tests/integration/analysis_test_util.hpp"
#include "tests/support/fake_wecom_api.hpp"
#include "tests/support/run_command.hpp"

using namespace yimei;
using namespace yimei::bot;
using namespace yimei::test;
using namespace std::chrono_literals;

namespace {

const char* kData = R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, last_visit_date, consultant_id, membership_level) VALUES
  ('C1', '张三', '13800000001', '2025-01-01', '2026-05-01', 'K1', '金卡'),
  ('C3', '王五', '13800000003', '2025-01-01', '2026-06-30', 'K1', '普通');
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  ('C3', '2026-06-30', 1000.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('C3', '2026-06-23', 800.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  ('C1', '2026-06-30', 2000.00, '注射科', 0, 'K1', 'P3', 1, '现金');
INSERT INTO unspent_balances (customer_id, product_id, total_amount, spent_amount, last_write_off_date, expiration_date) VALUES
  ('C1', 'P2', 5000.00, 1000.00, '2026-05-01', '2026-07-03');
INSERT INTO bot_users (platform, user_id, role) VALUES ('wecom', 'boss', 'manager');
)sql";

// The official sample EncodingAESKey of the WeCom documentation (43 characters).
const char* kAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

std::string as_string(const std::vector<std::uint8_t>& b) {
  return {b.begin(), b.end()};
}

PushJob make_job(const std::string& name, const std::string& report,
                 std::vector<std::string> targets, std::map<std::string, std::string> params = {}) {
  PushJobConfig cfg{name,   "0 9 * * *",       "Asia/Shanghai",
                    report, std::move(params), std::move(targets)};
  std::optional<PushJob> job;
  auto problems = validate_push_job(cfg, "Asia/Shanghai", "金卡,钻石", job);
  if (!job) throw std::invalid_argument(problems.front());
  return *job;
}

class PushDelivery : public ::testing::Test {
 protected:
  PushDelivery() : runtime_(1), http_(runtime_) {}
  void SetUp() override {
    db_.run_script(kAnalysisCatalogSql);
    db_.run_script(kData);
  }
  wecom::WecomAdapterOptions adapter_options() const {
    wecom::WecomAdapterOptions o;
    o.app.api_base = fake_.base_url();
    o.app.corp_id = fake_.settings().corp_id;
    o.app.secret = fake_.settings().secret;
    o.app.agent_id = fake_.settings().agent_id;
    o.app.request_timeout = 5s;
    o.robot.api_base = fake_.base_url();
    o.robot.request_timeout = 5s;
    return o;
  }
  Reply payload(std::int64_t outbox_id) {
    auto c = db_.pool().acquire();
    const Table t = c->query("SELECT payload FROM bot_outbox WHERE outbox_id = ?", {outbox_id});
    return reply_from_json(std::get<Text>(t.rows.at(0).at(0)));
  }
  std::int64_t count(const std::string& sql) {
    auto c = db_.pool().acquire();
    return std::get<std::int64_t>(c->query(sql).rows.at(0).at(0));
  }

  ScratchDatabase db_;
  FakeWecomApi fake_;
  net::NetRuntime runtime_;
  net::HttpClient http_;
  Metrics metrics_;
};

// Sets environment variables for the life of the object (the in-process `yimei push`).
class ScopedEnv {
 public:
  void set(const std::string& k, const std::string& v) {
    const char* old = std::getenv(k.c_str());
    saved_.emplace_back(k, old ? std::optional<std::string>(old) : std::nullopt);
    ::setenv(k.c_str(), v.c_str(), 1);
  }
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second)
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      else
        ::unsetenv(it->first.c_str());
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

int run_in_process(std::vector<std::string> args, std::vector<PlatformFactory> platforms) {
  args.insert(args.begin(), "yimei");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return run_cli(static_cast<int>(argv.size()), argv.data(), std::move(platforms));
}

std::string temp_file(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("yimei-push-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

}  // namespace

TEST_F(PushDelivery, AScheduledSlotReachesTheRobotAndTheAppOnceWithItsChart) {
  const PushJob job = make_job("daily", "daily-summary",
                               {"wecom-robot:robot-key-0001", "wecom-user:boss", "wecom-party:7"});
  SchedulerOptions o;
  o.instance_id = "A";
  o.grace = 600s;
  Scheduler scheduler(db_.pool(), {job}, o);
  ASSERT_EQ(scheduler.run_due(*parse_utc_text("2026-07-01 01:00:00")), 1u);

  wecom::WecomAdapter adapter(http_, adapter_options(), metrics_, nullptr);
  auto deliver = [&](const OutboxRow& row) { return adapter.deliver(row); };
  EXPECT_EQ(deliver_due(db_.pool(), "wecom", deliver, OutboxPolicy{}), 3u);
  EXPECT_EQ(deliver_due(db_.pool(), "wecom", deliver, OutboxPolicy{}), 0u) << "nothing twice";
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox WHERE status = 'sent'"), 3);

  const Reply sent = payload(1);
  ASSERT_FALSE(sent.chart_png.empty());
  // The robot: the narrative as markdown, then the chart as an image (md5 checked by the fake).
  const auto robot = fake_.robot_messages();
  ASSERT_EQ(robot.size(), 2u);
  EXPECT_EQ(robot[0].key, "robot-key-0001");
  EXPECT_NE(robot[0].content.find("每日经营摘要"), std::string::npos) << robot[0].content;
  EXPECT_NE(robot[0].content.find("实收 3,000.00元"), std::string::npos) << robot[0].content;
  EXPECT_EQ(robot[1].msgtype, "image");
  EXPECT_EQ(robot[1].image, as_string(sent.chart_png));
  // The app: the manager and the department, each text then the uploaded chart.
  const auto app = fake_.app_messages();
  ASSERT_EQ(app.size(), 4u);
  EXPECT_EQ(app[0].touser, "boss");
  EXPECT_NE(app[0].content.find("每日经营摘要"), std::string::npos);
  EXPECT_EQ(app[1].touser, "boss");
  EXPECT_EQ(app[1].msgtype, "image");
  EXPECT_EQ(fake_.media_by_id(app[1].media_id)->bytes, as_string(sent.chart_png));
  EXPECT_EQ(app[2].toparty, "7");
  EXPECT_EQ(app[3].toparty, "7");
  EXPECT_EQ(app[3].msgtype, "image");

  // A later pass of the scheduler does not send the slot again.
  EXPECT_EQ(scheduler.run_due(*parse_utc_text("2026-07-01 02:00:00")), 0u);
  EXPECT_EQ(deliver_due(db_.pool(), "wecom", deliver, OutboxPolicy{}), 0u);
  EXPECT_EQ(fake_.robot_messages().size(), 2u);
}

TEST_F(PushDelivery, YimeiPushSendsThroughTheAdapterFactory) {
  const std::string config = temp_file("send.toml");
  std::ofstream(config) << R"toml(
[[push]]
name = "expiring"
cron = "0 9 * * 1"
report = "expiring-balances"
targets = ["wecom-robot:robot-key-0001", "wecom-user:boss"]
)toml";
  ScopedEnv env;
  env.set("DB_NAME", db_.name());
  env.set("WECOM_CORP_ID", fake_.settings().corp_id);
  env.set("WECOM_SECRET", fake_.settings().secret);
  env.set("WECOM_AGENT_ID", std::to_string(fake_.settings().agent_id));
  env.set("WECOM_TOKEN", "token");
  env.set("WECOM_AES_KEY", kAesKey);
  env.set("WECOM_API_BASE", fake_.base_url());
  const int status =
      run_in_process({"push", "expiring", "--as-of", "2026-07-01", "--config", config},
                     {[](PlatformContext& ctx) { return wecom::make_wecom_adapter(ctx); }});
  EXPECT_EQ(status, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox WHERE status = 'sent' AND slot_id IS NULL"), 2);
  const auto robot = fake_.robot_messages();
  ASSERT_EQ(robot.size(), 2u);
  EXPECT_NE(robot[0].content.find("合计 4,000.00元"), std::string::npos) << robot[0].content;
  EXPECT_EQ(robot[0].content.find("张三"), std::string::npos) << "groups get aggregates only";
  EXPECT_EQ(robot[1].msgtype, "image");
  // The manager: the narrative with the list (as text, or as a table image when it is too
  // wide for text), then the chart.
  const auto app = fake_.app_messages();
  ASSERT_GE(app.size(), 2u);
  std::size_t images = 0;
  bool named = false;
  for (const auto& m : app) {
    EXPECT_EQ(m.touser, "boss");
    images += m.msgtype == "image" ? 1 : 0;
    named = named || m.content.find("张三") != std::string::npos;
  }
  EXPECT_TRUE(named || images == 2) << "the manager gets the list";
  EXPECT_EQ(app.back().msgtype, "image");

  // WeCom down: the rows stay in the outbox for `yimei serve` to retry, and the exit is 4.
  fake_.fail_next_http("webhook/send", 503, 20);
  fake_.fail_next_http("gettoken", 503, 20);
  fake_.expire_tokens();
  const int down =
      run_in_process({"push", "expiring", "--as-of", "2026-07-01", "--config", config},
                     {[](PlatformContext& ctx) { return wecom::make_wecom_adapter(ctx); }});
  EXPECT_EQ(down, 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox WHERE status = 'pending'"), 2);
  std::filesystem::remove(config);
}

TEST_F(PushDelivery, CommandLineListsDryRunsAndRejects) {
  const std::string config = temp_file("cli.toml");
  std::ofstream(config) << R"toml(
[[push]]
name = "daily"
cron = "0 9 * * *"
report = "daily-summary"
targets = ["wecom-robot:0123456789secret", "wecom-user:boss"]

[[push]]
name = "drop"
cron = "30 8 * * MON"
timezone = "UTC"
report = "alert-department-drop"
params = { drop_ratio = 0.5 }
targets = ["wecom-party:7"]
)toml";
  const std::string env = "DB_NAME=" + db_.name();
  auto run = [&](const std::string& args) {
    return run_command("cd /tmp && " + env + " " + YIMEI_BINARY + " " + args + " 2>&1");
  };
  const auto list = run("push --list --config " + config);
  EXPECT_EQ(list.status, 0) << list.out;
  EXPECT_NE(list.out.find(
                "daily  daily-summary（每日经营摘要）  cron \"0 9 * * *\"  Asia/Shanghai  下次："),
            std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find(" 09:00"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("drop  alert-department-drop"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find(" 08:30"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("wecom-robot:0123…"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("0123456789secret"), std::string::npos) << "robot keys are not listed";

  const std::string chart = temp_file("daily.png");
  const auto dry =
      run("push daily --dry-run --as-of 2026-07-01 --config " + config + " --chart " + chart);
  EXPECT_EQ(dry.status, 0) << dry.out;
  EXPECT_NE(dry.out.find("【每日经营摘要】2026-06-30（周二）"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("实收 3,000.00元，上周同日（2026-06-23） 800.00元"), std::string::npos)
      << dry.out;
  EXPECT_NE(dry.out.find("图表：" + chart), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("预览，未发送"), std::string::npos) << dry.out;
  ASSERT_TRUE(std::filesystem::exists(chart));
  EXPECT_GT(std::filesystem::file_size(chart), 1000u);
  std::filesystem::remove(chart);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_outbox"), 0) << "a dry run sends nothing";

  // A report name works for a dry run; JSON carries the alert's verdict.
  const auto alert = run("push alert-department-drop --dry-run --as-of 2026-07-01 --format json");
  EXPECT_EQ(alert.status, 0) << alert.out;
  EXPECT_NE(alert.out.find("\"fired\":false"), std::string::npos) << alert.out;
  const auto json = run("push daily --dry-run --as-of 2026-07-01 --format json --config " + config);
  EXPECT_EQ(json.status, 0) << json.out;
  EXPECT_NE(json.out.find("\"report\":\"daily-summary\""), std::string::npos) << json.out;

  const auto unknown = run("push nosuch --dry-run --config " + config);
  EXPECT_EQ(unknown.status, 3) << unknown.out;
  EXPECT_NE(unknown.out.find("没有名为「nosuch」的推送任务"), std::string::npos) << unknown.out;
  const auto bad_param = run("push daily --dry-run --param top=3 --config " + config);
  EXPECT_EQ(bad_param.status, 3) << bad_param.out;
  const auto no_name = run("push --config " + config);
  EXPECT_EQ(no_name.status, 2) << no_name.out;
  const auto no_adapter = run("push daily --as-of 2026-07-01 --config " + config);
  EXPECT_EQ(no_adapter.status, 2) << no_adapter.out;
  EXPECT_NE(no_adapter.out.find("企业微信"), std::string::npos) << no_adapter.out;

  std::ofstream(config) << R"toml(
[[push]]
name = "broken"
cron = "0 9 * *"
report = "daily-summary"
targets = ["wecom-robot:K"]
)toml";
  const auto invalid = run("push --list --config " + config);
  EXPECT_EQ(invalid.status, 2) << invalid.out;
  EXPECT_NE(invalid.out.find("push.broken"), std::string::npos) << invalid.out;
  EXPECT_NE(invalid.out.find("5 个字段"), std::string::npos) << invalid.out;
  std::filesystem::remove(config);
}
