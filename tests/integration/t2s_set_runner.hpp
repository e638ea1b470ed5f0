// Runs a Text2SQL question set (a JSONL file of tests/fixtures) through the product path — the
// rules engine, the guard, the read-only account — on a given database and as_of, asks each
// question twice (re-execution must give the same rows), compares with the gold SQL by result
// set and reports a score per category with a diagnosis of every miss.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "core/db/readonly.hpp"
#include "core/text2sql/engine.hpp"
#include "tests/integration/t2s_engine_harness.hpp"
#include "tests/support/scratch_db.hpp"

namespace yimei::test {

using namespace yimei::text2sql;

struct SetScore {
  int passed = 0;
  int total = 0;
  std::map<std::string, std::pair<int, int>> by_category;
  std::vector<std::string> misses;
};

inline std::string describe_tokens(const std::vector<Token>& toks) {
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

// Runs every question of `file` (tests/fixtures) on `fx` at `as_of` with the rules engine and
// compares it with its gold SQL; prints the score per category and every miss.
inline SetScore run_t2s_set(ScratchDatabase& fx, const std::string& file, const Date& as_of) {
  db::DbConfig ro_cfg = env_readonly_config(fx.name());
  ro_cfg.session_init_sql = db::read_only_session_sql(std::chrono::seconds(30));
  db::ConnectionPool ro(ro_cfg);
  EngineConfig cfg;
  cfg.limits.max_rows = 10000;
  cfg.limits.statement_timeout = std::chrono::seconds(30);
  cfg.database = fx.name();
  EntityIndex index(fx.pool(), std::chrono::seconds(60));
  Engine engine(ro, index, cfg);
  SetScore score;
  for (const auto& ex : load_t2s_examples(fixture_path(file))) {
    AskRequest req;
    req.question = ex.question;
    req.as_of = as_of;
    req.mode = EngineMode::Rules;
    auto& cat = score.by_category[ex.category];
    ++cat.second;
    ++score.total;
    std::string why;
    bool ok = false;
    Outcome<Answer> ans = engine.ask(req);
    // The same question again: the generated SQL must give the same rows when re-executed.
    if (ans && ans->answered()) {
      Outcome<Answer> again = engine.ask(req);
      if (!again || !again->answered() ||
          canonical_rows(again->table) != canonical_rows(ans->table))
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
        if (same_result(ans->table, gold, ex.order_matters)) {
          ok = true;
          break;
        }
      }
      if (!ok) {
        gold = db::run_read_only(ro, ex.gold_sql, {}, cfg.limits);
        why = "mine " + preview(ans->table) + " gold " + preview(gold) + "\n    sql: " + ans->sql;
      }
    }
    if (ok) {
      ++score.passed;
      ++cat.first;
    } else {
      RulesEngine rules;
      auto snap = index.snapshot();
      RulesResult rr = rules.understand(ex.question, as_of, *snap);
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

}  // namespace yimei::test
