// Token buckets keyed by user; idle buckets are dropped when the map grows large.
#include "bot/rate_limiter.hpp"

#include <algorithm>

namespace yimei::bot {

bool RateLimiter::allow(const std::string& key, Clock::time_point now) {
  if (per_minute_ <= 0) return true;
  std::lock_guard lock(mu_);
  if (buckets_.size() > 10000) {
    std::erase_if(buckets_,
                  [&](const auto& kv) { return now - kv.second.last > std::chrono::minutes(10); });
  }
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{static_cast<double>(burst_), now});
  Bucket& b = it->second;
  const double refill = std::chrono::duration<double>(now - b.last).count() * per_minute_ / 60.0;
  b.tokens = std::min(static_cast<double>(burst_), b.tokens + refill);
  b.last = now;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace yimei::bot
