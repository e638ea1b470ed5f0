// Runs the real `yimei serve` binary as a child process for end-to-end tests: its own
// environment (DB_*, YIMEI_LISTEN on a free loopback port, platform settings), waits until
// /healthz answers, and stops it with a signal, reporting the exit status and how long the
// shutdown took. The child's log goes to a file the test can read.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace yimei::test {

// A TCP port on 127.0.0.1 that was free a moment ago.
std::uint16_t free_loopback_port();

class ServeProcess {
 public:
  // Starts `yimei serve` with the current environment plus `env` (which wins). Fails the test
  // (ADD_FAILURE) and leaves running() false when /healthz does not answer 200 within
  // `ready_timeout`. `extra_args` follow `serve` on the command line (e.g. --config FILE).
  explicit ServeProcess(std::map<std::string, std::string> env,
                        std::chrono::milliseconds ready_timeout = std::chrono::seconds(20),
                        std::vector<std::string> extra_args = {});
  // Sends SIGKILL when still running.
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool running() const { return pid_ > 0; }
  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& log_path() const { return log_path_; }
  std::string log() const;

  struct Exit {
    int status = -1;  // exit status, or -1 when killed by a signal / still running
    std::chrono::milliseconds took{0};
  };
  // Sends `signal` and waits up to `timeout` for the process to end (then SIGKILL).
  Exit stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(15));

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string log_path_;
};

}  // namespace yimei::test
