// Command handlers, one group per file (commands_*.cpp); the registry in commands.cpp lists
// them. Each returns a Reply; expected failures become error replies.
#pragma once

#include "bot/router.hpp"

namespace yimei::bot::commands {

Reply help(CommandContext& ctx);
Reply growth_points(CommandContext& ctx);
Reply analysis(CommandContext& ctx);                          // /分析 NAME k=v…
Reply analysis_alias(CommandContext& ctx, const char* name);  // /不活跃 k=v…
Reply query(CommandContext& ctx);                             // /查 问题
Reply feedback(CommandContext& ctx);                          // /反馈 对|错 [说明]
Reply customer(CommandContext& ctx);                          // /顾客 姓名或手机号
Reply new_customer(CommandContext& ctx);
Reply purchase(CommandContext& ctx);
Reply write_off(CommandContext& ctx);
Reply undo(CommandContext& ctx);
Reply grant(CommandContext& ctx);

// /导出 [分析名 k=v…|问题] [csv|xlsx|格式=csv] (commands_export.cpp).
Reply export_file(CommandContext& ctx);

// Remembers the last answer of (platform, user, chat) for /反馈. Inside the message's
// transaction.
void remember_answer(CommandContext& ctx, const std::string& question, const std::string& spec_json,
                     const std::string& sql, const std::string& digest);

}  // namespace yimei::bot::commands
