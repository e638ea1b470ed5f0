// department-mtd (本月科室业绩): department-performance of the analysis core for the month to
// yesterday (on the 1st: the whole previous month), against the previous period and last year.
#include "core/report/report_parts.hpp"

namespace yimei::report::detail {

Report department_mtd(Context& c) {
  const Date through = c.yesterday();
  const analysis::AnalysisResult a = run(c, "department-performance", through);
  Report r = c.start(through);
  r.figures = a.table;
  r.text_zh =
      "【" + r.title_zh + "】数据截至 " + format_date(through) + "\n" + a.narrative_zh + "\n";
  for (const Row& row : a.table.rows) {
    const Decimal revenue = dec_cell(a.table, row, "revenue");
    r.text_zh += "· " + text_cell(a.table, row, "department") + "：业绩 " + yuan(revenue) +
                 "（环比 " + change_text(revenue, dec_cell(a.table, row, "previous_revenue")) +
                 "，同比 " + change_text(revenue, dec_cell(a.table, row, "yoy_revenue")) +
                 "），订单 " + std::to_string(int_cell(a.table, row, "orders")) + " 笔，新客 " +
                 std::to_string(int_cell(a.table, row, "new_customers")) + " 人，划扣 " +
                 yuan(dec_cell(a.table, row, "write_off")) + "\n";
  }
  if (auto spec = analysis::default_chart(a)) r.chart_png = draw(*spec);
  return r;
}

}  // namespace yimei::report::detail
