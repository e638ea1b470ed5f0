// Push job validation: every problem of every job is collected, then reported at once.
#include "bot/push_jobs.hpp"

#include <chrono>
#include <set>

#include "core/date.hpp"
#include "core/report/report.hpp"

namespace yimei::bot {
namespace {

struct TargetKind {
  const char* prefix;  // "wecom-robot:"
  const char* platform;
  const char* target_prefix;  // "robot:"
  bool is_user;
  const char* what_zh;
};

constexpr TargetKind kTargetKinds[] = {
    {"wecom-robot:", "wecom", "robot:", false, "企业微信群机器人的 webhook key"},
    {"wecom-user:", "wecom", "user:", true, "企业微信用户ID"},
    {"wecom-party:", "wecom", "party:", false, "企业微信部门ID"},
    {"dingtalk-robot:", "dingtalk", "robot:", false, "钉钉群机器人的 access_token"},
    {"dingtalk-user:", "dingtalk", "user:", true, "钉钉用户ID"},
    {"dingtalk-group:", "dingtalk", "group:", false, "钉钉群会话ID"},
};

constexpr std::size_t kMaxTargetLength = 240;  // bot_outbox.target is VARCHAR(255)
constexpr std::size_t kMaxJobName = 64;        // bot_schedule_slots.job_name

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool has_space_or_control(std::string_view s) {
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7F) return true;
  return false;
}

std::string shorten(std::string_view secret) {
  if (secret.size() <= 6) return std::string(secret.substr(0, 2)) + "…";
  return std::string(secret.substr(0, 4)) + "…";
}

}  // namespace

std::string PushTarget::display() const {
  const auto colon = spec.find(':');
  if (is_user || colon == std::string::npos) return spec;
  const bool secret = spec.rfind("wecom-robot:", 0) == 0 || spec.rfind("dingtalk-robot:", 0) == 0;
  return secret ? spec.substr(0, colon + 1) + shorten(std::string_view(spec).substr(colon + 1))
                : spec;
}

Outcome<PushTarget> parse_push_target(std::string_view spec) {
  for (const TargetKind& k : kTargetKinds) {
    const std::string_view prefix = k.prefix;
    if (spec.substr(0, prefix.size()) != prefix) continue;
    const std::string_view id = spec.substr(prefix.size());
    if (id.empty()) return bad_input("推送目标「" + std::string(spec) + "」缺少" + k.what_zh);
    if (has_space_or_control(id))
      return bad_input("推送目标「" + std::string(spec) + "」的" + k.what_zh + "不能含有空白字符");
    if (spec.size() > kMaxTargetLength)
      return bad_input("推送目标「" + std::string(spec.substr(0, 40)) + "…」过长");
    if (std::string_view(k.platform) == "dingtalk" &&
        std::string_view(k.target_prefix) == "robot:") {
      // TOKEN[:SECRET]: both parts non-empty.
      const auto colon = id.find(':');
      if (colon == 0 ||
          (colon != std::string_view::npos &&
           (colon + 1 == id.size() || id.find(':', colon + 1) != std::string_view::npos)))
        return bad_input("推送目标「" + std::string(spec) +
                         "」应写作 dingtalk-robot:TOKEN 或 dingtalk-robot:TOKEN:SECRET");
    } else if (id.find(':') != std::string_view::npos) {
      return bad_input("推送目标「" + std::string(spec) + "」的" + k.what_zh + "不能含有冒号");
    }
    PushTarget t;
    t.spec = std::string(spec);
    t.platform = k.platform;
    t.target = std::string(k.target_prefix) + std::string(id);
    t.is_user = k.is_user;
    if (k.is_user) t.user_id = std::string(id);
    return t;
  }
  return bad_input("无法识别的推送目标「" + std::string(spec) +
                   "」：应为 wecom-robot:KEY、wecom-user:ID、wecom-party:ID、"
                   "dingtalk-robot:TOKEN[:SECRET]、dingtalk-user:ID 或 dingtalk-group:ID");
}

std::vector<std::string> validate_push_job(const PushJobConfig& cfg,
                                           const std::string& default_zone,
                                           const std::string& vip_levels,
                                           std::optional<PushJob>& out) {
  std::vector<std::string> problems;
  out.reset();
  if (cfg.name.empty()) problems.push_back("缺少任务名 name");
  if (utf8_length(cfg.name) > kMaxJobName)
    problems.push_back("任务名不能超过 " + std::to_string(kMaxJobName) + " 个字符");

  std::optional<schedule::CronExpr> cron;
  if (cfg.cron.empty()) {
    problems.push_back("缺少 cron 表达式（如 \"0 9 * * *\"）");
  } else if (auto parsed = schedule::CronExpr::parse(cfg.cron); !parsed) {
    problems.push_back(parsed.error().message);
  } else {
    cron = parsed.value();
  }

  const std::string zone = cfg.timezone.empty() ? default_zone : cfg.timezone;
  const bool zone_ok = is_valid_time_zone(zone);
  if (!zone_ok) problems.push_back("未知时区「" + zone + "」");
  if (cron && zone_ok && !schedule::next_fire_time(*cron, zone, std::chrono::system_clock::now()))
    problems.push_back("cron 表达式「" + cfg.cron + "」在十年内不会触发");

  std::map<std::string, std::string> params = cfg.params;
  if (cfg.report.empty()) {
    problems.push_back("缺少报表名 report，可用的报表：" + report::report_names_zh());
  } else if (const report::ReportInfo* info = report::find_report(cfg.report); !info) {
    problems.push_back("未知的报表「" + cfg.report + "」，可用的报表：" +
                       report::report_names_zh());
  } else {
    for (const auto& p : info->params)
      if (p.key == "vip_levels" && !params.count("vip_levels") && !vip_levels.empty())
        params["vip_levels"] = vip_levels;
    if (auto resolved = report::resolve_params(*info, params); !resolved)
      problems.push_back(resolved.error().message);
  }

  std::vector<PushTarget> targets;
  std::set<std::string> seen;
  if (cfg.targets.empty()) problems.push_back("没有推送目标 targets");
  for (const auto& spec : cfg.targets) {
    auto t = parse_push_target(spec);
    if (!t) {
      problems.push_back(t.error().message);
    } else if (!seen.insert(t->platform + "|" + t->target).second) {
      problems.push_back("推送目标「" + t->display() + "」重复");
    } else {
      targets.push_back(std::move(t.value()));
    }
  }
  if (!problems.empty()) return problems;
  out = PushJob{cfg.name, *cron, zone, cfg.report, std::move(params), std::move(targets)};
  return problems;
}

std::vector<PushJob> load_push_jobs(const Config& config) {
  std::vector<PushJob> jobs;
  std::vector<ConfigProblem> problems;
  std::set<std::string> names;
  int index = 0;
  for (const PushJobConfig& cfg : config.push_jobs()) {
    const std::string key =
        cfg.name.empty() ? "push[" + std::to_string(index) + "]" : "push." + cfg.name;
    ++index;
    if (!cfg.name.empty() && !names.insert(cfg.name).second) {
      problems.push_back({"[[push]]", key, "任务名「" + cfg.name + "」重复"});
      continue;
    }
    std::optional<PushJob> job;
    for (auto& reason :
         validate_push_job(cfg, config.timezone(), config.get("YIMEI_VIP_LEVELS"), job))
      problems.push_back({"[[push]]", key, std::move(reason)});
    if (job) jobs.push_back(std::move(*job));
  }
  if (!problems.empty()) throw ConfigErrors(std::move(problems));
  return jobs;
}

}  // namespace yimei::bot
