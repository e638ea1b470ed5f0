// `yimei ask --engine llm` through the real binary against the fake OpenAI-compatible server
// (OPENAI_BASE_URL=http://127.0.0.1:PORT/v1): exit 0 with the fake's SQL answered on the
// fixture, the rules answer when the model hangs but the rules can answer, and exit 4 when the
// model hangs or errs and the rules cannot answer — within the configured timeout.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>

#include "tests/integration/t2s_fake_openai.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/scratch_db.hpp"

using yimei::test::FakeOpenAi;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

using CliResult = yimei::test::CommandResult;

// Runs `yimei ask ARGS` on the fixture with the LLM pointed at `fake` (1.5 s timeout).
CliResult ask_llm(const FakeOpenAi& fake, const std::string& args) {
  const std::string cmd = "cd /tmp && DB_NAME=" + yimei::test::fixture_db().name() +
                          " OPENAI_API_KEY=sk-fake-cli OPENAI_BASE_URL=" + fake.base_url() +
                          " OPENAI_MODEL=fake-model OPENAI_TIMEOUT_MS=1500 " + YIMEI_BINARY +
                          " ask " + args;
  return yimei::test::run_command_split(cmd);
}

std::string gold_cell(const std::string& sql) {
  auto c = yimei::test::fixture_db().pool().acquire();
  const yimei::Table t = c->query(sql);
  return std::get<yimei::Decimal>(t.rows.at(0).at(0)).rounded(2).to_string();
}

}  // namespace

TEST(T2sEngineLlmCli, AnswersWithTheModelsSql) {
  FakeOpenAi fake({FakeOpenAi::sql(
      "SELECT department AS 科室, SUM(amount) AS 业绩 FROM consumption_records WHERE "
      "consume_date BETWEEN '2026-05-01' AND '2026-05-31' GROUP BY department ORDER BY 2 DESC")});
  CliResult r =
      ask_llm(fake, "'上个月哪个科室卖得最多' --engine llm --as-of 2026-06-30 --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto v = boost::json::parse(r.out).as_object();
  EXPECT_EQ(v.at("engine").as_string(), "llm");
  EXPECT_NE(std::string(v.at("sql").as_string()).find("GROUP BY department"), std::string::npos);
  const auto& rows = v.at("rows").as_array();
  auto c = yimei::test::fixture_db().pool().acquire();
  const yimei::Table gold = c->query(
      "SELECT department, SUM(amount) FROM consumption_records WHERE consume_date BETWEEN "
      "'2026-05-01' AND '2026-05-31' GROUP BY department ORDER BY 2 DESC");
  ASSERT_EQ(rows.size(), gold.rows.size());
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].as_array()[0].as_string(), std::get<yimei::Text>(gold.rows[0][0]).view());
  const double top = rows[0].as_array()[1].to_number<double>();
  const double gold_top = std::stod(std::get<yimei::Decimal>(gold.rows[0][1]).to_string());
  EXPECT_NEAR(top, gold_top, 0.005);
  // The request the binary sent: the right path, key and model, no result rows.
  const auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("Authorization").value_or(""), "Bearer sk-fake-cli");
  EXPECT_NE(reqs[0].body.find("\"model\":\"fake-model\""), std::string::npos);
  EXPECT_EQ(reqs[0].body.find(std::get<yimei::Decimal>(gold.rows[0][1]).to_string()),
            std::string::npos);
}

TEST(T2sEngineLlmCli, HangingModelFallsBackToTheRulesAnswer) {
  FakeOpenAi fake({FakeOpenAi::hang()});
  yimei::test::fixture_db();  // loaded before the clock starts (without YIMEI_FIXTURE_DB)
  const auto t0 = Clock::now();
  CliResult r = ask_llm(fake, "'今年微信收款一共多少' --engine llm --as-of 2026-06-30");
  const auto took = Clock::now() - t0;
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("引擎：规则引擎"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("大模型暂时无法回答"), std::string::npos) << r.out;
  EXPECT_LT(took, 10s);
  CliResult j =
      ask_llm(fake, "'今年微信收款一共多少' --engine llm --as-of 2026-06-30 --format json");
  ASSERT_EQ(j.status, 0) << j.err;
  const auto v = boost::json::parse(j.out).as_object();
  EXPECT_EQ(v.at("engine").as_string(), "rules");
  const std::string total = gold_cell(
      "SELECT SUM(amount) FROM consumption_records WHERE payment_method = '微信' AND "
      "consume_date BETWEEN '2026-01-01' AND '2026-06-30'");
  EXPECT_NEAR(v.at("rows").as_array().at(0).as_array().at(0).to_number<double>(), std::stod(total),
              0.005);
}

TEST(T2sEngineLlmCli, ModelDownAndRulesUnsureExitsFour) {
  for (const auto& reply : {FakeOpenAi::hang(), FakeOpenAi::status(500, "upstream broke"),
                            FakeOpenAi::status(429, "Rate limit reached")}) {
    FakeOpenAi fake({reply});
    yimei::test::fixture_db();  // loaded before the clock starts (without YIMEI_FIXTURE_DB)
    const auto t0 = Clock::now();
    CliResult r = ask_llm(fake, "'帮我执行一下维护' --engine llm --as-of 2026-06-30");
    const auto took = Clock::now() - t0;
    EXPECT_EQ(r.status, 4) << r.out << r.err;
    EXPECT_NE(r.err.find("大模型"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(fake.requests().size(), 1u);
    EXPECT_LT(took, 10s);
  }
}
