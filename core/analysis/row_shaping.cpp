// Client-side steps that keep the large customer lists cheap in the server (see support.hpp):
// MariaDB spends more on sorting 30,000+ rows by a unicode_ci tie-breaker and on a primary-key
// join per row to the consultants than on reading the rows themselves.
#include <algorithm>
#include <unordered_map>

#include "core/analysis/descending_order.hpp"
#include "core/analysis/support.hpp"

namespace yimei::analysis::detail {

void stable_sort_desc(Table& t, const std::string& column) {
  const int at = t.column_index(column);
  if (at < 0) throw std::logic_error("no column " + column + " to sort by");
  const auto i = static_cast<std::size_t>(at);
  // As ORDER BY column DESC: NULLs last; equal values keep the order the rows came in. The keys
  // are sorted apart from the rows (DescendingOrder), and the rows moved once into their order.
  DescendingOrder order;
  order.reserve(t.rows.size());
  std::vector<std::uint32_t> valued, nulls;  // row numbers: the order's items, the NULLs
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (const auto* d = std::get_if<Decimal>(&t.rows[r][i])) {
      order.add(*d, static_cast<std::int64_t>(r));
      valued.push_back(static_cast<std::uint32_t>(r));
    } else {
      nulls.push_back(static_cast<std::uint32_t>(r));
    }
  }
  std::vector<Row> sorted;
  sorted.reserve(t.rows.size());
  for (const std::uint32_t k : order.sorted()) sorted.push_back(std::move(t.rows[valued[k]]));
  for (const std::uint32_t r : nulls) sorted.push_back(std::move(t.rows[r]));
  t.rows = std::move(sorted);
}

void name_consultants(db::Connection& conn, Table& t, const std::string& column) {
  const int at = t.column_index(column);
  if (at < 0) throw std::logic_error("no column " + column + " to name consultants in");
  const auto i = static_cast<std::size_t>(at);
  std::unordered_map<Text, Value> names;
  for (const Row& r : run(conn, Sql("SELECT consultant_id, name FROM consultants")).rows)
    names.emplace(std::get<Text>(r[0]), r[1]);
  for (Row& row : t.rows) {
    const auto* id = std::get_if<Text>(&row[i]);
    if (!id) continue;  // no consultant: NULL, as the LEFT JOIN gave
    auto it = names.find(*id);
    if (it == names.end()) {
      // Not spelled as in consultants (the collation may still call it equal, e.g. by case):
      // the database decides, once per spelling.
      Sql q;
      q << "SELECT name FROM consultants WHERE consultant_id = " << arg(*id);
      const Table found = run(conn, q);
      it = names.emplace(*id, found.rows.empty() ? Value{} : found.rows[0][0]).first;
    }
    row[i] = it->second;
  }
}

}  // namespace yimei::analysis::detail
