// popen-based command runner for the end-to-end CLI tests.
#include "tests/support/run_command.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace yimei::test {

CommandResult run_command(const std::string& command_line) {
  FILE* p = popen(command_line.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + command_line);
  CommandResult r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int rc = pclose(p);
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return r;
}

}  // namespace yimei::test
