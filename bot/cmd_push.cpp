// `yimei push NAME [--as-of D] [--dry-run]` builds one push job's report now: --dry-run prints
// it and writes the chart file; otherwise its replies go through the outbox to the platform
// adapters at once. `yimei push --list` shows the jobs and their next slot. NAME may also be a
// report name (dry run only). Exit codes of interfaces.md: 2 configuration or usage, 3 unknown
// job or bad parameter, 4 database or platform failure.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "bot/app.hpp"
#include "bot/cli.hpp"
#include "bot/cli_context.hpp"
#include "bot/metrics.hpp"
#include "bot/outbox.hpp"
#include "bot/push_jobs.hpp"
#include "bot/push_reply.hpp"
#include "bot/scheduler.hpp"
#include "core/db/connection.hpp"
#include "core/render/table_render.hpp"
#include "core/report/report.hpp"

namespace yimei::bot {

namespace {

constexpr int kDeliveryPasses = 10;

struct PushOptions {
  CommonOptions common;
  std::string name;
  bool dry_run = false;
  bool list = false;
  bool show_phone = false;
};

int exit_for(const UserError& e) {
  return e.kind == ErrorKind::Unavailable ? kExitDependency : kExitInvalidInput;
}

std::string job_names(const std::vector<PushJob>& jobs) {
  std::string out;
  for (const auto& j : jobs) out += (out.empty() ? "" : "、") + j.name;
  return out.empty() ? "（无）" : out;
}

int list_jobs(const std::vector<PushJob>& jobs, const std::string& format) {
  const auto now = std::chrono::system_clock::now();
  if (format == "json") {
    boost::json::array out;
    for (const auto& j : jobs) {
      boost::json::object o;
      o["name"] = j.name;
      o["report"] = j.report;
      o["cron"] = j.cron.text();
      o["timezone"] = j.timezone;
      const auto next = schedule::next_fire_time(j.cron, j.timezone, now);
      o["next_slot"] = next ? boost::json::value(schedule::local_time_text(*next, j.timezone))
                            : boost::json::value(nullptr);
      boost::json::array targets;
      for (const auto& t : j.targets) targets.push_back(boost::json::value(t.display()));
      o["targets"] = std::move(targets);
      out.push_back(std::move(o));
    }
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  if (jobs.empty()) {
    std::cout << "没有配置推送任务（在配置文件中添加 [[push]]，见 docs/configuration.md）。\n";
    return kExitOk;
  }
  for (const auto& j : jobs) {
    const report::ReportInfo* info = report::find_report(j.report);
    const auto next = schedule::next_fire_time(j.cron, j.timezone, now);
    std::string targets;
    for (const auto& t : j.targets) targets += (targets.empty() ? "" : ", ") + t.display();
    std::cout << j.name << "  " << j.report << "（" << (info ? info->title_zh : "") << "）  cron \""
              << j.cron.text() << "\"  " << j.timezone << "  下次："
              << (next ? schedule::local_time_text(*next, j.timezone) : std::string("无")) << "\n"
              << "    目标：" << targets << "\n";
  }
  return kExitOk;
}

// The job named `name`, or an ad-hoc job (no targets) when `name` is a report name.
Outcome<PushJob> find_job(const std::vector<PushJob>& jobs, const std::string& name,
                          const Config& cfg) {
  for (const auto& j : jobs)
    if (j.name == name) return j;
  if (const report::ReportInfo* info = report::find_report(name)) {
    PushJob job{name, schedule::CronExpr::parse("@daily").value(), cfg.timezone(), info->name, {},
                {}};
    for (const auto& p : info->params)
      if (p.key == "vip_levels" && cfg.is_set("YIMEI_VIP_LEVELS"))
        job.params["vip_levels"] = cfg.get("YIMEI_VIP_LEVELS");
    return job;
  }
  return not_found("没有名为「" + name + "」的推送任务；已配置的任务：" + job_names(jobs) +
                   "；也可以用报表名预览（--dry-run）：" + report::report_names_zh());
}

std::string chart_path(const PushOptions& o, const PushJob& job, const Date& as_of) {
  if (!o.common.chart_file.empty()) return o.common.chart_file;
  return (std::filesystem::temp_directory_path() /
          ("yimei-push-" + job.name + "-" + format_date(as_of) + ".png"))
      .string();
}

bool write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

int print_dry_run(const PushOptions& o, const PushJob& job, const report::Report& r) {
  std::string chart;
  if (!r.chart_png.empty()) {
    chart = chart_path(o, job, r.as_of);
    if (!write_file(chart, r.chart_png)) {
      std::cerr << "无法写入图表文件：" << chart << "\n";
      return kExitInvalidInput;
    }
  }
  if (o.common.format == "json") {
    boost::json::object out;
    out["job"] = job.name;
    out["report"] = r.name;
    out["title"] = r.title_zh;
    out["as_of"] = format_date(r.as_of);
    out["data_through"] = format_date(r.data_through);
    out["text"] = r.text_zh;
    if (r.is_alert) {
      boost::json::array causes;
      for (const auto& c : r.causes)
        causes.push_back(boost::json::object{{"key", c.key}, {"sentence", c.sentence_zh}});
      out["fired"] = r.fired();
      out["causes"] = std::move(causes);
      out["not_fired"] = r.not_fired_zh;
    }
    out["figures"] = render::to_json(r.figures, false);
    if (r.customer_list) out["customer_list"] = render::to_json(*r.customer_list, o.show_phone);
    boost::json::array targets;
    for (const auto& t : job.targets) targets.push_back(boost::json::value(t.display()));
    out["targets"] = std::move(targets);
    out["chart"] = chart.empty() ? boost::json::value(nullptr) : boost::json::value(chart);
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  const bool md = o.common.format == "markdown";
  render::RenderOptions ro{.show_phone = o.show_phone, .max_rows = 50};
  std::cout << r.text_zh;
  if (r.customer_list && !r.customer_list->rows.empty()) {
    const std::string title =
        r.customer_list_title_zh.empty() ? std::string("顾客名单") : r.customer_list_title_zh;
    std::cout << "\n【" << title << "】（仅发送给有权限的用户）\n"
              << (md ? render::to_markdown(*r.customer_list, ro)
                     : render::to_text(*r.customer_list, ro));
  }
  if (r.is_alert)
    for (const auto& c : r.causes) std::cout << "原因 " << c.key << "：" << c.sentence_zh << "\n";
  if (!chart.empty()) std::cout << "图表：" << chart << "\n";
  if (!job.targets.empty()) {
    std::string targets;
    for (const auto& t : job.targets) targets += (targets.empty() ? "" : ", ") + t.display();
    std::cout << "（预览，未发送；目标：" << targets << "）\n";
  }
  return kExitOk;
}

// Delivers the enqueued rows now; returns the rows not sent with their last error.
std::vector<std::string> deliver_now(
    App& app, const std::vector<std::int64_t>& ids,
    std::map<std::string, std::unique_ptr<PlatformAdapter>>& adapters) {
  OutboxPolicy policy;
  auto pending = [&] {
    std::vector<std::string> out;
    auto conn = app.pool().acquire();
    for (std::int64_t id : ids) {
      const Table t = conn->query(
          "SELECT status, target, COALESCE(last_error, '') FROM bot_outbox WHERE outbox_id = ?",
          {id});
      if (t.rows.empty()) continue;
      const auto& status = std::get<Text>(t.rows[0][0]);
      if (status != "sent")
        out.push_back(std::get<Text>(t.rows[0][1]).str() + "（" + status.str() + "）" +
                      std::get<Text>(t.rows[0][2]).str());
    }
    return out;
  };
  for (int pass = 0; pass < kDeliveryPasses; ++pass) {
    std::size_t delivered = 0;
    for (auto& [platform, adapter] : adapters) {
      PlatformAdapter* a = adapter.get();
      delivered += deliver_due(
          app.pool(), platform, [a](const OutboxRow& row) { return a->deliver(row); }, policy);
    }
    if (pending().empty() || delivered == 0) break;
  }
  return pending();
}

int send(CliContext& ctx, const Config& cfg, const PushJob& job, const Date& as_of) {
  if (job.targets.empty()) {
    std::cerr << "「" << job.name
              << "」不是已配置的推送任务，没有推送目标：请加 --dry-run 预览，或在配置文件中添加 "
                 "[[push]] 任务。\n";
    return kExitInvalidInput;
  }
  App app(cfg, as_of);
  Metrics metrics;
  PlatformContext pc{cfg, app, metrics, nullptr};
  std::map<std::string, std::unique_ptr<PlatformAdapter>> adapters;
  std::set<std::string> used;
  for (const auto& t : job.targets) used.insert(t.platform);
  for (const auto& factory : ctx.platforms)
    if (auto a = factory(pc)) {
      const std::string name = a->platform();
      if (used.count(name)) adapters[name] = std::move(a);
    }
  for (const auto& t : job.targets)
    if (!adapters.count(t.platform)) {
      std::cerr << "推送目标 " << t.display() << " 需要"
                << (t.platform == "wecom" ? "企业微信（WECOM_CORP_ID、WECOM_SECRET 等）"
                                          : "钉钉（DINGTALK_APP_KEY 等）")
                << "的配置，当前未启用。\n";
      return kExitUsage;
    }

  auto conn = app.pool().acquire();
  Outcome<report::Report> r = report::build_report(*conn, job.report, {as_of, job.params, {}});
  if (!r) {
    std::cerr << r.error().message << "\n";
    return exit_for(r.error());
  }
  if (r->is_alert && !r->fired()) {
    std::cout << r->text_zh << "（未发送）\n";
    return kExitOk;
  }
  std::vector<std::int64_t> ids;
  {
    db::Transaction tx(*conn);
    ids = enqueue_push(*conn, job, *r, std::nullopt, cfg.get_list("YIMEI_ADMINS"));
    for (const auto& cause : r->causes)
      conn->execute(
          "INSERT INTO bot_alert_state (job_name, cause_key, last_fired) VALUES (?, ?, ?)"
          " ON DUPLICATE KEY UPDATE last_fired = VALUES(last_fired)",
          {job.name, cause.key, utc_text(std::chrono::system_clock::now(), true)});
    tx.commit();
  }
  const std::vector<std::string> failed = deliver_now(app, ids, adapters);
  std::cout << r->text_zh;
  std::cout << "已发送 " << ids.size() - failed.size() << "/" << ids.size() << " 条。\n";
  if (failed.empty()) return kExitOk;
  for (const auto& f : failed) std::cerr << "未发送成功（yimei serve 会继续重试）：" << f << "\n";
  return kExitDependency;
}

int run_push(CliContext& ctx, const PushOptions& o) {
  const Config& cfg = ctx.config(o.common);
  const std::vector<PushJob> jobs = load_push_jobs(cfg);  // ConfigErrors: exit 2
  if (o.list) return list_jobs(jobs, o.common.format);
  if (o.name.empty()) {
    std::cerr << "请给出推送任务名（已配置：" << job_names(jobs) << "），或用 --list 查看。\n";
    return kExitUsage;
  }
  Outcome<PushJob> found = find_job(jobs, o.name, cfg);
  if (!found) {
    std::cerr << found.error().message << "\n";
    return kExitInvalidInput;
  }
  PushJob job = std::move(found.value());
  auto params = CliContext::params(o.common);
  if (!params) {
    std::cerr << params.error().message << "\n";
    return kExitUsage;
  }
  for (const auto& [k, v] : params.value()) job.params[k] = v;
  if (auto resolved = report::resolve_params(*report::find_report(job.report), job.params);
      !resolved) {
    std::cerr << resolved.error().message << "\n";
    return kExitInvalidInput;
  }
  Date as_of = today_in(job.timezone);
  if (!o.common.as_of.empty()) {
    auto d = parse_date(o.common.as_of);
    if (!d) {
      std::cerr << "--as-of 应为 YYYY-MM-DD 格式的有效日期: " << o.common.as_of << "\n";
      return kExitUsage;
    }
    as_of = *d;
  }

  if (!o.dry_run) return send(ctx, cfg, job, as_of);
  db::DbConfig dbc = cfg.db();
  dbc.pool_size = 1;
  db::Connection conn(dbc);
  Outcome<report::Report> r = report::build_report(conn, job.report, {as_of, job.params, {}});
  if (!r) {
    std::cerr << r.error().message << "\n";
    return exit_for(r.error());
  }
  return print_dry_run(o, job, *r);
}

}  // namespace

void add_push_command(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<PushOptions>();
  auto* cmd =
      app.add_subcommand("push", "build one scheduled push now and send it (or preview it)");
  cmd->add_option("name", opts->name,
                  "push job name from [[push]] (or a report name with --dry-run)");
  cmd->add_flag("--dry-run", opts->dry_run,
                "print the text and write the chart instead of sending");
  cmd->add_flag("--list", opts->list, "list the push jobs with their next slot");
  cmd->add_flag("--show-phone", opts->show_phone, "dry run: show phone numbers unmasked");
  add_common_options(*cmd, opts->common);
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_push(ctx, *opts); }; });
}

}  // namespace yimei::bot
