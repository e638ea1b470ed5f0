// Sentences of the presentation rules: a value with its unit (万元 as an exact decimal shift),
// the window and filters it is about, and the change between two periods (see present_parts.hpp).
#include <cmath>

#include "core/present/present_parts.hpp"
#include "core/render/column_traits.hpp"
#include "core/render/number_text.hpp"
#include "core/render/table_render.hpp"
#include "core/text2sql/semantic_model.hpp"

namespace yimei::present {
namespace {

std::string strip_zeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// d / 10^4 as exact decimal text, rounded to 2 decimals ("12.35").
std::string in_wan(const Decimal& d) {
  std::string s = d.rounded(2).to_string();
  const bool neg = !s.empty() && s[0] == '-';
  if (neg) s.erase(0, 1);
  const auto dot = s.find('.');
  std::string ip = s.substr(0, dot), fp = dot == std::string::npos ? "" : s.substr(dot + 1);
  while (ip.size() < 5) ip = "0" + ip;
  const std::string shifted = ip.substr(0, ip.size() - 4) + "." + ip.substr(ip.size() - 4) + fp;
  const auto wan = Decimal::parse((neg ? "-" : "") + shifted);
  return strip_zeros(wan ? wan->rounded(2).to_string() : shifted);
}

std::string money_text(const Decimal& d) {
  const std::string exact = render::with_thousands(d.rounded(2).to_string()) + " 元";
  const Decimal limit = Decimal::from_int(10000);
  if (d >= limit || d <= Decimal::from_int(-10000)) return in_wan(d) + "万元（" + exact + "）";
  return exact;
}

// "今年（支付方式：微信）" or "【会员等级：银卡】": the window and filters a value is about.
std::string period_words(const text2sql::QuerySpec* spec) {
  if (!spec) return "";
  std::string out;
  if (spec->time)
    out = !spec->time->label.empty()
              ? spec->time->label
              : format_date(spec->time->from) + "至" + format_date(spec->time->to);
  std::string filters;
  for (const auto& f : spec->filters) {
    std::string values;
    for (const auto& v : f.values) values += (values.empty() ? "" : "、") + v;
    if (values.empty() || f.field == "is_new") continue;  // 新客 is already in the measure's label
    const std::string op = f.op == "=" || f.op == "in" ? "：" : f.op == "!=" ? "不是" : f.op;
    filters += (filters.empty() ? "" : "，") + text2sql::field_label(f.field) + op + values;
  }
  if (!filters.empty()) out += out.empty() ? "【" + filters + "】" : "（" + filters + "）";
  return out;
}

}  // namespace

std::string value_with_unit(const Value& v, const Column& c) {
  if (is_null(v)) return "没有数据";
  if (c.unit == ColumnUnit::Percent) return render::format_value(v, c, false);
  if (render::is_money(c)) {
    if (const auto* d = std::get_if<Decimal>(&v)) return money_text(*d);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return money_text(Decimal::from_int(*i));
    if (const auto* r = std::get_if<double>(&v))
      return render::with_thousands(render::fixed_text(*r, 2)) + " 元";
  }
  std::string text = render::format_value(v, c, false);
  if (c.unit == ColumnUnit::Days) text += " 天";
  if (const auto* r = std::get_if<double>(&v); r && c.unit == ColumnUnit::Count)
    text = strip_zeros(render::with_thousands(render::fixed_text(*r, 2)));
  return text;
}

namespace detail {

std::string short_value(const Value& v, const Column& c) {
  if (render::is_money(c))
    if (const auto* d = std::get_if<Decimal>(&v)) {
      if (*d >= Decimal::from_int(10000) || *d <= Decimal::from_int(-10000))
        return in_wan(*d) + "万元";
      return render::with_thousands(d->rounded(2).to_string()) + " 元";
    }
  return value_with_unit(v, c);
}

std::string measures_sentence(const Table& t, const Row& r, const Shape& s,
                              const PresentInput& in) {
  std::string out;
  const std::string when = period_words(in.spec);
  std::string who;
  for (std::size_t j : s.labels) who += cell_text(r[j], t.columns[j], in.show_phone);
  for (std::size_t j : s.numbers) {
    std::string label = t.columns[j].display();
    out += (out.empty() ? "" : "；") + label + "：" + value_with_unit(r[j], t.columns[j]);
  }
  std::string prefix = when.empty() || out.find(when) != std::string::npos ? "" : when;
  if (!who.empty()) prefix += (prefix.empty() ? "" : " ") + who + " ";
  return prefix + out + "。";
}

std::string change_text(const Value& cur, const Value& prev, const Column& c) {
  const double x = number_of(cur), y = number_of(prev);
  const double xx = std::isnan(x) ? 0 : x, yy = std::isnan(y) ? 0 : y;
  std::string pct;
  if (yy != 0) {
    const double ratio = (xx - yy) / std::abs(yy) * 100.0;
    pct = (ratio >= 0 ? "+" : "") + render::fixed_text(ratio, 1) + "%";
  } else {
    pct = "对比期为 0";
  }
  std::string diff;
  const auto* dc = std::get_if<Decimal>(&cur);
  const auto* dp = std::get_if<Decimal>(&prev);
  if (render::is_money(c)) {
    const Decimal a = dc ? *dc : Decimal::from_int(static_cast<std::int64_t>(std::llround(xx)));
    const Decimal b = dp ? *dp : Decimal::from_int(static_cast<std::int64_t>(std::llround(yy)));
    const Decimal d = a - b;
    diff = (d.is_negative() ? "减少 " : "增加 ") + short_value(d.is_negative() ? b - a : d, c);
  } else if (c.unit != ColumnUnit::Percent) {
    const double d = xx - yy;
    Column cc = c;
    diff = (d < 0 ? "减少 " : "增加 ") + value_with_unit(std::abs(d), cc);
  }
  return pct + (diff.empty() ? "" : "，" + diff);
}

}  // namespace detail
}  // namespace yimei::present
