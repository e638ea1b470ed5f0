// Counters for GET /metrics in the Prometheus text format. Names and labels are fixed strings
// chosen by the code (never user input). Thread-safe; counting is a map lookup under a mutex,
// cheap next to the network and database work it counts.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace yimei::bot {

class Metrics {
 public:
  // Adds `n` to the counter `name{labels}`; `labels` is e.g. `result="bad_signature"` or empty.
  // `help` is recorded the first time a name is seen.
  void add(std::string_view name, std::string_view labels = {}, std::uint64_t n = 1,
           std::string_view help = {});
  // Sets a gauge (a value that goes up and down).
  void set_gauge(std::string_view name, double value, std::string_view help = {});
  std::uint64_t counter(std::string_view name, std::string_view labels = {}) const;
  // Every counter and gauge, grouped by name with # HELP and # TYPE lines.
  std::string prometheus_text() const;

 private:
  // Orders (name, labels) keys of either owning or viewing strings alike, so that counting
  // an existing counter allocates nothing (it runs several times per callback).
  struct KeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<std::string_view, std::string_view>(a.first, a.second) <
             std::pair<std::string_view, std::string_view>(b.first, b.second);
    }
  };
  using Key = std::pair<std::string_view, std::string_view>;

  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::uint64_t, KeyLess> counters_;
  std::map<std::string, double, std::less<>> gauges_;
  std::map<std::string, std::string, std::less<>> help_;
};

}  // namespace yimei::bot
