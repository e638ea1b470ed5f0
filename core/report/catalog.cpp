// The catalog of push reports (names, Chinese titles, parameters with defaults), parameter
// validation, and build_report, which dispatches to one builder per report.
#include <algorithm>
#include <stdexcept>

#include "core/analysis/params.hpp"
#include "core/report/report_parts.hpp"

namespace yimei::report {
namespace {

using analysis::ParamSpec;
using analysis::ParamType;

ParamSpec int_param(std::string key, std::string def, std::string zh, std::string min,
                    std::string max) {
  return {std::move(key), ParamType::Int, std::move(def),
          std::move(zh),  std::move(min), std::move(max)};
}
ParamSpec decimal_param(std::string key, std::string def, std::string zh, std::string min,
                        std::string max) {
  return {std::move(key), ParamType::Decimal, std::move(def),
          std::move(zh),  std::move(min),     std::move(max)};
}
ParamSpec vip_levels_param() {
  return {"vip_levels", ParamType::List,
          "金卡,钻石",  "算作VIP的会员等级，逗号分隔（默认取 YIMEI_VIP_LEVELS）",
          "",           ""};
}
ParamSpec quiet_param() {
  return int_param("quiet_hours", "24",
                   "同一原因再次提醒前的静默小时数（默认取 YIMEI_ALERT_QUIET_S）", "0", "8760");
}
ParamSpec expiring_days_param() {
  return int_param("days", "7", "统计从推送当天起多少天内到期的余额", "0", "365");
}

std::vector<ReportInfo> build_catalog() {
  return {
      {"daily-summary",
       "每日经营摘要",
       false,
       "昨日的实收、订单、新客与划扣（总计与按科室），对比上周同一天",
       {}},
      {"weekly-summary",
       "每周经营摘要",
       false,
       "上周（周一至周日）的实收、订单、新客与划扣，对比前一周；业绩最高的品项与咨询师",
       {int_param("top", "3", "列出业绩最高的品项和咨询师各多少个", "1", "20")}},
      {"department-mtd",
       "本月科室业绩",
       false,
       "本月1日至昨日各科室的业绩、订单、新客、客单价与划扣，对比上期与去年同期",
       {}},
      {"growth-top3",
       "增长点前三",
       false,
       "十大增长点中评分最高的几项及其行动建议",
       {int_param("top", "3", "列出评分最高的多少个增长点", "1", "10"), vip_levels_param()}},
      {"expiring-balances",
       "即将到期余额",
       false,
       "从推送当天起若干天内到期的未划扣余额：群里只发汇总，顾客名单只私发给店长和管理员",
       {expiring_days_param()}},
      {"alert-department-drop",
       "科室业绩下滑预警",
       true,
       "某科室近7天业绩较前7天下降超过阈值时提醒",
       {decimal_param("drop_ratio", "0.2", "下降超过该比例即提醒（0.2 = 20%）", "0", "1"),
        decimal_param("min_previous", "0", "前7天业绩低于该金额的科室不提醒（元）", "0", ""),
        quiet_param()}},
      {"alert-vip-gone",
       "VIP顾客流失预警",
       true,
       "VIP顾客超过若干天没有消费、划扣或到店时提醒",
       {int_param("days", "60", "多少天没有消费、划扣或到店算流失", "1", "3650"),
        vip_levels_param(), quiet_param()}},
      {"alert-expiring-amount",
       "到期余额预警",
       true,
       "从推送当天起若干天内到期的未划扣余额合计超过金额阈值时提醒",
       {expiring_days_param(),
        decimal_param("amount", "10000", "到期余额合计超过该金额即提醒（元）", "0", ""),
        quiet_param()}},
  };
}

std::string param_list_zh(const ReportInfo& info) {
  std::string out;
  for (const auto& p : info.params)
    out += (out.empty() ? "" : "、") + p.key + "（" + p.description_zh + "，默认 " +
           p.default_value + "）";
  return out.empty() ? "无" : out;
}

}  // namespace

const std::vector<ReportInfo>& report_catalog() {
  static const std::vector<ReportInfo> kCatalog = build_catalog();
  return kCatalog;
}

const ReportInfo* find_report(std::string_view name) {
  for (const auto& r : report_catalog())
    if (r.name == name) return &r;
  return nullptr;
}

std::string report_names_zh() {
  std::string out;
  for (const auto& r : report_catalog())
    out += (out.empty() ? "" : "、") + r.name + "（" + r.title_zh + "）";
  return out;
}

Outcome<std::map<std::string, std::string>> resolve_params(
    const ReportInfo& info, const std::map<std::string, std::string>& params) {
  for (const auto& [key, value] : params) {
    const bool known = std::any_of(info.params.begin(), info.params.end(),
                                   [&](const ParamSpec& p) { return p.key == key; });
    if (!known)
      return bad_input("推送报表「" + info.title_zh + "」没有参数 " + key + "；可用参数：" +
                       param_list_zh(info));
  }
  // The analyses' validator checks types and ranges with the same Chinese sentences.
  analysis::AnalysisInfo as_analysis{info.name, info.title_zh, {}, info.params, false, ""};
  analysis::AnalysisRequest req;
  req.as_of = Date{std::chrono::year{2000}, std::chrono::January, std::chrono::day{1}};
  req.params = params;
  auto resolved = analysis::resolve_request(as_analysis, req);
  if (!resolved) return resolved.error();
  return resolved->params.all();
}

Outcome<Report> build_report(db::Connection& conn, const std::string& name,
                             const ReportRequest& request) {
  const ReportInfo* info = find_report(name);
  if (!info)
    return not_found("没有名为「" + name + "」的推送报表；可用的报表：" + report_names_zh());
  if (!request.as_of.ok()) return bad_input("基准日不是有效日期");
  auto params = resolve_params(*info, request.params);
  if (!params) return params.error();
  detail::Context c{conn, request, *info, std::move(params.value())};
  using namespace detail;
  if (info->name == "daily-summary") return daily_summary(c);
  if (info->name == "weekly-summary") return weekly_summary(c);
  if (info->name == "department-mtd") return department_mtd(c);
  if (info->name == "growth-top3") return growth_top3(c);
  if (info->name == "expiring-balances") return expiring_balances(c);
  if (info->name == "alert-department-drop") return alert_department_drop(c);
  if (info->name == "alert-vip-gone") return alert_vip_gone(c);
  return alert_expiring_amount(c);
}

namespace detail {

std::int64_t Context::int_param(const std::string& key) const {
  return analysis::ParamValues(params).get_int(key);
}

Decimal Context::decimal_param(const std::string& key) const {
  return analysis::ParamValues(params).get_decimal(key);
}

std::vector<std::string> Context::list_param(const std::string& key) const {
  return analysis::ParamValues(params).get_list(key);
}

Report Context::start(const Date& data_through) const {
  Report r;
  r.name = info.name;
  r.title_zh = info.title_zh;
  r.as_of = request.as_of;
  r.data_through = data_through;
  r.is_alert = info.is_alert;
  return r;
}

analysis::AnalysisResult run(Context& c, const std::string& analysis_name, const Date& as_of,
                             std::map<std::string, std::string> params, std::optional<Date> from,
                             std::optional<Date> to) {
  analysis::AnalysisRequest req;
  req.as_of = as_of;
  req.params = std::move(params);
  req.from = from;
  req.to = to;
  auto out = analysis::run_analysis(c.conn, analysis_name, req);
  if (!out)
    throw std::logic_error("report " + c.info.name + ": analysis " + analysis_name +
                           " refused its request: " + out.error().message);
  return std::move(out.value());
}

}  // namespace detail
}  // namespace yimei::report
