// `yimei chat` on a pseudo-terminal (forkpty): lines are edited with libedit (a typo erased with
// backspace), recalled from the history with the up arrow, the history is saved to
// $HOME/.yimei_history, and Ctrl-D ends the session with exit 0. Without a terminal the
// channel still reads plain lines from standard input, with no prompt, until end of input.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "tests/support/run_command.hpp"
#include "tests/support/scratch_db.hpp"

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr const char* kHelpMarker = "我是医美数据助手";

std::size_t count_of(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

// The chat process on the slave side of a pty; the test types on the master side.
class PtyChat {
 public:
  PtyChat(const std::string& database, const std::string& home) {
    pid_ = forkpty(&master_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      setenv("DB_NAME", database.c_str(), 1);
      setenv("HOME", home.c_str(), 1);
      setenv("TERM", "xterm", 1);
      setenv("YIMEI_ADMINS", "tester", 1);
      setenv("OPENAI_API_KEY", "", 1);
      if (chdir(home.c_str()) != 0) _exit(126);
      execl(YIMEI_BINARY, "yimei", "chat", "--as", "tester", "--as-of", "2026-06-30",
            static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~PtyChat() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
  }
  bool started() const { return pid_ > 0; }

  void type(const std::string& keys) {
    ASSERT_EQ(write(master_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
  }
  // Reads until `needle` has appeared `times` times in everything read so far.
  bool wait_for(const std::string& needle, std::size_t times, std::chrono::milliseconds limit) {
    const auto end = Clock::now() + limit;
    while (count_of(out_, needle) < times) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
      if (left.count() <= 0) return false;
      pollfd p{master_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
      char buf[4096];
      const ssize_t n = read(master_, buf, sizeof buf);
      if (n <= 0) return false;  // EIO once the child has gone
      out_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  // The exit status, or -1 if it did not exit within the limit.
  int wait_exit(std::chrono::milliseconds limit) {
    const auto end = Clock::now() + limit;
    while (Clock::now() < end) {
      char buf[4096];
      pollfd p{master_, POLLIN, 0};
      if (poll(&p, 1, 50) > 0) {
        const ssize_t n = read(master_, buf, sizeof buf);
        if (n > 0) out_.append(buf, static_cast<std::size_t>(n));
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
    }
    return -1;
  }
  // Waits for the prompt printed after the k-th occurrence of `needle` (libedit has then put the
  // terminal in raw mode and is reading), so typed keys never meet a cooked terminal.
  bool wait_prompt_after(const std::string& needle, std::size_t k,
                         std::chrono::milliseconds limit) {
    if (!wait_for(needle, k, limit)) return false;
    std::size_t at = 0;
    for (std::size_t i = 0; i < k; ++i) at = out_.find(needle, i ? at + 1 : 0);
    const auto end = Clock::now() + limit;
    while (out_.find("> ", at) == std::string::npos) {
      if (Clock::now() > end || !wait_for(needle, k, 0ms)) return false;
      pollfd p{master_, POLLIN, 0};
      if (poll(&p, 1, 100) > 0) {
        char buf[4096];
        const ssize_t n = read(master_, buf, sizeof buf);
        if (n <= 0) return false;
        out_.append(buf, static_cast<std::size_t>(n));
      }
    }
    usleep(100 * 1000);
    return true;
  }
  const std::string& output() const { return out_; }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string out_;
};

std::string temp_home(const std::string& tag) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("yimei_chat_" + tag + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace

TEST(ChatLineEditing, TerminalLinesAreEditedAndRecalledFromHistory) {
  yimei::test::ScratchDatabase db;  // the chat records its inbox and outbox here
  const std::string home = temp_home("tty");
  PtyChat chat(db.name(), home);
  ASSERT_TRUE(chat.started());
  ASSERT_TRUE(chat.wait_prompt_after("翻看历史", 1, 30s)) << chat.output();
  // A typo erased with backspace before Enter: the command that runs is /帮助.
  chat.type("/帮X\x7f助\r");
  ASSERT_TRUE(chat.wait_prompt_after(kHelpMarker, 1, 30s)) << chat.output();
  // The up arrow brings the line back; Enter runs it again.
  chat.type("\x1b[A\r");
  ASSERT_TRUE(chat.wait_prompt_after(kHelpMarker, 2, 30s)) << chat.output();
  chat.type("\x04");  // Ctrl-D
  EXPECT_EQ(chat.wait_exit(30s), 0) << chat.output();
  EXPECT_EQ(chat.output().find("未知命令"), std::string::npos) << chat.output();
  // The history was saved once for the session (duplicates collapsed).
  std::ifstream in(home + "/.yimei_history");
  std::stringstream saved;
  saved << in.rdbuf();
  EXPECT_EQ(count_of(saved.str(), "/帮助"), 1u) << saved.str();
  std::filesystem::remove_all(home);
}

TEST(ChatLineEditing, PipedInputIsReadLineByLineWithoutAPrompt) {
  yimei::test::ScratchDatabase db;
  const std::string home = temp_home("pipe");
  const yimei::test::CommandResult r = yimei::test::run_command(
      "cd " + home + " && printf '/帮助\\n\\n/help\\n' | HOME=" + home + " DB_NAME=" + db.name() +
      " YIMEI_ADMINS=tester OPENAI_API_KEY= " + YIMEI_BINARY +
      " chat --as tester --as-of 2026-06-30 2>/dev/null");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(count_of(r.out, kHelpMarker), 2u) << r.out;
  EXPECT_EQ(r.out.find("> "), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(home + "/.yimei_history"));
  std::filesystem::remove_all(home);
}
