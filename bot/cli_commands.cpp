// The list of subcommand registrars: one line per cmd_*.cpp.
#include "bot/cli_context.hpp"

namespace yimei::bot {

void add_db_commands(CLI::App& app, CliContext& ctx);
void add_chat_command(CLI::App& app, CliContext& ctx);
void add_feedback_command(CLI::App& app, CliContext& ctx);
void add_ask_commands(CLI::App& app, CliContext& ctx);
void add_analyze_commands(CLI::App& app, CliContext& ctx);
void add_serve_command(CLI::App& app, CliContext& ctx);
void add_push_command(CLI::App& app, CliContext& ctx);

const std::vector<CommandRegistrar>& command_registrars() {
  static const std::vector<CommandRegistrar> kAll = {
      add_db_commands,      add_chat_command,  add_feedback_command, add_ask_commands,
      add_analyze_commands, add_serve_command, add_push_command,
  };
  return kAll;
}

}  // namespace yimei::bot
