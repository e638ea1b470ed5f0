// The [[push]] jobs of the configuration, validated at start-up: cron expression, time zone,
// report name, parameters and targets. A target names where the report goes and maps to an
// outbox (platform, target) pair. Value types and pure functions (load_push_jobs reads only the
// Config); thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/config.hpp"
#include "core/error.hpp"
#include "core/schedule/cron.hpp"

namespace yimei::bot {

// One recipient of a push, e.g. "wecom-robot:KEY".
struct PushTarget {
  std::string spec;      // as configured
  std::string platform;  // outbox platform: "wecom" or "dingtalk"
  std::string target;    // outbox target: "robot:KEY", "user:ID", "party:ID", "group:ID"
  // Users may receive the customer list (when their role allows it); groups, parties and
  // robots get aggregates only.
  bool is_user = false;
  // The user id for the role lookup (is_user only).
  std::string user_id;
  // The spec with its secret part shortened, for listings and logs ("wecom-robot:ab12…").
  std::string display() const;
};

// Parses wecom-robot:KEY, wecom-user:ID, wecom-party:ID, dingtalk-robot:TOKEN[:SECRET],
// dingtalk-user:ID and dingtalk-group:ID. BadInput with the reason otherwise.
Outcome<PushTarget> parse_push_target(std::string_view spec);

struct PushJob {
  std::string name;
  schedule::CronExpr cron;
  std::string timezone;  // IANA zone, the job's or YIMEI_TIMEZONE
  std::string report;    // a name of report::report_catalog()
  // As configured, plus vip_levels from YIMEI_VIP_LEVELS when the report takes it and the job
  // does not set it.
  std::map<std::string, std::string> params;
  std::vector<PushTarget> targets;
};

// Validates one job; the reasons (Chinese, one per problem) are empty when it is valid.
// `default_zone` and `vip_levels` are YIMEI_TIMEZONE and YIMEI_VIP_LEVELS.
std::vector<std::string> validate_push_job(const PushJobConfig& job,
                                           const std::string& default_zone,
                                           const std::string& vip_levels,
                                           std::optional<PushJob>& out);

// Every configured job, validated. Throws ConfigErrors naming each invalid job (source "push",
// key = the job's name) with its reason, and duplicate names; the caller exits 2.
std::vector<PushJob> load_push_jobs(const Config& config);

}  // namespace yimei::bot
