// `yimei analyze NAME`: runs one analysis of docs/spec/analyses.md (growth-points included) on
// the configured database and prints title, summary, narrative and tables (text, markdown) or
// the JSON object of interfaces.md; --chart writes the default chart. Unknown names and bad
// parameters go to stderr with exit 3; a failed database exits 4 (caught in cli.cpp).
// --export FILE.xlsx|.csv writes the result as a file (audit-logged).
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "bot/cli.hpp"
#include "bot/cli_context.hpp"
#include "core/analysis/analysis.hpp"
#include "core/db/connection.hpp"
#include "core/entry/actor.hpp"
#include "core/export/documents.hpp"
#include "core/export/export_audit.hpp"
#include "core/render/chart.hpp"
#include "core/render/json_text.hpp"
#include "core/render/table_render.hpp"

namespace yimei::bot {

namespace {

constexpr std::size_t kBreakdownRows = 10;

struct AnalyzeOptions {
  CommonOptions common;
  std::string name;
  std::string from;
  std::string to;
  bool show_phone = false;
  std::string export_file;
};

int exit_for(const UserError& e) {
  return e.kind == ErrorKind::Unavailable ? kExitDependency : kExitInvalidInput;
}

Column column_for(const analysis::SummaryItem& s) {
  Column c;
  c.name = s.key;
  c.label = s.label_zh;
  c.unit = s.unit;
  if (std::holds_alternative<Decimal>(s.value)) c.type = ColumnType::Decimal;
  if (std::holds_alternative<std::int64_t>(s.value)) c.type = ColumnType::Integer;
  if (std::holds_alternative<double>(s.value)) c.type = ColumnType::Real;
  return c;
}

std::string summary_value(const analysis::SummaryItem& s) {
  std::string v = render::format_value(s.value, column_for(s), false);
  if (is_null(s.value)) return v;
  if (s.unit == ColumnUnit::Yuan) return v + " 元";
  if (s.unit == ColumnUnit::Days) return v + " 天";
  return v;
}

std::string period_line(const analysis::AnalysisResult& r) {
  std::string out;
  if (r.from && r.to) {
    out = "统计区间：" + format_date(*r.from) + " 至 " + format_date(*r.to);
    if (r.previous_from && r.previous_to)
      out +=
          "（对比 " + format_date(*r.previous_from) + " 至 " + format_date(*r.previous_to) + "）";
  }
  return out;
}

std::string params_line(const analysis::AnalysisResult& r) {
  std::string out;
  for (const auto& [k, v] : r.params) out += (out.empty() ? "" : "  ") + k + "=" + v;
  return out;
}

std::string money_text(const Decimal& d) {
  Column c;
  c.type = ColumnType::Decimal;
  c.unit = ColumnUnit::Yuan;
  return render::format_value(d, c, false) + " 元";
}

// One paragraph per growth opportunity: evidence, formula and actions.
std::string opportunities_text(const analysis::AnalysisResult& r, bool markdown) {
  std::ostringstream out;
  for (const auto& o : r.opportunities) {
    out << (markdown ? "### " : "") << o.rank << ". 【" << o.priority_zh << "】" << o.title_zh
        << "（评分 " << render::format_value(o.score, Column{"score", "", ColumnType::Real}, false)
        << "，机会 " << money_text(o.opportunity_amount) << "，目标 " << o.targets.rows.size()
        << " 个" << o.target_kind_zh << "）\n";
    const char* indent = markdown ? "- " : "   ";
    std::string evidence;
    for (const auto& e : o.evidence)
      evidence += (evidence.empty() ? "" : "；") + e.label_zh + " " + summary_value(e);
    out << indent << "依据：" << evidence << "\n";
    out << indent << "测算：" << o.formula_zh << "\n";
    out << indent << "行动：";
    for (std::size_t i = 0; i < o.actions_zh.size(); ++i)
      out << (i ? "；" : "") << (i + 1) << ") " << o.actions_zh[i];
    out << "\n" << (markdown ? "\n" : "");
  }
  out << (markdown ? "\n" : "")
      << "查看某一项的完整目标名单：yimei analyze growth-points --param detail=N\n";
  return out.str();
}

void print_human(const analysis::AnalysisResult& r, const AnalyzeOptions& o) {
  const bool md = o.common.format == "markdown";
  render::RenderOptions ro;
  ro.show_phone = o.show_phone;
  std::ostringstream out;
  out << (md ? "## " : "") << r.title_zh << "（截至 " << format_date(r.as_of) << "）\n";
  if (const std::string p = period_line(r); !p.empty()) out << (md ? "\n" : "") << p << "\n";
  if (const std::string p = params_line(r); !p.empty())
    out << (md ? "\n" : "") << "参数：" << p << "\n";
  out << "\n";
  for (const auto& s : r.summary)
    out << (md ? "- " : "· ") << s.label_zh << "：" << summary_value(s) << "\n";
  out << "\n" << r.narrative_zh << "\n\n";
  out << (md ? render::to_markdown(r.table, ro) : render::to_text(r.table, ro));
  if (!r.opportunities.empty() && r.params.count("detail") && r.params.at("detail") == "0") {
    out << "\n" << opportunities_text(r, md);
  } else {
    render::RenderOptions small = ro;
    small.max_rows = kBreakdownRows;
    const auto section = [&](const std::string& name, const Table& table,
                             const render::RenderOptions& options) {
      out << "\n" << (md ? "### " : "【") << name << (md ? "\n\n" : "】\n");
      out << (md ? render::to_markdown(table, options) : render::to_text(table, options));
    };
    for (const auto& [name, table] : r.breakdowns) section(name, table, small);
    for (const auto& subset : r.row_subsets) {
      // Only the rows shown are copied out of the main table.
      render::RenderOptions first = small;
      first.total_rows = subset.rows.size();
      section(subset.name, analysis::subset_table(r.table, subset, kBreakdownRows), first);
    }
  }
  std::cout << out.str();
}

// The JSON document is written field by field and the rows one at a time: built whole, a
// 140,000-row result took twice the table's own memory again. The bytes are those of
// json_text of the whole object (keys in this order, no whitespace, numbers in plain notation).
void print_json(const analysis::AnalysisResult& r, bool show_phone) {
  boost::json::object params;
  for (const auto& [k, v] : r.params) params[k] = v;
  boost::json::object summary;
  for (const auto& s : r.summary)
    summary[s.key] = render::to_json_value(s.value, column_for(s), false);
  boost::json::object head;
  head["analysis"] = r.name;
  head["title"] = r.title_zh;
  head["as_of"] = format_date(r.as_of);
  if (r.from && r.to) {
    head["from"] = format_date(*r.from);
    head["to"] = format_date(*r.to);
  }
  head["params"] = std::move(params);
  head["summary"] = std::move(summary);
  boost::json::array columns;
  for (const Column& c : r.table.columns) columns.emplace_back(c.name);
  head["columns"] = std::move(columns);

  std::string text = render::json_text(head);
  text.pop_back();  // the closing brace: the rows follow
  text += R"(,"rows":[)";
  // The rows are read in the result's order, which is seldom the order they were allocated in
  // (a sorted result): their cells are prefetched a few rows ahead, or every row waits for
  // memory (a third of writing the 140,000 unspent balances).
  const std::vector<Row>& rows = r.table.rows;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i + 8 < rows.size()) {
      const auto* cells = reinterpret_cast<const char*>(rows[i + 8].data());
      const std::size_t bytes = rows[i + 8].size() * sizeof(Value);
      for (std::size_t k = 0; k < bytes; k += 64) __builtin_prefetch(cells + k);
    }
    if (i) text += ',';
    render::append_json_row(text, r.table, rows[i], show_phone);
    if (text.size() >= 1 << 16) {
      std::cout << text;
      text.clear();
    }
  }
  text += R"(],"row_count":)" + std::to_string(r.table.rows.size()) + R"(,"narrative":)";
  render::append_json_string(text, r.narrative_zh);
  text += "}\n";
  std::cout << text;
}

// Frees the rows of a large result in the order of their addresses. A sorted result's rows lie
// scattered, and freeing them in row order costs a cache miss each in malloc's bookkeeping:
// 50-75 ms for the 140,601 unspent balances, 16-20 ms in address order (sort included).
void free_rows_in_address_order(Table& t) {
  std::sort(t.rows.begin(), t.rows.end(), [](const Row& a, const Row& b) {
    return std::less<const Value*>()(a.data(), b.data());
  });
  t.rows.clear();
}

int write_chart(const analysis::AnalysisResult& r, const std::string& file) {
  auto spec = analysis::default_chart(r);
  if (!spec) {
    std::cerr << "这个分析结果没有可以画成图表的数据。\n";
    return kExitOk;
  }
  const render::ChartImage img = render::render_chart(*spec);
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(img.png.data()),
            static_cast<std::streamsize>(img.png.size()));
  if (!out) {
    std::cerr << "无法写入图表文件：" << file << "\n";
    return kExitInvalidInput;
  }
  return kExitOk;
}

// --export FILE.xlsx|.csv: the result (main table, breakdowns, notes) as a file, with an audit
// row (platform "cli", the login name) like every export.
int write_export(db::Connection& conn, const analysis::AnalysisResult& r, const AnalyzeOptions& o,
                 exports::ExportFormat format) {
  const exports::ExportDocument doc = exports::document_for(r, o.show_phone);
  const std::string bytes = exports::render_export(doc, format);
  std::ofstream out(o.export_file, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::cerr << "无法写入导出文件：" << o.export_file << "\n";
    return kExitInvalidInput;
  }
  exports::ExportRecord rec;
  rec.source_kind = "analysis";
  rec.source = r.name;
  rec.params = r.params;
  rec.format = format;
  rec.file_name = o.export_file;
  rec.rows = r.table.rows.size();
  rec.columns = r.table.columns.size();
  rec.bytes = bytes.size();
  rec.phones_masked = !o.show_phone;
  exports::record_export(conn, CliContext::actor(), rec);
  std::cerr << "已导出：" << o.export_file << "（" << r.table.rows.size() << " 行）\n";
  return kExitOk;
}

int run_analyze(CliContext& ctx, const AnalyzeOptions& o) {
  // One analysis per process: the second thread of growth-points would get a malloc arena of
  // its own (10-20 MB more at the peak) for no speed that matters here. `serve` keeps glibc's
  // per-thread arenas for its many threads.
  mallopt(M_ARENA_MAX, 1);
  const Config& cfg = ctx.config(o.common);
  Outcome<Date> as_of = ctx.as_of(o.common);
  if (!as_of) {
    std::cerr << as_of.error().message << "\n";
    return kExitUsage;
  }
  auto params = CliContext::params(o.common);
  if (!params) {
    std::cerr << params.error().message << "\n";
    return kExitUsage;
  }
  analysis::AnalysisRequest req;
  req.as_of = *as_of;
  req.params = std::move(params.value());
  for (const auto& [flag, text, slot] :
       {std::tuple{"--from", &o.from, &req.from}, std::tuple{"--to", &o.to, &req.to}}) {
    if (text->empty()) continue;
    auto d = parse_date(*text);
    if (!d) {
      std::cerr << flag << " 应为 YYYY-MM-DD 格式的有效日期: " << *text << "\n";
      return kExitUsage;
    }
    *slot = *d;
  }
  std::optional<exports::ExportFormat> export_format;
  if (!o.export_file.empty()) {
    export_format = exports::format_of_path(o.export_file);
    if (!export_format) {
      std::cerr << "--export 的文件名应以 .xlsx 或 .csv 结尾：" << o.export_file << "\n";
      return kExitUsage;
    }
  }
  const analysis::AnalysisInfo* info = analysis::find_analysis(o.name);
  if (!info) {
    std::cerr << "没有名为「" << o.name << "」的分析；可用的分析：" << analysis::analysis_names_zh()
              << "\n";
    return kExitInvalidInput;
  }
  // The configured VIP levels apply unless --param gives them.
  for (const auto& p : info->params)
    if (p.key == "vip_levels" && !req.params.count("vip_levels"))
      req.params["vip_levels"] = cfg.get("YIMEI_VIP_LEVELS");

  db::DbConfig dbc = cfg.db();
  dbc.pool_size = 1;
  db::Connection conn(dbc);
  const auto started = std::chrono::steady_clock::now();
  Outcome<analysis::AnalysisResult> r = analysis::run_analysis(conn, info->name, req);
  if (!r) {
    std::cerr << r.error().message << "\n";
    return exit_for(r.error());
  }
  spdlog::info("analyze: {} rows {} in {} ms", info->name, r->table.rows.size(),
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count());
  if (o.common.format == "json")
    print_json(*r, o.show_phone);
  else
    print_human(*r, o);
  int rc = kExitOk;
  if (export_format) rc = write_export(conn, *r, o, *export_format);
  if (rc == kExitOk && !o.common.chart_file.empty()) rc = write_chart(*r, o.common.chart_file);
  free_rows_in_address_order(r->table);
  return rc;
}

}  // namespace

void add_analyze_commands(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<AnalyzeOptions>();
  std::string names;
  for (const auto& a : analysis::catalog()) names += (names.empty() ? "" : ", ") + a.name;
  auto* cmd = app.add_subcommand("analyze", "run one clinic analysis (" + names + ")");
  cmd->add_option("name", opts->name, "analysis name or Chinese alias, e.g. inactive-customers")
      ->required();
  cmd->add_option("--from", opts->from, "period start YYYY-MM-DD (with --to)");
  cmd->add_option("--to", opts->to, "period end YYYY-MM-DD (with --from)");
  cmd->add_flag("--show-phone", opts->show_phone, "show phone numbers unmasked");
  cmd->add_option("--export", opts->export_file,
                  "write the result as FILE.xlsx (every table) or FILE.csv (the main table)");
  add_common_options(*cmd, opts->common);
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_analyze(ctx, *opts); }; });
}

}  // namespace yimei::bot
