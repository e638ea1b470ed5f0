// `yimei ask` end to end on clinic-a-small: the JSON shape of interfaces.md, the table with its
// provenance line, masked phones unless --show-phone, a chart file, and the exit codes
// (3 for a clarification or an unplaceable time, 2 for a bad --engine, 4 when the LLM is asked
// for but not configured).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <filesystem>

#include <unistd.h>

#include "tests/support/run_command.hpp"
#include "tests/support/scratch_db.hpp"

namespace {

using CliResult = yimei::test::CommandResult;

CliResult ask(const std::string& args) {
  const std::string cmd = "cd /tmp && DB_NAME=" + yimei::test::fixture_db().name() +
                          " OPENAI_API_KEY= " + YIMEI_BINARY + " ask " + args;
  return yimei::test::run_command_split(cmd);
}

}  // namespace

TEST(T2sEngineCli, JsonAnswerHasTheContractShape) {
  CliResult r = ask("'上个月每个科室各开了多少单' --as-of 2026-06-30 --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto v = boost::json::parse(r.out).as_object();
  EXPECT_EQ(v.at("question").as_string(), "上个月每个科室各开了多少单");
  EXPECT_EQ(v.at("engine").as_string(), "rules");
  EXPECT_NE(std::string(v.at("sql").as_string()).find("SELECT"), std::string::npos);
  ASSERT_EQ(v.at("columns").as_array().size(), 2u);
  const auto& rows = v.at("rows").as_array();
  EXPECT_EQ(v.at("row_count").as_int64(), static_cast<std::int64_t>(rows.size()));
  EXPECT_FALSE(v.at("truncated").as_bool());
  // Independent check: the same counts from SQL.
  auto c = yimei::test::fixture_db().pool().acquire();
  const yimei::Table gold = c->query(
      "SELECT department, COUNT(*) FROM consumption_records WHERE consume_date BETWEEN "
      "'2026-05-01' AND '2026-05-31' GROUP BY department");
  ASSERT_EQ(rows.size(), gold.rows.size());
  std::int64_t total = 0, gold_total = 0;
  for (const auto& row : rows) total += row.as_array().at(1).as_int64();
  for (const auto& row : gold.rows) gold_total += std::get<std::int64_t>(row[1]);
  EXPECT_EQ(total, gold_total);
}

TEST(T2sEngineCli, TextHasTableAndProvenanceAndMasksPhones) {
  CliResult r = ask("'客户C000123的手机号和会员等级' --as-of 2026-06-30");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("****"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("引擎：规则引擎"), std::string::npos) << r.out;
  CliResult shown =
      ask("'客户C000123的手机号和会员等级' --as-of 2026-06-30 --show-phone --format json");
  ASSERT_EQ(shown.status, 0) << shown.err;
  EXPECT_EQ(shown.out.find("****"), std::string::npos) << shown.out;
}

TEST(T2sEngineCli, ChartIsWrittenForAGroupedAnswer) {
  const std::string png =
      std::filesystem::temp_directory_path() / ("t2s_chart_" + std::to_string(::getpid()) + ".png");
  CliResult r = ask("'今年每个月的业绩' --as-of 2026-06-30 --format markdown --chart " + png);
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_TRUE(std::filesystem::exists(png));
  EXPECT_GT(std::filesystem::file_size(png), 1000u);
  std::filesystem::remove(png);
}

TEST(T2sEngineCli, ExitCodes) {
  CliResult vague = ask("'怎么样' --as-of 2026-06-30");
  EXPECT_EQ(vague.status, 3);
  EXPECT_NE(vague.err.find("比如"), std::string::npos) << vague.err;
  CliResult unplaceable = ask("'最近几天的业绩' --as-of 2026-06-30");
  EXPECT_EQ(unplaceable.status, 3);
  EXPECT_NE(unplaceable.err.find("最近几天"), std::string::npos) << unplaceable.err;
  EXPECT_EQ(ask("'本月业绩' --engine magic").status, 2);
  CliResult no_llm = ask("'本月业绩' --engine llm --as-of 2026-06-30");
  EXPECT_EQ(no_llm.status, 4) << no_llm.err;
}
