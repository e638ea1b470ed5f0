// A consultant's question reads only their own customers' rows (the guard's scoping on the
// product path), checked against independent SQL on clinic-a-small.
#include <gtest/gtest.h>

#include <set>

#include "core/db/readonly.hpp"
#include "core/text2sql/engine.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

const Date kAsOf = *parse_date("2026-06-30");

std::string first_cell(const Table& t) {
  if (t.rows.empty()) return "<none>";
  const Value& v = t.rows[0][0];
  if (const auto* d = std::get_if<Decimal>(&v)) return d->rounded(2).to_string();
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* s = std::get_if<Text>(&v)) return *s;
  return "?";
}

struct ScopeRig {
  db::ConnectionPool ro;
  EntityIndex index;
  Engine engine;
  explicit ScopeRig(yimei::test::ScratchDatabase& fx)
      : ro(yimei::test::env_readonly_config(fx.name())),
        index(fx.pool(), std::chrono::seconds(60)),
        engine(ro, index, config(fx)) {}
  static EngineConfig config(yimei::test::ScratchDatabase& fx) {
    EngineConfig c;
    c.limits.max_rows = 5000;
    c.database = fx.name();
    return c;
  }
  Table ask(const std::string& q, std::optional<std::string> scope) {
    AskRequest r;
    r.question = q;
    r.as_of = kAsOf;
    r.mode = EngineMode::Rules;
    r.consultant_scope = std::move(scope);
    Outcome<Answer> a = engine.ask(r);
    EXPECT_TRUE(a) << q << ": " << (a ? "" : a.error().message);
    if (!a) return {};
    EXPECT_TRUE(a->answered()) << q;
    return a->table;
  }
};

Table independent(yimei::test::ScratchDatabase& fx, const std::string& sql) {
  auto c = fx.pool().acquire();
  return c->query(sql);
}

}  // namespace

TEST(T2sEngineScope, ConsultantReadsOnlyOwnCustomers) {
  auto& fx = yimei::test::fixture_db();
  ScopeRig rig(fx);
  // Counts and sums over the consultant's own customers.
  EXPECT_EQ(
      first_cell(rig.ask("一共有多少客户", "E001")),
      first_cell(independent(fx, "SELECT COUNT(*) FROM customers WHERE consultant_id = 'E001'")));
  const std::string own_revenue = first_cell(independent(
      fx,
      "SELECT SUM(r.amount) FROM consumption_records r JOIN customers c ON c.customer_id = "
      "r.customer_id WHERE c.consultant_id = 'E001' AND r.consume_date BETWEEN '2026-01-01' "
      "AND '2026-06-30'"));
  EXPECT_EQ(first_cell(rig.ask("今年的业绩", "E001")), own_revenue);
  // Unscoped, the same question sees everyone: the scope made the difference.
  EXPECT_NE(first_cell(rig.ask("今年的业绩", std::nullopt)), own_revenue);
  // A list names only the consultant's customers.
  Table top = rig.ask("今年消费最多的10个客户", "E001");
  std::set<std::string> own;
  for (const Row& r :
       independent(fx, "SELECT name FROM customers WHERE consultant_id = 'E001'").rows)
    own.insert(std::get<Text>(r[0]));
  ASSERT_FALSE(top.rows.empty());
  for (const Row& r : top.rows)
    EXPECT_TRUE(own.count(std::get<Text>(r[0]))) << std::get<Text>(r[0]);
  // Balances too.
  EXPECT_EQ(first_cell(rig.ask("未划扣余额合计多少", "E001")),
            first_cell(independent(
                fx,
                "SELECT SUM(b.total_amount - b.spent_amount) FROM unspent_balances b JOIN "
                "customers c ON c.customer_id = b.customer_id WHERE c.consultant_id = 'E001'")));
}
