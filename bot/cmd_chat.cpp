// `yimei chat [--as USER] [-c TEXT]`: a terminal channel on the same router, inbox and outbox
// as WeCom — each line is recorded, processed and delivered exactly like a platform message.
// Reads standard input line by line when it is not a terminal, until end of input (exit 0); on
// a terminal, lines are edited with libedit and kept in a history (~/.yimei_history).
// Charts and exports are written under ./yimei-out/ and their paths printed.
#include <editline/readline.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <string_view>

#include "bot/app.hpp"
#include "bot/cli.hpp"
#include "bot/cli_context.hpp"
#include "bot/inbox.hpp"
#include "bot/outbox.hpp"

namespace yimei::bot {

namespace {

struct ChatOptions {
  CommonOptions common;
  std::string user;
  std::string one_line;
  std::string out_dir = "yimei-out";
};

// The user's lines: libedit (editing, arrow keys, history saved across sessions) when standard
// input is a terminal, plain std::getline otherwise. Not thread-safe (libedit is global).
class LineReader {
 public:
  explicit LineReader(bool terminal) : terminal_(terminal) {
    if (!terminal_) return;
    // libedit reads multibyte input per LC_CTYPE: take the user's, or UTF-8 when it is "C".
    const char* ctype = std::setlocale(LC_CTYPE, "");
    if (!ctype || std::string_view(ctype) == "C" || std::string_view(ctype) == "POSIX")
      std::setlocale(LC_CTYPE, "C.UTF-8");
    using_history();
    stifle_history(kHistoryLines);
    if (const char* home = std::getenv("HOME"); home && *home) {
      history_file_ = std::string(home) + "/.yimei_history";
      read_history(history_file_.c_str());  // absent on the first run: nothing to read
    }
  }
  ~LineReader() {
    if (terminal_ && !history_file_.empty()) write_history(history_file_.c_str());
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // False at the end of input (Ctrl-D on a terminal).
  bool next(std::string& line) {
    if (!terminal_) return static_cast<bool>(std::getline(std::cin, line));
    std::cout << std::flush;
    char* raw = readline("> ");
    if (!raw) {
      std::cout << "\n";
      return false;
    }
    line = raw;
    std::free(raw);
    if (line.find_first_not_of(" \t\r") != std::string::npos &&
        (history_length == 0 || !last_is(line)))
      add_history(line.c_str());
    return true;
  }

 private:
  static constexpr int kHistoryLines = 500;
  static bool last_is(const std::string& line) {
    HIST_ENTRY* last = history_get(history_base + history_length - 1);
    return last && last->line && line == last->line;
  }
  bool terminal_;
  std::string history_file_;
};

std::string next_msg_id() {
  static std::atomic<int> counter{0};
  static const std::string session = [] {
    std::mt19937_64 rng{std::random_device{}()};
    return std::to_string(rng() % 1000000000ULL);
  }();
  return "cli-" + session + "-" + std::to_string(++counter);
}

std::string write_file(const std::string& dir, const std::string& name,
                       const std::vector<std::uint8_t>& bytes) {
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  return std::filesystem::absolute(path).string();
}

// Prints one delivered reply; the terminal is this channel's "platform API".
Outcome<bool> print_reply(const OutboxRow& row, const std::string& out_dir) {
  std::cout << row.reply.text << "\n";
  if (!row.reply.chart_png.empty())
    std::cout << "[图表] "
              << write_file(out_dir, "chart-" + std::to_string(row.outbox_id) + ".png",
                            row.reply.chart_png)
              << "\n";
  for (const auto& f : row.reply.files)
    std::cout << "[文件] " << write_file(out_dir, f.file_name, f.bytes) << "\n";
  std::cout << std::flush;
  return true;
}

int run_chat(CliContext& ctx, const ChatOptions& o) {
  const Config& cfg = ctx.config(o.common);
  auto as_of = ctx.as_of(o.common);
  if (!as_of) {
    std::cerr << as_of.error().message << "\n";
    return kExitInvalidInput;
  }
  // The terminal is this channel's screen: keep routine info lines off it unless asked for.
  if (cfg.get("YIMEI_LOG_LEVEL") == "info") spdlog::set_level(spdlog::level::warn);
  std::optional<Date> fixed;
  if (!o.common.as_of.empty()) fixed = *as_of;
  App app(cfg, fixed);
  std::string user = o.user;
  if (user.empty())
    user = app.services().admins.empty() ? "cli-user" : app.services().admins.front();
  app.processor().recover();
  // On a terminal the notice before a slow LLM answer is printed at once (pipes get the answer
  // only, so scripts see exactly the reply).
  if (isatty(STDOUT_FILENO))
    app.services().progress_notice = [](const IncomingMessage&, const std::string& text) {
      std::cout << text << std::endl;
    };

  auto handle_line = [&](const std::string& line) {
    IncomingMessage m;
    m.platform = "cli";
    m.msg_id = next_msg_id();
    m.user_id = user;
    m.user_name = user;
    m.text = line;
    m.time = std::chrono::system_clock::now();
    {
      auto c = app.pool().acquire();
      record_incoming(*c, m);
    }
    app.processor().process(m.platform, m.msg_id);
    deliver_due(
        app.pool(), "cli", [&](const OutboxRow& r) { return print_reply(r, o.out_dir); },
        OutboxPolicy{});
  };

  if (!o.one_line.empty()) {
    handle_line(o.one_line);
    return kExitOk;
  }
  const bool interactive = isatty(STDIN_FILENO);
  if (interactive)
    std::cout << "医美助手（" << user << "）— 输入问题或 /帮助，↑↓ 翻看历史，Ctrl-D 退出\n";
  LineReader reader(interactive);
  std::string line;
  while (reader.next(line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    handle_line(line);
  }
  return kExitOk;
}

}  // namespace

void add_chat_command(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<ChatOptions>();
  auto* chat = app.add_subcommand("chat", "talk to the bot in the terminal (same router as WeCom)");
  add_common_options(*chat, opts->common);
  chat->add_option("--as", opts->user, "user id to speak as (default: the first YIMEI_ADMINS)");
  chat->add_option("-c", opts->one_line, "run one line and exit");
  chat->add_option("--out", opts->out_dir, "directory for charts and exports");
  chat->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_chat(ctx, *opts); }; });
}

}  // namespace yimei::bot
