// core/entry against the clinic-a-small fixture (another clinic's catalog and phrasing): the
// value of a 划扣 as the clinic's own write-offs show it, lookups of every product, the profile
// against independent SQL, and a scratch copy that keeps every invariant through entries and
// their undo.
#include "tests/integration/entry_support.hpp"

namespace yimei::test {
namespace {

const Date kAsOf = *parse_date("2026-06-30");

std::string cell(const Value& v) {
  if (is_null(v)) return "";
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<Decimal>(&v)) return d->to_string();
  if (const auto* dt = std::get_if<Date>(&v)) return format_date(*dt);
  return std::get<Text>(v);
}

// Single-line cards already in use: the next session is worth what the first session of that
// line was, except the last session, which takes what is left.
TEST(EntryFixture, NextSessionValuedLikeTheClinicsOwnWriteOffs) {
  auto c = fixture_db().pool().acquire();
  Table cases = c->query(
      "SELECT b.customer_id, b.product_id, b.total_amount - b.spent_amount AS remaining, "
      "l.record_id, (SELECT w.amount FROM write_off_records w WHERE w.consume_record_id = "
      "l.record_id AND w.quantity = 1 ORDER BY w.write_off_date, w.write_off_id LIMIT 1) AS first "
      "FROM unspent_balances b JOIN consumption_records l ON l.customer_id = b.customer_id AND "
      "l.product_id = b.product_id WHERE b.total_amount > b.spent_amount AND b.spent_amount > 0 "
      "AND b.expiration_date >= '2026-06-30' AND (SELECT COUNT(*) FROM consumption_records x "
      "WHERE x.customer_id = b.customer_id AND x.product_id = b.product_id) = 1 "
      "ORDER BY b.balance_id LIMIT 200");
  ASSERT_GE(cases.rows.size(), 100u);
  int checked = 0;
  for (const Row& r : cases.rows) {
    if (is_null(r[4])) continue;
    const Decimal remaining = std::get<Decimal>(r[2]);
    const Decimal first = std::get<Decimal>(r[4]);
    const Decimal expected = remaining < first + first ? remaining : first;
    entry::WriteOffArgs a;
    a.customer = cell(r[0]);
    a.product = cell(r[1]);
    auto p = entry::plan_write_off(*c, a, admin_actor(), kAsOf);
    ASSERT_TRUE(p) << a.customer << " " << a.product << ": " << message_of(p);
    EXPECT_EQ(p->data.at("amount").as_string(), expected.to_string())
        << a.customer << " " << a.product;
    EXPECT_EQ(p->data.at("consume_record_id").as_int64(), std::get<std::int64_t>(r[3]));
    ++checked;
  }
  EXPECT_GE(checked, 100);
}

// Several purchase lines of one card: the write-off starts on the oldest line not yet used up.
TEST(EntryFixture, SeveralCardsAreDrawnOldestFirst) {
  auto c = fixture_db().pool().acquire();
  Table cases = c->query(
      "SELECT customer_id, product_id, record_id FROM (SELECT b.balance_id, b.customer_id, "
      "b.product_id, l.record_id, b.spent_amount, SUM(l.amount) OVER (PARTITION BY b.balance_id "
      "ORDER BY l.consume_date, l.record_id) AS running, COUNT(*) OVER (PARTITION BY "
      "b.balance_id) AS n_lines FROM unspent_balances b JOIN consumption_records l ON "
      "l.customer_id = b.customer_id AND l.product_id = b.product_id WHERE b.total_amount > "
      "b.spent_amount AND b.expiration_date >= '2026-06-30') t WHERE n_lines > 1 AND running > "
      "spent_amount AND running - spent_amount <= (SELECT amount FROM consumption_records "
      "WHERE record_id = t.record_id) ORDER BY balance_id LIMIT 150");
  ASSERT_GE(cases.rows.size(), 50u);
  int checked = 0;
  for (const Row& r : cases.rows) {
    entry::WriteOffArgs a;
    a.customer = cell(r[0]);
    a.product = cell(r[1]);
    auto p = entry::plan_write_off(*c, a, admin_actor(), kAsOf);
    if (!p) {
      // Only a balance too small for one session may refuse.
      EXPECT_TRUE(p.error().message.starts_with("余额不足")) << message_of(p);
      continue;
    }
    EXPECT_EQ(p->data.at("consume_record_id").as_int64(), std::get<std::int64_t>(r[2]))
        << a.customer << " " << a.product;
    ++checked;
  }
  EXPECT_GE(checked, 50);
}

TEST(EntryFixture, EveryProductAndConsultantResolvesByName) {
  auto c = fixture_db().pool().acquire();
  Table products = c->query("SELECT product_id, product_name FROM medical_products");
  ASSERT_FALSE(products.rows.empty());
  for (const Row& r : products.rows) {
    auto p = entry::resolve_product(*c, cell(r[1]));
    ASSERT_TRUE(p) << message_of(p);
    EXPECT_EQ(p->product_id, cell(r[0]));
  }
  Table consultants = c->query(
      "SELECT consultant_id, name FROM consultants k WHERE (SELECT COUNT(*) FROM consultants x "
      "WHERE x.name = k.name) = 1");
  for (const Row& r : consultants.rows) {
    EXPECT_EQ(entry::resolve_consultant(*c, cell(r[1]))->consultant_id, cell(r[0]));
  }
}

TEST(EntryFixture, ProfileMatchesIndependentSql) {
  auto c = fixture_db().pool().acquire();
  Table sample = c->query(
      "SELECT customer_id, phone, (SELECT COALESCE(SUM(amount), 0) FROM consumption_records r "
      "WHERE r.customer_id = u.customer_id AND r.consume_date <= '2026-06-30'), (SELECT COUNT(*) "
      "FROM consumption_records r WHERE r.customer_id = u.customer_id) FROM customers u "
      "WHERE phone IS NOT NULL ORDER BY customer_id LIMIT 25");
  for (const Row& r : sample.rows) {
    auto p = entry::customer_profile(*c, cell(r[1]), manager_actor(), kAsOf);
    ASSERT_TRUE(p) << message_of(p);
    EXPECT_EQ(p->customer.customer_id, cell(r[0]));
    EXPECT_EQ(p->lifetime_spend.to_string(), std::get<Decimal>(r[2]).rounded(2).to_string());
    EXPECT_EQ(p->purchase_lines, std::get<std::int64_t>(r[3]));
  }
}

// A scratch copy of the clinic: entries keep the invariants over all its rows, and undoing
// them in reverse order gives back the data exactly.
TEST(EntryFixture, CopyKeepsInvariantsThroughEntriesAndUndo) {
  ScratchDatabase db("clinic-a-small.sql.gz");
  const std::string original = entry_fingerprint(db, false);
  auto c = db.pool().acquire();
  std::vector<std::int64_t> entries;
  Table cards = c->query(
      "SELECT customer_id, product_id FROM unspent_balances WHERE total_amount - spent_amount "
      ">= 3000 AND expiration_date >= '2026-06-30' ORDER BY balance_id LIMIT 15");
  ASSERT_EQ(cards.rows.size(), 15u);
  for (const Row& r : cards.rows) {
    entry::WriteOffArgs w;
    w.customer = cell(r[0]);
    w.product = cell(r[1]);
    auto p = entry::plan_write_off(*c, w, admin_actor(), kAsOf);
    ASSERT_TRUE(p) << message_of(p);
    auto done = apply_committed(db, *p, admin_actor());
    ASSERT_TRUE(done) << message_of(done);
    entries.push_back(done->entry_id);
    entry::PurchaseArgs b;
    b.customer = cell(r[0]);
    b.product = cell(r[1]);
    b.amount = "1999.99";
    b.date = "2026-06-30";
    auto q = entry::plan_purchase(*c, b, admin_actor(), kAsOf);
    ASSERT_TRUE(q) << message_of(q);
    auto bought = apply_committed(db, *q, admin_actor());
    ASSERT_TRUE(bought) << message_of(bought);
    entries.push_back(bought->entry_id);
  }
  auto violations = [&] {
    return scalar(db,
                  "SELECT (SELECT COUNT(*) FROM unspent_balances b WHERE b.spent_amount <> "
                  "(SELECT COALESCE(SUM(amount), 0) FROM write_off_records w WHERE w.customer_id "
                  "= b.customer_id AND w.product_id = b.product_id) OR b.total_amount <> (SELECT "
                  "COALESCE(SUM(amount), 0) FROM consumption_records l WHERE l.customer_id = "
                  "b.customer_id AND l.product_id = b.product_id) OR b.spent_amount > "
                  "b.total_amount) + (SELECT COUNT(*) FROM consumption_records r JOIN (SELECT "
                  "customer_id, MIN(consume_date) AS first FROM consumption_records GROUP BY "
                  "customer_id) f USING (customer_id) WHERE r.is_new_customer <> "
                  "(r.consume_date = f.first))");
  };
  EXPECT_EQ(violations(), "0");
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM bot_audit_log"), "30");
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    auto u = undo_committed(db, *it, admin_actor());
    ASSERT_TRUE(u) << message_of(u);
  }
  EXPECT_EQ(violations(), "0");
  EXPECT_EQ(entry_fingerprint(db, false), original);
}

}  // namespace
}  // namespace yimei::test
