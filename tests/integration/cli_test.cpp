// The `yimei` binary end to end: --version, db init twice, db seed, and the exit codes of
// interfaces.md for bad usage (2), invalid input (3) and a failed dependency (4).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "tests/support/run_command.hpp"
#include "tests/support/scratch_db.hpp"

namespace {

using CliRun = yimei::test::CommandResult;

CliRun run(const std::string& args, const std::string& env = "") {
  return yimei::test::run_command("cd /tmp && " + env + " " + YIMEI_BINARY + " " + args + " 2>&1");
}

}  // namespace

TEST(Cli, VersionAndHelp) {
  CliRun v = run("--version");
  EXPECT_EQ(v.status, 0);
  EXPECT_NE(v.out.find("yimei "), std::string::npos);
  CliRun h = run("db --help");
  EXPECT_EQ(h.status, 0);
  EXPECT_NE(h.out.find("seed"), std::string::npos);
  EXPECT_EQ(run("no-such-command").status, 2);
  EXPECT_EQ(run("db seed --customers 0").status, 2);
}

TEST(Cli, InitTwiceThenSeed) {
  yimei::test::ScratchDatabase sdb;
  const std::string env = "DB_NAME=" + sdb.name();
  CliRun first = run("db init", env);
  EXPECT_EQ(first.status, 0) << first.out;
  EXPECT_NE(first.out.find("已是最新"), std::string::npos) << first.out;
  CliRun seed = run("db seed --customers 120 --as-of 2026-06-30", env);
  EXPECT_EQ(seed.status, 0) << seed.out;
  EXPECT_NE(seed.out.find("顾客 120"), std::string::npos) << seed.out;
  CliRun again = run("db seed --customers 120 --as-of 2026-06-30", env);
  EXPECT_EQ(again.status, 3) << again.out;
  EXPECT_NE(again.out.find("--replace"), std::string::npos);
  EXPECT_EQ(run("db seed --as-of 2026-02-30", env).status, 3);
}

TEST(Cli, ConfigurationErrorsExitTwoWithKey) {
  CliRun r = run("db init", "DB_PORT=notaport");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("DB_PORT"), std::string::npos) << r.out;
  CliRun f = run("db init --config /nonexistent.toml");
  EXPECT_EQ(f.status, 2);
  EXPECT_NE(f.out.find("/nonexistent.toml"), std::string::npos) << f.out;
}

TEST(Cli, UnreachableDatabaseExitsFourWithoutSecrets) {
  CliRun r = run("db init", "DB_PORT=1 DB_PASSWORD=s3cr3t-value DB_CONNECT_TIMEOUT=2");
  EXPECT_EQ(r.status, 4) << r.out;
  EXPECT_EQ(r.out.find("s3cr3t-value"), std::string::npos) << "a secret leaked: " << r.out;
}
