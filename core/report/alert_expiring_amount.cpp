// alert-expiring-amount (到期余额预警): fires when the unspent balances expiring from the slot's
// date within `days` days add up to more than `amount`. One cause, "expiring-amount".
#include "core/report/report_parts.hpp"

namespace yimei::report::detail {

Report alert_expiring_amount(Context& c) {
  const std::int64_t days = c.int_param("days");
  const Decimal amount = c.decimal_param("amount");
  const ExpiringBalances e = expiring_balances_of(c, days);
  Report r = c.start(c.request.as_of);
  r.figures = e.by_department;
  r.text_zh = "【" + r.title_zh + "】" + period_text(e.from, e.to) + "\n";
  const bool over = e.amount > amount;
  if (over) {
    AlertCause cause{"expiring-amount",
                     expiring_sentence(e, days) + "，超过 " + yuan(amount) + " 的阈值。"};
    if (c.request.quiet_causes.count(cause.key))
      r.quieted.push_back(cause.key);
    else
      r.causes.push_back(std::move(cause));
  }
  if (r.causes.empty()) {
    r.not_fired_zh = over ? "到期余额超过阈值已提醒过，仍在静默期内。"
                          : "未来 " + std::to_string(days) + " 天将到期的未划扣余额合计 " +
                                yuan(e.amount) + "，没有超过 " + yuan(amount) + " 的阈值。";
    r.text_zh += "未触发：" + r.not_fired_zh + "\n";
    return r;
  }
  r.text_zh += r.causes.front().sentence_zh + "\n按科室：" + expiring_departments(e) +
               "。请提醒顾客在到期前预约划扣。\n";
  r.customer_list = e.customer_list;
  r.customer_list_title_zh = "即将到期余额名单";
  r.chart_png = draw(table_chart(e.by_department, render::ChartKind::Bar, "即将到期余额按科室",
                                 period_text(e.from, e.to), "department", {"remaining"}));
  return r;
}

}  // namespace yimei::report::detail
