// The as-of view of the trigger-kept summaries (see facts.hpp).
#include "core/analysis/facts.hpp"

#include "core/analysis/year_rows.hpp"

namespace yimei::analysis::detail {
namespace {

// A consumption fact of `f` as of as_of: the stored value when the customer has no record after
// as_of, else `live`.
Sql consumption_fact(const Date& as_of, std::string_view stored, const Sql& live) {
  Sql s;
  s << "IF(f.last_consume_date IS NULL OR f.last_consume_date <= " << arg(as_of) << ", " << stored
    << ", " << live << ")";
  return s;
}

// `what` of the customer's records up to as_of (alias x), from ix_consumption_customer_cover.
// Correlated, the lookup is by customer alone and the date only filters: it reads every record of
// the customer, so subtracting the records after as_of from the stored total would read no fewer.
Sql records_up_to(const Date& as_of, std::string_view what) {
  Sql s;
  s << "(SELECT " << what
    << " FROM consumption_records x WHERE x.customer_id = f.customer_id AND x.consume_date <= "
    << arg(as_of) << ")";
  return s;
}

// The customer's consumption up to as_of, where its last record is after as_of. When that last
// record lies in as_of's year: the stored total less the rest of the year, read from the year's
// row (one row by binary key; the records of as_of's month after as_of only when its day mask
// shows a purchase then). Else summed from the records up to as_of (a lookup by the unicode_ci
// customer id that reads each of the customer's records).
Sql lifetime_up_to(const Date& as_of) {
  const Date year_end =
      std::chrono::year_month_day{as_of.year(), std::chrono::December, std::chrono::day{31}};
  Sql s;
  s << "IF(f.last_consume_date <= " << arg(year_end) << ", f.lifetime_amount";
  for (const YearTerms& t :
       period_terms(add_days(as_of, 1), year_end, false, [](int) { return std::string("y"); }))
    s << " - COALESCE((SELECT " << t.amount
      << " FROM analysis_customer_years y WHERE y.year = " << std::to_string(t.year)
      << " AND y.customer_key = f.customer_id COLLATE utf8mb4_bin), 0.00)";
  s << ", " << records_up_to(as_of, "COALESCE(SUM(x.amount), 0.00)") << ")";
  return s;
}

// The latest `date_column` of the customer's rows of `table` on or before as_of. Read backwards
// from the customer's newest row when as_of lies in the later half of the customer's purchase
// dates (a past as_of is mostly a recent one: a month back, a row or two are passed over), else
// by MAX() over every row, which a backward read would pass over almost whole.
Sql latest_up_to(const Date& as_of, std::string_view table, std::string_view date_column) {
  const std::string column = "l." + std::string(date_column);
  const auto rows = [&](const std::string& select, const std::string& order) {
    Sql s;
    s << "(SELECT " << select << " FROM " << table << " l WHERE l.customer_id = f.customer_id AND "
      << column << " <= " << arg(as_of) << order << ")";
    return s;
  };
  Sql s;
  s << "IF(DATEDIFF(" << arg(as_of)
    << ", f.first_consume_date) * 2 < DATEDIFF(f.last_consume_date, f.first_consume_date), "
    << rows("MAX(" + column + ")", "") << ", "
    << rows(column, " ORDER BY " + column + " DESC LIMIT 1") << ")";
  return s;
}

// The one department the customer had bought in by as_of, or NULL (none, or several), from the
// per-department facts (a few rows a customer, each with its first purchase date) rather than the
// records; one lookup where MIN and MAX apart would take two.
Sql only_department_up_to(const Date& as_of) {
  Sql s;
  s << "(SELECT IF(MIN(d.department) = MAX(d.department), MIN(d.department), NULL)"
       " FROM analysis_customer_department_facts d WHERE d.customer_id = f.customer_id"
       " AND d.first_date <= "
    << arg(as_of) << ")";
  return s;
}

}  // namespace

CustomerFactsExpr customer_facts_as_of(const Date& as_of) {
  CustomerFactsExpr e;
  e.lifetime_amount = consumption_fact(as_of, "f.lifetime_amount", lifetime_up_to(as_of));
  e.orders = consumption_fact(as_of, "f.orders", records_up_to(as_of, "COUNT(*)"));
  e.last_consume_date = consumption_fact(
      as_of, "f.last_consume_date", latest_up_to(as_of, "consumption_records", "consume_date"));
  e.only_department =
      consumption_fact(as_of, "IF(f.min_department = f.max_department, f.min_department, NULL)",
                       only_department_up_to(as_of));
  e.last_write_off_date << "IF(f.last_write_off_date IS NULL OR f.last_write_off_date <= "
                        << arg(as_of) << ", f.last_write_off_date, "
                        << latest_up_to(as_of, "write_off_records", "write_off_date") << ")";
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
    << e.last_consume_date << " AS last_consume_date, " << e.only_department
    << " IS NOT NULL AS single_department, " << e.only_department
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
