// QuerySpec -> one MariaDB SELECT with every literal bound as a parameter (names, dates,
// thresholds), joins chosen by the semantic model, and Chinese column labels. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "core/table.hpp"
#include "core/text2sql/query_spec.hpp"

namespace yimei::text2sql {

struct OutputColumn {
  std::string label;
  ColumnUnit unit = ColumnUnit::None;
  bool is_phone = false;
};

struct CompiledQuery {
  std::string sql;
  db::Params params;  // in the order of the '?' placeholders
  std::vector<OutputColumn> columns;
};

// A UserError (BadInput) when the spec names something the model does not have or combines
// what cannot be combined (e.g. a payment-method filter on balances).
Outcome<CompiledQuery> compile_query(const QuerySpec& spec, const Date& as_of);

// Applies the compiled labels and units to a result table (by position).
void label_columns(Table& table, const std::vector<OutputColumn>& columns);

}  // namespace yimei::text2sql
