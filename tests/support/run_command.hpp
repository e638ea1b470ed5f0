// Runs a shell command line (the `yimei` binary in end-to-end tests) and captures its standard
// output and exit status. Callers redirect stderr in the command line as they need.
#pragma once

#include <string>

namespace yimei::test {

struct CommandResult {
  int status = -1;  // the exit status; -1 when the process did not exit normally
  std::string out;  // standard output
  std::string err;  // standard error (run_command_split only)
};

CommandResult run_command(const std::string& command_line);
// The same with standard error captured apart into `err` (the command line must not redirect
// stderr itself).
CommandResult run_command_split(const std::string& command_line);

}  // namespace yimei::test
