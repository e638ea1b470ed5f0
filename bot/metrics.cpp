// Metrics: a map of counters rendered as Prometheus text exposition format 0.0.4.
#include "bot/metrics.hpp"

#include <fmt/format.h>

namespace yimei::bot {

void Metrics::add(std::string_view name, std::string_view labels, std::uint64_t n,
                  std::string_view help) {
  std::lock_guard lock(mu_);
  if (auto it = counters_.find(Key{name, labels}); it != counters_.end())
    it->second += n;
  else
    counters_.emplace(std::pair{std::string(name), std::string(labels)}, n);
  if (!help.empty() && help_.find(name) == help_.end()) help_.emplace(name, help);
}

void Metrics::set_gauge(std::string_view name, double value, std::string_view help) {
  std::lock_guard lock(mu_);
  gauges_[std::string(name)] = value;
  if (!help.empty() && help_.find(name) == help_.end()) help_.emplace(name, help);
}

std::uint64_t Metrics::counter(std::string_view name, std::string_view labels) const {
  std::lock_guard lock(mu_);
  auto it = counters_.find(Key{name, labels});
  return it == counters_.end() ? 0 : it->second;
}

std::string Metrics::prometheus_text() const {
  std::lock_guard lock(mu_);
  std::string out;
  auto header = [&](const std::string& name, const char* type) {
    if (auto h = help_.find(name); h != help_.end())
      out += fmt::format("# HELP {} {}\n", name, h->second);
    out += fmt::format("# TYPE {} {}\n", name, type);
  };
  std::string last;
  for (const auto& [key, value] : counters_) {
    if (key.first != last) header(last = key.first, "counter");
    out += key.second.empty() ? fmt::format("{} {}\n", key.first, value)
                              : fmt::format("{}{{{}}} {}\n", key.first, key.second, value);
  }
  for (const auto& [name, value] : gauges_) {
    header(name, "gauge");
    out += fmt::format("{} {}\n", name, value);
  }
  return out;
}

}  // namespace yimei::bot
