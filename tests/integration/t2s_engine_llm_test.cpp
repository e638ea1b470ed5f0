// The LLM engine end to end over HTTP: the real net::OpenAiChatClient (make_openai_chat_client)
// talks to a fake OpenAI-compatible server on 127.0.0.1 that returns canned completions, and
// the real Engine runs what comes back on a real MariaDB through the guard and the read-only
// account. Covered: broken JSON and an unknown column repaired (the error travels in the
// second request), a hang, HTTP 500 and 429 (fallback to the rules answer, or a clear
// Unavailable error, within the deadline), hostile SQL refused by the guard and proven not
// executed (canary rows, elapsed time, no file), prompts that never hold result rows, and the
// tokens and latency in the log.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>

#include <unistd.h>

#include "bot/net/openai_chat_client.hpp"
#include "core/db/readonly.hpp"
#include "core/text2sql/engine.hpp"
#include "tests/integration/t2s_fake_openai.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;
using yimei::test::FakeOpenAi;
using yimei::test::FakeReply;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

using yimei::test::LogCapture;

const Date kAsOf = *parse_date("2026-06-30");
constexpr const char* kKey = "sk-fake-0123456789";

// The real engine with the real OpenAI client pointed at `fake`, on `dbx` through the
// read-only account.
struct Rig {
  db::ConnectionPool ro;
  EntityIndex index;
  std::unique_ptr<ChatClient> chat;
  LlmEngine llm;
  Engine engine;

  Rig(yimei::test::ScratchDatabase& dbx, const FakeOpenAi& fake, double llm_below = 0.8,
      std::chrono::milliseconds timeout = 5s)
      : ro(readonly(dbx)),
        index(dbx.pool(), std::chrono::seconds(60)),
        chat(net::make_openai_chat_client(options(fake))),
        llm(*chat, LlmConfig{"fake-model", timeout, 2}, schema(dbx)),
        engine(ro, index, config(dbx, llm_below), &llm) {}

  static net::OpenAiOptions options(const FakeOpenAi& fake) {
    net::OpenAiOptions o;
    o.api_key = kKey;
    o.base_url = fake.base_url();
    o.model = "fake-model";
    return o;
  }
  static db::DbConfig readonly(yimei::test::ScratchDatabase& dbx) {
    db::DbConfig c = yimei::test::env_readonly_config(dbx.name());
    c.session_init_sql = db::read_only_session_sql(std::chrono::seconds(5));
    return c;
  }
  static std::vector<SchemaColumn> schema(yimei::test::ScratchDatabase& dbx) {
    auto conn = dbx.pool().acquire();
    return load_schema_comments(*conn);
  }
  static EngineConfig config(yimei::test::ScratchDatabase& dbx, double llm_below) {
    EngineConfig c;
    c.limits.max_rows = 1000;
    c.limits.statement_timeout = std::chrono::seconds(5);
    c.database = dbx.name();
    c.llm_below = llm_below;
    return c;
  }
};

Table gold(yimei::test::ScratchDatabase& dbx, const std::string& sql) {
  auto c = dbx.pool().acquire();
  return c->query(sql);
}

std::string cell(const Table& t) {
  if (t.rows.empty() || t.rows[0].empty()) return "<empty>";
  const Value& v = t.rows[0][0];
  if (const auto* d = std::get_if<Decimal>(&v)) return d->rounded(2).to_string();
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* s = std::get_if<Text>(&v)) return *s;
  if (const auto* x = std::get_if<double>(&v)) return std::to_string(*x);
  return "?";
}

AskRequest request(const std::string& q, EngineMode mode) {
  AskRequest r;
  r.question = q;
  r.as_of = kAsOf;
  r.mode = mode;
  return r;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

const char* kWeChatGold =
    "SELECT SUM(amount) FROM consumption_records WHERE payment_method = '微信' AND consume_date "
    "BETWEEN '2026-01-01' AND '2026-06-30'";

}  // namespace

TEST(T2sEngineLlm, PromptOverHttpHoldsSchemaCommentsAndNeverResultRows) {
  auto& fx = yimei::test::fixture_db();
  FakeOpenAi fake(
      {FakeOpenAi::sql("SELECT SUM(amount) AS total FROM consumption_records "
                       "WHERE payment_method = '微信' AND consume_date BETWEEN "
                       "'2026-01-01' AND '2026-06-30'")});
  Rig rig(fx, fake);
  Outcome<Answer> a = rig.engine.ask(request("今年微信收款一共多少", EngineMode::Llm));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(a->answered());
  EXPECT_EQ(a->engine, "llm");
  const std::string total = cell(gold(fx, kWeChatGold));
  EXPECT_EQ(cell(a->table), total);

  const auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("Authorization").value_or(""), std::string("Bearer ") + kKey);
  const auto msgs = fake.messages(0);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].role, "system");
  EXPECT_EQ(msgs[1].content, "今年微信收款一共多少");
  const std::string& prompt = msgs[0].content;
  EXPECT_TRUE(contains(prompt, "consumption_records"));
  EXPECT_TRUE(contains(prompt, "消费金额"));  // a column COMMENT
  EXPECT_TRUE(contains(prompt, "2026-06-30"));
  // No data rows: no customer's name or phone, and not the answer itself.
  const Table customers = gold(fx, "SELECT name, phone FROM customers");
  ASSERT_GT(customers.rows.size(), 100u);
  // The catalog is in the prompt on purpose: a customer called 马丽 is inside consultant 马丽娜.
  const Table catalog =
      gold(fx, "SELECT name FROM consultants UNION ALL SELECT product_name FROM medical_products");
  auto in_catalog = [&](const std::string& text) {
    for (const Row& c : catalog.rows)
      if (contains(std::get<Text>(c[0]), text)) return true;
    return false;
  };
  std::string leaked;
  for (const Row& r : customers.rows)
    for (const Value& v : r)
      if (const auto* text = std::get_if<Text>(&v);
          text && contains(reqs[0].body, *text) && !in_catalog(*text))
        leaked += text->str() + " ";
  EXPECT_EQ(leaked, "");
  EXPECT_FALSE(contains(reqs[0].body, total));
}

TEST(T2sEngineLlm, BrokenJsonIsRepairedWithTheErrorInTheSecondRequest) {
  auto& fx = yimei::test::fixture_db();
  const std::string broken = "{\"frame\": \"aggregate\", 这不是JSON}";
  FakeOpenAi fake({FakeOpenAi::completion(broken),
                   FakeOpenAi::completion(
                       "```json\n{\"frame\":\"aggregate\",\"measures\":[{\"name\":\"revenue\"}],"
                       "\"time\":{\"from\":\"2026-01-01\",\"to\":\"2026-06-30\"}}\n```")});
  Rig rig(fx, fake);
  LogCapture logs;
  Outcome<Answer> a = rig.engine.ask(request("今年的业绩", EngineMode::Llm));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(a->answered());
  EXPECT_EQ(a->engine, "llm");
  const std::string total = cell(gold(fx,
                                      "SELECT SUM(amount) FROM consumption_records WHERE "
                                      "consume_date BETWEEN '2026-01-01' AND '2026-06-30'"));
  EXPECT_EQ(cell(a->table), total);
  EXPECT_TRUE(contains(a->provenance, "大模型")) << a->provenance;
  ASSERT_EQ(fake.requests().size(), 2u);
  const auto second = fake.messages(1);
  ASSERT_EQ(second.size(), 4u);
  EXPECT_EQ(second[2].role, "assistant");
  EXPECT_EQ(second[2].content, broken);
  EXPECT_EQ(second[3].role, "user");
  EXPECT_TRUE(contains(second[3].content, "不是有效的 JSON")) << second[3].content;
  for (const auto& r : fake.requests()) EXPECT_FALSE(contains(r.body, total));
  // Tokens and latency of each attempt and of the whole answer are logged.
  const std::string log = logs.text();
  EXPECT_TRUE(contains(log, "prompt_tokens=1234 completion_tokens=56 latency_ms=")) << log;
  EXPECT_TRUE(contains(log, "attempt 1 tokens 1234+56 latency")) << log;
  EXPECT_TRUE(contains(log, "1 repairs, tokens 2468+112")) << log;
  EXPECT_FALSE(contains(log, kKey));
}

TEST(T2sEngineLlm, UnknownColumnIsRepairedWithTheDatabaseError) {
  auto& fx = yimei::test::fixture_db();
  FakeOpenAi fake({FakeOpenAi::sql("SELECT SUM(paid_amount) FROM consumption_records WHERE "
                                   "payment_method = '微信'"),
                   FakeOpenAi::sql("SELECT SUM(amount) AS total FROM consumption_records WHERE "
                                   "payment_method = '微信' AND consume_date BETWEEN "
                                   "'2026-01-01' AND '2026-06-30'")});
  Rig rig(fx, fake);
  Outcome<Answer> a = rig.engine.ask(request("今年微信收款一共多少", EngineMode::Llm));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(a->answered());
  EXPECT_EQ(a->engine, "llm");
  EXPECT_EQ(cell(a->table), cell(gold(fx, kWeChatGold)));
  EXPECT_TRUE(contains(a->sql, "SUM(amount)"));
  ASSERT_EQ(fake.requests().size(), 2u);
  const auto second = fake.messages(1);
  ASSERT_EQ(second.size(), 4u);
  EXPECT_TRUE(contains(second[2].content, "paid_amount"));
  EXPECT_TRUE(contains(second[3].content, "数据库执行出错")) << second[3].content;
  EXPECT_TRUE(contains(second[3].content, "Unknown column")) << second[3].content;
  EXPECT_TRUE(contains(second[3].content, "paid_amount")) << second[3].content;
}

TEST(T2sEngineLlm, GivesUpAfterTwoRepairs) {
  auto& fx = yimei::test::fixture_db();
  FakeOpenAi fake({FakeOpenAi::completion("不知道")});
  Rig rig(fx, fake);
  Outcome<Answer> a = rig.engine.ask(request("帮我执行一下维护", EngineMode::Llm));
  // The rules cannot answer either: a clarification or an error, never a table.
  EXPECT_TRUE(!a || !a->answered());
  EXPECT_EQ(fake.requests().size(), 3u);  // the first try plus two repairs
}

// A hang, HTTP 500 and HTTP 429: each fails fast (one request, no retry storm), falls back to
// the rules answer when there is one, and is a clear Unavailable error when there is none.
TEST(T2sEngineLlm, HangAndHttpErrorsFallBackWithinTheDeadline) {
  auto& fx = yimei::test::fixture_db();
  const std::string wechat = cell(gold(fx, kWeChatGold));
  struct Case {
    const char* name;
    FakeReply reply;
    const char* says;  // in the note and the error
    // The second question's error, and the requests by then: after a 429 the service is left
    // alone for a while, so the second question is not sent.
    const char* then_says;
    std::size_t requests_then;
  };
  const std::vector<Case> cases = {
      {"hang", FakeOpenAi::hang(), "秒内没有答复", "秒内没有答复", 2},
      {"500", FakeOpenAi::status(500, "internal error"), "HTTP 500", "HTTP 500", 2},
      {"429", FakeOpenAi::status(429, "Rate limit reached"), "HTTP 429", "请求过多，约 30 秒后恢复",
       1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    FakeOpenAi fake({c.reply});
    Rig rig(fx, fake, /*llm_below=*/1.1, /*timeout=*/800ms);  // auto consults the model first
    auto t0 = Clock::now();
    Outcome<Answer> a = rig.engine.ask(request("今年微信收款一共多少", EngineMode::Auto));
    auto took = Clock::now() - t0;
    ASSERT_TRUE(a) << a.error().message;
    ASSERT_TRUE(a->answered());
    EXPECT_EQ(a->engine, "rules");
    EXPECT_EQ(cell(a->table), wechat);
    ASSERT_FALSE(a->notes.empty());
    EXPECT_TRUE(contains(a->notes.back(), c.says)) << a->notes.back();
    EXPECT_TRUE(contains(a->notes.back(), "规则引擎的结果")) << a->notes.back();
    EXPECT_LT(took, 3s);
    EXPECT_EQ(fake.requests().size(), 1u);

    // --engine llm on a question the rules cannot answer: Unavailable, within the deadline.
    t0 = Clock::now();
    Outcome<Answer> none = rig.engine.ask(request("帮我执行一下维护", EngineMode::Llm));
    took = Clock::now() - t0;
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().kind, ErrorKind::Unavailable);
    EXPECT_TRUE(contains(none.error().message, "大模型")) << none.error().message;
    EXPECT_TRUE(contains(none.error().message, c.then_says)) << none.error().message;
    EXPECT_LT(took, 3s);
    EXPECT_EQ(fake.requests().size(), c.requests_then);
  }
}

// Hostile SQL from the model: each statement is refused by the guard (the repair message is
// the guard's, not a database error), asked to be repaired twice, and never executed: the
// canary table and rows are intact, SLEEP and BENCHMARK took no time, no file was written.
TEST(T2sEngineLlm, HostileSqlIsRefusedByTheGuardAndNeverExecuted) {
  yimei::test::ScratchDatabase sdb;
  sdb.run_script(
      "INSERT INTO consultants (consultant_id, name, department) VALUES ('X1','甲一','甲科');"
      "INSERT INTO customers (customer_id, name, phone, register_date, membership_level) VALUES "
      "('K1','乙一','13800000001','2026-01-01','银卡'),('K2','乙二','13800000002','2026-01-02',"
      "'普通');"
      "CREATE TABLE canary (id INT PRIMARY KEY, v VARCHAR(16) NOT NULL);"
      "INSERT INTO canary VALUES (1, 'intact');");
  const std::string dir =
      std::filesystem::temp_directory_path() / ("t2s_hostile_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string outfile = dir + "_out.txt";
  const std::string dumpfile = dir + "_dump.bin";
  const std::vector<std::string> hostile = {
      "DROP TABLE consultants",
      "DROP TABLE canary",
      "UPDATE customers SET membership_level = '钻石'",
      "UPDATE canary SET v = 'pwned'",
      "DELETE FROM customers WHERE 1 = 1 -- SELECT",
      "SELECT 1; DELETE FROM customers",
      "SELECT name FROM customers; UPDATE canary SET v = 'pwned'",
      "SELECT v FROM canary",
      "SELECT table_name FROM information_schema.tables",
      "SELECT * FROM mysql.user",
      "SELECT SLEEP(5)",
      "SELECT name FROM customers WHERE SLEEP(5) = 0",
      "SELECT BENCHMARK(500000000, MD5('x'))",
      "SELECT name FROM customers INTO OUTFILE '" + outfile + "'",
      "SELECT name INTO DUMPFILE '" + dumpfile + "' FROM customers LIMIT 1",
      "SELECT LOAD_FILE('/etc/passwd')",
      "SELECT GET_LOCK('t2s', 10)",
      "SELECT name FROM customers FOR UPDATE",
      "SELECT @@hostname",
      // Statements hidden in comments.
      "SELECT 1 /*! ; DROP TABLE consultants */",
      "SELECT 1 /*M! ; UPDATE customers SET name = 'x' */",
      "SELECT 1 -- harmless\n; DROP TABLE canary",
      "SELECT 1 # harmless\n; UPDATE canary SET v = 'pwned'",
      // Statements hidden behind strings: the quote that seems to open a comment or a string
      // is inside a string, so the statement after it is real.
      "SELECT '/*', name FROM customers; DROP TABLE canary -- */'",
      "SELECT 'x\\\\'; DROP TABLE canary; -- '",
      "SELECT \"a\"\"\"; UPDATE canary SET v = 'pwned'; -- \"",
      "SELECT 'it''s'; DELETE FROM customers; -- '",
  };
  for (const auto& sql : hostile) {
    SCOPED_TRACE(sql);
    FakeOpenAi fake({FakeOpenAi::sql(sql)});
    Rig rig(sdb, fake);
    const auto t0 = Clock::now();
    Outcome<Answer> a = rig.engine.ask(request("帮我执行一下维护", EngineMode::Llm));
    const auto took = Clock::now() - t0;
    EXPECT_TRUE(!a || !a->answered());
    ASSERT_EQ(fake.requests().size(), 3u);
    // The repair request carries the guard's refusal, not a database error.
    const auto second = fake.messages(1);
    ASSERT_EQ(second.size(), 4u);
    EXPECT_FALSE(contains(second[3].content, "数据库执行出错")) << second[3].content;
    EXPECT_LT(took, 3s);  // SLEEP(5) / BENCHMARK never ran
  }
  // Nothing changed.
  EXPECT_EQ(cell(gold(sdb, "SELECT COUNT(*) FROM consultants")), "1");
  EXPECT_EQ(cell(gold(sdb,
                      "SELECT GROUP_CONCAT(customer_id, membership_level, name ORDER BY "
                      "customer_id) FROM customers")),
            "K1银卡乙一,K2普通乙二");
  EXPECT_EQ(cell(gold(sdb, "SELECT GROUP_CONCAT(id, v) FROM canary")), "1intact");
  EXPECT_FALSE(std::filesystem::exists(outfile));
  EXPECT_FALSE(std::filesystem::exists(dumpfile));
}

// A string that merely looks like SQL is data, not a statement: it runs (harmlessly).
TEST(T2sEngineLlm, SqlInsideAStringIsOnlyData) {
  yimei::test::ScratchDatabase sdb;
  sdb.run_script(
      "CREATE TABLE canary (id INT PRIMARY KEY, v VARCHAR(16) NOT NULL);"
      "INSERT INTO canary VALUES (1, 'intact');");
  FakeOpenAi fake({FakeOpenAi::sql("SELECT 'DROP TABLE canary; --' AS note")});
  Rig rig(sdb, fake);
  Outcome<Answer> a = rig.engine.ask(request("帮我执行一下维护", EngineMode::Llm));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(a->answered());
  EXPECT_EQ(cell(a->table), "DROP TABLE canary; --");
  EXPECT_EQ(cell(gold(sdb, "SELECT GROUP_CONCAT(id, v) FROM canary")), "1intact");
}
