// Client-side steps that keep the large customer lists cheap in the server (see support.hpp):
// MariaDB spends more on sorting 30,000+ rows by a unicode_ci tie-breaker and on a primary-key
// join per row to the consultants than on reading the rows themselves.
#include <algorithm>
#include <unordered_map>

#include "core/analysis/support.hpp"

namespace yimei::analysis::detail {

void stable_sort_desc(Table& t, const std::string& column) {
  const int at = t.column_index(column);
  if (at < 0) throw std::logic_error("no column " + column + " to sort by");
  const auto i = static_cast<std::size_t>(at);
  // As ORDER BY column DESC: NULLs last; equal values keep the order the rows came in.
  std::stable_sort(t.rows.begin(), t.rows.end(), [i](const Row& a, const Row& b) {
    const auto* x = std::get_if<Decimal>(&a[i]);
    const auto* y = std::get_if<Decimal>(&b[i]);
    if (!x || !y) return x && !y;
    return *x > *y;
  });
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
