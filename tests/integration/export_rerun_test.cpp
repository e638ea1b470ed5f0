// Re-running a stored answer, as /导出 and a bare 画成饼图 do, on the shared fixture (read only):
// from its QuerySpec with a larger row cap, and from its stored SQL (parameters inlined, as an
// LLM answer without a spec is kept) through the guard again — also under a consultant's scope,
// which must give the same rows as the first answer.
#include <gtest/gtest.h>

#include "bot/feedback_export.hpp"
#include "core/db/readonly.hpp"
#include "core/text2sql/engine.hpp"
#include "tests/integration/t2s_engine_harness.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

struct RerunEngine {
  RerunEngine()
      : ro(config()),
        index(test::fixture_db().pool(), std::chrono::seconds(60)),
        engine(ro, index, engine_config()) {}
  static db::DbConfig config() {
    db::DbConfig c = test::env_readonly_config(test::fixture_db().name());
    c.session_init_sql = db::read_only_session_sql(std::chrono::seconds(30));
    return c;
  }
  static EngineConfig engine_config() {
    EngineConfig e;
    e.limits.max_rows = 5;  // a small cap, so that a rerun with a larger one shows more
    e.limits.statement_timeout = std::chrono::seconds(30);
    e.database = test::fixture_db().name();
    return e;
  }
  db::ConnectionPool ro;
  EntityIndex index;
  Engine engine;
};

const Date kAsOf = *parse_date("2026-06-30");

}  // namespace

TEST(ExportRerun, SpecRunsAgainWithALargerRowCap) {
  RerunEngine r;
  AskRequest req;
  req.question = "上个月每天的业绩";
  req.as_of = kAsOf;
  req.mode = EngineMode::Rules;
  auto a = r.engine.ask(req);
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(a->spec);
  EXPECT_EQ(a->table.rows.size(), 5u);
  EXPECT_TRUE(a->table.truncated);
  auto again = r.engine.run_spec(*a->spec, a->question, kAsOf, std::nullopt, 1000);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->table.truncated);
  auto c = test::fixture_db().pool().acquire();
  const Table gold = c->query(
      "SELECT consume_date, SUM(amount) FROM consumption_records WHERE consume_date BETWEEN "
      "'2026-05-01' AND '2026-05-31' GROUP BY consume_date");
  EXPECT_TRUE(test::same_result(again->table, gold, false)) << test::preview(again->table);
  EXPECT_EQ(again->provenance, a->provenance);
  EXPECT_EQ(again->table.columns[1].unit, ColumnUnit::Yuan);  // labels applied again
}

TEST(ExportRerun, StoredSqlRunsAgainThroughTheGuardAlsoUnderAScope) {
  RerunEngine r;
  for (const std::optional<std::string>& scope :
       {std::optional<std::string>{}, std::optional<std::string>{"E001"}}) {
    AskRequest req;
    req.question = "上个月各科室业绩";
    req.as_of = kAsOf;
    req.mode = EngineMode::Rules;
    req.consultant_scope = scope;
    auto a = r.engine.ask(req);
    ASSERT_TRUE(a) << a.error().message;
    const std::string stored = bot::inline_params(a->sql, a->params);
    auto again = r.engine.run_sql(stored, a->question, scope, 0);
    ASSERT_TRUE(again) << again.error().message << "\n" << stored;
    EXPECT_TRUE(test::same_result(again->table, a->table, false))
        << test::preview(again->table) << " vs " << test::preview(a->table);
    EXPECT_EQ(again->engine, "llm");
  }
  // Refused SQL stays refused.
  auto bad = r.engine.run_sql("DELETE FROM customers", "q", std::nullopt, 0);
  ASSERT_FALSE(bad);
}
