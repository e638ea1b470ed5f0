// Configuration loading: defaults < TOML file < .env < environment, each value validated by
// the row of kSettings that names it.
#include "bot/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/date.hpp"

extern char** environ;

namespace yimei::bot {

namespace {

using Validator = std::function<std::string(const std::string&)>;  // "" = valid, else reason

Validator int_range(long lo, long hi) {
  return [lo, hi](const std::string& v) -> std::string {
    try {
      std::size_t pos = 0;
      const long n = std::stol(v, &pos);
      if (pos != v.size()) return "不是整数: \"" + v + "\"";
      if (n < lo || n > hi)
        return "超出范围 " + std::to_string(lo) + "..." + std::to_string(hi) + ": " + v;
      return "";
    } catch (const std::exception&) {
      return "不是整数: \"" + v + "\"";
    }
  };
}

Validator one_of(std::vector<std::string> options) {
  return [options](const std::string& v) -> std::string {
    if (std::find(options.begin(), options.end(), v) != options.end()) return "";
    std::string all;
    for (const auto& o : options) all += (all.empty() ? "" : ", ") + o;
    return "取值应为 " + all + "，实际为 \"" + v + "\"";
  };
}

std::string any_value(const std::string&) {
  return "";
}

std::string http_url(const std::string& v) {
  if (v.rfind("http://", 0) == 0 || v.rfind("https://", 0) == 0) return "";
  return "应为 http:// 或 https:// 开头的地址: \"" + v + "\"";
}

std::string host_port(const std::string& v) {
  const auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) return "应为 地址:端口，如 127.0.0.1:8080";
  return int_range(1, 65535)(v.substr(colon + 1));
}

std::string time_zone(const std::string& v) {
  return is_valid_time_zone(v) ? "" : "未知时区: \"" + v + "\"";
}

std::string wecom_aes_key(const std::string& v) {
  return v.size() == 43 ? "" : "EncodingAESKey 应为 43 个字符，实际 " + std::to_string(v.size());
}

std::string identifier(const std::string& v) {
  const bool ok = !v.empty() && v.size() <= 64 && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  });
  return ok ? "" : "数据库名只能包含字母、数字和下划线: \"" + v + "\"";
}

struct Setting {
  const char* variable;
  const char* toml_key;  // "section.key"
  const char* fallback;
  Validator validate;
  bool secret = false;
};

const std::vector<Setting>& settings() {
  static const std::vector<Setting> kSettings = {
      {"DB_HOST", "db.host", "127.0.0.1", any_value},
      {"DB_PORT", "db.port", "3306", int_range(1, 65535)},
      {"DB_SOCKET", "db.socket", "", any_value},
      {"DB_NAME", "db.name", "medical_cosmetics", identifier},
      {"DB_USER", "db.user", "root", any_value},
      {"DB_PASSWORD", "db.password", "", any_value, true},
      {"DB_READONLY_USER", "db.readonly_user", "", any_value},
      {"DB_READONLY_PASSWORD", "db.readonly_password", "", any_value, true},
      {"DB_POOL_SIZE", "db.pool_size", "8", int_range(1, 256)},
      {"DB_CONNECT_TIMEOUT", "db.connect_timeout_s", "5", int_range(1, 120)},
      {"DB_READ_TIMEOUT", "db.read_timeout_s", "30", int_range(1, 3600)},
      {"YIMEI_LISTEN", "service.listen", "127.0.0.1:8080", host_port},
      {"YIMEI_API_TOKEN", "service.api_token", "", any_value, true},
      {"YIMEI_WORKERS", "service.workers", "4", int_range(1, 64)},
      {"YIMEI_WORKER_QUEUE", "service.worker_queue", "512", int_range(1, 100000)},
      {"YIMEI_WORKER_NICE", "service.worker_nice", "10", int_range(0, 19)},
      {"YIMEI_INTAKE_WRITERS", "service.intake_writers", "2", int_range(1, 16)},
      {"YIMEI_TIMEZONE", "service.timezone", "Asia/Shanghai", time_zone},
      {"YIMEI_ADMINS", "service.admins", "", any_value},
      {"YIMEI_LOG_LEVEL", "log.level", "info", one_of({"trace", "debug", "info", "warn", "error"})},
      {"YIMEI_LOG_FORMAT", "log.format", "text", one_of({"text", "json"})},
      {"YIMEI_VIP_LEVELS", "analysis.vip_levels", "金卡,钻石", any_value},
      {"YIMEI_RATE_LIMIT_PER_MIN", "chat.rate_limit_per_min", "20", int_range(0, 10000)},
      {"YIMEI_RATE_LIMIT_BURST", "chat.rate_limit_burst", "10", int_range(1, 10000)},
      {"YIMEI_PREVIEW_TTL_S", "chat.preview_ttl_s", "300", int_range(10, 86400)},
      {"YIMEI_UNDO_WINDOW_S", "chat.undo_window_s", "1800", int_range(0, 604800)},
      {"YIMEI_WRITE_AT_ONCE_ROLES", "chat.write_at_once_roles", "", any_value},
      {"YIMEI_ADMIN_CONTACT", "chat.admin_contact", "", any_value},
      {"YIMEI_BALANCE_VALIDITY_DAYS", "entry.balance_validity_days", "365", int_range(1, 3650)},
      {"YIMEI_ROW_CAP", "text2sql.row_cap", "200", int_range(1, 10000)},
      {"YIMEI_STATEMENT_TIMEOUT_MS", "text2sql.statement_timeout_ms", "5000",
       int_range(100, 600000)},
      {"YIMEI_PUSH_GRACE_S", "scheduler.push_grace_s", "3600", int_range(0, 604800)},
      {"YIMEI_ALERT_QUIET_S", "scheduler.alert_quiet_s", "86400", int_range(0, 31536000)},
      {"YIMEI_EXPORT_ROW_CAP", "export.row_cap", "10000", int_range(1, 100000)},
      {"OPENAI_API_KEY", "openai.api_key", "", any_value, true},
      {"OPENAI_BASE_URL", "openai.base_url", "https://api.openai.com/v1", http_url},
      {"OPENAI_MODEL", "openai.model", "gpt-4o-mini", any_value},
      {"OPENAI_TIMEOUT_MS", "openai.timeout_ms", "20000", int_range(100, 600000)},
      {"WECOM_CORP_ID", "wecom.corp_id", "", any_value},
      {"WECOM_TOKEN", "wecom.token", "", any_value, true},
      {"WECOM_AES_KEY", "wecom.aes_key", "", wecom_aes_key, true},
      {"WECOM_AGENT_ID", "wecom.agent_id", "", any_value},
      {"WECOM_SECRET", "wecom.secret", "", any_value, true},
      {"WECOM_API_BASE", "wecom.api_base", "https://qyapi.weixin.qq.com", http_url},
      {"WECOM_TIMESTAMP_WINDOW", "wecom.timestamp_window_s", "300", int_range(1, 86400)},
      {"WECOM_ROBOT_MARKDOWN_V2", "wecom.robot_markdown_v2", "0", one_of({"0", "1"})},
      {"DINGTALK_APP_KEY", "dingtalk.app_key", "", any_value},
      {"DINGTALK_APP_SECRET", "dingtalk.app_secret", "", any_value, true},
      {"DINGTALK_ROBOT_CODE", "dingtalk.robot_code", "", any_value},
      {"DINGTALK_API_BASE", "dingtalk.api_base", "https://api.dingtalk.com", http_url},
      {"DINGTALK_OAPI_BASE", "dingtalk.oapi_base", "https://oapi.dingtalk.com", http_url},
      {"DINGTALK_STREAM", "dingtalk.stream", "0", one_of({"0", "1"})},
  };
  return kSettings;
}

const Setting* find_by_variable(const std::string& v) {
  for (const auto& s : settings())
    if (v == s.variable) return &s;
  return nullptr;
}

const Setting* find_by_toml(const std::string& k) {
  for (const auto& s : settings())
    if (k == s.toml_key) return &s;
  return nullptr;
}

bool has_our_prefix(const std::string& v) {
  for (const char* p : {"DB_", "YIMEI_", "OPENAI_", "WECOM_", "DINGTALK_"})
    if (v.rfind(p, 0) == 0) return true;
  return false;
}

// TOML scalars as the same text an environment variable would carry.
std::optional<std::string> scalar_text(const toml::node& n) {
  if (auto s = n.value<std::string>()) return *s;
  if (n.is_integer()) return std::to_string(*n.value<std::int64_t>());
  if (n.is_floating_point()) {  // e.g. a push job's drop_ratio = 0.2, as "0.2" (15 digits)
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", *n.value<double>());
    return std::string(buf);
  }
  if (n.is_boolean()) return *n.value<bool>() ? "1" : "0";
  if (auto a = n.as_array()) {  // lists: "a,b,c"
    std::string out;
    for (const auto& e : *a) {
      auto t = e.value<std::string>();
      if (!t) return std::nullopt;
      out += (out.empty() ? "" : ",") + *t;
    }
    return out;
  }
  return std::nullopt;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  const auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

void read_push_jobs(const toml::array& jobs, const std::string& file,
                    std::vector<PushJobConfig>& out, std::vector<ConfigProblem>& problems) {
  int index = 0;
  for (const auto& node : jobs) {
    const std::string where = "push[" + std::to_string(index++) + "]";
    const toml::table* t = node.as_table();
    if (!t) {
      problems.push_back({file, where, "应为表 [[push]]"});
      continue;
    }
    PushJobConfig job;
    for (const auto& [k, v] : *t) {
      const std::string key(k.str());
      if (key == "params") {
        if (const auto* p = v.as_table()) {
          for (const auto& [pk, pv] : *p) {
            auto text = scalar_text(pv);
            if (text)
              job.params[std::string(pk.str())] = *text;
            else
              problems.push_back(
                  {file, where + ".params." + std::string(pk.str()), "不支持的取值类型"});
          }
        } else {
          problems.push_back({file, where + ".params", "应为表"});
        }
      } else if (key == "targets") {
        const auto* a = v.as_array();
        if (!a) {
          problems.push_back({file, where + ".targets", "应为字符串数组"});
          continue;
        }
        for (const auto& e : *a)
          if (auto s = e.value<std::string>())
            job.targets.push_back(*s);
          else
            problems.push_back({file, where + ".targets", "应为字符串数组"});
      } else if (key == "name" || key == "cron" || key == "timezone" || key == "report") {
        auto s = v.value<std::string>();
        if (!s) {
          problems.push_back({file, where + "." + key, "应为字符串"});
          continue;
        }
        (key == "name"       ? job.name
         : key == "cron"     ? job.cron
         : key == "timezone" ? job.timezone
                             : job.report) = *s;
      } else {
        problems.push_back({file, where + "." + key, "未知的配置项"});
      }
    }
    if (job.name.empty()) problems.push_back({file, where + ".name", "缺少任务名"});
    out.push_back(std::move(job));
  }
}

}  // namespace

ConfigErrors::ConfigErrors(std::vector<ConfigProblem> problems)
    : std::runtime_error([&] {
        std::string msg = "配置错误 (configuration errors):\n";
        for (const auto& p : problems)
          msg += "  " + p.source + ": " + p.key + ": " + p.reason + "\n";
        return msg;
      }()),
      problems_(std::move(problems)) {}

Config Config::defaults() {
  Config c;
  for (const auto& s : settings()) c.values_[s.variable] = s.fallback;
  return c;
}

Config Config::load(const ConfigSources& src) {
  Config c = defaults();
  std::vector<ConfigProblem> problems;
  std::map<std::string, std::string> origin;  // variable -> source, for messages

  auto assign = [&](const Setting& s, const std::string& value, const std::string& source,
                    const std::string& key) {
    const std::string reason = value.empty() ? "" : s.validate(value);
    if (!reason.empty()) {
      problems.push_back({source, key, reason});
      return;
    }
    c.values_[s.variable] = value;
    origin[s.variable] = source;
  };

  // 1. TOML file.
  std::string file = src.toml_file;
  if (file.empty() && std::filesystem::exists("yimei.toml")) file = "yimei.toml";
  if (!file.empty()) {
    if (!std::filesystem::exists(file)) {
      problems.push_back({file, "--config", "配置文件不存在"});
    } else {
      try {
        toml::table root = toml::parse_file(file);
        for (const auto& [section, node] : root) {
          const std::string sec(section.str());
          if (sec == "push") {
            if (const auto* a = node.as_array())
              read_push_jobs(*a, file, c.push_jobs_, problems);
            else
              problems.push_back({file, "push", "应写作 [[push]] 数组"});
            continue;
          }
          const toml::table* t = node.as_table();
          if (!t) {
            problems.push_back({file, sec, "未知的配置项（应为小节，如 [db]）"});
            continue;
          }
          for (const auto& [k, v] : *t) {
            const std::string key = sec + "." + std::string(k.str());
            const Setting* s = find_by_toml(key);
            if (!s) {
              problems.push_back({file, key, "未知的配置项"});
              continue;
            }
            auto text = scalar_text(v);
            if (!text)
              problems.push_back({file, key, "不支持的取值类型"});
            else
              assign(*s, *text, file, key);
          }
        }
      } catch (const toml::parse_error& e) {
        std::ostringstream where;
        where << "line " << e.source().begin.line;
        problems.push_back({file, where.str(), std::string(e.description())});
      }
    }
  }

  // 2. .env (KEY=VALUE lines, # comments, optional quotes).
  if (!src.dotenv_file.empty() && std::filesystem::exists(src.dotenv_file)) {
    std::ifstream in(src.dotenv_file);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      line = trim(line);
      if (line.empty() || line[0] == '#') continue;
      if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
      const auto eq = line.find('=');
      if (eq == std::string::npos) {
        problems.push_back({src.dotenv_file, "line " + std::to_string(n), "应为 KEY=VALUE"});
        continue;
      }
      const std::string key = trim(line.substr(0, eq));
      std::string value = trim(line.substr(eq + 1));
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front())
        value = value.substr(1, value.size() - 2);
      if (const Setting* s = find_by_variable(key))
        assign(*s, value, src.dotenv_file, key);
      else if (has_our_prefix(key))
        problems.push_back({src.dotenv_file, key, "未知的配置项"});
    }
  }

  // 3. The environment wins.
  auto from_env = [&](const std::string& name, const std::string& value) {
    if (const Setting* s = find_by_variable(name)) assign(*s, value, "environment", name);
  };
  if (src.environment) {
    for (const auto& [k, v] : *src.environment) from_env(k, v);
  } else if (src.read_environment) {
    for (char** e = environ; *e; ++e) {
      std::string kv(*e);
      const auto eq = kv.find('=');
      if (eq != std::string::npos) from_env(kv.substr(0, eq), kv.substr(eq + 1));
    }
  }

  // Empty means "use the default" for settings that must have one.
  for (const auto& s : settings())
    if (c.values_[s.variable].empty() && *s.fallback) c.values_[s.variable] = s.fallback;

  if (!problems.empty()) throw ConfigErrors(std::move(problems));
  return c;
}

const std::string& Config::get(const std::string& variable) const {
  static const std::string kEmpty;
  auto it = values_.find(variable);
  return it == values_.end() ? kEmpty : it->second;
}

int Config::get_int(const std::string& variable) const {
  return std::stoi(get(variable));
}

bool Config::get_bool(const std::string& variable) const {
  return get(variable) == "1";
}

std::vector<std::string> Config::get_list(const std::string& variable) const {
  std::vector<std::string> out;
  std::stringstream ss(get(variable));
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

db::DbConfig Config::db() const {
  db::DbConfig d;
  d.host = get("DB_HOST");
  d.socket = get("DB_SOCKET");
  d.port = get_int("DB_PORT");
  d.database = get("DB_NAME");
  d.user = get("DB_USER");
  d.password = get("DB_PASSWORD");
  d.pool_size = static_cast<std::size_t>(get_int("DB_POOL_SIZE"));
  d.connect_timeout_s = get_int("DB_CONNECT_TIMEOUT");
  d.read_timeout_s = get_int("DB_READ_TIMEOUT");
  d.write_timeout_s = get_int("DB_READ_TIMEOUT");
  return d;
}

std::optional<db::DbConfig> Config::readonly_db() const {
  if (!is_set("DB_READONLY_USER")) return std::nullopt;
  db::DbConfig d = db();
  d.user = get("DB_READONLY_USER");
  d.password = get("DB_READONLY_PASSWORD");
  return d;
}

std::map<std::string, std::string> Config::redacted() const {
  std::map<std::string, std::string> out;
  for (const auto& s : settings()) {
    const std::string& v = get(s.variable);
    out[s.variable] = s.secret && !v.empty() ? "***" : v;
  }
  return out;
}

}  // namespace yimei::bot
