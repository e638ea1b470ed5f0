// The period terms over the year rows of migration 0007 (see year_rows.hpp).
#include "core/analysis/year_rows.hpp"

#include <algorithm>
#include <cstdint>

namespace yimei::analysis::detail {
namespace {

std::uint32_t day_bits(unsigned first_day, unsigned last_day) {
  std::uint32_t bits = 0;
  for (unsigned d = first_day; d <= last_day; ++d) bits |= 1u << (d - 1);
  return bits;
}

}  // namespace

std::vector<YearTerms> period_terms(const Date& from, const Date& to, bool same_department,
                                    const std::function<std::string(int)>& alias) {
  std::vector<YearTerms> years;
  for (Date first = first_of_month(from); first <= to; first = add_months(first, 1)) {
    const int year = static_cast<int>(first.year());
    if (years.empty() || years.back().year != year) years.push_back(YearTerms{year, {}, {}, {}});
    YearTerms& t = years.back();
    const std::string sum = t.days.empty() ? "" : " + ";
    const std::string bit_or = t.present.empty() ? "" : " | ";
    const unsigned m = static_cast<unsigned>(first.month());
    const std::string mm = (m < 10 ? "0" : "") + std::to_string(m);
    const std::string amount = alias(year) + ".amount_" + mm;
    const std::string days = alias(year) + ".days_" + mm;

    const Date last = last_of_month(first);
    const Date lo = std::max(first, from);
    const Date hi = std::min(last, to);
    const unsigned month_days = static_cast<unsigned>(last.day());
    const unsigned covered_days = static_cast<unsigned>(days_between(lo, hi)) + 1;
    if (covered_days == month_days) {
      t.amount << sum << amount;
      t.days += sum + "BIT_COUNT(" + days + ")";
      t.present += bit_or + days;
      continue;
    }
    const std::uint32_t covered =
        day_bits(static_cast<unsigned>(lo.day()), static_cast<unsigned>(hi.day()));
    t.days += sum + "BIT_COUNT(" + days + " & " + std::to_string(covered) + ")";
    t.present += bit_or + "(" + days + " & " + std::to_string(covered) + ")";
    // The records of the days read: those left out when they are fewer, else those covered.
    const bool subtract = month_days - covered_days < covered_days;
    const std::uint32_t read = subtract ? day_bits(1, month_days) & ~covered : covered;
    Sql records;
    records << "(SELECT COALESCE(SUM(x.amount), 0) FROM consumption_records x"
               " WHERE x.customer_id = f.customer_id"
            << (same_department ? " AND x.department = " + alias(year) + ".department" : "");
    if (subtract)
      records << " AND x.consume_date BETWEEN " << arg(first) << " AND " << arg(last)
              << " AND x.consume_date NOT BETWEEN " << arg(lo) << " AND " << arg(hi) << ")";
    else
      records << " AND x.consume_date BETWEEN " << arg(lo) << " AND " << arg(hi) << ")";
    const std::string if_read = "IF(" + days + " & " + std::to_string(read) + " <> 0, ";
    if (subtract)
      t.amount << sum << "(" << amount << " - " << if_read << records << ", 0))";
    else
      t.amount << sum << if_read << records << ", 0)";
  }
  return years;
}

Sql bought_between(const Date& from, const Date& to) {
  Sql s;
  s << "(";
  // Newest year first: a customer who bought in the period mostly did so lately, and OR stops at
  // the first year that shows it.
  const std::vector<YearTerms> years =
      period_terms(from, to, false, [](int) { return std::string("y"); });
  for (auto t = years.rbegin(); t != years.rend(); ++t) {
    if (s.text().size() > 1) s << " OR ";
    s << "COALESCE((SELECT (" << t->present
      << ") <> 0 FROM analysis_customer_years y WHERE y.year = " << std::to_string(t->year)
      << " AND y.customer_key = f.customer_id COLLATE utf8mb4_bin), 0)";
  }
  if (s.text().size() == 1) return Sql("0");  // an empty period
  return s << ")";
}

}  // namespace yimei::analysis::detail
