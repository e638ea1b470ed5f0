// `yimei analyze` end to end on the fixture database: the JSON object of interfaces.md, phone
// masking, text and markdown output, --chart, and the exit codes 2 / 3 / 4.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>

#include "tests/support/run_command.hpp"
#include "tests/support/scratch_db.hpp"

namespace {

using CliRun = yimei::test::CommandResult;

// Runs the binary on the fixture database; stderr is kept apart unless `merge`.
CliRun analyze(const std::string& args, bool merge = false, const std::string& env = "") {
  return yimei::test::run_command("cd /tmp && DB_NAME=" + yimei::test::fixture_db().name() + " " +
                                  env + " " + YIMEI_BINARY + " analyze " + args +
                                  (merge ? " 2>&1" : " 2>/dev/null"));
}

}  // namespace

TEST(AnalysisCli, JsonObjectOfTheInterfaceWithMaskedPhones) {
  CliRun r = analyze("inactive-customers --as-of 2026-06-30 --format json");
  ASSERT_EQ(r.status, 0) << r.out;
  const boost::json::object o = boost::json::parse(r.out).as_object();
  EXPECT_EQ(o.at("analysis").as_string(), "inactive-customers");
  EXPECT_EQ(o.at("params").at("days").as_string(), "180");
  const auto& columns = o.at("columns").as_array();
  const auto& rows = o.at("rows").as_array();
  EXPECT_EQ(columns.at(0).as_string(), "customer_id");
  EXPECT_EQ(static_cast<std::int64_t>(rows.size()),
            o.at("summary").at("inactive_count").as_int64());
  ASSERT_FALSE(rows.empty());
  const std::string phone(rows[0].as_array()[2].as_string());
  EXPECT_NE(phone.find("****"), std::string::npos) << phone;
  EXPECT_TRUE(o.at("summary").at("total_lifetime_amount").is_double());

  CliRun shown = analyze("inactive-customers --as-of 2026-06-30 --format json --show-phone");
  const auto shown_rows = boost::json::parse(shown.out).at("rows").as_array();
  const std::string full(shown_rows[0].as_array()[2].as_string());
  EXPECT_EQ(full.size(), 11u);
  EXPECT_EQ(full.find('*'), std::string::npos);
}

TEST(AnalysisCli, GrowthPointsRowsAndTextWithChart) {
  CliRun r = analyze("growth-points --as-of 2026-06-30 --format json");
  ASSERT_EQ(r.status, 0) << r.out;
  const boost::json::object o = boost::json::parse(r.out).as_object();
  std::vector<std::string> names;
  for (const auto& c : o.at("columns").as_array()) names.emplace_back(c.as_string());
  EXPECT_EQ(names, (std::vector<std::string>{"rank", "key", "title", "priority", "score",
                                             "opportunity_amount", "target_count"}));
  EXPECT_EQ(o.at("rows").as_array().size(), 10u);

  const std::string png = "/tmp/yimei_analysis_cli_" + std::to_string(getpid()) + ".png";
  CliRun text = analyze("vip --as-of 2026-06-30 --chart " + png);
  ASSERT_EQ(text.status, 0) << text.out;
  EXPECT_NE(text.out.find("VIP顾客消费分析"), std::string::npos);
  EXPECT_NE(text.out.find("VIP人数"), std::string::npos);
  std::ifstream in(png, std::ios::binary);
  std::string head(8, '\0');
  in.read(head.data(), 8);
  EXPECT_EQ(head.substr(1, 3), "PNG");
  std::remove(png.c_str());

  CliRun md = analyze(
      "department-performance --as-of 2026-06-30 --format markdown "
      "--from 2026-06-01 --to 2026-06-30");
  ASSERT_EQ(md.status, 0) << md.out;
  EXPECT_EQ(md.out.rfind("## 科室业绩", 0), 0u) << md.out.substr(0, 200);
  EXPECT_NE(md.out.find("| 科室 |"), std::string::npos);
}

TEST(AnalysisCli, ExitCodes) {
  CliRun unknown = analyze("no-such-analysis --as-of 2026-06-30", true);
  EXPECT_EQ(unknown.status, 3);
  EXPECT_NE(unknown.out.find("growth-points"), std::string::npos) << unknown.out;
  CliRun bad = analyze("inactive-customers --as-of 2026-06-30 --param days=abc", true);
  EXPECT_EQ(bad.status, 3);
  EXPECT_NE(bad.out.find("days"), std::string::npos) << bad.out;
  EXPECT_EQ(analyze("inactive-customers --param days").status, 2);
  EXPECT_EQ(analyze("inactive-customers --as-of 2026-13-01").status, 2);
  EXPECT_EQ(analyze("inactive-customers --format xml").status, 2);
  EXPECT_EQ(
      analyze("product-performance --as-of 2026-06-30 --from 2026-06-30 --to 2026-06-01").status,
      3);
  EXPECT_EQ(analyze("inactive-customers --as-of 2026-06-30", false, "DB_PORT=1").status, 4);
}
