// Push job validation at start-up: targets and their outbox mapping, every kind of invalid job
// rejected with its name and reason (ConfigErrors), and the report catalog's parameter checks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "bot/push_jobs.hpp"
#include "bot/scheduler.hpp"
#include "core/report/report.hpp"

using namespace yimei;
using namespace yimei::bot;

namespace {

PushJobConfig job(std::string name, std::string cron, std::string report,
                  std::vector<std::string> targets, std::string zone = "",
                  std::map<std::string, std::string> params = {}) {
  return {std::move(name),   std::move(cron),   std::move(zone),
          std::move(report), std::move(params), std::move(targets)};
}

// The reasons validate_push_job gives, joined.
std::string reasons(const PushJobConfig& cfg) {
  std::optional<PushJob> out;
  std::string all;
  for (const auto& r : validate_push_job(cfg, "Asia/Shanghai", "金卡,钻石", out)) all += r + "|";
  if (all.empty()) {
    EXPECT_TRUE(out.has_value());
  }
  if (!all.empty()) {
    EXPECT_FALSE(out.has_value());
  }
  return all;
}

}  // namespace

TEST(PushTargets, MapToOutboxPlatformAndTarget) {
  struct Case {
    const char* spec;
    const char* platform;
    const char* target;
    bool is_user;
  } cases[] = {
      {"wecom-robot:abc-123", "wecom", "robot:abc-123", false},
      {"wecom-user:zhangsan", "wecom", "user:zhangsan", true},
      {"wecom-party:42", "wecom", "party:42", false},
      {"dingtalk-robot:tok", "dingtalk", "robot:tok", false},
      {"dingtalk-robot:tok:SEC123", "dingtalk", "robot:tok:SEC123", false},
      {"dingtalk-user:u1", "dingtalk", "user:u1", true},
      {"dingtalk-group:cid9", "dingtalk", "group:cid9", false},
  };
  for (const auto& c : cases) {
    auto t = parse_push_target(c.spec);
    ASSERT_TRUE(t) << c.spec << ": " << t.error().message;
    EXPECT_EQ(t->platform, c.platform) << c.spec;
    EXPECT_EQ(t->target, c.target) << c.spec;
    EXPECT_EQ(t->is_user, c.is_user) << c.spec;
    if (c.is_user) {
      EXPECT_EQ("user:" + t->user_id, c.target);
    }
  }
}

TEST(PushTargets, RejectsMalformedTargets) {
  for (const char* spec :
       {"wecom-robot:", "wecom-user:a b", "slack:x", "wecom:abc", "", "dingtalk-robot::sec",
        "dingtalk-robot:tok:", "dingtalk-robot:a:b:c", "wecom-user:a:b"}) {
    auto t = parse_push_target(spec);
    EXPECT_FALSE(t) << spec;
    if (!t) {
      EXPECT_EQ(t.error().kind, ErrorKind::BadInput);
    }
  }
}

TEST(PushTargets, DisplayShortensRobotKeysOnly) {
  EXPECT_EQ(parse_push_target("wecom-robot:0123456789abcdef")->display(), "wecom-robot:0123…");
  EXPECT_EQ(parse_push_target("dingtalk-robot:tok9999:secret")->display(), "dingtalk-robot:tok9…");
  EXPECT_EQ(parse_push_target("wecom-user:zhangsan")->display(), "wecom-user:zhangsan");
}

TEST(PushJobs, AValidJobGetsTheDefaultZoneAndVipLevels) {
  std::optional<PushJob> out;
  auto problems = validate_push_job(
      job("vip", "0 9 * * 1", "alert-vip-gone", {"wecom-robot:k1", "wecom-user:boss"}),
      "Asia/Shanghai", "金卡,钻石", out);
  ASSERT_TRUE(problems.empty()) << problems.front();
  ASSERT_TRUE(out);
  EXPECT_EQ(out->timezone, "Asia/Shanghai");
  EXPECT_EQ(out->params.at("vip_levels"), "金卡,钻石");
  EXPECT_EQ(out->cron.text(), "0 9 * * 1");
  ASSERT_EQ(out->targets.size(), 2u);
  EXPECT_EQ(out->targets[1].target, "user:boss");
  // A report without vip_levels does not get it.
  auto daily = validate_push_job(job("d", "0 9 * * *", "daily-summary", {"wecom-party:1"}, "UTC"),
                                 "Asia/Shanghai", "金卡", out);
  ASSERT_TRUE(daily.empty());
  EXPECT_TRUE(out->params.empty());
  EXPECT_EQ(out->timezone, "UTC");
}

TEST(PushJobs, EachProblemHasItsReason) {
  EXPECT_NE(reasons(job("a", "0 9 * *", "daily-summary", {"wecom-party:1"})).find("5 个字段"),
            std::string::npos);
  EXPECT_NE(reasons(job("a", "", "daily-summary", {"wecom-party:1"})).find("缺少 cron"),
            std::string::npos);
  EXPECT_NE(reasons(job("a", "0 9 * * *", "daily-summary", {"wecom-party:1"}, "Mars/Base"))
                .find("未知时区"),
            std::string::npos);
  EXPECT_NE(reasons(job("a", "0 9 * * *", "monthly-summary", {"wecom-party:1"}))
                .find("未知的报表「monthly-summary」"),
            std::string::npos);
  EXPECT_NE(reasons(job("a", "0 9 * * *", "", {"wecom-party:1"})).find("缺少报表名"),
            std::string::npos);
  EXPECT_NE(reasons(job("a", "0 9 * * *", "daily-summary", {})).find("没有推送目标"),
            std::string::npos);
  EXPECT_NE(reasons(job("a", "0 9 * * *", "daily-summary", {"slack:x"})).find("无法识别的推送目标"),
            std::string::npos);
  EXPECT_NE(reasons(job("a", "0 9 * * *", "daily-summary", {"wecom-user:u", "wecom-user:u"}))
                .find("重复"),
            std::string::npos);
  EXPECT_NE(reasons(job("a", "0 0 30 2 *", "daily-summary", {"wecom-user:u"})).find("不会触发"),
            std::string::npos);
  EXPECT_NE(reasons(job("a", "0 9 * * *", "daily-summary", {"wecom-user:u"}, "", {{"top", "3"}}))
                .find("没有参数 top"),
            std::string::npos);
  EXPECT_NE(reasons(job("a", "0 9 * * *", "alert-department-drop", {"wecom-user:u"}, "",
                        {{"drop_ratio", "1.5"}}))
                .find("drop_ratio"),
            std::string::npos);
  EXPECT_NE(
      reasons(job(std::string(65, 'x'), "0 9 * * *", "daily-summary", {"wecom-user:u"})).find("64"),
      std::string::npos);
  // Several problems of one job are all reported.
  const std::string many = reasons(job("a", "bad", "nope", {}));
  EXPECT_NE(many.find("cron"), std::string::npos);
  EXPECT_NE(many.find("nope"), std::string::npos);
  EXPECT_NE(many.find("targets"), std::string::npos);
}

TEST(PushJobs, LoadRejectsInvalidJobsByNameAtStartUp) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("yimei-push-jobs-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "yimei.toml").string();
  std::ofstream(file) << R"toml(
[[push]]
name = "daily"
cron = "0 9 * * *"
report = "daily-summary"
targets = ["wecom-robot:KEY1"]

[[push]]
name = "broken"
cron = "0 25 * * *"
report = "weekly-summary"
params = { top = 5 }
targets = ["wecom-user:boss"]

[[push]]
name = "daily"
cron = "0 10 * * *"
report = "daily-summary"
targets = ["wecom-party:7"]
)toml";
  ConfigSources src;
  src.toml_file = file;
  src.dotenv_file = (dir / "none.env").string();
  src.environment = std::map<std::string, std::string>{};
  const Config cfg = Config::load(src);
  try {
    load_push_jobs(cfg);
    ADD_FAILURE() << "invalid jobs were accepted";
  } catch (const ConfigErrors& e) {
    ASSERT_EQ(e.problems().size(), 2u) << e.what();
    EXPECT_EQ(e.problems()[0].key, "push.broken");
    EXPECT_NE(e.problems()[0].reason.find("小时"), std::string::npos);
    EXPECT_EQ(e.problems()[1].key, "push.daily");
    EXPECT_NE(e.problems()[1].reason.find("重复"), std::string::npos);
  }
  std::ofstream(file) << R"toml(
[[push]]
name = "weekly"
cron = "30 8 * * MON"
timezone = "UTC"
report = "weekly-summary"
params = { top = 5 }
targets = ["wecom-robot:KEY1", "wecom-user:boss"]

[[push]]
name = "drop"
cron = "0 8 * * *"
report = "alert-department-drop"
params = { drop_ratio = 0.35, min_previous = 1000 }
targets = ["wecom-party:3"]
)toml";
  const auto jobs = load_push_jobs(Config::load(src));
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].params.at("top"), "5");
  EXPECT_EQ(jobs[0].timezone, "UTC");
  EXPECT_EQ(jobs[1].params.at("drop_ratio"), "0.35") << "a TOML float keeps its decimal text";
  EXPECT_EQ(jobs[1].params.at("min_previous"), "1000");
  EXPECT_EQ(jobs[1].timezone, "Asia/Shanghai");
  std::filesystem::remove_all(dir);
}

TEST(PushJobs, SchedulerSettingsComeFromTheConfiguration) {
  ConfigSources src;
  src.dotenv_file = "/nonexistent/.env";
  src.environment = std::map<std::string, std::string>{
      {"YIMEI_PUSH_GRACE_S", "120"}, {"YIMEI_ALERT_QUIET_S", "7200"}, {"YIMEI_ADMINS", "a,b"}};
  const SchedulerOptions o = scheduler_options(Config::load(src));
  EXPECT_EQ(o.grace.count(), 120);
  EXPECT_EQ(o.quiet.count(), 7200);
  EXPECT_EQ(o.admins, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(o.instance_id.empty());
  EXPECT_NE(default_instance_id(), default_instance_id());
  // Defaults: one hour of grace, a day of quiet.
  src.environment = std::map<std::string, std::string>{};
  const SchedulerOptions d = scheduler_options(Config::load(src));
  EXPECT_EQ(d.grace.count(), 3600);
  EXPECT_EQ(d.quiet.count(), 86400);
}

TEST(PushJobs, QuietPeriodIsTheJobParameterOrTheSetting) {
  PushJob j{"a", schedule::CronExpr::parse("@hourly").value(), "UTC", "alert-vip-gone", {}, {}};
  EXPECT_EQ(quiet_period(j, std::chrono::seconds(100)).count(), 100);
  j.params["quiet_hours"] = "2";
  EXPECT_EQ(quiet_period(j, std::chrono::seconds(100)).count(), 7200);
}

TEST(PushReports, CatalogHasTheEightNamesOfTheContract) {
  std::vector<std::string> names;
  for (const auto& r : report::report_catalog()) names.push_back(r.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"daily-summary", "weekly-summary", "department-mtd",
                                      "growth-top3", "expiring-balances", "alert-department-drop",
                                      "alert-vip-gone", "alert-expiring-amount"}));
  int alerts = 0;
  for (const auto& r : report::report_catalog()) alerts += r.is_alert ? 1 : 0;
  EXPECT_EQ(alerts, 3);
}

TEST(PushReports, ParametersAreResolvedWithDefaults) {
  const auto* info = report::find_report("alert-expiring-amount");
  ASSERT_NE(info, nullptr);
  auto p = report::resolve_params(*info, {{"amount", "5000.5"}});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->at("amount"), "5000.5");
  EXPECT_EQ(p->at("days"), "7");
  EXPECT_EQ(p->at("quiet_hours"), "24");
  auto bad = report::resolve_params(*info, {{"amount", "-1"}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("amount"), std::string::npos);
  auto unknown = report::resolve_params(*info, {{"threshold", "1"}});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("到期余额预警"), std::string::npos);
}

TEST(PushTimes, UtcTextRoundTrips) {
  auto t = parse_utc_text("2026-07-01 01:02:03.456");
  ASSERT_TRUE(t);
  EXPECT_EQ(utc_text(*t, true), "2026-07-01 01:02:03.456");
  EXPECT_EQ(utc_text(*t), "2026-07-01 01:02:03");
  EXPECT_EQ(utc_text(*parse_utc_text("2026-07-01 01:02:03.456000")), "2026-07-01 01:02:03");
  EXPECT_FALSE(parse_utc_text("2026-07-01"));
  EXPECT_FALSE(parse_utc_text("2026-07-01 25:00:00"));
}
