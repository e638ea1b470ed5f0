// Router: who is asking, rate limit, pending previews, commands, else Text2SQL.
#include "bot/router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace yimei::bot {

namespace {

constexpr std::size_t kMaxMessageBytes = 4000;

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// Removes a leading "/" or the full-width "／".
std::optional<std::string_view> command_text(std::string_view t) {
  if (starts_with(t, "/")) return t.substr(1);
  if (starts_with(t, "／")) return t.substr(std::string_view("／").size());
  return std::nullopt;
}

bool is_one_of(std::string_view t, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), t) != words.end();
}

}  // namespace

Reply error_reply(const std::string& message) {
  Reply r;
  r.text = message;
  r.is_error = true;
  return r;
}

Reply error_reply(const UserError& e) {
  return error_reply(e.message);
}

std::string strip_mentions(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  const std::string_view kFullSpace = "\u3000", kMentionSpace = "\u2005", kZeroWidth = "\u200b";
  while (i < text.size()) {
    if (text[i] == '@' || starts_with(text.substr(i), "＠")) {
      // A mention runs to the next space (ASCII, U+2005 or U+3000) or the end.
      std::size_t j = i;
      while (j < text.size() && text[j] != ' ' && !starts_with(text.substr(j), kMentionSpace) &&
             !starts_with(text.substr(j), kFullSpace))
        ++j;
      i = j;
      continue;
    }
    if (starts_with(text.substr(i), kMentionSpace) || starts_with(text.substr(i), kFullSpace)) {
      out += ' ';
      i += 3;
      continue;
    }
    if (starts_with(text.substr(i), kZeroWidth)) {
      i += 3;
      continue;
    }
    out += text[i++];
  }
  const auto b = out.find_first_not_of(" \t\r\n");
  const auto e = out.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : out.substr(b, e - b + 1);
}

std::vector<std::string> split_args(std::string_view text) {
  static const std::string_view kSeparators[] = {"，", "、", "；", "：", "。", "\u3000", ",", ";"};
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
      flush();
      ++i;
      continue;
    }
    bool separated = false;
    for (auto sep : kSeparators) {
      if (starts_with(text.substr(i), sep)) {
        flush();
        i += sep.size();
        separated = true;
        break;
      }
    }
    if (!separated) cur += text[i++];
  }
  flush();
  return out;
}

const Command* find_command(std::string_view name) {
  for (const Command& c : command_registry()) {
    if (c.name == name) return &c;
    for (const auto& a : c.aliases)
      if (a == name) return &c;
  }
  return nullptr;
}

std::string closest_command(std::string_view name) {
  std::string best;
  std::size_t best_d = 3;  // at most two edits away
  for (const Command& c : command_registry()) {
    std::vector<std::string> names = c.aliases;
    names.push_back(c.name);
    for (const auto& n : names) {
      const std::size_t d = entry::edit_distance(name, n);
      if (d < best_d || (d == best_d && best.empty() && d < 2)) {
        best_d = d;
        best = c.name;
      }
    }
  }
  return best;
}

Reply Router::handle(db::Connection& conn, const IncomingMessage& m) {
  if (m.text.size() > kMaxMessageBytes)
    return error_reply("消息太长了（超过 " + std::to_string(kMaxMessageBytes) +
                       " 字节），请精简后再发。");
  const std::string text = strip_mentions(m.text);

  auto actor = entry::find_actor(conn, m.platform, m.user_id, services_.admins);
  if (!actor) {
    spdlog::info("message {} from unknown user {}:{} refused", m.msg_id, m.platform, m.user_id);
    std::string contact = services_.policy.admin_contact;
    if (contact.empty() && !services_.admins.empty()) contact = services_.admins.front();
    return error_reply("您好，您还没有开通医美助手的使用权限，请联系管理员" +
                       (contact.empty() ? std::string() : "（" + contact + "）") + "开通。");
  }
  actor->msg_id = m.msg_id;
  if (!services_.rate_limiter.allow(m.platform + ":" + m.user_id))
    return error_reply("您发得太快了，请稍等一分钟再试。");
  if (!m.unsupported_type.empty())
    return error_reply("目前我只能看懂文字消息，请直接打字提问，或发送 /帮助 查看全部命令。");
  if (text.empty()) {
    const Command* help = find_command("帮助");
    CommandContext ctx{services_, conn, m, *actor, {}, ""};
    return help->run(ctx);
  }

  CommandContext ctx{services_, conn, m, *actor, {}, ""};
  if (is_one_of(text, {"确认", "确定", "是", "好的", "ok", "OK", "yes"})) {
    if (auto r = answer_pending(ctx, true)) return *r;
    if (text == "确认" || text == "确定") return error_reply("当前没有等待确认的录入。");
  }
  if (is_one_of(text, {"取消", "不", "算了", "cancel"})) {
    if (auto r = answer_pending(ctx, false)) return *r;
    if (text == "取消") return error_reply("当前没有等待确认的录入。");
  }

  if (auto cmd = command_text(text)) {
    const auto space = cmd->find_first_of(" \t");
    std::string name(cmd->substr(0, space));
    std::string rest = space == std::string_view::npos ? "" : std::string(cmd->substr(space + 1));
    // "/增长点3" is "/增长点 3": split a trailing number off the name.
    const Command* c = find_command(name);
    if (!c) {
      const auto digits = name.find_first_of("0123456789");
      if (digits != std::string::npos && digits > 0 && (c = find_command(name.substr(0, digits)))) {
        rest = name.substr(digits) + (rest.empty() ? "" : " " + rest);
      }
    }
    if (!c) {
      const std::string near = closest_command(name);
      return error_reply("没有“/" + name + "”这个命令" +
                         (near.empty() ? "。" : "，您是不是想用 /" + near + "？") +
                         "发送 /帮助 查看全部命令。");
    }
    if (c->needs_write && !entry::may_write(*actor))
      return error_reply("您的角色只能查询，不能录入或修改数据。");
    ctx.raw_args = strip_mentions(rest);
    ctx.args = split_args(ctx.raw_args);
    return c->run(ctx);
  }
  return answer_question(ctx, text);
}

}  // namespace yimei::bot
