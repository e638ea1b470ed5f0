// Provenance: definitions from the semantic model, windows with dates, filters in Chinese.
#include "core/text2sql/provenance.hpp"

#include "core/text2sql/semantic_model.hpp"

namespace yimei::text2sql {

namespace {

std::string engine_name(const std::string& engine) {
  return engine == "llm" ? "大模型" : "规则引擎";
}

std::string period_text(const Period& p) {
  std::string dates = format_date(p.from) + "至" + format_date(p.to);
  if (p.label.empty()) return dates;
  return p.label + "（" + dates + "）";
}

std::string op_text(const std::string& op) {
  if (op == "!=") return "≠";
  if (op == ">=") return "≥";
  if (op == "<=") return "≤";
  return op;
}

std::string filter_text(const Filter& f) {
  if (f.field == "is_new") return f.values.front() == "0" ? "老客" : "新客（首次消费日的记录）";
  std::string values;
  for (std::size_t i = 0; i < f.values.size(); ++i) values += (i ? "、" : "") + f.values[i];
  std::string label = field_label(f.field);
  if (f.field == "customer_consultant") label = "专属咨询师";
  if (f.field == "consultant") label = "咨询师";
  return label + op_text(f.op) + values;
}

std::string filters_text(const std::vector<Filter>& fs) {
  std::string out;
  for (const auto& f : fs) out += (out.empty() ? "" : "，") + filter_text(f);
  return out;
}

std::string definition(const QuerySpec& s) {
  if (s.frame == "second_purchase")
    return "二开率=首购在区间内的新客中，首购后" + std::to_string(s.window_days) +
           "天内再次消费的比例";
  if (s.frame == "inactive")
    return "不活跃=最近一次消费、划扣或到店距今≥" + std::to_string(s.window_days) + "天";
  if (s.frame == "having" && s.having) {
    std::string metric = s.having->metric == "visit_days" ? "不同消费日期数"
                         : s.having->metric == "amount"   ? "消费金额合计"
                         : s.having->metric == "orders"   ? "订单数"
                                                          : "未划扣余额";
    std::string d = metric + op_text(s.having->op) + s.having->value;
    if (s.output == "rate") d = "复购率=" + d + "的顾客÷有消费的顾客";
    return d;
  }
  if (s.frame == "entity_set") {
    std::string d;
    for (const auto& c : s.conditions) {
      std::string ev = c.event == "write_off" ? "划扣"
                       : c.event == "balance" ? "未划扣余额"
                                              : "消费";
      std::string part = (c.negated ? "没有" : "有") + ev;
      if (c.time) part += "（" + period_text(*c.time) + "）";
      if (!c.filters.empty()) part += "[" + filters_text(c.filters) + "]";
      d += (d.empty() ? "" : "，") + part;
    }
    return d;
  }
  std::string d;
  for (const auto& id : s.measures)
    if (const MeasureDef* m = find_measure(id))
      d += (d.empty() ? "" : "；") + std::string(m->definition);
  if (s.frame == "compare" || s.frame == "growth_rank")
    d += s.compare_mode == "ratio" ? "；增长率=(本期-对比期)÷对比期" : "；差额=本期-对比期";
  return d;
}

}  // namespace

std::string provenance_line(const QuerySpec& s, const std::string& engine) {
  std::string line;
  const std::string def = definition(s);
  if (!def.empty()) line += "口径：" + def + "；";
  if (s.frame == "compare" || s.frame == "growth_rank") {
    if (s.time) line += "本期：" + period_text(*s.time) + "；";
    if (s.compare_time) line += "对比期：" + period_text(*s.compare_time) + "；";
  } else if (s.frame == "second_purchase") {
    if (s.time) line += "首购区间：" + period_text(*s.time) + "；";
  } else if (s.frame != "entity_set") {
    std::string field = s.time_field == "register_date"     ? "（注册日期）"
                        : s.time_field == "expiration_date" ? "（有效期）"
                                                            : "";
    line += "时间：" + (s.time ? period_text(*s.time) + field : std::string("全部")) + "；";
  }
  if (!s.filters.empty()) line += "筛选：" + filters_text(s.filters) + "；";
  if (s.limit > 0 && (s.frame == "top" || s.frame == "growth_rank"))
    line += "取前" + std::to_string(s.limit) + "名；";
  line += "引擎：" + engine_name(engine);
  return line;
}

std::string provenance_line_for_sql(const std::string& engine) {
  return "口径：由" + engine_name(engine) + "生成的SQL（已通过只读安全检查）；引擎：" +
         engine_name(engine);
}

}  // namespace yimei::text2sql
