// Result tables as JSON per docs/spec/interfaces.md: numbers as JSON numbers (money rounded to
// 2 decimals), dates "YYYY-MM-DD", NULL null, phones masked unless show_phone.
#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/render/column_traits.hpp"
#include "core/render/json_text.hpp"
#include "core/render/number_text.hpp"
#include "core/render/table_render.hpp"

namespace yimei::render {
namespace {

double parse_double(const std::string& text) {
  double x = 0;
  std::from_chars(text.data(), text.data() + text.size(), x);
  return x;
}

// The double nearest to `d`, and whether printing it back gives exactly `d`.
std::pair<double, bool> as_double(const Decimal& d) {
  const double x = parse_double(d.to_string());
  const auto back = Decimal::parse(shortest_text(x));
  return {x, back && *back == d};
}

boost::json::value decimal_json(const Decimal& d, const Column& c) {
  if (!is_money(c)) return as_double(d).first;  // a ratio: the nearest double is precise enough
  const Decimal money = d.rounded(2);
  // Below 10^13 yuan (15 digits with the cents) the cents divided by 100 are the nearest double
  // (one correctly rounded division of two exact doubles) and print back exactly: the text
  // round trip below, a third of writing a large result, is then not needed.
  static const Decimal kExactAbove = Decimal::from_int(-10'000'000'000'000);
  static const Decimal kExactBelow = Decimal::from_int(10'000'000'000'000);
  if (kExactAbove < money && money < kExactBelow) return money.to_double();
  const auto [x, exact] = as_double(money);
  if (exact) return x;
  return boost::json::string(money.to_string());  // beyond a double's 15 digits: exact text
}

boost::json::value real_json(double v, const Column& c) {
  if (!std::isfinite(v)) return nullptr;
  if (is_money(c)) return parse_double(fixed_text(v, 2));
  return v;
}

}  // namespace

boost::json::value to_json_value(const Value& v, const Column& c, bool show_phone) {
  if (c.is_phone && !is_null(v)) return boost::json::string(format_value(v, c, show_phone));
  return std::visit(
      [&c](const auto& x) -> boost::json::value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Null>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return x;
        } else if constexpr (std::is_same_v<T, Decimal>) {
          return decimal_json(x, c);
        } else if constexpr (std::is_same_v<T, double>) {
          return real_json(x, c);
        } else if constexpr (std::is_same_v<T, Text>) {
          return boost::json::string(x.view());
        } else {
          return boost::json::string(format_date(x));
        }
      },
      v);
}

boost::json::object to_json(const Table& t, bool show_phone) {
  boost::json::array columns;
  for (const Column& c : t.columns) columns.emplace_back(c.name);
  boost::json::array rows;
  rows.reserve(t.rows.size());
  for (const Row& row : t.rows) {
    boost::json::array cells;
    for (std::size_t j = 0; j < t.columns.size(); ++j)
      cells.push_back(j < row.size() ? to_json_value(row[j], t.columns[j], show_phone) : nullptr);
    rows.push_back(std::move(cells));
  }
  boost::json::object out;
  out["columns"] = std::move(columns);
  out["rows"] = std::move(rows);
  return out;
}

void append_json_row(std::string& out, const Table& t, const Row& row, bool show_phone) {
  out += '[';
  for (std::size_t j = 0; j < t.columns.size(); ++j) {
    if (j) out += ',';
    const Column& c = t.columns[j];
    const Value* v = j < row.size() ? &row[j] : nullptr;
    if (!v || is_null(*v)) {
      out += "null";
    } else if (const auto* i = std::get_if<std::int64_t>(v)) {
      char digits[24];
      out.append(digits, std::to_chars(digits, digits + sizeof digits, *i).ptr);
    } else if (c.is_phone) {
      append_json_string(out, format_value(*v, c, show_phone));
    } else if (const auto* s = std::get_if<Text>(v)) {
      append_json_string(out, *s);
    } else if (const auto* d = std::get_if<Date>(v)) {
      out.append(1, '"').append(format_date(*d)).append(1, '"');
    } else if (const boost::json::value x = to_json_value(*v, c, show_phone); x.is_double()) {
      append_json_number(out, x.get_double());
    } else {  // money beyond a double's digits: its exact text, as a string
      out += json_text(x);
    }
  }
  out += ']';
}

}  // namespace yimei::render
