// Loading, storing and re-running the last answer (see last_answer.hpp).
#include "bot/last_answer.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "core/text2sql/engine.hpp"

namespace yimei::bot {
namespace {

std::string string_field(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::optional<LastAnswer> load_last_answer(db::Connection& conn, const IncomingMessage& m) {
  const Table t = conn.query(
      "SELECT state_json FROM bot_conversation_state WHERE platform = ? AND user_id = ? AND "
      "chat_id = ?",
      {m.platform, m.user_id, m.chat_id});
  if (t.rows.empty()) return std::nullopt;
  const auto* text = std::get_if<Text>(&t.rows[0][0]);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(text->view(), ec);
  if (ec || !v.is_object()) {
    spdlog::warn("conversation state of {}:{} is not JSON", m.platform, m.user_id);
    return std::nullopt;
  }
  const auto& o = v.as_object();
  LastAnswer last;
  last.question = string_field(o, "question");
  last.sql = string_field(o, "sql");
  last.analysis = string_field(o, "analysis");
  if (const auto* p = o.if_contains("params"); p && p->is_object())
    for (const auto& [k, val] : p->as_object())
      if (val.is_string()) last.params[std::string(k)] = std::string(val.as_string());
  if (const std::string spec = string_field(o, "spec"); !spec.empty()) {
    const boost::json::value sv = boost::json::parse(spec, ec);
    if (!ec) {
      auto parsed = text2sql::query_spec_from_json(sv);
      if (parsed) last.spec = std::move(parsed.value());
    }
  }
  if (last.analysis.empty() && !last.spec && last.sql.empty()) return std::nullopt;
  return last;
}

std::string answer_digest(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return text.substr(0, n);
}

void remember_analysis(CommandContext& ctx, const std::string& name,
                       const std::map<std::string, std::string>& params,
                       const std::string& digest) {
  std::string question = "/分析 " + name;
  boost::json::object p;
  for (const auto& [k, v] : params) {
    question += " " + k + "=" + v;
    p[k] = v;
  }
  const boost::json::object o{
      {"question", question}, {"spec", ""}, {"sql", ""}, {"digest", answer_digest(digest)},
      {"analysis", name},     {"params", p}};
  ctx.conn.execute(
      "INSERT INTO bot_conversation_state (platform, user_id, chat_id, state_json) VALUES (?, ?, "
      "?, ?) ON DUPLICATE KEY UPDATE state_json = VALUES(state_json)",
      {ctx.message.platform, ctx.message.user_id, ctx.message.chat_id, boost::json::serialize(o)});
}

Outcome<text2sql::Answer> rerun_answer(CommandContext& ctx, const LastAnswer& last,
                                       std::size_t row_cap) {
  AppServices& s = ctx.services;
  if (!s.engine)
    return UserError{ErrorKind::Unavailable,
                     "问答功能未开启（缺少只读数据库账号 DB_READONLY_USER），请联系管理员。"};
  if (!last.analysis.empty()) return bad_input("上一条是分析结果，不是问答。");
  std::optional<std::string> scope;
  if (ctx.actor.role == entry::Role::Consultant) scope = ctx.actor.consultant_id;
  try {
    if (last.spec) return s.engine->run_spec(*last.spec, last.question, s.today(), scope, row_cap);
    return s.engine->run_sql(last.sql, last.question, scope, row_cap);
  } catch (const db::DbError& e) {
    if (!e.is_statement_timeout()) throw;
    return bad_input("这个问题查询太久被中止了，请缩小时间范围或条件后再试。");
  }
}

}  // namespace yimei::bot
