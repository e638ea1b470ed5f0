// Client-side send quotas of WeCom (20 messages a minute per group robot, 30 a minute per app
// recipient): a sliding window per key that never lets more than `limit` sends into any
// `window`, because WeCom silently drops (app) or throttles (robot) what goes over. The state
// is per process, not shared between instances. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace yimei::wecom {

class SendLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  SendLimiter(std::size_t limit, std::chrono::milliseconds window)
      : limit_(limit), window_(window) {}

  // Takes `n` sends for `key` when they all fit in the window now; false (nothing taken)
  // otherwise. n == 0 always succeeds.
  bool try_acquire(const std::string& key, std::size_t n = 1, Clock::time_point now = Clock::now());
  // Sends `key` may still make now.
  std::size_t available(const std::string& key, Clock::time_point now = Clock::now());
  std::size_t limit() const { return limit_; }

 private:
  void prune(std::deque<Clock::time_point>& sent, Clock::time_point now) const;

  const std::size_t limit_;
  const std::chrono::milliseconds window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> sent_;
  std::size_t calls_ = 0;  // forgets idle keys every so often
};

}  // namespace yimei::wecom
