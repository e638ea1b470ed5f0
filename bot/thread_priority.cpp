#include "bot/thread_priority.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace yimei::bot {

namespace {
id_t thread_id() {
  return static_cast<id_t>(::syscall(SYS_gettid));
}
}  // namespace

int thread_nice_value() {
  errno = 0;
  return ::getpriority(PRIO_PROCESS, thread_id());
}

int lower_thread_priority(int increment) {
  const int current = thread_nice_value();
  if (increment <= 0) return current;
  const int wanted = std::min(current + increment, 19);
  if (::setpriority(PRIO_PROCESS, thread_id(), wanted) != 0) {
    spdlog::warn("cannot lower a thread's priority to nice {}: {}", wanted, std::strerror(errno));
    return current;
  }
  return wanted;
}

}  // namespace yimei::bot
