// The `yimei` command line (CLI11): subcommands, common options and exit codes of
// docs/spec/interfaces.md. Returns the process exit status.
#pragma once

namespace yimei::bot {

// Exit codes fixed by interfaces.md.
enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 2,
  kExitInvalidInput = 3,
  kExitDependency = 4,
};

int run_cli(int argc, char** argv);

}  // namespace yimei::bot
