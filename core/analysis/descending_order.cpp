// DescendingOrder's two sorts (see descending_order.hpp).
#include "core/analysis/descending_order.hpp"

#include <boost/sort/pdqsort/pdqsort.hpp>

namespace yimei::analysis::detail {

std::vector<std::uint32_t> DescendingOrder::sorted() {
  if (auto packed = sorted_packed()) return *packed;
  boost::sort::pdqsort(keys_.begin(), keys_.end(), [](const Key& a, const Key& b) {
    // One scale (a money column's) compares as integers; the general comparison otherwise.
    if (a.value.scale() == b.value.scale()) {
      const __int128 x = a.value.units(), y = b.value.units();
      return x != y ? x > y : a.tie < b.tie;
    }
    const auto by_value = a.value <=> b.value;
    return by_value != 0 ? by_value > 0 : a.tie < b.tie;
  });
  std::vector<std::uint32_t> order;
  order.reserve(keys_.size());
  for (const Key& k : keys_) order.push_back(k.index);
  return order;
}

std::optional<std::vector<std::uint32_t>> DescendingOrder::sorted_packed() const {
  constexpr int kIndexBits = 20;
  constexpr __int128 kUnitsLimit = static_cast<__int128>(1) << 43;
  if (keys_.empty() || keys_.size() >= (std::size_t{1} << kIndexBits)) return std::nullopt;
  const int scale = keys_.front().value.scale();
  std::vector<std::uint64_t> packed;
  packed.reserve(keys_.size());
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const Key& k = keys_[i];
    const __int128 units = k.value.units();
    if (k.value.scale() != scale || units < 0 || units >= kUnitsLimit ||
        (i > 0 && k.tie <= keys_[i - 1].tie))
      return std::nullopt;
    // Larger value first: the complement of the units in the high bits.
    packed.push_back(static_cast<std::uint64_t>(kUnitsLimit - 1 - units) << kIndexBits | i);
  }
  boost::sort::pdqsort_branchless(packed.begin(), packed.end());
  std::vector<std::uint32_t> order;
  order.reserve(packed.size());
  for (const std::uint64_t p : packed)
    order.push_back(static_cast<std::uint32_t>(p & ((std::uint64_t{1} << kIndexBits) - 1)));
  return order;
}

}  // namespace yimei::analysis::detail
