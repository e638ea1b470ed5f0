// Parameter validation and typed access for the analyses (see params.hpp).
#include "core/analysis/params.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace yimei::analysis {
namespace {

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return c != ' ' && c != '\t'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::optional<std::int64_t> parse_int(const std::string& s) {
  std::int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end || s.empty()) return std::nullopt;
  return v;
}

std::string range_text(const ParamSpec& p) {
  if (!p.min_value.empty() && !p.max_value.empty())
    return p.min_value + " 到 " + p.max_value + " 之间的";
  if (!p.min_value.empty()) return "不小于 " + p.min_value + " 的";
  if (!p.max_value.empty()) return "不大于 " + p.max_value + " 的";
  return "";
}

bool within(const Decimal& v, const ParamSpec& p) {
  if (!p.min_value.empty() && v < Decimal::from_db(p.min_value)) return false;
  if (!p.max_value.empty() && v > Decimal::from_db(p.max_value)) return false;
  return true;
}

// Normalized text of a valid value, or the Chinese reason it is not valid.
Outcome<std::string> check_value(const ParamSpec& p, const std::string& raw) {
  const std::string v = trim(raw);
  const std::string got = "，收到「" + raw + "」";
  switch (p.type) {
    case ParamType::Int: {
      auto n = parse_int(v);
      if (!n || !within(Decimal::from_int(*n), p))
        return bad_input("参数 " + p.key + "（" + p.description_zh + "）应为" + range_text(p) +
                         "整数" + got);
      return std::to_string(*n);
    }
    case ParamType::Decimal: {
      auto d = Decimal::parse(v);
      if (!d || !within(*d, p))
        return bad_input("参数 " + p.key + "（" + p.description_zh + "）应为" + range_text(p) +
                         "数字" + got);
      return d->to_string();
    }
    case ParamType::Date: {
      auto d = parse_date(v);
      if (!d)
        return bad_input("参数 " + p.key + "（" + p.description_zh +
                         "）应为 YYYY-MM-DD 格式的日期" + got);
      return format_date(*d);
    }
    case ParamType::List: {
      auto items = split_list(v);
      if (items.empty())
        return bad_input("参数 " + p.key + "（" + p.description_zh +
                         "）不能为空，多个值用逗号分隔");
      std::string out;
      for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
      return out;
    }
  }
  return bad_input("参数 " + p.key + " 的类型未知");
}

std::string param_list_zh(const AnalysisInfo& info) {
  std::string out;
  for (const auto& p : info.params)
    out += (out.empty() ? "" : "、") + p.key + "（" + p.description_zh + "，默认 " +
           p.default_value + "）";
  if (info.has_period) out += std::string(out.empty() ? "" : "、") + "from、to（统计区间）";
  return out.empty() ? "无" : out;
}

Outcome<std::optional<Date>> period_bound(const AnalysisRequest& r, const std::optional<Date>& d,
                                          const char* key, const char* label) {
  if (d) return d;
  auto it = r.params.find(key);
  if (it == r.params.end()) return std::optional<Date>{};
  auto parsed = parse_date(trim(it->second));
  if (!parsed)
    return bad_input(std::string(label) + "「" + it->second + "」不是有效日期，应为 YYYY-MM-DD");
  return std::optional<Date>{*parsed};
}

}  // namespace

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string t = trim(cur);
    if (!t.empty()) out.push_back(t);
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ',') {
      flush();
      ++i;
    } else if (text.compare(i, 3, "，") == 0 || text.compare(i, 3, "、") == 0) {
      flush();
      i += 3;
    } else {
      cur += text[i++];
    }
  }
  flush();
  return out;
}

const std::string& ParamValues::raw(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::logic_error("analysis parameter not declared: " + key);
  return it->second;
}

std::int64_t ParamValues::get_int(const std::string& key) const {
  auto v = parse_int(raw(key));
  if (!v) throw std::logic_error("analysis parameter is not an integer: " + key);
  return *v;
}

Decimal ParamValues::get_decimal(const std::string& key) const {
  return Decimal::from_db(raw(key));
}

Date ParamValues::get_date(const std::string& key) const {
  auto d = parse_date(raw(key));
  if (!d) throw std::logic_error("analysis parameter is not a date: " + key);
  return *d;
}

std::vector<std::string> ParamValues::get_list(const std::string& key) const {
  return split_list(raw(key));
}

Outcome<ResolvedRequest> resolve_request(const AnalysisInfo& info, const AnalysisRequest& request) {
  ResolvedRequest out;
  out.info = &info;
  out.as_of = request.as_of;
  out.scope = request.scope;
  if (!request.as_of.ok()) return bad_input("基准日 as_of 不是有效日期");

  std::map<std::string, std::string> values;
  for (const auto& p : info.params) values[p.key] = p.default_value;
  for (const auto& [key, raw] : request.params) {
    if (info.has_period && (key == "from" || key == "to")) continue;
    auto spec = std::find_if(info.params.begin(), info.params.end(),
                             [&](const ParamSpec& p) { return p.key == key; });
    if (spec == info.params.end())
      return bad_input("分析「" + info.title_zh + "」没有参数 " + key + "；可用参数：" +
                       param_list_zh(info));
    auto checked = check_value(*spec, raw);
    if (!checked) return checked.error();
    values[key] = checked.value();
  }
  out.params = ParamValues(std::move(values));

  auto from = period_bound(request, request.from, "from", "开始日期");
  if (!from) return from.error();
  auto to = period_bound(request, request.to, "to", "结束日期");
  if (!to) return to.error();
  if (!*from && !*to) return out;
  if (!info.has_period)
    return bad_input("分析「" + info.title_zh +
                     "」按基准日统计，不接受 from/to 区间，请用 --as-of");
  if (!*from || !*to) return bad_input("统计区间需要同时给出开始日期和结束日期（from 和 to）");
  if (**from > **to)
    return bad_input("开始日期 " + format_date(**from) + " 晚于结束日期 " + format_date(**to));
  if (**from > request.as_of)
    return bad_input("开始日期 " + format_date(**from) + " 晚于基准日 " +
                     format_date(request.as_of) + "，基准日之后的记录不参与统计");
  out.from = **from;
  // Records after as_of are ignored everywhere: the period ends at as_of at the latest.
  out.to = std::min(**to, request.as_of);
  return out;
}

}  // namespace yimei::analysis
