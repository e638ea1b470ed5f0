// Internal: SQL over the year rows of migration 0007 (analysis_customer_years,
// analysis_customer_department_years): per customer (and department) and year, each month's
// amount (amount_MM) and purchase days (days_MM, bit d-1 for day d). A period's sums are read from
// the months it covers; a month it covers only in part is corrected from the records of the days
// it leaves out, or read from the records of the days it covers, whichever are fewer, and only
// for the customers whose day mask shows a purchase on those days. Pure SQL builders.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/analysis/support.hpp"

namespace yimei::analysis::detail {

// A period's part of one calendar year, over that year's row (of the customer of the facts row
// `f`): `amount` and `days` are sums over the year's months in the period, `present` a bitwise OR
// of the period's purchase days (non-zero when the row has a purchase in it).
struct YearTerms {
  int year = 0;
  Sql amount;
  std::string days;
  std::string present;
};

// The terms of [from, to], one per calendar year, over the rows named `alias(year)`.
// `same_department` narrows the edge corrections to the row's department.
std::vector<YearTerms> period_terms(const Date& from, const Date& to, bool same_department,
                                    const std::function<std::string(int)>& alias);

// 1 when the customer of the facts row `f` bought anything in [from, to], else 0: its year rows
// read by key, their day masks only (no record is read).
Sql bought_between(const Date& from, const Date& to);

}  // namespace yimei::analysis::detail
