// Data entry in the chat: /新客, /消费, /划扣 answer with a preview that waits for 确认 (or
// write at once for the roles configured so), /撤销, /授权 and the /顾客 profile. Optional
// arguments are recognized by their shape (a date, a payment method, a quantity, a level), so
// their order is free after the required ones.
#include <algorithm>

#include "bot/commands.hpp"
#include "core/entry/entry.hpp"

namespace yimei::bot {

namespace {

const char* role_name(entry::Role r) {
  switch (r) {
    case entry::Role::Admin:
      return "admin";
    case entry::Role::Manager:
      return "manager";
    case entry::Role::Consultant:
      return "consultant";
    case entry::Role::Viewer:
      return "viewer";
  }
  return "viewer";
}

bool looks_like_date(const std::string& s, const Date& today) {
  return (s.find('-') != std::string::npos || s.find('/') != std::string::npos ||
          s.find("月") != std::string::npos || s == "今天" || s == "昨天" || s == "前天") &&
         entry::parse_entry_date(s, today).ok();
}

bool is_whole_number(const std::string& s) {
  return !s.empty() && s.size() <= 4 && std::all_of(s.begin(), s.end(), ::isdigit);
}

std::string join_from(const std::vector<std::string>& v, std::size_t from, const char* sep) {
  std::string out;
  for (std::size_t i = from; i < v.size(); ++i) out += (out.empty() ? "" : sep) + v[i];
  return out;
}

Reply apply_now(CommandContext& ctx, const entry::EntryPlan& plan) {
  auto receipt = entry::apply_plan(ctx.conn, plan, ctx.actor,
                                   ctx.services.config.get_int("YIMEI_BALANCE_VALIDITY_DAYS"));
  if (!receipt) return error_reply(receipt.error());
  Reply r;
  r.text = "✅ " + receipt->summary_zh;
  return r;
}

// The preview waits for 确认 unless this role writes at once.
Reply preview_or_apply(CommandContext& ctx, Outcome<entry::EntryPlan> plan) {
  if (!plan) return error_reply(plan.error());
  const auto& at_once = ctx.services.policy.write_at_once_roles;
  if (std::find(at_once.begin(), at_once.end(), role_name(ctx.actor.role)) != at_once.end())
    return apply_now(ctx, *plan);
  entry::save_pending(ctx.conn, ctx.actor, ctx.message.chat_id, *plan,
                      ctx.services.policy.preview_ttl);
  Reply r;
  r.text = plan->preview_zh + "\n回复“确认”写入，回复“取消”放弃（" +
           std::to_string(ctx.services.policy.preview_ttl.count() / 60) + " 分钟内有效）。";
  r.suggestions = {"确认", "取消"};
  return r;
}

}  // namespace

std::optional<Reply> answer_pending(CommandContext& ctx, bool confirm) {
  if (!confirm) {
    if (!entry::cancel_pending(ctx.conn, ctx.actor, ctx.message.chat_id)) return std::nullopt;
    Reply r;
    r.text = "已取消，没有写入任何数据。";
    return r;
  }
  auto plan = entry::take_pending(ctx.conn, ctx.actor, ctx.message.chat_id);
  if (!plan) return std::nullopt;
  return apply_now(ctx, *plan);
}

namespace commands {

Reply new_customer(CommandContext& ctx) {
  const auto& a = ctx.args;
  if (a.size() < 2) return error_reply("用法：/新客 姓名 手机号 [咨询师] [会员等级] [标签]");
  entry::NewCustomerArgs args;
  args.name = a[0];
  args.phone = a[1];
  std::vector<std::string> tags;
  for (std::size_t i = 2; i < a.size(); ++i) {
    if (a[i] == "普通" || a[i] == "银卡" || a[i] == "金卡" || a[i] == "钻石") {
      args.level = a[i];
    } else if (args.consultant.empty() && tags.empty() &&
               entry::resolve_consultant(ctx.conn, a[i]).ok()) {
      args.consultant = a[i];
    } else {
      tags.push_back(a[i]);
    }
  }
  args.tags = join_from(tags, 0, ",");
  return preview_or_apply(
      ctx, entry::plan_new_customer(ctx.conn, args, ctx.actor, ctx.services.today()));
}

Reply purchase(CommandContext& ctx) {
  const auto& a = ctx.args;
  if (a.size() < 3) return error_reply("用法：/消费 顾客 品项 金额 [数量] [支付方式] [日期]");
  entry::PurchaseArgs args;
  args.customer = a[0];
  args.product = a[1];
  args.amount = a[2];
  args.balance_validity_days = ctx.services.config.get_int("YIMEI_BALANCE_VALIDITY_DAYS");
  const Date today = ctx.services.today();
  for (std::size_t i = 3; i < a.size(); ++i) {
    if (looks_like_date(a[i], today))
      args.date = a[i];
    else if (entry::parse_payment_method(a[i]).ok())
      args.payment_method = a[i];
    else if (is_whole_number(a[i]) && args.quantity.empty())
      args.quantity = a[i];
    else
      return error_reply(
          "看不懂“" + a[i] +
          "”：数量请写整数，支付方式为 现金/微信/支付宝/银行卡/储值卡，日期如 2026-06-30。");
  }
  return preview_or_apply(ctx, entry::plan_purchase(ctx.conn, args, ctx.actor, today));
}

Reply write_off(CommandContext& ctx) {
  const auto& a = ctx.args;
  if (a.size() < 2) return error_reply("用法：/划扣 顾客 品项 [数量] [日期]");
  entry::WriteOffArgs args;
  args.customer = a[0];
  args.product = a[1];
  const Date today = ctx.services.today();
  for (std::size_t i = 2; i < a.size(); ++i) {
    if (looks_like_date(a[i], today))
      args.date = a[i];
    else if (is_whole_number(a[i]) && args.quantity.empty())
      args.quantity = a[i];
    else
      return error_reply("看不懂“" + a[i] + "”：数量请写整数，日期如 2026-06-30。");
  }
  return preview_or_apply(ctx, entry::plan_write_off(ctx.conn, args, ctx.actor, today));
}

Reply undo(CommandContext& ctx) {
  const bool digits = ctx.args.size() == 1 && !ctx.args[0].empty() &&
                      std::all_of(ctx.args[0].begin(), ctx.args[0].end(), ::isdigit);
  if (!digits) return error_reply("用法：/撤销 编号（编号在录入成功的回复里）");
  if (ctx.args[0].size() > 18) return error_reply("没有这个编号的录入记录。");
  auto r = entry::undo_entry(ctx.conn, std::stoll(ctx.args[0]), ctx.actor,
                             ctx.services.policy.undo_window);
  if (!r) return error_reply(r.error());
  Reply reply;
  reply.text = "↩️ " + r->summary_zh;
  return reply;
}

Reply grant(CommandContext& ctx) {
  const auto& a = ctx.args;
  if (a.size() < 2)
    return error_reply("用法：/授权 用户 角色 [咨询师]（角色：管理员、店长、咨询师、只读）");
  auto r = entry::grant_role(ctx.conn, ctx.actor, ctx.message.platform, a[0], a[1],
                             a.size() > 2 ? std::string_view(a[2]) : std::string_view());
  if (!r) return error_reply(r.error());
  Reply reply;
  reply.text = *r;
  return reply;
}

Reply customer(CommandContext& ctx) {
  if (ctx.raw_args.empty()) return error_reply("用法：/顾客 姓名或手机号");
  if (ctx.message.is_group)
    return error_reply("顾客档案只能在私聊中查看，请私聊我发送同样的命令。");
  auto p = entry::customer_profile(ctx.conn, ctx.raw_args, ctx.actor, ctx.services.today());
  if (!p) return error_reply(p.error());
  Reply r;
  r.text = p->text_zh;
  return r;
}

}  // namespace commands
}  // namespace yimei::bot
