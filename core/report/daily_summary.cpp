// daily-summary (每日经营摘要): yesterday's revenue, orders, new customers and 划扣, in total and
// by department, against the same weekday one week before.
#include "core/report/report_parts.hpp"

namespace yimei::report::detail {

Report daily_summary(Context& c) {
  const Date day = c.yesterday();
  const Date week_before = add_days(day, -7);
  Report r = c.start(day);
  const PeriodTotals now = period_totals(c.conn, day, day);
  const PeriodTotals cmp = period_totals(c.conn, week_before, week_before);
  r.figures = department_figures(c.conn, day, day, week_before, week_before);

  r.text_zh = "【" + r.title_zh + "】" + day_text(day) + "\n";
  r.text_zh +=
      totals_sentence(now, cmp, "上周同日（" + format_date(week_before) + "）", "上周同日") + "\n";
  if (r.figures.rows.empty()) {
    r.text_zh += "昨日和上周同日都没有消费或划扣记录。\n";
  } else {
    r.text_zh += "按科室（对比上周同日）：\n" + department_lines(r.figures, "上周同日");
  }
  auto spec = table_chart(r.figures, render::ChartKind::GroupedBar, "昨日各科室实收",
                          day_text(day) + " 对比上周同日 " + format_date(week_before), "department",
                          {"revenue", "cmp_revenue"});
  if (spec.series.size() == 2) {
    spec.series[0].name = "昨日";
    spec.series[1].name = "上周同日";
  }
  r.chart_png = draw(spec);
  return r;
}

}  // namespace yimei::report::detail
