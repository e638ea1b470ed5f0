// Internal helpers shared by the analyses: an SQL text builder that keeps placeholders and
// bound values together, the consultant-scope filters, column labels, typed reads of result
// cells and the Chinese number formats of narratives. Not part of the public interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/analysis.hpp"
#include "core/analysis/params.hpp"

namespace yimei::analysis::detail {

// One bound value: `sql << arg(x)` appends a placeholder and binds x.
struct Arg {
  Value value;
};
inline Arg arg(std::int64_t v) {
  return {Value(v)};
}
inline Arg arg(const Date& v) {
  return {Value(v)};
}
inline Arg arg(const Decimal& v) {
  return {Value(v)};
}
inline Arg arg(const std::string& v) {
  return {Value(v)};
}

// SQL text plus its parameters in placeholder order. Every user value goes through arg().
class Sql {
 public:
  Sql() = default;
  explicit Sql(std::string_view text) : text_(text) {}
  Sql& operator<<(std::string_view text) {
    text_ += text;
    return *this;
  }
  Sql& operator<<(const Arg& a) {
    text_ += '?';
    params_.push_back(a.value);
    return *this;
  }
  Sql& operator<<(const Sql& other) {
    text_ += other.text_;
    params_.insert(params_.end(), other.params_.begin(), other.params_.end());
    return *this;
  }
  // "(?, ?, ?)" binding each item.
  Sql& in_list(const std::vector<std::string>& items);
  const std::string& text() const { return text_; }
  const db::Params& params() const { return params_; }

 private:
  std::string text_;
  db::Params params_;
};

// Runs a SELECT / a statement (both with the optimizer settings every analysis uses).
Table run(db::Connection& conn, const Sql& sql);
void execute(db::Connection& conn, const Sql& sql);

// " AND <customer_alias>.consultant_id = ?" when scoped, else empty.
Sql scope_on_customer(const Scope& scope, std::string_view customer_alias);
// " AND <customer_id_expr> IN (customers of the consultant)" when scoped, else empty.
Sql scope_on_customer_id(const Scope& scope, std::string_view customer_id_expr);

// Sum of consumption amount in [from, to] of the scope's customers (0 when none).
Decimal revenue_between(db::Connection& conn, const Date& from, const Date& to, const Scope& scope);

// Chinese label, unit and phone flag for a result column found by its SQL alias.
struct ColumnLabel {
  std::string name;
  std::string label;
  ColumnUnit unit = ColumnUnit::None;
  bool is_phone = false;
};
// Sets every listed column's display; throws std::logic_error when one is missing (a bug).
void set_labels(Table& t, const std::vector<ColumnLabel>& labels);
// Appends a column filled by `cell(row)` for every row.
template <class F>
void add_column(Table& t, Column c, F cell) {
  t.columns.push_back(std::move(c));
  for (auto& row : t.rows) {
    Value v = cell(row);
    row.reserve(row.size() + 1);  // exactly: a doubled row is 10+ MB on a 30,000-row list
    row.push_back(std::move(v));
  }
}

// Sorts the rows by a Decimal column, largest first, NULLs last, keeping the order of equal rows:
// with rows read ORDER BY customer_id this is ORDER BY column DESC, customer_id, without the
// server sorting by the customer_id collation (the costliest part of a 30,000-row list).
void stable_sort_desc(Table& t, const std::string& column);
// Replaces the consultant ids in `column` by the consultants' names (NULL when there is no such
// consultant or no id): what LEFT JOIN consultants gave, without one join per row.
void name_consultants(db::Connection& conn, Table& t, const std::string& column);

// Groups the rows of an analysis's own result (already aggregated per customer by SQL, never a
// whole table) by the text of `key_column` (empty text -> `empty_key`): the row count and the
// sums of `sum_columns`, in first-seen key order.
struct RowGroup {
  std::string key;
  std::int64_t count = 0;
  std::vector<Decimal> sums;
};
std::vector<RowGroup> group_rows(const Table& t, const std::string& key_column,
                                 const std::vector<std::string>& sum_columns,
                                 const std::string& empty_key = "未分配");

// Cell reads by column name; NULL reads as 0 / "" / nullopt.
Decimal dec_at(const Table& t, const Row& row, const std::string& column);
std::int64_t int_at(const Table& t, const Row& row, const std::string& column);
double real_at(const Table& t, const Row& row, const std::string& column);
std::string str_at(const Table& t, const Row& row, const std::string& column);
std::optional<Date> date_at(const Table& t, const Row& row, const std::string& column);
// A single-row aggregate's cells.
Decimal dec_of(const Table& t, const std::string& column);
std::int64_t int_of(const Table& t, const std::string& column);

// Exact a x b, rounded half away from zero to `scale` decimals (estimates such as amount x a
// conversion rate parameter).
Decimal multiply(const Decimal& a, const Decimal& b, int scale = 2);
// Exact a / n rounded half away from zero to `scale` decimals; 0 when n is 0.
Decimal divide(const Decimal& a, std::int64_t n, int scale = 2);
// A ratio as a Decimal with 6 decimals (for multiplying money by a measured rate).
Decimal ratio_decimal(double ratio);

// (current - previous) / previous for display; NULL when previous is 0.
Value change_ratio(const Decimal& current, const Decimal& previous);
// part / whole as a ratio; NULL when whole is 0.
Value share(const Decimal& part, const Decimal& whole);
Value share(std::int64_t part, std::int64_t whole);

// "12,345.60元"
std::string yuan(const Decimal& v);
// "25.3%" of a ratio 0.253; "-" for NULL.
std::string percent(const Value& ratio);
std::string percent(double ratio);
// "12.3"
std::string fixed1(double v);
// "2026-06-01 至 2026-06-30"
std::string period_zh(const Date& from, const Date& to);

// The period of the same length that ends the day before `from`.
std::pair<Date, Date> previous_period(const Date& from, const Date& to);
// The same dates one year earlier (Feb 29 becomes Feb 28).
std::pair<Date, Date> year_earlier(const Date& from, const Date& to);

SummaryItem item(std::string key, std::string label, Value v, ColumnUnit unit = ColumnUnit::None);

}  // namespace yimei::analysis::detail
