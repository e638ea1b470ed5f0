// Two-period answers (see comparison.hpp).
#include "core/present/comparison.hpp"

#include <cmath>
#include <map>

#include "core/render/table_render.hpp"
#include "core/text2sql/engine.hpp"

namespace yimei::present {
namespace {

std::string period_text(const text2sql::Period& p) {
  const std::string dates = format_date(p.from) + "至" + format_date(p.to);
  return p.label.empty() ? dates : p.label + "（" + dates + "）";
}

std::string key_of(const Row& r, std::size_t labels, const Table& t) {
  std::string k;
  for (std::size_t j = 0; j < labels; ++j)
    k += render::format_value(r[j], t.columns[j], true) + "\x1f";
  return k;
}

Value zero_like(const Value& v) {
  if (std::holds_alternative<Decimal>(v)) return Decimal::from_int(0);
  if (std::holds_alternative<double>(v)) return 0.0;
  return std::int64_t{0};
}

Value minus(const Value& a0, const Value& b0) {
  const Value a = is_null(a0) ? zero_like(b0) : a0;
  const Value b = is_null(b0) ? zero_like(a0) : b0;
  if (const auto* x = std::get_if<Decimal>(&a)) {
    if (const auto* y = std::get_if<Decimal>(&b)) return *x - *y;
    if (const auto* y = std::get_if<std::int64_t>(&b)) return *x - Decimal::from_int(*y);
  }
  if (const auto* x = std::get_if<std::int64_t>(&a)) {
    if (const auto* y = std::get_if<std::int64_t>(&b)) return *x - *y;
    if (const auto* y = std::get_if<Decimal>(&b)) return Decimal::from_int(*x) - *y;
  }
  auto num = [](const Value& v) -> double {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<Decimal>(&v)) return d->to_double();
    if (const auto* r = std::get_if<double>(&v)) return *r;
    return 0;
  };
  return num(a) - num(b);
}

double as_double(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<Decimal>(&v)) return d->to_double();
  if (const auto* r = std::get_if<double>(&v)) return *r;
  return std::nan("");
}

}  // namespace

std::string comparison_kind(const text2sql::Period& current, const text2sql::Period& previous) {
  if (add_months(current.from, -12) == previous.from) return "同比";
  if (previous.to < current.from && days_between(previous.to, current.from) <= 31) return "环比";
  return "对比";
}

std::optional<PeriodSpecs> split_periods(const text2sql::QuerySpec& spec) {
  if (spec.frame != "compare" || !spec.time || !spec.compare_time || spec.measures.empty())
    return std::nullopt;
  for (const auto& d : spec.dimensions)
    if (d == "day" || d == "week" || d == "month" || d == "quarter" || d == "year")
      return std::nullopt;
  // The later window is "now", whichever way the question subtracts.
  const bool swapped = spec.compare_time->from > spec.time->from;
  const text2sql::Period& cur = swapped ? *spec.compare_time : *spec.time;
  const text2sql::Period& prev = swapped ? *spec.time : *spec.compare_time;
  text2sql::QuerySpec base = spec;
  base.frame = "aggregate";
  base.measures = {spec.measures.front()};
  base.compare_time.reset();
  base.compare_mode.clear();
  base.order_by.clear();
  base.limit = 0;
  base.output.clear();
  PeriodSpecs out{base, base};
  out.current.time = cur;
  out.previous.time = prev;
  return out;
}

Comparison merge_periods(const text2sql::QuerySpec& spec, const Table& current,
                         const Table& previous) {
  Comparison c;
  const auto split = split_periods(spec);
  if (split) {
    c.kind_zh = comparison_kind(*split->current.time, *split->previous.time);
    c.current_label = period_text(*split->current.time);
    c.previous_label = period_text(*split->previous.time);
  }
  if (current.columns.empty()) return c;
  const std::size_t labels = current.columns.size() - 1;
  c.label_columns = labels;
  Table& t = c.table;
  for (std::size_t j = 0; j < labels; ++j) t.columns.push_back(current.columns[j]);
  Column now = current.columns[labels];
  Column before = now;
  before.name += "_previous";
  before.label = now.display() + "（对比期）";
  Column diff = now;
  diff.name += "_change";
  diff.label = "增减";
  Column ratio{now.name + "_change_rate", "增减率", ColumnType::Real, ColumnUnit::Percent};
  t.columns.insert(t.columns.end(), {now, before, diff, ratio});

  std::map<std::string, Value> prev_by_key;
  std::map<std::string, const Row*> prev_rows;
  for (const Row& r : previous.rows)
    if (r.size() == labels + 1) {
      prev_by_key[key_of(r, labels, previous)] = r[labels];
      prev_rows[key_of(r, labels, previous)] = &r;
    }
  std::map<std::string, bool> seen;
  auto add_row = [&](const Row& labels_from, const Value& a, const Value& b) {
    Row row(labels_from.begin(), labels_from.begin() + static_cast<std::ptrdiff_t>(labels));
    row.push_back(a);
    row.push_back(b);
    row.push_back(minus(a, b));
    const double x = as_double(a), y = as_double(b);
    const double xx = std::isnan(x) ? 0 : x;
    row.push_back(!std::isnan(y) && y != 0 ? Value((xx - y) / std::abs(y)) : Value(Null{}));
    t.rows.push_back(std::move(row));
  };
  for (const Row& r : current.rows) {
    if (r.size() != labels + 1) continue;
    const std::string k = key_of(r, labels, current);
    seen[k] = true;
    auto it = prev_by_key.find(k);
    add_row(r, r[labels], it == prev_by_key.end() ? Value(Null{}) : it->second);
  }
  for (const auto& [k, r] : prev_rows)
    if (!seen.count(k)) add_row(*r, Null{}, (*r)[labels]);
  return c;
}

std::optional<Comparison> compare_periods(const text2sql::QuerySpec& spec, const SpecRunner& run) {
  auto split = split_periods(spec);
  if (!split || !run) return std::nullopt;
  Outcome<Table> cur = run(split->current);
  if (!cur) return std::nullopt;
  Outcome<Table> prev = run(split->previous);
  if (!prev) return std::nullopt;
  if (cur->columns.size() != prev->columns.size() || cur->columns.empty()) return std::nullopt;
  return merge_periods(spec, *cur, *prev);
}

std::optional<Comparison> compare_answer(text2sql::Engine& engine, const text2sql::Answer& a,
                                         const Date& as_of,
                                         const std::optional<std::string>& consultant_scope) {
  if (!a.spec || !a.answered()) return std::nullopt;
  return compare_periods(*a.spec, [&](const text2sql::QuerySpec& q) -> Outcome<Table> {
    try {
      auto r = engine.run_spec(q, a.question, as_of, consultant_scope);
      if (!r) return r.error();
      return std::move(r->table);
    } catch (const db::DbError& e) {
      if (!e.is_statement_timeout()) throw;
      return bad_input("查询超时");
    }
  });
}

}  // namespace yimei::present
