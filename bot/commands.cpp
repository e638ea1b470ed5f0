// The command registry and /帮助.
#include "bot/commands.hpp"

namespace yimei::bot {

const std::vector<Command>& command_registry() {
  using namespace commands;
  static const std::vector<Command> kAll = {
      {"帮助", {"help", "h", "?"}, "/帮助", "查看全部命令", false, help},
      {"增长点",
       {"growth", "增长"},
       "/增长点 [序号]",
       "十大增长点；加序号查看该机会的完整名单",
       false,
       growth_points},
      {"分析",
       {"analyze", "analysis"},
       "/分析 名称 [参数=值]",
       "运行一项分析，如 /分析 不活跃 days=90",
       false,
       analysis},
      {"不活跃",
       {"沉睡", "流失", "inactive"},
       "/不活跃 [days=180]",
       "长期未到店的顾客",
       false,
       [](CommandContext& c) { return analysis_alias(c, "inactive-customers"); }},
      {"二开率",
       {"二开", "repurchase"},
       "/二开率 [window=90]",
       "新客二次消费率",
       false,
       [](CommandContext& c) { return analysis_alias(c, "new-customer-repurchase"); }},
      {"VIP",
       {"vip", "会员"},
       "/VIP",
       "VIP顾客消费与下滑预警",
       false,
       [](CommandContext& c) { return analysis_alias(c, "vip-consumption"); }},
      {"余额",
       {"未划扣", "balances"},
       "/余额 [expiring_days=30]",
       "未划扣余额、即将到期与沉睡余额",
       false,
       [](CommandContext& c) { return analysis_alias(c, "unspent-balances"); }},
      {"科室业绩",
       {"科室", "departments"},
       "/科室业绩",
       "各科室本月业绩与环比、同比",
       false,
       [](CommandContext& c) { return analysis_alias(c, "department-performance"); }},
      {"品项",
       {"项目", "产品表现", "products"},
       "/品项",
       "品项销售表现",
       false,
       [](CommandContext& c) { return analysis_alias(c, "product-performance"); }},
      {"查", {"ask", "问"}, "/查 问题", "用中文提问，如 /查 上个月各科室业绩", false, query},
      {"顾客",
       {"customer", "客户"},
       "/顾客 姓名或手机号",
       "顾客档案：等级、咨询师、最近到店、消费与余额",
       false,
       customer},
      {"新客",
       {"new", "新顾客"},
       "/新客 姓名 手机号 [咨询师] [会员等级] [标签]",
       "登记新顾客",
       true,
       new_customer},
      {"消费",
       {"purchase", "开单"},
       "/消费 顾客 品项 金额 [数量] [支付方式] [日期]",
       "录入一笔消费",
       true,
       purchase},
      {"划扣",
       {"writeoff", "消耗"},
       "/划扣 顾客 品项 [数量] [日期]",
       "从疗程卡/套餐余额中划扣",
       true,
       write_off},
      {"撤销", {"undo"}, "/撤销 编号", "撤销自己刚录入的一条记录", true, undo},
      {"授权", {"grant"}, "/授权 用户 角色 [咨询师]", "管理员为用户分配角色", false, grant},
      {"反馈", {"feedback"}, "/反馈 对|错 [说明]", "评价上一条回答，帮助改进", false, feedback},
      {"导出",
       {"export", "下载"},
       "/导出 [分析名 参数=值] [csv]",
       "把上一条回答或一项分析导出为 Excel（或 CSV）文件",
       false,
       export_file},
  };
  return kAll;
}

namespace commands {

Reply help(CommandContext& ctx) {
  Reply r;
  if (!ctx.args.empty()) {
    if (const Command* c = find_command(ctx.args[0])) {
      r.text = c->usage + "\n" + c->summary_zh;
      return r;
    }
  }
  std::string text =
      "我是医美数据助手。直接用中文提问即可，例如“上个月各科室业绩”“最近半年没来的金卡顾客有多少”。"
      "\n命令：";
  for (const Command& c : command_registry()) text += "\n" + c.usage + " — " + c.summary_zh;
  text += "\n录入命令会先给出预览，回复“确认”才写入，回复“取消”放弃。";
  r.text = text;
  return r;
}

}  // namespace commands
}  // namespace yimei::bot
