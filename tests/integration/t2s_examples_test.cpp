// Every public Text2SQL example (tests/fixtures/text2sql-examples.jsonl) and our own held-out
// style set (tests/fixtures/t2s-heldout-style.jsonl) on clinic-a-small with as_of 2026-06-30,
// answered by the rules engine through the product path (guard, read-only account) and compared
// by result set with the gold SQL (or an accepted alternative). Prints a per-category score.
#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "core/db/readonly.hpp"
#include "core/text2sql/engine.hpp"
#include "core/text2sql/normalize.hpp"
#include "tests/integration/t2s_engine_harness.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

const Date kAsOf = *parse_date("2026-06-30");

struct SetScore {
  int passed = 0;
  int total = 0;
  std::map<std::string, std::pair<int, int>> by_category;
  std::vector<std::string> misses;
};

std::string describe_tokens(const std::vector<Token>& toks) {
  std::string s;
  for (const auto& t : toks) {
    s += std::string(tok_kind_name(t.kind)) + "(" + t.text;
    if (!t.a.empty()) s += ":" + t.a;
    if (!t.refs.empty()) s += ":" + t.refs.front().field + "=" + t.refs.front().value;
    if (t.range) s += ":" + format_date(t.range->from) + "~" + format_date(t.range->to);
    s += t.used ? ")" : ")*";
    s += " ";
  }
  return s;
}

SetScore run_set(const std::string& file) {
  auto& fx = yimei::test::fixture_db();
  db::DbConfig ro_cfg = yimei::test::env_readonly_config(fx.name());
  ro_cfg.session_init_sql = db::read_only_session_sql(std::chrono::seconds(30));
  db::ConnectionPool ro(ro_cfg);
  EngineConfig cfg;
  cfg.limits.max_rows = 10000;
  cfg.limits.statement_timeout = std::chrono::seconds(30);
  cfg.database = fx.name();
  EntityIndex index(fx.pool(), std::chrono::seconds(60));
  Engine engine(ro, index, cfg);
  SetScore score;
  for (const auto& ex : yimei::test::load_t2s_examples(yimei::test::fixture_path(file))) {
    AskRequest req;
    req.question = ex.question;
    req.as_of = kAsOf;
    req.mode = EngineMode::Rules;
    auto& cat = score.by_category[ex.category];
    ++cat.second;
    ++score.total;
    std::string why;
    bool ok = false;
    Outcome<Answer> ans = engine.ask(req);
    // The same question again: the cached prepared statement must run a second time too.
    if (ans && ans->answered()) {
      Outcome<Answer> again = engine.ask(req);
      if (!again || !again->answered() ||
          yimei::test::canonical_rows(again->table) != yimei::test::canonical_rows(ans->table))
        ans = UserError{ErrorKind::BadInput, "second run differs"};
    }
    if (!ans) {
      why = "error: " + ans.error().message;
    } else if (!ans->answered()) {
      why = "clarification: " + ans->clarification->message;
    } else {
      std::vector<std::string> golds{ex.gold_sql};
      golds.insert(golds.end(), ex.alt_gold_sql.begin(), ex.alt_gold_sql.end());
      Table gold;
      for (const auto& g : golds) {
        gold = db::run_read_only(ro, g, {}, cfg.limits);
        if (yimei::test::same_result(ans->table, gold, ex.order_matters)) {
          ok = true;
          break;
        }
      }
      if (!ok) {
        gold = db::run_read_only(ro, ex.gold_sql, {}, cfg.limits);
        why = "mine " + yimei::test::preview(ans->table) + " gold " + yimei::test::preview(gold) +
              "\n    sql: " + ans->sql;
      }
    }
    if (ok) {
      ++score.passed;
      ++cat.first;
    } else {
      RulesEngine rules;
      auto snap = index.snapshot();
      RulesResult rr = rules.understand(ex.question, kAsOf, *snap);
      std::string detail = ex.id + " " + ex.question + "\n    " + why +
                           "\n    norm: " + rr.normalized +
                           "\n    toks: " + describe_tokens(rr.tokens);
      if (rr.spec) detail += "\n    spec: " + boost::json::serialize(to_json(*rr.spec));
      detail += "\n    conf: " + std::to_string(rr.confidence);
      score.misses.push_back(detail);
    }
  }
  std::cout << "== " << file << ": " << score.passed << "/" << score.total << "\n";
  for (const auto& [cat, pr] : score.by_category)
    std::cout << "   " << cat << ": " << pr.first << "/" << pr.second << "\n";
  for (const auto& m : score.misses) std::cout << "  MISS " << m << "\n";
  return score;
}

}  // namespace

TEST(T2sExamples, PublicExamplesMatchGoldByResultSet) {
  const SetScore s = run_set("text2sql-examples.jsonl");
  EXPECT_EQ(s.total, 40);
  EXPECT_EQ(s.passed, s.total);
}

TEST(T2sExamples, HeldOutStyleQuestionsMatchGoldByResultSet) {
  const SetScore s = run_set("t2s-heldout-style.jsonl");
  EXPECT_GE(s.total, 40);
  // Our own regression set: every question is expected to pass.
  EXPECT_EQ(s.passed, s.total);
}
