// Row subsets of a result's main table (see RowSubset), made into tables when shown or exported.
#include <algorithm>

#include "core/analysis/analysis.hpp"

namespace yimei::analysis {

Table subset_table(const Table& table, const RowSubset& subset, std::size_t max_rows) {
  Table out;
  out.columns = table.columns;
  const std::size_t n = std::min(subset.rows.size(), max_rows);
  out.rows.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.rows.push_back(table.rows.at(subset.rows[i]));
  return out;
}

}  // namespace yimei::analysis
