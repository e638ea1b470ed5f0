// /增长点, /分析 and the per-analysis aliases: parameters as key=value, the consultant scope,
// and the reply built for the reader.
#include "bot/commands.hpp"
#include "bot/last_answer.hpp"
#include "bot/reply_format.hpp"
#include "core/analysis/analysis.hpp"

namespace yimei::bot::commands {

namespace {

Reply run(CommandContext& ctx, const std::string& name, const std::vector<std::string>& args) {
  analysis::AnalysisRequest req;
  req.as_of = ctx.services.today();
  for (const std::string& a : args) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      return error_reply("参数应写成 名称=值，例如 days=90；“" + a + "”不是这种格式。");
    req.params[a.substr(0, eq)] = a.substr(eq + 1);
  }
  if (ctx.actor.role == entry::Role::Consultant) req.scope.consultant_id = ctx.actor.consultant_id;
  auto result = analysis::run_analysis(ctx.conn, name, req);
  if (!result) return error_reply(result.error());
  const Reader reader =
      reader_for(ctx.actor, ctx.message.is_group, ctx.services.policy.chat_max_rows);
  Reply r = analysis_reply(*result, reader);
  remember_analysis(ctx, result->name, req.params, answer_digest(r.text));  // for /导出, /反馈
  return r;
}

}  // namespace

Reply analysis_alias(CommandContext& ctx, const char* name) {
  return run(ctx, name, ctx.args);
}

Reply analysis(CommandContext& ctx) {
  if (ctx.args.empty())
    return error_reply("请写上分析名称，例如 /分析 不活跃 days=90。可用：" +
                       analysis::analysis_names_zh());
  const analysis::AnalysisInfo* info = analysis::find_analysis(ctx.args[0]);
  if (!info)
    return error_reply("没有“" + ctx.args[0] + "”这项分析。可用：" + analysis::analysis_names_zh());
  return run(ctx, info->name, {ctx.args.begin() + 1, ctx.args.end()});
}

Reply growth_points(CommandContext& ctx) {
  std::vector<std::string> args;
  for (const std::string& a : ctx.args) {
    if (!a.empty() && a.find_first_not_of("0123456789") == std::string::npos)
      args.push_back("detail=" + a);
    else
      args.push_back(a);
  }
  return run(ctx, "growth-points", args);
}

}  // namespace yimei::bot::commands
