// The service configuration of docs/spec/interfaces.md: a TOML file, a `.env` file in the
// working directory and the environment, the environment winning over `.env` over the file.
// Every setting has one row in the table of config.cpp (its variable, TOML key, validator,
// default and whether it is a secret). Loading collects every problem with its source, key and
// reason and throws ConfigErrors (exit 2). Immutable after load; thread-safe to read.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/db/db_config.hpp"

namespace yimei::bot {

struct ConfigProblem {
  std::string source;  // file path, ".env" path or "environment"
  std::string key;
  std::string reason;
};

class ConfigErrors : public std::runtime_error {
 public:
  explicit ConfigErrors(std::vector<ConfigProblem> problems);
  const std::vector<ConfigProblem>& problems() const { return problems_; }

 private:
  std::vector<ConfigProblem> problems_;
};

// One [[push]] job as written; the scheduler validates cron, report and targets.
struct PushJobConfig {
  std::string name;
  std::string cron;
  std::string timezone;
  std::string report;
  std::map<std::string, std::string> params;
  std::vector<std::string> targets;
};

struct ConfigSources {
  std::string toml_file;  // empty: `yimei.toml` when it exists
  std::string dotenv_file = ".env";
  bool read_environment = true;
  // For tests: variables that stand in for the process environment.
  std::optional<std::map<std::string, std::string>> environment;
};

class Config {
 public:
  static Config load(const ConfigSources& sources);
  // Defaults only (no file, no environment): for tests.
  static Config defaults();

  // The value of a setting by its variable name (e.g. "DB_PORT"); "" when unset.
  const std::string& get(const std::string& variable) const;
  bool is_set(const std::string& variable) const { return !get(variable).empty(); }
  int get_int(const std::string& variable) const;
  bool get_bool(const std::string& variable) const;
  std::vector<std::string> get_list(const std::string& variable) const;

  db::DbConfig db() const;
  // The SELECT-only account for Text2SQL; nullopt when DB_READONLY_USER is unset.
  std::optional<db::DbConfig> readonly_db() const;
  const std::string& timezone() const { return get("YIMEI_TIMEZONE"); }
  const std::vector<PushJobConfig>& push_jobs() const { return push_jobs_; }
  // Every setting with secrets replaced by "***" (for `--print-config` and start-up logs).
  std::map<std::string, std::string> redacted() const;

 private:
  std::map<std::string, std::string> values_;
  std::vector<PushJobConfig> push_jobs_;
};

}  // namespace yimei::bot
