// DescendingOrder: largest value first, ties by the tie key (a balance_id), on its packed-integer
// path and on the general comparison, which must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core/analysis/descending_order.hpp"

using yimei::Decimal;
using yimei::analysis::detail::DescendingOrder;

namespace {

struct Balance {
  Decimal remaining;
  std::int64_t id;
};

std::vector<std::uint32_t> order_of(const std::vector<Balance>& balances) {
  DescendingOrder order;
  for (const Balance& b : balances) order.add(b.remaining, b.id);
  return order.sorted();
}

// The expected order, worked out by a plain stable sort on the same rule.
std::vector<std::uint32_t> expected_order(const std::vector<Balance>& balances) {
  std::vector<std::uint32_t> idx(balances.size());
  for (std::uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (balances[a].remaining != balances[b].remaining)
      return balances[a].remaining > balances[b].remaining;
    return balances[a].id < balances[b].id;
  });
  return idx;
}

}  // namespace

TEST(DescendingOrder, LargestFirstTiesByBalanceIdInIncreasingIdOrder) {
  // Added in balance_id order with one scale: the packed path.
  const std::vector<Balance> b = {{Decimal::from_db("700.00"), 1},
                                  {Decimal::from_db("4000.00"), 2},
                                  {Decimal::from_db("700.00"), 3},
                                  {Decimal::from_db("0.01"), 4},
                                  {Decimal::from_db("4000.00"), 9}};
  EXPECT_EQ(order_of(b), (std::vector<std::uint32_t>{1, 4, 0, 2, 3}));
}

TEST(DescendingOrder, IdsOutOfOrderMixedScalesAndHugeAmountsTakeTheGeneralPath) {
  const std::vector<Balance> out_of_order = {{Decimal::from_db("700.00"), 9},
                                             {Decimal::from_db("700.00"), 3},
                                             {Decimal::from_db("900.00"), 5}};
  EXPECT_EQ(order_of(out_of_order), (std::vector<std::uint32_t>{2, 1, 0}));
  const std::vector<Balance> mixed = {{Decimal::from_db("700.5"), 1},
                                      {Decimal::from_db("700.50"), 2},
                                      {Decimal::from_db("700.499"), 3}};
  EXPECT_EQ(order_of(mixed), (std::vector<std::uint32_t>{0, 1, 2}));
  const std::vector<Balance> huge = {{Decimal::from_db("1.00"), 1},
                                     {Decimal::from_db("99999999999.99"), 2},  // >= 2^43 units
                                     {Decimal::from_db("5.00"), 3}};
  EXPECT_EQ(order_of(huge), (std::vector<std::uint32_t>{1, 2, 0}));
}

TEST(DescendingOrder, BothPathsAgreeWithAPlainSortOnRandomBalances) {
  std::mt19937 rng(2026);
  std::uniform_int_distribution<int> cents(1, 2000);  // many ties
  std::vector<Balance> in_id_order;
  for (std::int64_t id = 1; id <= 5000; ++id)
    in_id_order.push_back({Decimal::from_units(cents(rng) * 100, 2), id * 3});
  EXPECT_EQ(order_of(in_id_order), expected_order(in_id_order));
  std::vector<Balance> shuffled = in_id_order;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  EXPECT_EQ(order_of(shuffled), expected_order(shuffled));
  EXPECT_TRUE(order_of({}).empty());
}
