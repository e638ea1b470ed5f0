// Shared state of one `yimei` invocation: the chosen subcommand's action, the common options
// of interfaces.md, and the lazily loaded configuration. Each cmd_*.cpp registers its
// subcommands through a CommandRegistrar listed in cli_commands.cpp.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/config.hpp"
#include "bot/platform.hpp"
#include "core/date.hpp"
#include "core/entry/actor.hpp"
#include "core/error.hpp"

namespace CLI {
class App;
}

namespace yimei::bot {

struct CommonOptions {
  std::string config_file;
  std::string as_of;                // YYYY-MM-DD; empty = today in YIMEI_TIMEZONE
  std::string format = "text";      // text | markdown | json
  std::string chart_file;           // write the answer's chart here
  std::vector<std::string> params;  // key=value
};

class CliContext {
 public:
  // Set by the selected subcommand's parse callback; returns the exit status.
  std::function<int()> action;
  // The chat adapters linked into the executable; each returns nullptr when not configured.
  std::vector<PlatformFactory> platforms;
  int run() { return action ? action() : 0; }

  // Loads the configuration (once) from --config, .env and the environment; also sets up
  // logging. Throws ConfigErrors.
  const Config& config(const CommonOptions& o);
  // The reference date: --as-of, else today in the configured time zone. Outcome error for a
  // malformed date.
  Outcome<Date> as_of(const CommonOptions& o);
  // --param key=value pairs; Outcome error for an item without '='.
  static Outcome<std::map<std::string, std::string>> params(const CommonOptions& o);
  // Who the command line acts as in audit rows: platform "cli", the login name ($USER), admin
  // (whoever runs the binary with the database credentials may do anything).
  static entry::Actor actor();

 private:
  std::optional<Config> config_;
};

// Adds --config, --as-of, --format, --chart and --param to a subcommand.
void add_common_options(CLI::App& sub, CommonOptions& o);

using CommandRegistrar = std::function<void(CLI::App&, CliContext&)>;
const std::vector<CommandRegistrar>& command_registrars();

}  // namespace yimei::bot
