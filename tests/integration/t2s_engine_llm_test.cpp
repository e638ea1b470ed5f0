// The LLM engine with an in-process fake ChatClient on a real MariaDB: repair of broken JSON
// and of SQL the database rejects, fallback to the rules engine on timeout, and hostile SQL
// refused by the guard and proven not executed (the data is unchanged afterwards).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>

#include <unistd.h>

#include "core/db/readonly.hpp"
#include "core/text2sql/engine.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

const Date kAsOf = *parse_date("2026-06-30");

// Replies from a script, one per request; records what it was asked.
class FakeChatClient : public ChatClient {
 public:
  explicit FakeChatClient(std::vector<Outcome<ChatResponse>> script) : script_(std::move(script)) {}

  Outcome<ChatResponse> complete(const ChatRequest& request) override {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (script_.empty()) return UserError{ErrorKind::Unavailable, "脚本已用完"};
    Outcome<ChatResponse> r = script_.front();
    if (script_.size() > 1) script_.erase(script_.begin());
    return r;
  }
  std::vector<ChatRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Outcome<ChatResponse>> script_;
  std::vector<ChatRequest> requests_;
};

Outcome<ChatResponse> reply(std::string content) {
  ChatResponse r;
  r.content = std::move(content);
  r.prompt_tokens = 1000;
  r.completion_tokens = 50;
  r.latency = std::chrono::milliseconds(5);
  return r;
}

// An engine over a database through the read-only account, with the given fake model.
struct Rig {
  db::ConnectionPool ro;
  EntityIndex index;
  LlmEngine llm;
  Engine engine;

  Rig(yimei::test::ScratchDatabase& dbx, FakeChatClient& fake, double llm_below = 0.8)
      : ro(readonly(dbx)),
        index(dbx.pool(), std::chrono::seconds(60)),
        llm(fake, LlmConfig{}, schema(dbx)),
        engine(ro, index, config(dbx, llm_below), &llm) {}

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
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "?";
}

AskRequest request(const std::string& q, EngineMode mode) {
  AskRequest r;
  r.question = q;
  r.as_of = kAsOf;
  r.mode = mode;
  return r;
}

}  // namespace

TEST(T2sEngineLlm, PromptHoldsSchemaCommentsAndNoDataRows) {
  auto& fx = yimei::test::fixture_db();
  FakeChatClient fake({reply("{}")});
  Rig rig(fx, fake);
  const std::string prompt = rig.llm.system_prompt(kAsOf, *rig.index.snapshot());
  EXPECT_NE(prompt.find("consumption_records"), std::string::npos);
  EXPECT_NE(prompt.find("消费金额"), std::string::npos);  // a column COMMENT
  EXPECT_NE(prompt.find("2026-06-30"), std::string::npos);
  // No customer rows: neither names nor phones of customers.
  Table some = gold(fx, "SELECT name, phone FROM customers ORDER BY customer_id LIMIT 3");
  for (const Row& r : some.rows) {
    EXPECT_EQ(prompt.find(std::get<std::string>(r[1])), std::string::npos);
  }
}

TEST(T2sEngineLlm, BrokenJsonIsRepairedThenAnswered) {
  auto& fx = yimei::test::fixture_db();
  FakeChatClient fake(
      {reply("{\"frame\": \"aggregate\", 这不是JSON"),
       reply("```json\n{\"frame\":\"aggregate\",\"measures\":[{\"name\":\"revenue\"}],"
             "\"time\":{\"from\":\"2026-01-01\",\"to\":\"2026-06-30\"}}\n```")});
  Rig rig(fx, fake);
  Outcome<Answer> a = rig.engine.ask(request("今年的业绩", EngineMode::Llm));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(a->answered());
  EXPECT_EQ(a->engine, "llm");
  EXPECT_EQ(cell(a->table),
            cell(gold(fx,
                      "SELECT SUM(amount) FROM consumption_records WHERE consume_date "
                      "BETWEEN '2026-01-01' AND '2026-06-30'")));
  const auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_NE(reqs[1].messages.back().content.find("JSON"), std::string::npos);
  EXPECT_NE(a->provenance.find("大模型"), std::string::npos);
}

TEST(T2sEngineLlm, UnknownColumnGoesBackForRepair) {
  auto& fx = yimei::test::fixture_db();
  FakeChatClient fake({reply("```sql\nSELECT SUM(paid_amount) FROM consumption_records\n```"),
                       reply("```sql\nSELECT SUM(amount) AS total FROM consumption_records\n```")});
  Rig rig(fx, fake);
  Outcome<Answer> a = rig.engine.ask(request("全部业绩是多少", EngineMode::Llm));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(a->answered());
  EXPECT_EQ(a->engine, "llm");
  EXPECT_EQ(cell(a->table), cell(gold(fx, "SELECT SUM(amount) FROM consumption_records")));
  const auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_NE(reqs[1].messages.back().content.find("paid_amount"), std::string::npos);
}

TEST(T2sEngineLlm, GivesUpAfterTwoRepairs) {
  auto& fx = yimei::test::fixture_db();
  FakeChatClient fake({reply("不知道")});
  Rig rig(fx, fake);
  Outcome<Answer> a = rig.engine.ask(request("帮我执行一下维护", EngineMode::Llm));
  // The rules cannot answer either: a clarification or an error, never a table.
  EXPECT_TRUE(!a || !a->answered());
  EXPECT_EQ(fake.requests().size(), 3u);  // the first try plus two repairs
}

TEST(T2sEngineLlm, TimeoutFallsBackToTheRulesAnswer) {
  auto& fx = yimei::test::fixture_db();
  FakeChatClient fake({UserError{ErrorKind::Unavailable, "大模型请求超时（20秒）"}});
  Rig rig(fx, fake, /*llm_below=*/1.1);  // auto consults the model first
  Outcome<Answer> a = rig.engine.ask(request("今年微信收款一共多少", EngineMode::Auto));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(a->answered());
  EXPECT_EQ(a->engine, "rules");
  EXPECT_EQ(cell(a->table),
            cell(gold(fx,
                      "SELECT SUM(amount) FROM consumption_records WHERE payment_method = "
                      "'微信' AND consume_date BETWEEN '2026-01-01' AND '2026-06-30'")));
  ASSERT_FALSE(a->notes.empty());
  EXPECT_NE(a->notes.back().find("超时"), std::string::npos);
  // A vague question and a silent model: a clarification, not a guess.
  Outcome<Answer> vague = rig.engine.ask(request("怎么样", EngineMode::Auto));
  ASSERT_TRUE(vague);
  EXPECT_FALSE(vague->answered());
}

TEST(T2sEngineLlm, HostileSqlIsRefusedAndNeverExecuted) {
  yimei::test::ScratchDatabase sdb;
  sdb.run_script(
      "INSERT INTO consultants (consultant_id, name, department) VALUES ('X1','甲一','甲科');"
      "INSERT INTO customers (customer_id, name, phone, register_date, membership_level) VALUES "
      "('K1','乙一','13800000001','2026-01-01','银卡'),('K2','乙二','13800000002','2026-01-02',"
      "'普通');");
  const std::string outfile = "/tmp/t2s_hostile_" + std::to_string(::getpid()) + ".txt";
  std::filesystem::remove(outfile);
  const std::vector<std::string> hostile = {
      "DROP TABLE consultants",
      "UPDATE customers SET membership_level = '钻石'",
      "SELECT 1; DELETE FROM customers",
      "SELECT table_name FROM information_schema.tables",
      "SELECT SLEEP(5)",
      "SELECT name FROM customers INTO OUTFILE '" + outfile + "'",
      "SELECT 1 /*! ; DROP TABLE consultants */",
      "SELECT 1 /*M! ; UPDATE customers SET name = 'x' */",
      "SELECT @@hostname",
      "DELETE FROM customers WHERE 1 = 1 -- SELECT",
  };
  for (const auto& sql : hostile) {
    FakeChatClient fake({reply("```sql\n" + sql + "\n```")});
    Rig rig(sdb, fake);
    const auto t0 = std::chrono::steady_clock::now();
    Outcome<Answer> a = rig.engine.ask(request("帮我执行一下维护", EngineMode::Llm));
    const auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_TRUE(!a || !a->answered()) << sql;
    EXPECT_EQ(fake.requests().size(), 3u) << sql;
    EXPECT_LT(took, std::chrono::seconds(3)) << sql;  // SLEEP(5) never ran
  }
  // Nothing changed.
  Table t = gold(sdb, "SELECT COUNT(*) FROM consultants");
  EXPECT_EQ(cell(t), "1");
  t = gold(sdb,
           "SELECT GROUP_CONCAT(customer_id, membership_level, name ORDER BY customer_id) "
           "FROM customers");
  EXPECT_EQ(cell(t), "K1银卡乙一,K2普通乙二");
  EXPECT_FALSE(std::filesystem::exists(outfile));
}
