// growth-top3 (增长点前三): the highest-scoring opportunities of growth-points (analysis core),
// data up to yesterday, each with its amount, formula and actions.
#include "core/report/report_parts.hpp"

namespace yimei::report::detail {

Report growth_top3(Context& c) {
  const Date through = c.yesterday();
  const analysis::AnalysisResult a =
      run(c, "growth-points", through, {{"vip_levels", c.params.at("vip_levels")}});
  const auto top = static_cast<std::size_t>(c.int_param("top"));
  Report r = c.start(through);
  r.figures.columns = a.table.columns;
  for (std::size_t i = 0; i < a.table.rows.size() && i < top; ++i)
    r.figures.rows.push_back(a.table.rows[i]);

  Decimal total;
  for (const auto& o : a.opportunities) total += o.opportunity_amount;
  r.text_zh = "【" + r.title_zh + "】数据截至 " + format_date(through) + "\n";
  r.text_zh += "共识别 " + std::to_string(a.opportunities.size()) + " 个增长点，机会金额合计 " +
               yuan(total) + "（各项可能有重叠）。最值得优先做的 " +
               std::to_string(std::min(top, a.opportunities.size())) + " 项：\n";
  for (std::size_t i = 0; i < a.opportunities.size() && i < top; ++i) {
    const analysis::Opportunity& o = a.opportunities[i];
    r.text_zh += std::to_string(o.rank) + ". 【" + o.priority_zh + "】" + o.title_zh + "：机会 " +
                 yuan(o.opportunity_amount) + "，目标 " + std::to_string(o.targets.rows.size()) +
                 " 个" + o.target_kind_zh + "。测算：" + o.formula_zh + "。行动：";
    for (std::size_t k = 0; k < o.actions_zh.size(); ++k)
      r.text_zh += (k ? "；" : "") + std::to_string(k + 1) + ") " + o.actions_zh[k];
    r.text_zh += "\n";
  }
  r.chart_png = draw(table_chart(
      r.figures, render::ChartKind::Bar, "增长点机会金额（前" + std::to_string(top) + "）",
      "数据截至 " + format_date(through), "title", {"opportunity_amount"}));
  return r;
}

}  // namespace yimei::report::detail
