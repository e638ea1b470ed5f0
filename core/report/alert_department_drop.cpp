// alert-department-drop (科室业绩下滑预警): a department whose revenue of the last 7 days
// (to yesterday) fell more than drop_ratio against the 7 days before, from
// department-performance of the analysis core. One cause per department.
#include "core/report/report_parts.hpp"

namespace yimei::report::detail {

Report alert_department_drop(Context& c) {
  const Date through = c.yesterday();
  const Date from = add_days(through, -6);
  const analysis::AnalysisResult a = run(c, "department-performance", through, {}, from, through);
  const Decimal ratio = c.decimal_param("drop_ratio");
  const Decimal min_previous = c.decimal_param("min_previous");
  const std::string threshold = percent(ratio.to_double());
  const std::string cur_text = "近7天（" + period_text(from, through) + "）";
  const std::string prev_text = "前7天（" + period_text(*a.previous_from, *a.previous_to) + "）";

  Report r = c.start(through);
  r.figures = a.table;
  std::vector<std::string> dropped;
  std::string lines;  // one per department that fired, for the message
  for (const Row& row : a.table.rows) {
    const Decimal current = dec_cell(a.table, row, "revenue");
    const Decimal previous = dec_cell(a.table, row, "previous_revenue");
    if (!(previous > Decimal{}) || previous < min_previous ||
        !dropped_more_than(current, previous, ratio))
      continue;
    const std::string department = text_cell(a.table, row, "department");
    dropped.push_back(department);
    AlertCause cause{"department-drop:" + department,
                     department + " " + cur_text + "业绩 " + yuan(current) + "，较" + prev_text +
                         " " + yuan(previous) + " 下降 " +
                         percent((previous - current).to_double() / previous.to_double()) +
                         "，超过 " + threshold + " 的阈值。"};
    if (c.request.quiet_causes.count(cause.key)) {
      r.quieted.push_back(cause.key);
      continue;
    }
    r.causes.push_back(std::move(cause));
    lines += "· " + department + "：近7天 " + yuan(current) + "，前7天 " + yuan(previous) +
             "，下降 " + percent((previous - current).to_double() / previous.to_double()) + "\n";
  }

  r.text_zh = "【" + r.title_zh + "】" + cur_text + "对比" + prev_text + "\n";
  if (r.causes.empty()) {
    r.not_fired_zh = dropped.empty() ? "各科室近7天业绩较前7天的降幅都没有超过 " + threshold + "。"
                                     : "业绩下滑的科室仍在静默期内，不重复提醒。";
    r.text_zh += "未触发：" + r.not_fired_zh + "\n";
    return r;
  }
  r.text_zh += std::to_string(r.causes.size()) + " 个科室近7天业绩较前7天下降超过 " + threshold +
               "：\n" + lines;
  if (!r.quieted.empty())
    r.text_zh +=
        "另有 " + std::to_string(r.quieted.size()) + " 个科室的下滑已提醒过，仍在静默期内。\n";
  r.text_zh += "建议尽快复盘这些科室的到店、转化与咨询师排班。\n";
  auto spec =
      table_chart(a.table, render::ChartKind::GroupedBar, "各科室近7天业绩对比前7天",
                  period_text(from, through), "department", {"revenue", "previous_revenue"});
  if (spec.series.size() == 2) {
    spec.series[0].name = "近7天";
    spec.series[1].name = "前7天";
  }
  r.chart_png = draw(spec);
  return r;
}

}  // namespace yimei::report::detail
