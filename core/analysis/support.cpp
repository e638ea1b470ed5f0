// Shared helpers of the analyses (see support.hpp).
#include "core/analysis/support.hpp"

#include "core/analysis/facts.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <stdexcept>

namespace yimei::analysis::detail {
namespace {

int index_of(const Table& t, const std::string& column) {
  const int i = t.column_index(column);
  if (i < 0) throw std::logic_error("analysis result has no column " + column);
  return i;
}

// A cell as a Decimal: an integer converted, anything else (NULL) 0.
Decimal decimal_of(const Value& v) {
  if (const auto* d = std::get_if<Decimal>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return Decimal::from_int(*i);
  return Decimal::from_int(0);
}

// A Decimal as integer units and scale (value = units / 10^scale).
std::pair<__int128, int> units_of(const Decimal& d) {
  return {d.units(), d.scale()};
}

Decimal from_units(__int128 units, int scale) {
  return Decimal::from_units(units, scale);
}

__int128 pow10(int n) {
  __int128 p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// round(num / den) half away from zero; den > 0.
__int128 div_round(__int128 num, __int128 den) {
  const bool negative = num < 0;
  if (negative) num = -num;
  __int128 q = num / den;
  if ((num % den) * 2 >= den) ++q;
  return negative ? -q : q;
}

}  // namespace

Decimal multiply(const Decimal& a, const Decimal& b, int scale) {
  const auto [ua, sa] = units_of(a);
  const auto [ub, sb] = units_of(b);
  const __int128 product = ua * ub;  // scale sa + sb
  const int s = sa + sb;
  if (s <= scale) return from_units(product * pow10(scale - s), scale);
  return from_units(div_round(product, pow10(s - scale)), scale);
}

Decimal divide(const Decimal& a, std::int64_t n, int scale) {
  if (n == 0) return Decimal::from_int(0).rounded(scale);
  auto [ua, sa] = units_of(a);
  __int128 den = n;
  if (den < 0) {
    den = -den;
    ua = -ua;
  }
  // a / n = ua / (n * 10^sa); in units of 10^-scale: ua * 10^scale / (n * 10^sa).
  if (scale >= sa) return from_units(div_round(ua * pow10(scale - sa), den), scale);
  return from_units(div_round(ua, den * pow10(sa - scale)), scale);
}

Decimal ratio_decimal(double ratio) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", ratio);
  auto d = Decimal::parse(buf);
  return d ? *d : Decimal::from_int(0);
}

Sql& Sql::in_list(const std::vector<std::string>& items) {
  *this << "(";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) *this << ", ";
    *this << arg(items[i]);
  }
  return *this << ")";
}

namespace {
// Per-statement settings of every analysis query:
// - MariaDB 10.11 re-executing a prepared statement whose grouped derived table it had split
//   (LATERAL DERIVED) can run for minutes (seen with the statement cache: the first execution
//   takes 0.4 s, a later one never ends), so split materialization is off;
// - the per-customer derived tables of a large clinic (about 300 bytes x customers) outgrow the
//   default 16 MB in-memory limit and spill to disk, 5x slower on a 1,000,000-record copy of the
//   fixture, so the limit is raised to 128 MB for these statements only.
constexpr const char* kStatementSettings =
    "SET STATEMENT optimizer_switch='split_materialized=off', tmp_table_size=134217728,"
    " max_heap_table_size=134217728 FOR ";
}  // namespace

Table run(db::Connection& conn, const Sql& sql) {
  return conn.query(kStatementSettings + sql.text(), sql.params());
}

void execute(db::Connection& conn, const Sql& sql) {
  conn.execute(kStatementSettings + sql.text(), sql.params());
}

Sql scope_on_customer(const Scope& scope, std::string_view customer_alias) {
  Sql s;
  if (scope.consultant_id)
    s << " AND " << customer_alias << ".consultant_id = " << arg(*scope.consultant_id);
  return s;
}

Sql scope_on_customer_id(const Scope& scope, std::string_view customer_id_expr) {
  Sql s;
  if (scope.consultant_id)
    s << " AND " << customer_id_expr
      << " IN (SELECT sc.customer_id FROM customers sc WHERE sc.consultant_id = "
      << arg(*scope.consultant_id) << ")";
  return s;
}

Decimal revenue_between(db::Connection& conn, const Date& from, const Date& to,
                        const Scope& scope) {
  return dec_of(run(conn, revenue_sql(from, to, scope)), "revenue");
}

void set_labels(Table& t, const std::vector<ColumnLabel>& labels) {
  for (const auto& l : labels) {
    Column& c = t.columns[index_of(t, l.name)];
    c.label = l.label;
    c.unit = l.unit;
    c.is_phone = l.is_phone;
  }
}

std::vector<RowGroup> group_rows(const Table& t, const std::string& key_column,
                                 const std::vector<std::string>& sum_columns,
                                 const std::string& empty_key) {
  const auto key_at = static_cast<std::size_t>(index_of(t, key_column));
  std::vector<std::size_t> sum_at;
  for (const std::string& c : sum_columns)
    sum_at.push_back(static_cast<std::size_t>(index_of(t, c)));
  std::vector<RowGroup> out;
  std::map<std::string, std::size_t, std::less<>> index;
  for (const Row& row : t.rows) {
    const auto* text = std::get_if<Text>(&row.at(key_at));
    const std::string_view key = text && !text->empty() ? text->view() : empty_key;
    auto it = index.find(key);
    if (it == index.end()) {
      it = index.emplace(std::string(key), out.size()).first;
      out.push_back({std::string(key), 0, std::vector<Decimal>(sum_columns.size())});
    }
    RowGroup& g = out[it->second];
    ++g.count;
    for (std::size_t i = 0; i < sum_at.size(); ++i) g.sums[i] += decimal_of(row.at(sum_at[i]));
  }
  return out;
}

Decimal dec_at(const Table& t, const Row& row, const std::string& column) {
  return decimal_of(row.at(index_of(t, column)));
}

std::int64_t int_at(const Table& t, const Row& row, const std::string& column) {
  const Value& v = row.at(index_of(t, column));
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<Decimal>(&v)) return static_cast<std::int64_t>(d->to_double());
  return 0;
}

double real_at(const Table& t, const Row& row, const std::string& column) {
  const Value& v = row.at(index_of(t, column));
  if (const auto* r = std::get_if<double>(&v)) return *r;
  if (const auto* d = std::get_if<Decimal>(&v)) return d->to_double();
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return 0;
}

std::string str_at(const Table& t, const Row& row, const std::string& column) {
  const Value& v = row.at(index_of(t, column));
  if (const auto* s = std::get_if<Text>(&v)) return *s;
  return "";
}

std::optional<Date> date_at(const Table& t, const Row& row, const std::string& column) {
  const Value& v = row.at(index_of(t, column));
  if (const auto* d = std::get_if<Date>(&v)) return *d;
  return std::nullopt;
}

Decimal dec_of(const Table& t, const std::string& column) {
  if (t.rows.empty()) return Decimal::from_int(0);
  return dec_at(t, t.rows.front(), column);
}

std::int64_t int_of(const Table& t, const std::string& column) {
  if (t.rows.empty()) return 0;
  return int_at(t, t.rows.front(), column);
}

Value change_ratio(const Decimal& current, const Decimal& previous) {
  if (previous.is_zero()) return Null{};
  return (current - previous).to_double() / previous.to_double();
}

Value share(const Decimal& part, const Decimal& whole) {
  if (whole.is_zero()) return Null{};
  return part.to_double() / whole.to_double();
}

Value share(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return Null{};
  return static_cast<double>(part) / static_cast<double>(whole);
}

std::string yuan(const Decimal& v) {
  std::string s = v.rounded(2).to_string();
  const bool negative = !s.empty() && s[0] == '-';
  const std::size_t start = negative ? 1 : 0;
  std::size_t dot = s.find('.');
  if (dot == std::string::npos) dot = s.size();
  for (std::size_t i = dot; i > start + 3; i -= 3) s.insert(i - 3, ",");
  return s + "元";
}

std::string percent(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", ratio * 100.0);
  return buf;
}

std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string percent(const Value& ratio) {
  if (const auto* r = std::get_if<double>(&ratio)) return percent(*r);
  if (const auto* d = std::get_if<Decimal>(&ratio)) return percent(d->to_double());
  return "-";
}

std::string period_zh(const Date& from, const Date& to) {
  return format_date(from) + " 至 " + format_date(to);
}

std::pair<Date, Date> previous_period(const Date& from, const Date& to) {
  const int length = days_between(from, to) + 1;
  return {add_days(from, -length), add_days(from, -1)};
}

std::pair<Date, Date> year_earlier(const Date& from, const Date& to) {
  return {add_months(from, -12), add_months(to, -12)};
}

SummaryItem item(std::string key, std::string label, Value v, ColumnUnit unit) {
  return SummaryItem{std::move(key), std::move(label), std::move(v), unit};
}

}  // namespace yimei::analysis::detail
