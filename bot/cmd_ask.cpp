// `yimei ask QUESTION`: answers one question through the Text2SQL engine (rules, LLM or auto)
// on the read-only account, and prints the table with its provenance line (text, markdown) or
// the JSON object of interfaces.md; --chart writes the answer's chart as core/present chooses it
// (steering words such as 画成折线图 are cut from the question first); --export writes the
// table as .xlsx or .csv. A clarification or a
// refused question goes to stderr with exit 3; a failed dependency exits 4.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "bot/cli.hpp"
#include "bot/cli_context.hpp"
#include "bot/net/openai_chat_client.hpp"
#include "core/db/readonly.hpp"
#include "core/entry/actor.hpp"
#include "core/export/documents.hpp"
#include "core/export/export_audit.hpp"
#include "core/present/comparison.hpp"
#include "core/present/steering.hpp"
#include "core/render/chart.hpp"
#include "core/render/json_text.hpp"
#include "core/render/table_render.hpp"
#include "core/text2sql/engine.hpp"
#include "core/text2sql/semantic_model.hpp"

namespace yimei::bot {

namespace {

struct AskOptions {
  CommonOptions common;
  std::string question;
  std::string engine = "auto";
  bool show_phone = false;
  std::string export_file;
};

int exit_for(const UserError& e) {
  return e.kind == ErrorKind::Unavailable ? kExitDependency : kExitInvalidInput;
}

// The answer's presentation (core/present): the steering words, the 环比/同比 periods.
present::Presentation presentation_of(const text2sql::Answer& a, const present::Steering& steering,
                                      const present::Comparison* cmp, bool show_phone) {
  present::PresentInput in;
  in.table = &a.table;
  in.spec = a.spec ? &*a.spec : nullptr;
  in.title = a.question;
  in.subtitle = a.provenance;
  in.steering = steering;
  in.comparison = cmp;
  in.show_phone = show_phone;
  present::PresentOptions po;
  po.max_text_rows = 50;  // a terminal shows more than a phone
  return present::choose_presentation(in, po);
}

int write_bytes(const std::string& file, const char* data, std::size_t size) {
  std::ofstream out(file, std::ios::binary);
  out.write(data, static_cast<std::streamsize>(size));
  if (!out) {
    std::cerr << "无法写入文件：" << file << "\n";
    return kExitInvalidInput;
  }
  return kExitOk;
}

void print_json(const text2sql::Answer& a, bool show_phone) {
  boost::json::object body = render::to_json(a.table, show_phone);
  boost::json::object out;
  out["question"] = a.question;
  out["engine"] = a.engine;
  out["sql"] = a.sql;
  out["columns"] = body["columns"];
  out["rows"] = body["rows"];
  out["row_count"] = a.table.rows.size();
  out["truncated"] = a.table.truncated;
  std::cout << render::json_text(out) << "\n";
}

// The audit row of an --export (platform "cli", the login name), like every export.
void audit_export(db::ConnectionPool& rw, const text2sql::Answer& a, const AskOptions& o,
                  exports::ExportFormat format, std::size_t bytes) {
  exports::ExportRecord rec;
  rec.source_kind = "answer";
  rec.source = a.question;
  rec.format = format;
  rec.file_name = o.export_file;
  rec.rows = a.table.rows.size();
  rec.columns = a.table.columns.size();
  rec.bytes = bytes;
  rec.phones_masked = !o.show_phone;
  auto conn = rw.acquire();
  exports::record_export(*conn, CliContext::actor(), rec);
}

int run_ask(CliContext& ctx, const AskOptions& o) {
  const Config& cfg = ctx.config(o.common);
  Outcome<Date> as_of = ctx.as_of(o.common);
  if (!as_of) {
    std::cerr << as_of.error().message << "\n";
    return kExitUsage;
  }
  std::optional<exports::ExportFormat> export_format;
  if (!o.export_file.empty()) {
    export_format = exports::format_of_path(o.export_file);
    if (!export_format) {
      std::cerr << "--export 的文件名应以 .xlsx 或 .csv 结尾：" << o.export_file << "\n";
      return kExitUsage;
    }
  }
  const auto mode = text2sql::parse_engine_mode(o.engine);
  if (!mode) {
    std::cerr << "--engine 只能是 auto、rules 或 llm\n";
    return kExitUsage;
  }
  text2sql::EngineConfig ecfg;
  ecfg.limits.max_rows = static_cast<std::size_t>(cfg.get_int("YIMEI_ROW_CAP"));
  ecfg.limits.statement_timeout =
      std::chrono::milliseconds(cfg.get_int("YIMEI_STATEMENT_TIMEOUT_MS"));
  db::DbConfig ro_cfg = cfg.readonly_db().value_or(cfg.db());
  if (!cfg.readonly_db())
    spdlog::warn("ask: DB_READONLY_USER is not set; using the main account in read-only mode");
  ro_cfg.session_init_sql = db::read_only_session_sql(ecfg.limits.statement_timeout);
  ro_cfg.pool_size = 2;
  ecfg.database = ro_cfg.database;
  db::DbConfig rw_cfg = cfg.db();
  rw_cfg.pool_size = 1;
  db::ConnectionPool ro(ro_cfg);
  db::ConnectionPool rw(rw_cfg);
  text2sql::EntityIndex index(rw, std::chrono::seconds(60));

  std::unique_ptr<text2sql::ChatClient> chat;
  std::unique_ptr<text2sql::LlmEngine> llm;
  if (*mode != text2sql::EngineMode::Rules && cfg.is_set("OPENAI_API_KEY")) {
    net::OpenAiOptions oo;
    oo.api_key = cfg.get("OPENAI_API_KEY");
    oo.base_url = cfg.get("OPENAI_BASE_URL");
    oo.model = cfg.get("OPENAI_MODEL");
    chat = net::make_openai_chat_client(oo);
    text2sql::LlmConfig lc;
    lc.model = oo.model;
    lc.timeout = std::chrono::milliseconds(cfg.get_int("OPENAI_TIMEOUT_MS"));
    std::vector<text2sql::SchemaColumn> schema;
    {
      auto conn = ro.acquire();
      schema = text2sql::load_schema_comments(*conn);
    }
    llm = std::make_unique<text2sql::LlmEngine>(*chat, lc, std::move(schema));
  }
  text2sql::Engine engine(ro, index, ecfg, llm.get());
  // Steering words (画成折线图, 只要表格, 按金额排序) shape the presentation, not the query.
  const present::SteeredQuestion steered = present::extract_steering(o.question);
  text2sql::AskRequest req;
  req.question = steered.question.empty() ? o.question : steered.question;
  req.as_of = *as_of;
  req.mode = *mode;
  Outcome<text2sql::Answer> a = engine.ask(req);
  if (!a) {
    std::cerr << a.error().message << "\n";
    return exit_for(a.error());
  }
  if (!a->answered()) {
    std::cerr << a->clarification->message << "\n";
    for (const auto& s : a->clarification->suggestions) std::cerr << "  · " << s << "\n";
    return kExitInvalidInput;
  }
  std::optional<present::Comparison> cmp = present::compare_answer(engine, *a, *as_of, {});
  const present::Presentation p =
      presentation_of(*a, steered.steering, cmp ? &*cmp : nullptr, o.show_phone);
  render::RenderOptions ro_opts;
  ro_opts.show_phone = o.show_phone;
  if (o.common.format == "json") {
    print_json(*a, o.show_phone);
  } else {
    if (!p.sentence.empty()) std::cout << p.sentence << "\n";
    const Table& shown = p.rule == "comparison" || p.rule == "period-compare" ? p.table : a->table;
    std::cout << (o.common.format == "markdown" ? render::to_markdown(shown, ro_opts)
                                                : render::to_text(shown, ro_opts));
    for (const auto& n : a->notes) std::cout << "注：" << n << "\n";
    std::cout << a->provenance << "\n";
  }
  if (!o.common.chart_file.empty()) {
    if (!p.chart) {
      std::cerr << (p.form == present::Form::Sentence
                        ? "这个结果是单个数值，已用一句话回答，没有图表。\n"
                        : "这个结果没有可以画成图表的数据（需要一列名称和至少一列数值）。\n");
    } else {
      const render::ChartImage img = render::render_chart(*p.chart);
      if (int rc = write_bytes(o.common.chart_file, reinterpret_cast<const char*>(img.png.data()),
                               img.png.size());
          rc != kExitOk)
        return rc;
    }
  }
  if (export_format) {
    const std::string bytes =
        exports::render_export(exports::document_for(*a, o.show_phone), *export_format);
    if (int rc = write_bytes(o.export_file, bytes.data(), bytes.size()); rc != kExitOk) return rc;
    audit_export(rw, *a, o, *export_format, bytes.size());
    std::cerr << "已导出：" << o.export_file << "\n";
  }
  spdlog::info("ask: engine {} rows {} confidence {:.2f}", a->engine, a->table.rows.size(),
               a->confidence);
  return kExitOk;
}

}  // namespace

void add_ask_commands(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<AskOptions>();
  auto* ask = app.add_subcommand("ask", "answer one question about the clinic's data");
  ask->add_option("question", opts->question, "the question, in Chinese")->required();
  ask->add_option("--engine", opts->engine, "auto | rules | llm")
      ->check(CLI::IsMember({"auto", "rules", "llm"}));
  ask->add_flag("--show-phone", opts->show_phone, "show phone numbers unmasked");
  ask->add_option("--export", opts->export_file, "write the result as FILE.xlsx or FILE.csv");
  add_common_options(*ask, opts->common);
  ask->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_ask(ctx, *opts); }; });
}

}  // namespace yimei::bot
