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
// with_departments = false leaves out the VIP amount by department (growth-points needs only the
// rest).
AnalysisResult vip_consumption(db::Connection& conn, const ResolvedRequest& req,
                               bool with_departments = true);
AnalysisResult unspent_balances(db::Connection& conn, const ResolvedRequest& req);
AnalysisResult department_performance(db::Connection& conn, const ResolvedRequest& req);
AnalysisResult product_performance(db::Connection& conn, const ResolvedRequest& req);
Outcome<AnalysisResult> growth_points(db::Connection& conn, const ResolvedRequest& req);

// The inactive-customers rows (L <= as_of - days) of the customers registered by as_of (scoped),
// sorted by lifetime amount descending, then customer_id, read from the trigger-kept customer
// facts; min_lifetime keeps only lifetime_amount >= it; order_stats adds orders and
// amount_per_order.
Table select_inactive(db::Connection& conn, const Date& as_of, std::int64_t days,
                      const Scope& scope, const std::optional<Decimal>& min_lifetime,
                      bool order_stats);
Table query_inactive_customers(db::Connection& conn, const Date& as_of, std::int64_t days,
                               const Scope& scope);

// Per cohort customer of new-customer-repurchase: customer_id, name, phone, first_date,
// cohort_month, consultant_id, consultant_name, department (of the first record), first_amount
// (day F), second_date, repurchase_amount (later days in the window), repurchased (0/1); cohort =
// first purchase date in [from, to]; repurchase window `window` days (only records up to as_of
// count). Without with_amounts, repurchase_amount is NULL (not read: the window's records are
// read only for it).
Table query_repurchase_cohort(db::Connection& conn, const Date& as_of, const Date& from,
                              const Date& to, std::int64_t window, const Scope& scope,
                              bool with_amounts = true);

// Balances with remaining > 0 and their status (columns of the unspent-balances table).
// `extra_where` filters further on the balance's own columns and the derived 0/1 flags (alias x:
// x.remaining, x.expiration_date, x.is_expiring, x.is_dormant, x.is_expired, ...).
Table query_balances(db::Connection& conn, const Date& as_of, std::int64_t expiring_days,
                     std::int64_t dormant_days, const Scope& scope, const Sql& extra_where = {});

// The product-performance table: products with consumption in [from, to] or in
// [prev_from, prev_to] (may be empty), or write-offs in [from, to]; revenue, quantity, orders,
// buyers, repeat_buyers, write_off, previous_revenue, repeat_rate, change_ratio; sorted by revenue
// descending, then product_id.
Table query_products(db::Connection& conn, const Date& from, const Date& to, const Date& prev_from,
                     const Date& prev_to, const Scope& scope);

}  // namespace yimei::analysis::detail
