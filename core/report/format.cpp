// Cell reads, the Chinese number and date formats of the report narratives, exact threshold
// comparisons and chart drawing for the report builders.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <stdexcept>

#include "core/render/table_render.hpp"
#include "core/report/report_parts.hpp"

namespace yimei::report::detail {
namespace {

int column_of(const Table& t, const std::string& column) {
  const int i = t.column_index(column);
  if (i < 0) throw std::logic_error("report: no column " + column);
  return i;
}

// The integer count of units of d at `scale` decimals (d rounded), e.g. 0.2 at 6 -> 200000.
__int128 units_at(const Decimal& d, int scale) {
  const std::string s = d.rounded(scale).to_string();
  __int128 v = 0;
  bool negative = false;
  for (char ch : s) {
    if (ch == '-') negative = true;
    if (ch >= '0' && ch <= '9') v = v * 10 + (ch - '0');
  }
  return negative ? -v : v;
}

}  // namespace

Decimal dec_cell(const Table& t, const Row& row, const std::string& column) {
  const Value& v = row[column_of(t, column)];
  if (const auto* d = std::get_if<Decimal>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return Decimal::from_int(*i);
  if (const auto* s = std::get_if<Text>(&v)) return Decimal::from_db(*s);
  return Decimal{};
}

std::int64_t int_cell(const Table& t, const Row& row, const std::string& column) {
  const Value& v = row[column_of(t, column)];
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<Decimal>(&v)) return std::stoll(d->rounded(0).to_string());
  return 0;
}

std::string text_cell(const Table& t, const Row& row, const std::string& column) {
  const int i = column_of(t, column);
  if (is_null(row[i])) return "";
  if (const auto* s = std::get_if<Text>(&row[i])) return *s;
  return render::format_value(row[i], t.columns[i], true);
}

const Value& summary_value(const analysis::AnalysisResult& r, const std::string& key) {
  for (const auto& s : r.summary)
    if (s.key == key) return s.value;
  throw std::logic_error("report: analysis " + r.name + " has no summary item " + key);
}

std::string yuan(const Decimal& v) {
  const std::string s = v.rounded(2).to_string();
  const bool negative = !s.empty() && s[0] == '-';
  const std::string digits = negative ? s.substr(1) : s;
  const auto dot = digits.find('.');
  std::string whole = digits.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : digits.substr(dot);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return (negative ? "-" : "") + grouped + frac + "元";
}

std::string percent(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", ratio * 100.0);
  return buf;
}

std::string change_text(const Decimal& current, const Decimal& previous) {
  if (previous.is_zero()) return current.is_zero() ? "持平" : "（对比期为 0）";
  if (current == previous) return "持平";
  const double ratio = (current - previous).to_double() / previous.to_double();
  return (ratio > 0 ? "+" : "") + percent(ratio);
}

std::string change_text(std::int64_t current, std::int64_t previous) {
  return change_text(Decimal::from_int(current), Decimal::from_int(previous));
}

std::string day_text(const Date& d) {
  static const char* kNames[] = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};
  return format_date(d) + "（" + kNames[iso_weekday(d)] + "）";
}

std::string period_text(const Date& from, const Date& to) {
  return format_date(from) + " 至 " + format_date(to);
}

bool dropped_more_than(const Decimal& current, const Decimal& previous, const Decimal& ratio) {
  constexpr int kScale = 6;
  __int128 scale = 1;
  for (int i = 0; i < kScale; ++i) scale *= 10;
  // (previous - current) x 10^6 > previous x (ratio x 10^6), with money at 2 decimals.
  const __int128 drop = units_at(previous - current, 2) * scale;
  const __int128 limit = units_at(previous, 2) * units_at(ratio, kScale);
  return drop > limit;
}

std::vector<std::uint8_t> draw(const render::ChartSpec& spec) {
  try {
    return render::render_chart(spec).png;
  } catch (const std::exception& e) {
    spdlog::warn("report chart not drawn: {}", e.what());  // the text still goes out
    return {};
  }
}

render::ChartSpec table_chart(const Table& t, render::ChartKind kind, const std::string& title,
                              const std::string& subtitle, const std::string& label,
                              const std::vector<std::string>& values) {
  render::ChartSpec spec = render::chart_from_table(t, kind, title, label, values);
  spec.subtitle = subtitle;
  return spec;
}

}  // namespace yimei::report::detail
