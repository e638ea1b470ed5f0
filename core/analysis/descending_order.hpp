// The order of rows by a decimal value, largest first, ties by a second key: the keys compared
// apart from the rows, in one contiguous array. Several times faster than reaching into 140,000
// scattered rows, and than the server's sort of them (0.5 s for the unspent balances). Used by
// unspent-balances (remaining, then balance_id) and by every list sorted as ORDER BY amount DESC
// with the rows' own order kept for ties.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/decimal.hpp"

namespace yimei::analysis::detail {

class DescendingOrder {
 public:
  void reserve(std::size_t n) { keys_.reserve(n); }
  // The next item (index 0, 1, ... in the order added): its value, and `tie`, smaller first
  // among equal values.
  void add(const Decimal& value, std::int64_t tie) {
    keys_.push_back({value, tie, static_cast<std::uint32_t>(keys_.size())});
  }
  // The indexes of the items, in order.
  std::vector<std::uint32_t> sorted();

 private:
  struct Key {
    Decimal value;
    std::int64_t tie;
    std::uint32_t index;
  };
  // The usual case, sorted as single integers (about 2.5x faster than comparing the keys): one
  // scale, values in [0, 2^43) units, fewer than 2^20 items, added in increasing `tie` order (a
  // table's primary key order, as a scan reads it; or the rows' own order), so that ties by index
  // are ties by `tie`. nullopt otherwise.
  std::optional<std::vector<std::uint32_t>> sorted_packed() const;

  std::vector<Key> keys_;
};

}  // namespace yimei::analysis::detail
