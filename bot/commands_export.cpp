// /导出: the last answer of this user in this chat (re-run, never stored rows), an analysis
// (/导出 不活跃 days=90) or a question (/导出 上个月各科室业绩) as an XLSX (default) or CSV file
// (csv, xlsx, 格式=csv). Phones are masked as on screen for the role; in a group only aggregates
// leave (customer-level exports are refused with the offer to ask privately). Every file is
// audit-logged in the message's transaction.
#include <spdlog/spdlog.h>

#include <cctype>

#include "bot/commands.hpp"
#include "bot/export_attachment.hpp"
#include "bot/last_answer.hpp"
#include "bot/reply_format.hpp"
#include "core/analysis/analysis.hpp"
#include "core/export/documents.hpp"
#include "core/text2sql/engine.hpp"

namespace yimei::bot::commands {
namespace {

const char* const kGroupRefusal =
    "群聊中只能导出汇总数据，这份结果含顾客明细；请私聊我发送同样的 /导出 命令。";

struct ExportRequest {
  exports::ExportFormat format = exports::ExportFormat::Xlsx;
  std::vector<std::string> rest;  // the arguments that are not the format
};

// File formats people may ask for that we do not make.
bool is_other_format(std::string a) {
  for (auto& ch : a) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* f : {"pdf", "doc", "docx", "word", "txt", "json", "png", "jpg", "ppt"})
    if (a == f || a == std::string(".") + f) return true;
  return false;
}

Outcome<ExportRequest> parse_request(const std::vector<std::string>& args) {
  ExportRequest r;
  for (const std::string& a : args) {
    if (auto f = exports::parse_export_format(a)) {
      r.format = *f;
      continue;
    }
    if (is_other_format(a)) return bad_input("导出格式只能是 xlsx 或 csv，例如：/导出 格式=csv");
    const auto eq = a.find('=');
    if (eq != std::string::npos) {
      const std::string key = a.substr(0, eq);
      if (key == "格式" || key == "format" || key == "文件格式") {
        auto f = exports::parse_export_format(a.substr(eq + 1));
        if (!f) return bad_input("导出格式只能是 xlsx 或 csv，例如：/导出 格式=csv");
        r.format = *f;
        continue;
      }
    }
    r.rest.push_back(a);
  }
  return r;
}

Reader reader_of(CommandContext& ctx) {
  Reader reader = reader_for(ctx.actor, ctx.message.is_group, ctx.services.policy.chat_max_rows);
  reader.as_of = ctx.services.today();
  return reader;
}

std::size_t export_row_cap(CommandContext& ctx) {
  return static_cast<std::size_t>(ctx.services.config.get_int("YIMEI_EXPORT_ROW_CAP"));
}

// The file, its audit row and the reply that carries it.
Reply deliver(CommandContext& ctx, const exports::ExportDocument& doc, exports::ExportFormat format,
              const std::string& source_kind, const std::string& source,
              const std::string& extra_note) {
  Outcome<Attachment> file = export_attachment(doc, format, ctx.services.today());
  if (!file) return error_reply(file.error());
  exports::record_export(
      ctx.conn, ctx.actor,
      export_record(doc, *file, format, source_kind, source, ctx.message.chat_id));
  const Table& main = doc.sheets.front().table;
  Reply r;
  r.text = "已导出「" + doc.title + "」：" + std::to_string(main.rows.size()) + " 行 × " +
           std::to_string(main.columns.size()) + " 列（" +
           std::string(exports::format_name_zh(format)) + " 文件 " + file->file_name + "）。";
  for (const auto& s : doc.sheets)
    for (const Column& c : s.table.columns)
      if (c.is_phone && !doc.show_phone && r.text.find("脱敏") == std::string::npos)
        r.text += "\n手机号已按您的权限脱敏。";
  if (!extra_note.empty()) r.text += "\n" + extra_note;
  r.files.push_back(std::move(file.value()));
  return r;
}

Reply export_answer(CommandContext& ctx, text2sql::Answer a, exports::ExportFormat format) {
  const Reader reader = reader_of(ctx);
  if (reader.is_group && names_customers(a)) return error_reply(kGroupRefusal);
  a.table = masked_for(a.table, reader);
  const exports::ExportDocument doc = exports::document_for(a, reader.show_phone);
  std::string note;
  if (a.table.truncated)
    note = "结果超过 " + std::to_string(a.table.rows.size()) + " 行的上限，只导出了前 " +
           std::to_string(a.table.rows.size()) + " 行；请缩小条件后再导出。";
  return deliver(ctx, doc, format, "answer", a.question, note);
}

Reply export_analysis(CommandContext& ctx, const std::string& name,
                      const std::map<std::string, std::string>& params,
                      exports::ExportFormat format) {
  analysis::AnalysisRequest req;
  req.as_of = ctx.services.today();
  req.params = params;
  if (ctx.actor.role == entry::Role::Consultant) req.scope.consultant_id = ctx.actor.consultant_id;
  if (const auto* info = analysis::find_analysis(name))
    for (const auto& p : info->params)
      if (p.key == "vip_levels" && !req.params.count("vip_levels"))
        req.params["vip_levels"] = ctx.services.config.get("YIMEI_VIP_LEVELS");
  auto result = analysis::run_analysis(ctx.conn, name, req);
  if (!result) return error_reply(result.error());
  const Reader reader = reader_of(ctx);
  if (reader.is_group && names_customers(result->table)) return error_reply(kGroupRefusal);
  exports::ExportDocument doc = exports::document_for(*result, reader.show_phone);
  std::string note;
  if (reader.is_group) {
    // Aggregates only: sheets listing customers stay out of a group.
    const auto before = doc.sheets.size();
    std::erase_if(doc.sheets,
                  [](const exports::ExportSheet& s) { return names_customers(s.table); });
    if (doc.sheets.size() < before) note = "含顾客明细的分表没有在群里导出；需要时请私聊我。";
  }
  for (auto& sheet : doc.sheets) sheet.table = masked_for(sheet.table, reader);
  if (format == exports::ExportFormat::Csv && doc.sheets.size() > 1)
    note += (note.empty() ? "" : "\n") + std::string("CSV 只包含主表；需要全部分表请用 /导出 ") +
            result->name + " xlsx。";
  return deliver(ctx, doc, format, "analysis", result->name, note);
}

Outcome<std::map<std::string, std::string>> params_of(const std::vector<std::string>& args) {
  std::map<std::string, std::string> params;
  for (const std::string& a : args) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      return bad_input("参数应写成 名称=值，例如 days=90；“" + a + "”不是这种格式。");
    params[a.substr(0, eq)] = a.substr(eq + 1);
  }
  return params;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

Reply export_file(CommandContext& ctx) {
  auto req = parse_request(ctx.args);
  if (!req) return error_reply(req.error());
  const std::vector<std::string>& rest = req->rest;
  if (rest.empty()) {
    auto last = load_last_answer(ctx.conn, ctx.message);
    if (!last)
      return error_reply(
          "还没有可以导出的回答：先提一个问题或运行一项分析，再发送 /导出；也可以直接写 /导出 "
          "不活跃 "
          "days=90。");
    if (!last->analysis.empty())
      return export_analysis(ctx, last->analysis, last->params, req->format);
    auto a = rerun_answer(ctx, *last, export_row_cap(ctx));
    if (!a) return error_reply(a.error());
    return export_answer(ctx, std::move(a.value()), req->format);
  }
  if (const analysis::AnalysisInfo* info = analysis::find_analysis(rest.front())) {
    auto params = params_of({rest.begin() + 1, rest.end()});
    if (!params) return error_reply(params.error());
    return export_analysis(ctx, info->name, *params, req->format);
  }
  // Anything else is a question: answered, then exported with the export row cap.
  if (!ctx.services.engine)
    return error_reply("没有“" + rest.front() + "”这项分析。可用：" +
                       analysis::analysis_names_zh());
  text2sql::AskRequest ask;
  ask.question = joined(rest);
  ask.as_of = ctx.services.today();
  if (ctx.actor.role == entry::Role::Consultant) ask.consultant_scope = ctx.actor.consultant_id;
  Outcome<text2sql::Answer> a = bad_input("");
  try {
    a = ctx.services.engine->ask(ask);
  } catch (const db::DbError& e) {
    if (!e.is_statement_timeout()) throw;
    return error_reply("这个问题查询太久被中止了，请缩小时间范围或条件后再试。");
  }
  if (!a) return error_reply(a.error());
  if (!a->answered()) return answer_reply(*a, reader_of(ctx));
  if (a->spec && a->table.truncated) {
    auto more = ctx.services.engine->run_spec(*a->spec, a->question, ask.as_of,
                                              ask.consultant_scope, export_row_cap(ctx));
    if (more) a = std::move(more);
  }
  return export_answer(ctx, std::move(a.value()), req->format);
}

}  // namespace yimei::bot::commands
