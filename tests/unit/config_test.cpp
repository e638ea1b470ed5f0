// Configuration: precedence (environment > .env > TOML > defaults), every documented error
// with its source, key and reason, and secrets redacted.
#include "bot/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace yimei::bot;

namespace {

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("yimei-config-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) {
    const auto p = path_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

ConfigSources sources(const std::string& toml, const std::string& dotenv,
                      std::map<std::string, std::string> env = {}) {
  ConfigSources s;
  s.toml_file = toml;
  s.dotenv_file = dotenv;
  s.environment = std::move(env);
  return s;
}

// Loads and expects exactly one problem; returns it.
ConfigProblem single_problem(const ConfigSources& s) {
  try {
    Config::load(s);
  } catch (const ConfigErrors& e) {
    EXPECT_EQ(e.problems().size(), 1u) << e.what();
    return e.problems().front();
  }
  ADD_FAILURE() << "no configuration error";
  return {};
}

}  // namespace

TEST(Config, DefaultsFollowTheContract) {
  Config c = Config::load(sources("", ""));
  EXPECT_EQ(c.get("DB_HOST"), "127.0.0.1");
  EXPECT_EQ(c.get_int("DB_PORT"), 3306);
  EXPECT_EQ(c.get("DB_NAME"), "medical_cosmetics");
  EXPECT_EQ(c.get("DB_USER"), "root");
  EXPECT_EQ(c.get("YIMEI_LISTEN"), "127.0.0.1:8080");
  EXPECT_EQ(c.timezone(), "Asia/Shanghai");
  EXPECT_EQ(c.get("WECOM_API_BASE"), "https://qyapi.weixin.qq.com");
  EXPECT_EQ(c.get("OPENAI_BASE_URL"), "https://api.openai.com/v1");
  EXPECT_EQ(c.get_list("YIMEI_VIP_LEVELS"), (std::vector<std::string>{"金卡", "钻石"}));
  EXPECT_FALSE(c.readonly_db().has_value());
}

TEST(Config, EnvironmentWinsOverDotenvOverFile) {
  TempDir d;
  const auto toml =
      d.write("y.toml", "[db]\nhost = \"file-host\"\nport = 3310\nname = \"filedb\"\n");
  const auto env = d.write(".env", "DB_PORT=3320\nexport DB_NAME='envfile_db'\n# comment\n");
  Config c = Config::load(sources(toml, env, {{"DB_NAME", "envdb"}, {"PATH", "/bin"}}));
  EXPECT_EQ(c.get("DB_HOST"), "file-host");
  EXPECT_EQ(c.get_int("DB_PORT"), 3320);
  EXPECT_EQ(c.get("DB_NAME"), "envdb");
  EXPECT_EQ(c.db().port, 3320);
}

TEST(Config, UnknownTomlKeyNamesFileAndKey) {
  TempDir d;
  const auto toml = d.write("y.toml", "[db]\nhots = \"x\"\n");
  ConfigProblem p = single_problem(sources(toml, ""));
  EXPECT_EQ(p.source, toml);
  EXPECT_EQ(p.key, "db.hots");
  EXPECT_NE(p.reason.find("未知"), std::string::npos);
}

TEST(Config, BadValuesGiveTheirReason) {
  TempDir d;
  EXPECT_EQ(single_problem(sources(d.write("a.toml", "[db]\nport = 70000\n"), "")).key, "db.port");
  EXPECT_NE(single_problem(sources("", "", {{"DB_PORT", "abc"}})).reason.find("整数"),
            std::string::npos);
  ConfigProblem tz = single_problem(sources("", "", {{"YIMEI_TIMEZONE", "Mars/Base"}}));
  EXPECT_EQ(tz.source, "environment");
  EXPECT_EQ(tz.key, "YIMEI_TIMEZONE");
  EXPECT_NE(tz.reason.find("时区"), std::string::npos);
  EXPECT_EQ(single_problem(sources("", "", {{"WECOM_API_BASE", "ftp://x"}})).key, "WECOM_API_BASE");
  EXPECT_EQ(single_problem(sources("", "", {{"YIMEI_LISTEN", "8080"}})).key, "YIMEI_LISTEN");
  EXPECT_EQ(single_problem(sources("", "", {{"YIMEI_LOG_LEVEL", "loud"}})).key, "YIMEI_LOG_LEVEL");
  EXPECT_EQ(single_problem(sources("", "", {{"WECOM_AES_KEY", "short"}})).key, "WECOM_AES_KEY");
  EXPECT_EQ(single_problem(sources("", "", {{"DB_NAME", "x; DROP"}})).key, "DB_NAME");
}

TEST(Config, DotenvProblemsNameTheFile) {
  TempDir d;
  const auto env = d.write(".env", "DB_HOST=ok\nYIMEI_NOPE=1\n");
  ConfigProblem p = single_problem(sources("", env));
  EXPECT_EQ(p.source, env);
  EXPECT_EQ(p.key, "YIMEI_NOPE");
  const auto bad = d.write("bad.env", "just words\n");
  EXPECT_EQ(single_problem(sources("", bad)).key, "line 1");
}

TEST(Config, SyntaxErrorAndMissingFile) {
  TempDir d;
  const auto toml = d.write("broken.toml", "[db\nport = 1\n");
  ConfigProblem p = single_problem(sources(toml, ""));
  EXPECT_EQ(p.source, toml);
  EXPECT_EQ(p.key, "line 1");
  EXPECT_EQ(single_problem(sources("/nonexistent/yimei.toml", "")).key, "--config");
}

TEST(Config, AllProblemsReportedAtOnce) {
  TempDir d;
  const auto toml = d.write("y.toml", "[db]\nport = 0\n[nope]\nx = 1\n");
  try {
    Config::load(sources(toml, "", {{"DB_POOL_SIZE", "0"}}));
    FAIL();
  } catch (const ConfigErrors& e) {
    EXPECT_EQ(e.problems().size(), 3u) << e.what();
  }
}

TEST(Config, SecretsAreRedacted) {
  Config c = Config::load(sources(
      "", "", {{"DB_PASSWORD", "hunter2"}, {"OPENAI_API_KEY", "sk-123"}, {"DB_USER", "app"}}));
  auto r = c.redacted();
  EXPECT_EQ(r["DB_PASSWORD"], "***");
  EXPECT_EQ(r["OPENAI_API_KEY"], "***");
  EXPECT_EQ(r["DB_USER"], "app");
  EXPECT_EQ(c.db().password, "hunter2");
}

TEST(Config, ReadsPushJobs) {
  TempDir d;
  const auto toml = d.write("y.toml",
                            "[[push]]\nname = \"daily\"\ncron = \"0 9 * * *\"\nreport = "
                            "\"daily-summary\"\nparams = { days = 7 }\ntargets = "
                            "[\"wecom-robot:KEY\", \"wecom-user:u1\"]\n");
  Config c = Config::load(sources(toml, ""));
  ASSERT_EQ(c.push_jobs().size(), 1u);
  EXPECT_EQ(c.push_jobs()[0].name, "daily");
  EXPECT_EQ(c.push_jobs()[0].params.at("days"), "7");
  EXPECT_EQ(c.push_jobs()[0].targets.size(), 2u);
  const auto bad = d.write("b.toml", "[[push]]\ncron = 5\nwhat = 1\n");
  try {
    Config::load(sources(bad, ""));
    FAIL();
  } catch (const ConfigErrors& e) {
    EXPECT_EQ(e.problems().size(), 3u) << e.what();  // cron type, unknown key, missing name
  }
}
