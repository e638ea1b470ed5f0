// alert-vip-gone (VIP顾客流失预警): VIP customers (vip_levels) with no consumption, 划扣 or
// visit for `days` days up to yesterday, from inactive-customers of the analysis core. One cause
// per customer; the group message is aggregate, the list goes to allowed users only.
#include <algorithm>
#include <map>

#include "core/report/report_parts.hpp"

namespace yimei::report::detail {

Report alert_vip_gone(Context& c) {
  const Date through = c.yesterday();
  const std::int64_t days = c.int_param("days");
  const std::vector<std::string> levels = c.list_param("vip_levels");
  const analysis::AnalysisResult a =
      run(c, "inactive-customers", through, {{"days", std::to_string(days)}});
  const Table& t = a.table;

  Report r = c.start(through);
  Table list;
  list.columns = t.columns;
  std::size_t gone = 0;
  std::map<std::string, std::int64_t> by_level;
  std::map<std::string, std::pair<std::int64_t, Decimal>> by_consultant;
  std::vector<std::string> consultant_order;
  Decimal lifetime, unspent;
  std::int64_t longest = 0;
  for (const Row& row : t.rows) {
    const std::string level = text_cell(t, row, "membership_level");
    if (std::find(levels.begin(), levels.end(), level) == levels.end()) continue;
    ++gone;
    const std::int64_t inactive = int_cell(t, row, "days_inactive");
    AlertCause cause{"vip-gone:" + text_cell(t, row, "customer_id"),
                     "一位" + level + "顾客已 " + std::to_string(inactive) +
                         " 天没有消费、划扣或到店（阈值 " + std::to_string(days) +
                         " 天），累计消费 " + yuan(dec_cell(t, row, "lifetime_amount")) + "。"};
    if (c.request.quiet_causes.count(cause.key)) {
      r.quieted.push_back(cause.key);
      continue;
    }
    r.causes.push_back(std::move(cause));
    list.rows.push_back(row);
    ++by_level[level];
    std::string consultant = text_cell(t, row, "consultant_name");
    if (consultant.empty()) consultant = "未分配";
    auto [it, added] = by_consultant.try_emplace(consultant, 0, Decimal{});
    if (added) consultant_order.push_back(consultant);
    ++it->second.first;
    it->second.second += dec_cell(t, row, "lifetime_amount");
    lifetime += dec_cell(t, row, "lifetime_amount");
    unspent += dec_cell(t, row, "unspent_amount");
    longest = std::max(longest, inactive);
  }

  r.figures.columns = {{"consultant_name", "咨询师", ColumnType::Text},
                       {"vip_count", "流失VIP人数", ColumnType::Integer, ColumnUnit::Count},
                       {"lifetime_amount", "累计消费", ColumnType::Decimal, ColumnUnit::Yuan}};
  for (const auto& name : consultant_order)
    r.figures.rows.push_back({name, by_consultant[name].first, by_consultant[name].second});
  std::stable_sort(r.figures.rows.begin(), r.figures.rows.end(), [](const Row& x, const Row& y) {
    return std::get<std::int64_t>(x[1]) > std::get<std::int64_t>(y[1]);
  });

  std::string level_text;
  for (const auto& level : levels)
    if (by_level.count(level))
      level_text +=
          (level_text.empty() ? "" : "、") + level + " " + std::to_string(by_level[level]) + " 位";
  r.text_zh = "【" + r.title_zh + "】数据截至 " + format_date(through) + "\n";
  if (r.causes.empty()) {
    r.not_fired_zh = gone == 0
                         ? "没有VIP顾客超过 " + std::to_string(days) + " 天没有消费、划扣或到店。"
                         : "超期未到店的VIP顾客都已提醒过，仍在静默期内。";
    r.text_zh += "未触发：" + r.not_fired_zh + "\n";
    return r;
  }
  r.text_zh += "有 " + std::to_string(r.causes.size()) + " 位VIP顾客（" + level_text + "）已 " +
               std::to_string(days) + " 天以上没有消费、划扣或到店，累计消费合计 " +
               yuan(lifetime) + "，未划扣余额合计 " + yuan(unspent) + "，最久的已 " +
               std::to_string(longest) + " 天。\n";
  if (!r.quieted.empty())
    r.text_zh += "另有 " + std::to_string(r.quieted.size()) + " 位已提醒过，仍在静默期内。\n";
  r.text_zh += "请咨询师尽快回访，了解原因并邀约到店。\n";
  r.customer_list = std::move(list);
  r.customer_list_title_zh = "流失VIP名单";
  r.chart_png =
      draw(table_chart(r.figures, render::ChartKind::Bar, "流失VIP按咨询师",
                       "数据截至 " + format_date(through), "consultant_name", {"vip_count"}));
  return r;
}

}  // namespace yimei::report::detail
