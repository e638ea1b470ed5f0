// `yimei ask QUESTION`: answers one question through the Text2SQL engine (rules, LLM or auto)
// on the read-only account, and prints the table with its provenance line (text, markdown) or
// the JSON object of interfaces.md; --chart writes the answer's chart. A clarification or a
// refused question goes to stderr with exit 3; a failed dependency exits 4.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <iostream>

#include "bot/cli.hpp"
#include "bot/cli_context.hpp"
#include "bot/net/openai_chat_client.hpp"
#include "core/db/readonly.hpp"
#include "core/render/chart.hpp"
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
};

int exit_for(const UserError& e) {
  return e.kind == ErrorKind::Unavailable ? kExitDependency : kExitInvalidInput;
}

bool numeric(ColumnType t) {
  return t == ColumnType::Integer || t == ColumnType::Decimal || t == ColumnType::Real;
}

// The chart of an answer when its shape has one: a label column followed by numbers.
std::optional<render::ChartSpec> chart_of(const text2sql::Answer& a) {
  const Table& t = a.table;
  if (t.rows.empty() || t.columns.size() < 2) return std::nullopt;
  if (numeric(t.columns[0].type)) return std::nullopt;
  std::vector<std::string> values;
  for (std::size_t i = 1; i < t.columns.size(); ++i)
    if (numeric(t.columns[i].type)) values.push_back(t.columns[i].name);
  if (values.empty()) return std::nullopt;
  render::ChartKind kind = render::ChartKind::Bar;
  if (a.spec) {
    for (const auto& d : a.spec->dimensions)
      if (text2sql::is_time_dimension(d)) kind = render::ChartKind::Line;
    if (a.spec->output == "share") kind = render::ChartKind::Donut;
  }
  if (t.columns[0].type == ColumnType::Date) kind = render::ChartKind::Line;
  if (values.size() > 1 && kind == render::ChartKind::Bar) kind = render::ChartKind::GroupedBar;
  render::ChartSpec spec = render::chart_from_table(t, kind, a.question, t.columns[0].name, values);
  spec.subtitle = a.provenance;
  return spec;
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
  std::cout << boost::json::serialize(out) << "\n";
}

int run_ask(CliContext& ctx, const AskOptions& o) {
  const Config& cfg = ctx.config(o.common);
  Outcome<Date> as_of = ctx.as_of(o.common);
  if (!as_of) {
    std::cerr << as_of.error().message << "\n";
    return kExitUsage;
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
  text2sql::AskRequest req;
  req.question = o.question;
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
  render::RenderOptions ro_opts;
  ro_opts.show_phone = o.show_phone;
  if (o.common.format == "json") {
    print_json(*a, o.show_phone);
  } else {
    std::cout << (o.common.format == "markdown" ? render::to_markdown(a->table, ro_opts)
                                                : render::to_text(a->table, ro_opts));
    for (const auto& n : a->notes) std::cout << "注：" << n << "\n";
    std::cout << a->provenance << "\n";
  }
  if (!o.common.chart_file.empty()) {
    auto spec = chart_of(*a);
    if (!spec) {
      std::cerr << "这个结果没有可以画成图表的数据（需要一列名称和至少一列数值）。\n";
    } else {
      const render::ChartImage img = render::render_chart(*spec);
      std::ofstream out(o.common.chart_file, std::ios::binary);
      out.write(reinterpret_cast<const char*>(img.png.data()),
                static_cast<std::streamsize>(img.png.size()));
      if (!out) {
        std::cerr << "无法写入图表文件：" << o.common.chart_file << "\n";
        return kExitInvalidInput;
      }
    }
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
  add_common_options(*ask, opts->common);
  ask->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_ask(ctx, *opts); }; });
}

}  // namespace yimei::bot
