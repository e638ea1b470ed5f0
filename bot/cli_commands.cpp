// The list of subcommand registrars: one line per cmd_*.cpp.
#include "bot/cli_context.hpp"

namespace yimei::bot {

void add_db_commands(CLI::App& app, CliContext& ctx);

const std::vector<CommandRegistrar>& command_registrars() {
  static const std::vector<CommandRegistrar> kAll = {
      add_db_commands,
  };
  return kAll;
}

}  // namespace yimei::bot
