// expiring-balances (即将到期余额): balances expiring from the slot's date on, from
// unspent-balances of the analysis core; groups get the totals, allowed users the list too.
#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "core/report/report_parts.hpp"

namespace yimei::report::detail {

ExpiringBalances expiring_balances_of(Context& c, std::int64_t days) {
  const Date as_of = c.request.as_of;
  const analysis::AnalysisResult a =
      run(c, "unspent-balances", as_of, {{"expiring_days", std::to_string(days)}});
  ExpiringBalances e;
  e.from = as_of;
  e.to = add_days(as_of, static_cast<int>(days));
  const Table& t = a.table;
  const char* kListColumns[] = {"customer_id",  "name",       "phone",     "consultant_name",
                                "product_name", "department", "remaining", "expiration_date"};
  std::vector<int> cols;
  for (const char* name : kListColumns) {
    const int i = t.column_index(name);
    if (i < 0) throw std::logic_error(std::string("unspent-balances has no column ") + name);
    cols.push_back(i);
    e.customer_list.columns.push_back(t.columns[i]);
  }
  std::set<std::string> customers;
  std::map<std::string, std::pair<Decimal, std::int64_t>> departments;
  std::map<std::string, std::set<std::string>> department_customers;
  for (const Row& row : t.rows) {
    if (text_cell(t, row, "status").find("即将到期") == std::string::npos) continue;
    const Decimal remaining = dec_cell(t, row, "remaining");
    const std::string department = text_cell(t, row, "department");
    ++e.balances;
    e.amount += remaining;
    customers.insert(text_cell(t, row, "customer_id"));
    auto& d = departments[department];
    d.first += remaining;
    ++d.second;
    department_customers[department].insert(text_cell(t, row, "customer_id"));
    Row out;
    for (int i : cols) out.push_back(row[i]);
    e.customer_list.rows.push_back(std::move(out));
  }
  e.customers = static_cast<std::int64_t>(customers.size());
  const int expiry = e.customer_list.column_index("expiration_date");
  const int rem = e.customer_list.column_index("remaining");
  std::stable_sort(e.customer_list.rows.begin(), e.customer_list.rows.end(),
                   [&](const Row& x, const Row& y) {
                     const Date& dx = std::get<Date>(x[expiry]);
                     const Date& dy = std::get<Date>(y[expiry]);
                     if (dx != dy) return dx < dy;
                     return std::get<Decimal>(x[rem]) > std::get<Decimal>(y[rem]);
                   });

  e.by_department.columns = {{"department", "科室", ColumnType::Text},
                             {"remaining", "到期余额", ColumnType::Decimal, ColumnUnit::Yuan},
                             {"balances", "笔数", ColumnType::Integer, ColumnUnit::Count},
                             {"customers", "顾客数", ColumnType::Integer, ColumnUnit::Count}};
  for (const auto& [name, sums] : departments)
    e.by_department.rows.push_back({name, sums.first, sums.second,
                                    static_cast<std::int64_t>(department_customers[name].size())});
  std::stable_sort(
      e.by_department.rows.begin(), e.by_department.rows.end(),
      [](const Row& x, const Row& y) { return std::get<Decimal>(x[1]) > std::get<Decimal>(y[1]); });
  return e;
}

std::string expiring_sentence(const ExpiringBalances& e, std::int64_t days) {
  return "未来 " + std::to_string(days) + " 天（" + period_text(e.from, e.to) + "）将有 " +
         std::to_string(e.balances) + " 笔未划扣余额到期，涉及 " + std::to_string(e.customers) +
         " 位顾客，合计 " + yuan(e.amount);
}

std::string expiring_departments(const ExpiringBalances& e) {
  std::string out;
  for (const Row& row : e.by_department.rows)
    out += (out.empty() ? "" : "、") + text_cell(e.by_department, row, "department") + " " +
           yuan(dec_cell(e.by_department, row, "remaining")) + "（" +
           std::to_string(int_cell(e.by_department, row, "balances")) + " 笔）";
  return out;
}

Report expiring_balances(Context& c) {
  const std::int64_t days = c.int_param("days");
  const ExpiringBalances e = expiring_balances_of(c, days);
  Report r = c.start(c.request.as_of);
  r.figures = e.by_department;
  r.text_zh = "【" + r.title_zh + "】" + period_text(e.from, e.to) + "\n";
  if (e.balances == 0) {
    r.text_zh += "未来 " + std::to_string(days) + " 天内没有到期的未划扣余额。\n";
    return r;
  }
  r.text_zh += expiring_sentence(e, days) + "。按科室：" + expiring_departments(e) +
               "。请提醒顾客在到期前预约划扣。\n";
  r.customer_list = e.customer_list;
  r.customer_list_title_zh = "即将到期余额名单";
  r.chart_png = draw(table_chart(e.by_department, render::ChartKind::Bar, "即将到期余额按科室",
                                 period_text(e.from, e.to), "department", {"remaining"}));
  return r;
}

}  // namespace yimei::report::detail
