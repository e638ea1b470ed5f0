// Internal: SQL over the summaries of sql/migrations/0004 (analysis_customer_facts, with the name
// and phone copies of 0005, the per-department and per-product facts, the daily sums), which the
// database's triggers keep exact for the whole history. A summary row holds "up to the newest
// record"; these builders make it exact for any as_of: a customer whose records (or visit) reach
// past as_of is recomputed by correlated subqueries, evaluated for those customers only, over its
// records, its per-department facts and its year rows of 0007 (year_rows.hpp). Pure SQL builders.
#pragma once

#include "core/analysis/support.hpp"

namespace yimei::analysis::detail {

// The as-of values of one customer's facts row (alias `f`), as SQL expressions:
// lifetime_amount (consumption up to as_of), orders, last_consume_date, only_department (the
// department of every record up to as_of when they have one, else NULL), last_write_off_date and
// last_activity_date (L of inactive-customers).
struct CustomerFactsExpr {
  Sql lifetime_amount;
  Sql orders;
  Sql last_consume_date;
  Sql only_department;
  Sql last_write_off_date;
  Sql last_activity_date;
};
CustomerFactsExpr customer_facts_as_of(const Date& as_of);

// " AND f.register_date <= ? [AND f.consultant_id = ?]": the customers an analysis at as_of may
// count (registered by then, the scope's own).
Sql registered_in_scope(const Date& as_of, const Scope& scope, std::string_view alias = "f");

// Per customer registered by as_of (scoped): customer_id, name, phone, consultant_id,
// membership_level,
// lifetime_amount, last_activity_date, unspent_amount, orders, last_consume_date,
// single_department (1 when every record up to as_of has one department) and only_department
// (that department, else NULL). A SELECT usable as a derived table; `where` filters the facts rows
// further.
Sql customer_facts_sql(const Date& as_of, const Scope& scope, const Sql& where = {});

// The narrow form for sorting and ranking: customer_id, membership_level, lifetime_amount of the
// customers registered by as_of (scoped).
Sql customer_lifetime_sql(const Date& as_of, const Scope& scope);

// Revenue of [from, to] from the daily sums (unscoped) or the records (scoped); 0 when none.
Sql revenue_sql(const Date& from, const Date& to, const Scope& scope);

}  // namespace yimei::analysis::detail
