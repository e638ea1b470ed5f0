// The sentences the daily and weekly summaries share: totals against a comparison period and
// one line per department.
#include "core/report/report_parts.hpp"

namespace yimei::report::detail {

std::string department_lines(const Table& t, const std::string& cmp_label) {
  std::string out;
  for (const Row& row : t.rows) {
    out += "· " + text_cell(t, row, "department") + "：实收 " + yuan(dec_cell(t, row, "revenue")) +
           "（" + cmp_label + " " + yuan(dec_cell(t, row, "cmp_revenue")) + "，" +
           change_text(dec_cell(t, row, "revenue"), dec_cell(t, row, "cmp_revenue")) + "），订单 " +
           std::to_string(int_cell(t, row, "orders")) + " 笔，新客 " +
           std::to_string(int_cell(t, row, "new_customers")) + " 人，划扣 " +
           yuan(dec_cell(t, row, "write_off")) + "\n";
  }
  return out;
}

std::string totals_sentence(const PeriodTotals& now, const PeriodTotals& cmp,
                            const std::string& cmp_label, const std::string& cmp_short) {
  return "实收 " + yuan(now.revenue) + "，" + cmp_label + " " + yuan(cmp.revenue) + "，" +
         change_text(now.revenue, cmp.revenue) + "；订单 " + std::to_string(now.orders) + " 笔（" +
         cmp_short + " " + std::to_string(cmp.orders) + " 笔，" +
         change_text(now.orders, cmp.orders) + "）；新客 " + std::to_string(now.new_customers) +
         " 人（" + cmp_short + " " + std::to_string(cmp.new_customers) + " 人）；划扣 " +
         yuan(now.write_off) + "（" + cmp_short + " " + yuan(cmp.write_off) + "，" +
         change_text(now.write_off, cmp.write_off) + "）。";
}

}  // namespace yimei::report::detail
