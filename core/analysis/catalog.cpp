// The catalog of analyses (names, Chinese titles and aliases, parameters with their defaults
// from docs/spec/analyses.md) and run_analysis, which validates a request and dispatches it.
#include <algorithm>

#include "core/analysis/analyses.hpp"

namespace yimei::analysis {
namespace {

ParamSpec int_param(std::string key, std::string def, std::string zh, std::string min,
                    std::string max) {
  return {std::move(key), ParamType::Int, std::move(def),
          std::move(zh),  std::move(min), std::move(max)};
}
ParamSpec ratio_param(std::string key, std::string def, std::string zh) {
  return {std::move(key), ParamType::Decimal, std::move(def), std::move(zh), "0", "1"};
}
ParamSpec list_param(std::string key, std::string def, std::string zh) {
  return {std::move(key), ParamType::List, std::move(def), std::move(zh), "", ""};
}

ParamSpec days_param() {
  return int_param("days", "180", "多少天没有消费、划扣或到店算不活跃", "1", "3650");
}
ParamSpec window_param() {
  return int_param("window", "90", "二开窗口天数（首次消费后多少天内再次消费）", "1", "730");
}
ParamSpec vip_levels_param() {
  return list_param("vip_levels", "金卡,钻石", "算作VIP的会员等级，逗号分隔");
}
ParamSpec decline_ratio_param() {
  return ratio_param("decline_ratio", "0.5", "本期消费低于上期的该比例算下滑");
}
ParamSpec expiring_days_param() {
  return int_param("expiring_days", "30", "多少天内到期算即将到期", "0", "3650");
}
ParamSpec dormant_days_param() {
  return int_param("dormant_days", "90", "多少天未划扣算沉睡余额", "1", "3650");
}

std::vector<AnalysisInfo> build_catalog() {
  return {
      {"inactive-customers",
       "不活跃顾客",
       {"不活跃", "不活跃顾客", "沉睡顾客", "流失顾客", "沉睡", "流失"},
       {days_param()},
       false,
       ""},
      {"new-customer-repurchase",
       "新客二开率",
       {"二开率", "新客二开率", "二开", "新客二开", "新客复购"},
       {window_param()},
       true,
       "首次消费在 [基准日-窗口-179, 基准日-窗口] 的新客（窗口均已结束）"},
      {"vip-consumption",
       "VIP顾客消费分析",
       {"VIP", "vip", "VIP消费", "VIP顾客", "会员消费"},
       {vip_levels_param(), decline_ratio_param()},
       true,
       "近90天 [基准日-89, 基准日]，对比上一个90天"},
      {"unspent-balances",
       "未划扣余额",
       {"余额", "未划扣", "未划扣余额", "剩余", "剩余余额"},
       {expiring_days_param(), dormant_days_param()},
       false,
       ""},
      {"department-performance",
       "科室业绩",
       {"科室业绩", "科室", "科室分析"},
       {},
       true,
       "本月至基准日，对比上期（同长度）与去年同期"},
      {"product-performance",
       "产品表现",
       {"品项", "品项表现", "产品表现", "项目", "产品"},
       {},
       true,
       "近90天 [基准日-89, 基准日]，对比上一个90天"},
      {"growth-points",
       "十大增长点",
       {"增长点", "十大增长点", "增长机会", "机会"},
       {days_param(), ratio_param("top_share", "0.2", "高价值顾客：累计消费排名前多大比例"),
        ratio_param("winback_rate", "0.2", "沉睡高价值顾客的预计唤醒比例"), window_param(),
        expiring_days_param(), dormant_days_param(),
        ratio_param("activation_rate", "0.3", "沉睡余额预计被激活划扣的比例"),
        ratio_param("expiring_rate", "0.5", "到期前预计能划扣的余额比例"), vip_levels_param(),
        decline_ratio_param(), ratio_param("recover_rate", "0.5", "下滑部分预计能挽回的比例"),
        ratio_param("upgrade_gap", "0.2", "距下一等级门槛在该比例以内算升级潜力"),
        ratio_param("upgrade_rate", "0.3", "有升级潜力顾客的预计升级比例"),
        ratio_param("cross_sell_rate", "0.15", "单科室高价值顾客的预计交叉购买比例"),
        ratio_param("penetration_rate", "0.3", "高复购品项补足到中位购买人数的预计达成比例"),
        ratio_param("gap_close_rate", "0.3", "咨询师差距预计能弥补的比例"),
        ratio_param("change_threshold", "0.2", "科室环比或同比变化超过该比例算异常"),
        int_param("detail", "0", "查看第N个增长点的完整名单（0 = 总览）", "0", "10")},
       false,
       ""},
  };
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

const std::vector<AnalysisInfo>& catalog() {
  static const std::vector<AnalysisInfo> kCatalog = build_catalog();
  return kCatalog;
}

const AnalysisInfo* find_analysis(std::string_view name_or_alias) {
  std::string key = lower_ascii(name_or_alias);
  while (!key.empty() && key.back() == ' ') key.pop_back();
  while (!key.empty() && key.front() == ' ') key.erase(key.begin());
  std::replace(key.begin(), key.end(), '_', '-');
  for (const auto& a : catalog()) {
    if (a.name == key || a.title_zh == key) return &a;
    for (const auto& alias : a.aliases_zh)
      if (lower_ascii(alias) == key) return &a;
  }
  return nullptr;
}

std::string analysis_names_zh() {
  std::string out;
  for (const auto& a : catalog())
    out += (out.empty() ? "" : "、") + a.name + "（" + a.title_zh + "）";
  return out;
}

Outcome<AnalysisResult> run_analysis(db::Connection& conn, const std::string& name,
                                     const AnalysisRequest& request) {
  const AnalysisInfo* info = find_analysis(name);
  if (!info) return not_found("没有名为「" + name + "」的分析；可用的分析：" + analysis_names_zh());
  auto resolved = resolve_request(*info, request);
  if (!resolved) return resolved.error();
  const ResolvedRequest& req = resolved.value();

  Outcome<AnalysisResult> out = [&]() -> Outcome<AnalysisResult> {
    using namespace detail;
    if (info->name == "inactive-customers") return inactive_customers(conn, req);
    if (info->name == "new-customer-repurchase") return new_customer_repurchase(conn, req);
    if (info->name == "vip-consumption") return vip_consumption(conn, req);
    if (info->name == "unspent-balances") return unspent_balances(conn, req);
    if (info->name == "department-performance") return department_performance(conn, req);
    if (info->name == "product-performance") return product_performance(conn, req);
    return growth_points(conn, req);
  }();
  if (!out) return out;
  AnalysisResult& r = out.value();
  r.name = info->name;
  if (r.title_zh.empty()) r.title_zh = info->title_zh;
  r.as_of = req.as_of;
  r.params = req.params.all();
  return out;
}

}  // namespace yimei::analysis
