// `yimei feedback export [--verdict correct|wrong|all] [--out FILE]`: the /反馈 records as JSONL
// in the format of the Text2SQL examples, so a clinic grows its own regression set.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

#include "bot/cli.hpp"
#include "bot/cli_context.hpp"
#include "bot/feedback_export.hpp"

namespace yimei::bot {

namespace {
struct FeedbackOptions {
  CommonOptions common;
  std::string verdict = "all";
  std::string out;
};

int run_export(CliContext& ctx, const FeedbackOptions& o) {
  const Config& cfg = ctx.config(o.common);
  db::Connection conn(cfg.db());
  std::size_t n = 0;
  if (o.out.empty()) {
    n = export_feedback(conn, o.verdict, std::cout);
  } else {
    std::ofstream file(o.out);
    if (!file) {
      std::cerr << "无法写入文件：" << o.out << "\n";
      return kExitInvalidInput;
    }
    n = export_feedback(conn, o.verdict, file);
    std::cerr << "已导出 " << n << " 条反馈到 " << o.out << "\n";
  }
  return kExitOk;
}
}  // namespace

void add_feedback_command(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<FeedbackOptions>();
  auto* fb = app.add_subcommand("feedback", "answers rated with /反馈");
  fb->require_subcommand(1);
  auto* ex = fb->add_subcommand("export", "write the feedback as JSONL (Text2SQL examples format)");
  add_common_options(*ex, opts->common);
  ex->add_option("--verdict", opts->verdict, "which records")
      ->check(CLI::IsMember({"correct", "wrong", "all"}));
  ex->add_option("--out", opts->out, "file to write (default: standard output)");
  ex->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_export(ctx, *opts); }; });
}

}  // namespace yimei::bot
