// CliContext: configuration, logging set-up and the common options shared by subcommands.
#include "bot/cli_context.hpp"

#include <cstdlib>

#include <CLI/CLI.hpp>

#include "bot/logging.hpp"

namespace yimei::bot {

const Config& CliContext::config(const CommonOptions& o) {
  if (!config_) {
    ConfigSources src;
    src.toml_file = o.config_file;
    config_ = Config::load(src);
    setup_logging(config_->get("YIMEI_LOG_LEVEL"), config_->get("YIMEI_LOG_FORMAT"));
  }
  return *config_;
}

Outcome<Date> CliContext::as_of(const CommonOptions& o) {
  if (o.as_of.empty()) return today_in(config(o).timezone());
  auto d = parse_date(o.as_of);
  if (!d) return bad_input("--as-of 应为 YYYY-MM-DD 格式的有效日期: " + o.as_of);
  return *d;
}

Outcome<std::map<std::string, std::string>> CliContext::params(const CommonOptions& o) {
  std::map<std::string, std::string> out;
  for (const auto& p : o.params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) return bad_input("--param 应为 key=value: " + p);
    out[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return out;
}

void add_common_options(CLI::App& sub, CommonOptions& o) {
  sub.add_option("--config", o.config_file, "TOML configuration file (default: yimei.toml)");
  sub.add_option("--as-of", o.as_of, "reference date YYYY-MM-DD (default: today)");
  sub.add_option("--format", o.format, "output format")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  sub.add_option("--chart", o.chart_file, "write the answer's chart to this PNG file");
  sub.add_option("--param", o.params, "parameter key=value (repeatable)");
}

entry::Actor CliContext::actor() {
  entry::Actor a;
  a.platform = "cli";
  const char* login = std::getenv("USER");
  a.user_id = login && *login ? login : "cli";
  a.role = entry::Role::Admin;
  return a;
}

}  // namespace yimei::bot
