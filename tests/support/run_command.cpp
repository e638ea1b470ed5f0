// popen-based command runner for the end-to-end CLI tests.
#include "tests/support/run_command.hpp"

#include <sys/wait.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
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

CommandResult run_command_split(const std::string& command_line) {
  static int counter = 0;
  const std::filesystem::path err_file =
      std::filesystem::temp_directory_path() /
      ("yimei_test_err_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  CommandResult r = run_command("{ " + command_line + "; } 2>'" + err_file.string() + "'");
  if (FILE* e = std::fopen(err_file.c_str(), "r")) {
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), e)) > 0) r.err.append(buf.data(), n);
    std::fclose(e);
  }
  std::filesystem::remove(err_file);
  return r;
}

}  // namespace yimei::test
