// Per-user rate limit: a token bucket per key (platform:user), refilled continuously. The
// state is per instance (a limit against floods, not an exact global quota). Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace yimei::bot {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // `per_minute` messages a minute with bursts of up to `burst`; per_minute 0 disables it.
  RateLimiter(int per_minute, int burst) : per_minute_(per_minute), burst_(burst) {}

  // True when the key may go on now (and takes a token).
  bool allow(const std::string& key, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  int per_minute_;
  int burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace yimei::bot
