// ServeProcess: fork + execve of the yimei binary; readiness by polling GET /healthz with a
// plain blocking socket (no dependency on the code under test).
#include "tests/support/serve_process.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace yimei::test {

namespace {

int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// The status code of GET /healthz, or 0 when nothing answers.
int healthz_status(std::uint16_t port) {
  const int fd = connect_loopback(port);
  if (fd < 0) return 0;
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    ::close(fd);
    return 0;
  }
  char buf[64] = {};
  const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
  ::close(fd);
  int status = 0;
  if (n > 12 && std::sscanf(buf, "HTTP/1.1 %d", &status) == 1) return status;
  return 0;
}

}  // namespace

std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

ServeProcess::ServeProcess(std::map<std::string, std::string> env,
                           std::chrono::milliseconds ready_timeout,
                           std::vector<std::string> extra_args) {
  port_ = free_loopback_port();
  env.try_emplace("YIMEI_LISTEN", "127.0.0.1:" + std::to_string(port_));
  std::map<std::string, std::string> all;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string::npos) all[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [k, v] : env) all[k] = v;
  std::vector<std::string> strings;
  for (auto& [k, v] : all) strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  char tmpl[] = "/tmp/yimei-serve-XXXXXX";
  const int log_fd = ::mkstemp(tmpl);
  log_path_ = tmpl;
  std::string binary = YIMEI_BINARY;
  std::vector<char*> argv{binary.data(), const_cast<char*>("serve")};
  for (auto& a : extra_args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execve(binary.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(log_fd);
  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      ADD_FAILURE() << "yimei serve exited at start-up (status " << status << "):\n" << log();
      pid_ = -1;
      return;
    }
    if (healthz_status(port_) == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "yimei serve did not become healthy in time:\n" << log();
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (!log_path_.empty()) ::unlink(log_path_.c_str());
}

std::string ServeProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ServeProcess::Exit ServeProcess::stop(int signal, std::chrono::milliseconds timeout) {
  Exit out;
  if (pid_ <= 0) return out;
  const auto start = std::chrono::steady_clock::now();
  ::kill(pid_, signal);
  int status = 0;
  for (;;) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) break;
    if (std::chrono::steady_clock::now() - start > timeout) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      status = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  out.took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  out.status = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  pid_ = -1;
  return out;
}

}  // namespace yimei::test
