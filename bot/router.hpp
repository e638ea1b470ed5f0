// The conversation router, shared by every channel: strips @-mentions and noise, checks who is
// asking, applies the rate limit, answers a pending preview's 确认/取消, sends `/command args`
// to the command registry and anything else to Text2SQL. Runs on a worker thread inside the
// transaction that will also hold the reply's outbox row. Thread-safe (no mutable state of its
// own beyond the thread-safe rate limiter).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/app_services.hpp"
#include "bot/channel.hpp"
#include "core/db/connection.hpp"
#include "core/entry/entry.hpp"

namespace yimei::bot {

// What a command handler gets.
struct CommandContext {
  AppServices& services;
  db::Connection& conn;  // inside the message's transaction
  const IncomingMessage& message;
  const entry::Actor& actor;
  std::vector<std::string> args;  // split on spaces and Chinese punctuation
  std::string raw_args;           // the text after the command name, trimmed
};

struct Command {
  std::string name;                  // Chinese name without the slash, e.g. "增长点"
  std::vector<std::string> aliases;  // e.g. "growth", "增长"
  std::string usage;                 // e.g. "/增长点 [序号]"
  std::string summary_zh;
  bool needs_write = false;  // refused for viewers
  std::function<Reply(CommandContext&)> run;
};

// Every command, in the order /帮助 lists them.
const std::vector<Command>& command_registry();
const Command* find_command(std::string_view name);
// The registered name closest to `name` (for "did you mean"); empty when nothing is close.
std::string closest_command(std::string_view name);

// Removes @-mentions (also the WeCom/DingTalk forms with U+2005), zero-width characters and
// surrounding spaces.
std::string strip_mentions(std::string_view text);
// Splits arguments on ASCII/full-width spaces and Chinese punctuation (，、；：。).
std::vector<std::string> split_args(std::string_view text);

class Router {
 public:
  explicit Router(AppServices& services) : services_(services) {}
  // Never throws for expected failures (they become a Reply with is_error); throws
  // db::DbError when the database fails, so the caller can roll back and retry.
  Reply handle(db::Connection& conn, const IncomingMessage& message);

 private:
  AppServices& services_;
};

// A text reply saying `message`, marked as an error.
Reply error_reply(const std::string& message);
Reply error_reply(const UserError& e);

// Text2SQL for a chat user (free text and /查): scope, masking and group privacy applied.
Reply answer_question(CommandContext& ctx, const std::string& question);
// 确认 / 取消 of the user's pending data-entry preview in this chat; nullopt when none waits.
std::optional<Reply> answer_pending(CommandContext& ctx, bool confirm);

}  // namespace yimei::bot
