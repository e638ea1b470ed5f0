// The as-of view of the trigger-kept summaries (see facts.hpp).
#include "core/analysis/facts.hpp"

namespace yimei::analysis::detail {
namespace {

// A consumption fact of `f` as of as_of: the stored value when the customer has no record after
// as_of, else `live` (a correlated subquery over the records up to as_of, alias x).
Sql consumption_fact(const Date& as_of, std::string_view stored, std::string_view live) {
  Sql s;
  s << "IF(f.last_consume_date IS NULL OR f.last_consume_date <= " << arg(as_of) << ", " << stored
    << ", (SELECT " << live
    << " FROM consumption_records x WHERE x.customer_id = f.customer_id AND x.consume_date <= "
    << arg(as_of) << "))";
  return s;
}

}  // namespace

CustomerFactsExpr customer_facts_as_of(const Date& as_of) {
  CustomerFactsExpr e;
  e.lifetime_amount = consumption_fact(as_of, "f.lifetime_amount", "COALESCE(SUM(x.amount), 0.00)");
  e.orders = consumption_fact(as_of, "f.orders", "COUNT(*)");
  e.last_consume_date = consumption_fact(as_of, "f.last_consume_date", "MAX(x.consume_date)");
  e.min_department = consumption_fact(as_of, "f.min_department", "MIN(x.department)");
  e.max_department = consumption_fact(as_of, "f.max_department", "MAX(x.department)");
  e.last_write_off_date
      << "IF(f.last_write_off_date IS NULL OR f.last_write_off_date <= " << arg(as_of)
      << ", f.last_write_off_date, (SELECT MAX(w.write_off_date) FROM write_off_records w"
         " WHERE w.customer_id = f.customer_id AND w.write_off_date <= "
      << arg(as_of) << "))";
  // Stored last_activity_date is L over every date; when it is on or before as_of so is each
  // date it was made of, and it is L as of as_of too.
  e.last_activity_date
      << "IF(f.last_activity_date <= " << arg(as_of)
      << ", f.last_activity_date, COALESCE(NULLIF(GREATEST("
         "COALESCE("
      << e.last_consume_date
      << ", DATE'1000-01-01'), "
         "COALESCE("
      << e.last_write_off_date
      << ", DATE'1000-01-01'), "
         "COALESCE(IF(f.last_visit_date <= "
      << arg(as_of)
      << ", f.last_visit_date, NULL), DATE'1000-01-01')), DATE'1000-01-01'), f.register_date))";
  return e;
}

Sql registered_in_scope(const Date& as_of, const Scope& scope, std::string_view alias) {
  Sql s;
  s << " AND " << alias << ".register_date <= " << arg(as_of);
  if (scope.consultant_id)
    s << " AND " << alias << ".consultant_id = " << arg(*scope.consultant_id);
  return s;
}

Sql customer_facts_sql(const Date& as_of, const Scope& scope, const Sql& where) {
  const CustomerFactsExpr e = customer_facts_as_of(as_of);
  Sql q;
  q << "SELECT f.customer_id, f.name, f.phone, f.consultant_id, f.membership_level, "
    << e.lifetime_amount << " AS lifetime_amount, " << e.last_activity_date
    << " AS last_activity_date, f.unspent_amount, " << e.orders << " AS orders, "
    << e.last_consume_date << " AS last_consume_date, COALESCE(" << e.min_department << " = "
    << e.max_department << ", 0) AS single_department, " << e.min_department
    << " AS only_department FROM analysis_customer_facts f WHERE 1 = 1"
    << registered_in_scope(as_of, scope) << where;
  return q;
}

Sql customer_lifetime_sql(const Date& as_of, const Scope& scope) {
  Sql q;
  q << "SELECT f.customer_id, f.membership_level, " << customer_facts_as_of(as_of).lifetime_amount
    << " AS lifetime_amount FROM analysis_customer_facts f WHERE 1 = 1"
    << registered_in_scope(as_of, scope);
  return q;
}

Sql revenue_sql(const Date& from, const Date& to, const Scope& scope) {
  Sql q;
  if (scope.consultant_id) {
    q << "SELECT COALESCE(SUM(r.amount), 0.00) AS revenue FROM consumption_records r"
         " WHERE r.consume_date BETWEEN "
      << arg(from) << " AND " << arg(to) << scope_on_customer_id(scope, "r.customer_id");
  } else {
    q << "SELECT COALESCE(SUM(d.revenue), 0.00) AS revenue FROM analysis_daily_sales d"
         " WHERE d.consume_date BETWEEN "
      << arg(from) << " AND " << arg(to);
  }
  return q;
}

}  // namespace yimei::analysis::detail
