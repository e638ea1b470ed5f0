// Internal: one entry point per analysis (one .cpp each), called by run_analysis after the
// request was validated, plus the few building blocks the growth detectors reuse.
// Each throws db::DbError when the database fails.
#pragma once

#include "core/analysis/analysis.hpp"
#include "core/analysis/params.hpp"
#include "core/analysis/support.hpp"

namespace yimei::analysis::detail {

AnalysisResult inactive_customers(db::Connection& conn, const ResolvedRequest& req);
AnalysisResult new_customer_repurchase(db::Connection& conn, const ResolvedRequest& req);
AnalysisResult vip_consumption(db::Connection& conn, const ResolvedRequest& req);
AnalysisResult unspent_balances(db::Connection& conn, const ResolvedRequest& req);
AnalysisResult department_performance(db::Connection& conn, const ResolvedRequest& req);
AnalysisResult product_performance(db::Connection& conn, const ResolvedRequest& req);
Outcome<AnalysisResult> growth_points(db::Connection& conn, const ResolvedRequest& req);

// Per customer registered by as_of (scoped): customer_id, name, phone, consultant_id,
// membership_level, lifetime_amount (consumption up to as_of), last_activity_date (L of
// inactive-customers), unspent_amount; `extended` adds orders (records up to as_of),
// last_consume_date, single_department (1 when every record has the same department) and
// only_department (the lowest department). One grouped pass over each table.
Sql customer_facts_sql(const Date& as_of, const Scope& scope, bool extended);

// The inactive-customers rows (L <= as_of - days), sorted by lifetime amount descending, then
// customer_id, from `facts`: a parenthesized customer_facts_sql or a table holding its rows.
// `extra_where` filters further (" AND a.lifetime_amount >= ?"); order_stats (extended facts
// only) adds orders and amount_per_order.
Table select_inactive(db::Connection& conn, const Sql& facts, const Date& as_of, std::int64_t days,
                      const Sql& extra_where, bool order_stats);
Table query_inactive_customers(db::Connection& conn, const Date& as_of, std::int64_t days,
                               const Scope& scope);

// Per cohort customer of new-customer-repurchase: customer_id, name, phone, first_date,
// cohort_month, consultant_id, consultant_name, department (of the first record), first_amount
// (day F), second_date, repurchase_amount (later days in the window), repurchased (0/1); cohort =
// first purchase date in [from, to]; repurchase window `window` days (only records up to as_of
// count).
Table query_repurchase_cohort(db::Connection& conn, const Date& as_of, const Date& from,
                              const Date& to, std::int64_t window, const Scope& scope);

// Balances with remaining > 0 and their status (columns of the unspent-balances table).
// `extra_where` filters further (aliases: b balances, p products, c customers, and the
// derived flags is_expiring / is_dormant / is_expired).
Table query_balances(db::Connection& conn, const Date& as_of, std::int64_t expiring_days,
                     std::int64_t dormant_days, const Scope& scope, const Sql& extra_where = {});

// The product-performance table: products with consumption in [from, to] or in
// [prev_from, prev_to] (may be empty), or write-offs in [from, to]; revenue, quantity, orders,
// buyers, repeat_buyers, write_off, previous_revenue, repeat_rate, change_ratio; sorted by revenue
// descending, then product_id.
Table query_products(db::Connection& conn, const Date& from, const Date& to, const Date& prev_from,
                     const Date& prev_to, const Scope& scope);

}  // namespace yimei::analysis::detail
