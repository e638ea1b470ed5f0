// weekly-summary (每周经营摘要): last week (Monday to Sunday before the slot's week) against the
// week before: totals, the top products (product-performance of the analysis core) and the top
// consultants, and the departments.
#include "core/report/report_parts.hpp"

namespace yimei::report::detail {
namespace {

std::string top_products_sentence(const Table& products, std::int64_t top) {
  std::string out;
  int n = 0;
  for (const Row& row : products.rows) {
    if (n >= top || !(dec_cell(products, row, "revenue") > Decimal{})) break;
    ++n;
    out += (n > 1 ? "；" : "") + std::to_string(n) + ". " +
           text_cell(products, row, "product_name") + " " +
           yuan(dec_cell(products, row, "revenue")) + "（前一周 " +
           yuan(dec_cell(products, row, "previous_revenue")) + "，" +
           change_text(dec_cell(products, row, "revenue"),
                       dec_cell(products, row, "previous_revenue")) +
           "，" + std::to_string(int_cell(products, row, "buyers")) + " 人购买）";
  }
  return n == 0 ? "上周没有品项业绩。" : "业绩最高的品项：" + out + "。";
}

std::string top_consultants_sentence(const Table& consultants) {
  std::string out;
  int n = 0;
  for (const Row& row : consultants.rows) {
    ++n;
    out += (n > 1 ? "；" : "") + std::to_string(n) + ". " +
           text_cell(consultants, row, "consultant_name") + " " +
           yuan(dec_cell(consultants, row, "revenue")) + "（" +
           std::to_string(int_cell(consultants, row, "orders")) + " 单，前一周 " +
           yuan(dec_cell(consultants, row, "previous_revenue")) + "，" +
           change_text(dec_cell(consultants, row, "revenue"),
                       dec_cell(consultants, row, "previous_revenue")) +
           "）";
  }
  return n == 0 ? "上周没有咨询师业绩。" : "业绩最高的咨询师：" + out + "。";
}

}  // namespace

Report weekly_summary(Context& c) {
  const Date monday = add_days(monday_of(c.request.as_of), -7);
  const Date sunday = add_days(monday, 6);
  const Date prev_monday = add_days(monday, -7);
  const Date prev_sunday = add_days(monday, -1);
  const std::int64_t top = c.int_param("top");
  Report r = c.start(sunday);

  const PeriodTotals now = period_totals(c.conn, monday, sunday);
  const PeriodTotals cmp = period_totals(c.conn, prev_monday, prev_sunday);
  const analysis::AnalysisResult products =
      run(c, "product-performance", sunday, {}, monday, sunday);
  const Table consultants = top_consultants(c.conn, monday, sunday, prev_monday, prev_sunday, top);
  r.figures = department_figures(c.conn, monday, sunday, prev_monday, prev_sunday);

  r.text_zh = "【" + r.title_zh + "】上周 " + period_text(monday, sunday) + "\n";
  r.text_zh += totals_sentence(now, cmp, "前一周（" + period_text(prev_monday, prev_sunday) + "）",
                               "前一周") +
               "\n";
  r.text_zh += top_products_sentence(products.table, top) + "\n";
  r.text_zh += top_consultants_sentence(consultants) + "\n";
  if (!r.figures.rows.empty())
    r.text_zh += "按科室（对比前一周）：\n" + department_lines(r.figures, "前一周");

  auto spec = table_chart(r.figures, render::ChartKind::GroupedBar, "上周各科室实收",
                          period_text(monday, sunday) + " 对比前一周", "department",
                          {"revenue", "cmp_revenue"});
  if (spec.series.size() == 2) {
    spec.series[0].name = "上周";
    spec.series[1].name = "前一周";
  }
  r.chart_png = draw(spec);
  return r;
}

}  // namespace yimei::report::detail
