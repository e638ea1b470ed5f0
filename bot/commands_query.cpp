// Text2SQL in the chat (free text and /查), shown as core/present chooses (steering words cut
// out first; a bare 画成饼图 redraws the last answer), and /反馈 on the last answer.
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "bot/commands.hpp"
#include "bot/feedback_export.hpp"
#include "bot/last_answer.hpp"
#include "bot/reply_format.hpp"
#include "core/export/export_audit.hpp"
#include "core/present/comparison.hpp"
#include "core/present/steering.hpp"
#include "core/text2sql/engine.hpp"

namespace yimei::bot {

namespace {

// Audits the files a reply carries (a long answer's table); inside the message's transaction.
void audit_files(CommandContext& ctx, const Reply& r, const text2sql::Answer& a,
                 const Reader& reader) {
  for (const Attachment& f : r.files) {
    exports::ExportRecord rec;
    rec.source_kind = "answer";
    rec.source = a.question;
    rec.chat_id = ctx.message.chat_id;
    rec.format = exports::ExportFormat::Xlsx;
    rec.file_name = f.file_name;
    rec.rows = r.table ? r.table->rows.size() : a.table.rows.size();
    rec.columns = a.table.columns.size();
    rec.bytes = f.bytes.size();
    rec.phones_masked = !reader.show_phone;
    exports::record_export(ctx.conn, ctx.actor, rec);
  }
}

// The answer shown for this reader: steering applied, 环比/同比 periods filled in, attachments
// audited.
Reply present_answer(CommandContext& ctx, const text2sql::Answer& a,
                     const present::Steering& steering) {
  AppServices& s = ctx.services;
  Reader reader = reader_for(ctx.actor, ctx.message.is_group, s.policy.chat_max_rows);
  reader.as_of = s.today();
  std::optional<std::string> scope;
  if (ctx.actor.role == entry::Role::Consultant) scope = ctx.actor.consultant_id;
  std::optional<present::Comparison> cmp;
  if (s.engine && a.answered()) cmp = present::compare_answer(*s.engine, a, reader.as_of, scope);
  Reply r = answer_reply(a, reader, steering, cmp ? &*cmp : nullptr);
  audit_files(ctx, r, a, reader);
  return r;
}

// 画成饼图 / 不要图 alone: the last answer again, shown the new way.
Reply redraw_last(CommandContext& ctx, const present::Steering& steering) {
  auto last = load_last_answer(ctx.conn, ctx.message);
  if (!last) return error_reply("请先提一个问题，再告诉我想怎么展示（如“画成折线图”“只要表格”）。");
  if (!last->analysis.empty())
    return error_reply(
        "分析结果的图表是固定的；想换一种展示，请直接提问，例如“上个月各科室业绩，画成饼图”。");
  Outcome<text2sql::Answer> a = rerun_answer(ctx, *last, 0);
  if (!a) return error_reply(a.error());
  return present_answer(ctx, *a, steering);
}

}  // namespace

Reply answer_question(CommandContext& ctx, const std::string& asked) {
  AppServices& s = ctx.services;
  if (!s.engine)
    return error_reply("问答功能未开启（缺少只读数据库账号 DB_READONLY_USER），请联系管理员。");
  // Steering words (画成折线图, 只要表格, 按金额排序) never reach the engine.
  const present::SteeredQuestion steered = present::extract_steering(asked);
  if (steered.question.empty() && steered.steering.any()) return redraw_last(ctx, steered.steering);
  const std::string& question = steered.question.empty() ? asked : steered.question;
  text2sql::AskRequest req;
  req.question = question;
  req.as_of = s.today();
  req.mode = text2sql::EngineMode::Auto;
  req.user = ctx.message.platform + ":" + ctx.message.user_id;
  req.chat = ctx.message.chat_id;
  if (ctx.actor.role == entry::Role::Consultant) req.consultant_scope = ctx.actor.consultant_id;
  if (s.progress_notice)
    req.before_llm = [&] { s.progress_notice(ctx.message, "正在查询，请稍候…"); };
  Outcome<text2sql::Answer> a = bad_input("");
  try {
    a = s.engine->ask(req);
  } catch (const db::DbError& e) {
    if (!e.is_statement_timeout()) throw;
    return error_reply("这个问题查询太久被中止了，请缩小时间范围或条件后再试。");
  }
  if (!a) return error_reply(a.error());
  Reply r = present_answer(ctx, *a, steered.steering);
  std::string spec;
  if (a->spec) spec = boost::json::serialize(text2sql::to_json(*a->spec));
  commands::remember_answer(ctx, question, spec, inline_params(a->sql, a->params),
                            answer_digest(r.text));
  return r;
}

namespace commands {

Reply query(CommandContext& ctx) {
  if (ctx.raw_args.empty()) return error_reply("请在 /查 后面写上问题，例如：/查 上个月各科室业绩");
  return answer_question(ctx, ctx.raw_args);
}

void remember_answer(CommandContext& ctx, const std::string& question, const std::string& spec_json,
                     const std::string& sql, const std::string& digest) {
  boost::json::object o{
      {"question", question}, {"spec", spec_json}, {"sql", sql}, {"digest", digest}};
  ctx.conn.execute(
      "INSERT INTO bot_conversation_state (platform, user_id, chat_id, state_json) VALUES (?, ?, "
      "?, ?) "
      "ON DUPLICATE KEY UPDATE state_json = VALUES(state_json)",
      {ctx.message.platform, ctx.message.user_id, ctx.message.chat_id, boost::json::serialize(o)});
}

Reply feedback(CommandContext& ctx) {
  if (ctx.args.empty()) return error_reply("用法：/反馈 对|错 [说明]");
  const std::string& v = ctx.args[0];
  std::string verdict;
  if (v == "对" || v == "正确" || v == "好" || v == "👍") verdict = "correct";
  if (v == "错" || v == "不对" || v == "错误" || v == "👎") verdict = "wrong";
  if (verdict.empty()) return error_reply("请用“对”或“错”评价，例如：/反馈 错 应该按科室统计");
  Table t = ctx.conn.query(
      "SELECT state_json FROM bot_conversation_state WHERE platform = ? AND user_id = ? AND "
      "chat_id = ?",
      {ctx.message.platform, ctx.message.user_id, ctx.message.chat_id});
  if (t.rows.empty()) return error_reply("还没有可以评价的回答：先问一个问题吧。");
  const auto o = boost::json::parse(std::get<Text>(t.rows[0][0]).view()).as_object();
  std::string note = ctx.raw_args.substr(std::min(ctx.raw_args.size(), v.size()));
  if (const auto b = note.find_first_not_of(" "); b != std::string::npos)
    note = note.substr(b);
  else
    note.clear();
  ctx.conn.execute(
      "INSERT INTO bot_feedback (platform, user_id, question, spec_json, sql_text, answer_digest, "
      "verdict, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {ctx.message.platform, ctx.message.user_id,
       boost::json::value_to<std::string>(o.at("question")),
       boost::json::value_to<std::string>(o.at("spec")),
       boost::json::value_to<std::string>(o.at("sql")),
       boost::json::value_to<std::string>(o.at("digest")), verdict, note.substr(0, 500)});
  Reply r;
  r.text = verdict == "correct" ? "感谢反馈！已记录这条回答是正确的。"
                                : "感谢反馈！已记录这条回答有误，我们会用它改进。";
  return r;
}

}  // namespace commands
}  // namespace yimei::bot
