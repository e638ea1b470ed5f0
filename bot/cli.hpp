// The `yimei` command line (CLI11): subcommands, common options and exit codes of
// docs/spec/interfaces.md. Returns the process exit status.
#pragma once

#include <vector>

#include "bot/platform.hpp"

namespace yimei::bot {

// Exit codes fixed by interfaces.md.
enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 2,
  kExitInvalidInput = 3,
  kExitDependency = 4,
};

// `platforms` are the chat adapters linked into the executable (bot/main.cpp), used by `serve`
// and `push`.
int run_cli(int argc, char** argv, std::vector<PlatformFactory> platforms = {});

}  // namespace yimei::bot
