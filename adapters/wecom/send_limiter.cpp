// A sliding-window log per key: the times of the sends inside the last window.
#include "adapters/wecom/send_limiter.hpp"

namespace yimei::wecom {

void SendLimiter::prune(std::deque<Clock::time_point>& sent, Clock::time_point now) const {
  while (!sent.empty() && now - sent.front() >= window_) sent.pop_front();
}

bool SendLimiter::try_acquire(const std::string& key, std::size_t n, Clock::time_point now) {
  if (n == 0) return true;
  std::lock_guard lock(mu_);
  if (++calls_ % 1024 == 0) {
    for (auto it = sent_.begin(); it != sent_.end();) {
      prune(it->second, now);
      it = it->second.empty() ? sent_.erase(it) : std::next(it);
    }
  }
  auto& sent = sent_[key];
  prune(sent, now);
  if (sent.size() + n > limit_) return false;
  for (std::size_t i = 0; i < n; ++i) sent.push_back(now);
  return true;
}

std::size_t SendLimiter::available(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = sent_.find(key);
  if (it == sent_.end()) return limit_;
  prune(it->second, now);
  return it->second.size() >= limit_ ? 0 : limit_ - it->second.size();
}

}  // namespace yimei::wecom
