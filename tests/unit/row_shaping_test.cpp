// stable_sort_desc: ORDER BY column DESC with NULLs last and the rows' own order kept for ties,
// checked against a plain stable sort on the same rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/analysis/support.hpp"

using namespace yimei;
using yimei::analysis::detail::stable_sort_desc;

namespace {

// Each row: the value sorted by, then the row's number in the table before sorting.
Table table_of(const std::vector<Value>& values) {
  Table t;
  t.columns = {{"amount", "", ColumnType::Decimal}, {"n", "", ColumnType::Integer}};
  for (std::size_t i = 0; i < values.size(); ++i)
    t.rows.push_back({values[i], Value(static_cast<std::int64_t>(i))});
  return t;
}

std::vector<std::int64_t> numbers(const Table& t) {
  std::vector<std::int64_t> out;
  for (const Row& r : t.rows) out.push_back(std::get<std::int64_t>(r[1]));
  return out;
}

std::vector<std::int64_t> expected(Table t) {
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const Row& a, const Row& b) {
    const auto* x = std::get_if<Decimal>(&a[0]);
    const auto* y = std::get_if<Decimal>(&b[0]);
    if (!x || !y) return x && !y;
    return *x > *y;
  });
  return numbers(t);
}

Value dec(const char* s) {
  return Decimal::from_db(s);
}

}  // namespace

TEST(StableSortDesc, LargestFirstNullsLastTiesInTheirOrder) {
  Table t = table_of({dec("5.00"), Null{}, dec("7.50"), dec("5.00"), Null{}, dec("9.99")});
  stable_sort_desc(t, "amount");
  EXPECT_EQ(numbers(t), (std::vector<std::int64_t>{5, 2, 0, 3, 1, 4}));
  EXPECT_EQ(t.rows[0].size(), 2u);  // the rows are moved whole
}

// Money columns (one scale, not negative) take the packed path; negative values and mixed scales
// the general one. Both must give the plain stable sort's order.
TEST(StableSortDesc, AgreesWithAPlainStableSortOnRandomTables) {
  std::mt19937 rng(20261127);
  for (const bool general : {false, true}) {
    for (int round = 0; round < 20; ++round) {
      std::vector<Value> values;
      const int n = 1 + static_cast<int>(rng() % 3000);
      for (int i = 0; i < n; ++i) {
        const unsigned pick = rng() % 10;
        if (pick == 0) {
          values.emplace_back(Null{});
          continue;
        }
        long long cents = static_cast<long long>(rng() % 500);  // many ties
        if (general && pick < 4) cents = -cents;
        std::string text = std::to_string(cents / 100) + "." + std::to_string(cents % 100 / 10) +
                           std::to_string(cents % 10);
        if (cents < 0)
          text = "-" + std::to_string(-cents / 100) + "." + std::to_string(-cents % 100 / 10) +
                 std::to_string(-cents % 10);
        if (general && pick == 9) text += "0";  // a third decimal: another scale
        values.push_back(Decimal::from_db(text));
      }
      Table t = table_of(values);
      const std::vector<std::int64_t> want = expected(t);
      stable_sort_desc(t, "amount");
      ASSERT_EQ(numbers(t), want) << "round " << round << (general ? " general" : " packed");
    }
  }
}

TEST(StableSortDesc, AnUnknownColumnIsABug) {
  Table t = table_of({dec("1.00")});
  EXPECT_THROW(stable_sort_desc(t, "missing"), std::logic_error);
}
