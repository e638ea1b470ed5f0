// The balance rows of unspent-balances (and of growth-points' balance detectors): every balance
// with remaining > 0, its customer's and product's names, its status, in the analysis's order.
#pragma once

#include <cstdint>
#include <vector>

#include "core/analysis/support.hpp"
#include "core/db/connection.hpp"

namespace yimei::analysis::detail {

// The rows (columns of the unspent-balances table), largest remaining first, then by
// balance_id; with each row's customer number and product number (0, 1, ... in the order read,
// for counting and grouping without comparing texts).
struct BalanceRows {
  Table table;
  std::vector<std::uint32_t> customer, product;
};

// Balances of customers registered by as_of (of the scope) with the status flags of
// expiring_days and dormant_days; `extra_where` as for query_balances. With `parallel`, the
// customers are read on a second connection meanwhile (not from inside parallel detectors).
BalanceRows select_balances(db::Connection& conn, const Date& as_of, std::int64_t expiring_days,
                            std::int64_t dormant_days, const Scope& scope, const Sql& extra_where,
                            bool parallel);

}  // namespace yimei::analysis::detail
