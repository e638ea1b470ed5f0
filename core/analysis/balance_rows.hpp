// The balance rows of unspent-balances (and of growth-points' balance detectors): every balance
// with remaining > 0, its customer's and product's names, its status, in the analysis's order.
#pragma once

#include <cstdint>
#include <vector>

#include "core/analysis/support.hpp"
#include "core/db/connection.hpp"

namespace yimei::analysis::detail {

// A balance's state as of as_of, as bits: expired; or expiring and/or dormant; or none (正常).
enum BalanceState : std::uint8_t { kExpired = 1, kExpiring = 2, kDormant = 4 };

// What the totals of a balance need: its remaining; its customer's, product's and consultant's
// numbers (0, 1, ... in the order read; consultant 0 is none), for counting and grouping without
// comparing texts; its row in the table and its state.
struct BalanceFact {
  Decimal remaining;
  std::uint32_t customer = 0, product = 0, consultant = 0, row = 0;
  std::uint8_t state = 0;
};

// The rows (columns of the unspent-balances table), largest remaining first, then by
// balance_id; joined in the client, with each row's state (the bits its status text words), and
// the same balances' facts in no particular order: summed without reaching into rows that the
// sort has scattered across memory.
struct BalanceRows {
  Table table;
  std::vector<BalanceFact> facts;
};

// Every balance of customers registered by as_of (of the scope), with its status of
// expiring_days and dormant_days. The balances table is read alone, the customers holding a
// balance and the products on a second connection meanwhile, and the rows are joined, given their
// status and sorted here: the fastest for the whole list, with those customers held in memory for
// a moment. (A filtered part of the list is joined in the server: query_balances.)
BalanceRows balance_list(db::Connection& conn, const Date& as_of, std::int64_t expiring_days,
                         std::int64_t dormant_days, const Scope& scope);

}  // namespace yimei::analysis::detail
