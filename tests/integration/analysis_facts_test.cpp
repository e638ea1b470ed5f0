// The trigger-kept summaries of migrations 0004 and 0007 (customer, customer x department,
// customer x product facts, daily sums, the per-customer year rows of month sums and purchase
// days) against a recomputation from the contract tables written here, after the kinds of writes
// other software may do: inserts out of date order, updates that move a record to another
// customer, department, product or day, deletes of first and last records, balance and customer
// changes (with the name and phone copies of migration 0005). And the as-of logic: every analysis
// at an earlier as_of gives the same result before and after the records after as_of are deleted.
#include <cstdio>
#include <stdexcept>

#include "core/db/migrate.hpp"
#include "tests/integration/analysis_test_util.hpp"
#include "tests/support/run_command.hpp"

using namespace yimei;
using namespace yimei::test;

namespace {

std::string cell_text(const Value& v) {
  if (const auto* x = std::get_if<Decimal>(&v)) return x->to_string();
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* s = std::get_if<Text>(&v)) return *s;
  if (const auto* d = std::get_if<Date>(&v)) return format_date(*d);
  if (const auto* r = std::get_if<double>(&v)) return std::to_string(*r);
  return "NULL";
}

std::vector<std::string> lines(db::Connection& c, const std::string& sql) {
  std::vector<std::string> out;
  for (const Row& row : c.query(sql).rows) {
    std::string line;
    for (const Value& v : row) line += cell_text(v) + "|";
    out.push_back(line);
  }
  return out;
}

// Each summary as stored, and as recomputed from the contract tables (independently: window
// functions and plain GROUP BYs rather than the triggers' upserts).
struct Pair {
  const char* what;
  std::string stored;
  std::string expected;
};

// The year rows of migration 0007 as one line per customer (facts spelling), year[, department]
// and month with a purchase or an amount: amount_MM and the day mask days_MM.
std::string year_rows_stored(const std::string& table, bool department) {
  const std::string dep = department ? "department, " : "";
  std::string q;
  for (int m = 1; m <= 12; ++m) {
    const std::string mm = (m < 10 ? "0" : "") + std::to_string(m);
    q += (q.empty() ? "" : " UNION ALL ") + std::string("SELECT customer_key, year, ") + dep +
         std::to_string(m) + " AS month, amount_" + mm + ", days_" + mm + " FROM " + table +
         " WHERE amount_" + mm + " <> 0 OR days_" + mm + " <> 0";
  }
  return q + " ORDER BY 1, 2, 3" + (department ? ", 4" : "");
}

// The same from the records: the sum of the distinct powers of two of the purchase days is their
// mask; keyed by the facts' spelling of the customer, compared byte for byte.
std::string year_rows_expected(bool department) {
  const std::string dep = department ? "r.department, " : "";
  return "SELECT f.customer_id COLLATE utf8mb4_bin, YEAR(r.consume_date), " + dep +
         "MONTH(r.consume_date), SUM(r.amount), SUM(DISTINCT 1 << (DAYOFMONTH(r.consume_date) - "
         "1)) FROM consumption_records r JOIN analysis_customer_facts f"
         " ON f.customer_id = r.customer_id GROUP BY f.customer_id, YEAR(r.consume_date), " +
         dep + "MONTH(r.consume_date) ORDER BY 1, 2, 3" + (department ? ", 4" : "");
}

const Pair kSummaries[] = {
    {"customer facts",
     "SELECT customer_id, name, phone, register_date, last_visit_date, consultant_id,"
     " membership_level, orders, lifetime_amount, first_consume_date, last_consume_date, "
     "min_department, max_department,"
     " IF(orders > 0, first_day_amount, NULL), IF(orders > 0, first_record_id, NULL),"
     " IF(orders > 0, first_consultant_id, NULL), IF(orders > 0, first_department, NULL),"
     " second_consume_date, repurchase_90_amount, first_new_date, last_new_date, "
     "last_write_off_date, unspent_amount,"
     " last_activity_date FROM analysis_customer_facts"
     " WHERE register_date IS NOT NULL OR orders > 0 OR last_write_off_date IS NOT NULL"
     "  OR unspent_amount <> 0 ORDER BY customer_id",
     "SELECT k.customer_id, c.name, c.phone, c.register_date, c.last_visit_date, c.consultant_id,"
     " c.membership_level, COALESCE(r.n, 0), COALESCE(r.total, 0.00), r.f, r.l, r.mind, r.maxd,"
     " fd.amount, fd.record_id, fr.consultant_id, fr.department, s.second_day,"
     " COALESCE(w90.amount, 0.00), r.fnew, r.lnew,"
     " w.l, COALESCE(b.unspent, 0.00),"
     " COALESCE(NULLIF(GREATEST(COALESCE(r.l, DATE'1000-01-01'),"
     "   COALESCE(w.l, DATE'1000-01-01'), COALESCE(c.last_visit_date, DATE'1000-01-01')),"
     "   DATE'1000-01-01'), c.register_date)"
     " FROM (SELECT customer_id FROM customers UNION SELECT customer_id FROM consumption_records"
     "   UNION SELECT customer_id FROM write_off_records"
     "   UNION SELECT customer_id FROM unspent_balances) k"
     " LEFT JOIN customers c ON c.customer_id = k.customer_id"
     " LEFT JOIN (SELECT customer_id, COUNT(*) n, SUM(amount) total, MIN(consume_date) f,"
     "   MAX(consume_date) l, MIN(department) mind, MAX(department) maxd,"
     "   MIN(IF(is_new_customer = 1, consume_date, NULL)) fnew,"
     "   MAX(IF(is_new_customer = 1, consume_date, NULL)) lnew"
     "   FROM consumption_records GROUP BY customer_id) r ON r.customer_id = k.customer_id"
     " LEFT JOIN (SELECT customer_id, SUM(amount) amount, MIN(record_id) record_id FROM"
     "   (SELECT customer_id, amount, record_id, consume_date,"
     "    MIN(consume_date) OVER (PARTITION BY customer_id) f FROM consumption_records) z"
     "   WHERE consume_date = f GROUP BY customer_id) fd ON fd.customer_id = k.customer_id"
     " LEFT JOIN consumption_records fr ON fr.record_id = fd.record_id"
     " LEFT JOIN (SELECT customer_id, MIN(consume_date) second_day FROM"
     "   (SELECT customer_id, consume_date,"
     "    MIN(consume_date) OVER (PARTITION BY customer_id) f FROM consumption_records) z"
     "   WHERE consume_date > f GROUP BY customer_id) s ON s.customer_id = k.customer_id"
     " LEFT JOIN (SELECT customer_id, SUM(amount) amount FROM"
     "   (SELECT customer_id, amount, consume_date,"
     "    MIN(consume_date) OVER (PARTITION BY customer_id) f FROM consumption_records) z"
     "   WHERE consume_date > f AND consume_date <= f + INTERVAL 90 DAY GROUP BY customer_id) w90"
     "   ON w90.customer_id = k.customer_id"
     " LEFT JOIN (SELECT customer_id, MAX(write_off_date) l FROM write_off_records"
     "   GROUP BY customer_id) w ON w.customer_id = k.customer_id"
     " LEFT JOIN (SELECT customer_id, SUM(total_amount) - SUM(spent_amount) unspent"
     "   FROM unspent_balances GROUP BY customer_id) b ON b.customer_id = k.customer_id"
     " ORDER BY k.customer_id"},
    {"department facts",
     "SELECT customer_id, department, first_date, last_date, first_new_date, last_new_date"
     " FROM analysis_customer_department_facts WHERE last_date IS NOT NULL"
     " ORDER BY customer_id, department",
     "SELECT customer_id, department, MIN(consume_date), MAX(consume_date),"
     " MIN(IF(is_new_customer = 1, consume_date, NULL)),"
     " MAX(IF(is_new_customer = 1, consume_date, NULL))"
     " FROM consumption_records GROUP BY customer_id, department ORDER BY customer_id, department"},
    {"product facts",
     "SELECT customer_id, product_id, first_date, last_date, prev_date"
     " FROM analysis_customer_product_facts WHERE last_date IS NOT NULL"
     " ORDER BY customer_id, product_id",
     "SELECT customer_id, product_id, MIN(consume_date), MAX(consume_date),"
     " MAX(IF(d < l, d, NULL)) FROM (SELECT customer_id, product_id, consume_date, consume_date d,"
     "  MAX(consume_date) OVER (PARTITION BY customer_id, product_id) l"
     "  FROM consumption_records) z GROUP BY customer_id, product_id"
     " ORDER BY customer_id, product_id"},
    {"daily sales",
     "SELECT consume_date, department, product_id, revenue, quantity, orders"
     " FROM analysis_daily_sales WHERE orders <> 0 OR revenue <> 0 OR quantity <> 0"
     " ORDER BY consume_date, department, product_id",
     "SELECT consume_date, department, product_id, SUM(amount), SUM(quantity), COUNT(*)"
     " FROM consumption_records GROUP BY consume_date, department, product_id"
     " ORDER BY consume_date, department, product_id"},
    {"daily write-offs",
     "SELECT write_off_date, department, product_id, amount, quantity, write_offs"
     " FROM analysis_daily_write_offs WHERE write_offs <> 0 OR amount <> 0 OR quantity <> 0"
     " ORDER BY write_off_date, department, product_id",
     "SELECT write_off_date, department, product_id, SUM(amount), SUM(quantity), COUNT(*)"
     " FROM write_off_records GROUP BY write_off_date, department, product_id"
     " ORDER BY write_off_date, department, product_id"},
    {"customer years", year_rows_stored("analysis_customer_years", false),
     year_rows_expected(false)},
    {"department years", year_rows_stored("analysis_customer_department_years", true),
     year_rows_expected(true)},
};

// A summary line with its first field (the customer, or a date) as utf8mb4_unicode_ci compares
// it: ASCII upper case, trailing spaces dropped. A recomputing GROUP BY shows whichever spelling
// of a customer ('F3', 'f3', 'F3 ') the server happened to read first; the stored spelling is
// checked on its own where it matters.
std::string collated_first_field(std::string line) {
  std::size_t end = line.find('|');
  if (end == std::string::npos) return line;
  for (std::size_t i = 0; i < end; ++i)
    if (line[i] >= 'a' && line[i] <= 'z') line[i] = static_cast<char>(line[i] - 'a' + 'A');
  std::size_t keep = end;
  while (keep > 0 && line[keep - 1] == ' ') --keep;
  return line.erase(keep, end - keep);
}

std::vector<std::string> collated_lines(db::Connection& c, const std::string& sql) {
  std::vector<std::string> out = lines(c, sql);
  for (std::string& line : out) line = collated_first_field(std::move(line));
  return out;
}

void expect_summaries_exact(ScratchDatabase& db, const std::string& step) {
  auto c = db.pool().acquire();
  for (const Pair& p : kSummaries) {
    SCOPED_TRACE(step + ": " + p.what);
    const auto stored = collated_lines(*c, p.stored);
    const auto expected = collated_lines(*c, p.expected);
    ASSERT_EQ(stored.size(), expected.size());
    for (std::size_t i = 0; i < stored.size(); ++i)
      ASSERT_EQ(stored[i], expected[i]) << "row " << i;
  }
}

const char* kCustomers = R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, last_visit_date, consultant_id, membership_level) VALUES
  ('F1', '甲', '13900000001', '2025-01-01', NULL, 'K1', '金卡'),
  ('F2', '乙', '13900000002', '2025-02-01', '2026-01-05', 'K2', '普通'),
  ('F3', '丙', '13900000003', '2025-03-01', NULL, NULL, '钻石');
)sql";

class SummaryTriggers : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run_script(kAnalysisCatalogSql);
    db_.run_script(kCustomers);
  }
  void sql(const std::string& s) { db_.run_script(s); }
  ScratchDatabase db_;
};

}  // namespace

TEST_F(SummaryTriggers, InsertsInAnyOrderKeepEverySummaryExact) {
  // Later days first, then an earlier first day, a second record on the first day with a lower
  // record_id, and a day between the first and the second purchase.
  sql(R"sql(
INSERT INTO consumption_records (record_id, customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  (20, 'F1', '2026-03-01', 300.00, '皮肤科', 0, 'K1', 'P1', 1, '微信'),
  (21, 'F1', '2026-05-01', 100.00, '注射科', 0, 'K2', 'P3', 2, '微信');
INSERT INTO consumption_records (record_id, customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  (30, 'F1', '2026-01-10', 500.00, '皮肤科', 1, 'K1', 'P1', 1, '现金'),
  (10, 'F1', '2026-01-10', 50.00, '注射科', 1, 'K2', 'P3', 1, '现金'),
  (40, 'F1', '2026-02-01', 70.00, '皮肤科', 0, NULL, 'P1', 1, '现金'),
  (41, 'F1', '2026-02-01', 80.00, '皮肤科', 0, NULL, 'P1', 3, '现金'),
  (50, 'F2', '2026-04-01', 900.00, '口腔科', 1, 'K2', 'P5', 1, '银行卡');
INSERT INTO write_off_records (customer_id, write_off_date, amount, department, product_id, quantity, consultant_id) VALUES
  ('F1', '2026-06-01', 100.00, '皮肤科', 'P2', 1, 'K1'),
  ('F1', '2026-02-15', 100.00, '皮肤科', 'P2', 2, 'K1'),
  ('F3', '2026-02-15', 40.00, '注射科', 'P4', 1, NULL);
INSERT INTO unspent_balances (customer_id, product_id, total_amount, spent_amount, last_write_off_date, expiration_date) VALUES
  ('F1', 'P2', 5000.00, 200.00, '2026-06-01', '2026-12-01'),
  ('F3', 'P4', 6000.00, 40.00, '2026-02-15', '2027-01-01');
)sql");
  expect_summaries_exact(db_, "inserts");
  // By hand for F1: first day 2026-01-10 (550.00, record 10 of K2 in 注射科), second day
  // 2026-02-01, 450.00 within 90 days after the first (02-01 and 03-01; not 05-01), 6 orders,
  // 1100.00; P1's last day 2026-03-01 with 2026-02-01 before it.
  auto c = db_.pool().acquire();
  EXPECT_EQ(lines(*c,
                  "SELECT first_consume_date, first_day_amount, first_record_id, "
                  "first_consultant_id, first_department, second_consume_date, "
                  "repurchase_90_amount, orders, lifetime_amount, last_activity_date "
                  "FROM analysis_customer_facts WHERE customer_id = 'F1'"),
            std::vector<std::string>{
                "2026-01-10|550.00|10|K2|注射科|2026-02-01|450.00|6|1100.00|2026-06-01|"});
  EXPECT_EQ(lines(*c,
                  "SELECT last_date, prev_date FROM analysis_customer_product_facts "
                  "WHERE customer_id = 'F1' AND product_id = 'P1'"),
            std::vector<std::string>{"2026-03-01|2026-02-01|"});
  // F1's 2026 row: January 550.00 on day 10 (bit 9), February 150.00 on day 1, March 300.00 on
  // day 1, May 100.00 on day 1; 皮肤科 alone: 500 + 150 + 300.
  EXPECT_EQ(lines(*c,
                  "SELECT amount_01, days_01, amount_02, days_02, amount_03, days_03, amount_04, "
                  "days_04, amount_05, days_05 FROM analysis_customer_years "
                  "WHERE customer_key = 'F1' AND year = 2026"),
            std::vector<std::string>{"550.00|512|150.00|1|300.00|1|0.00|0|100.00|1|"});
  EXPECT_EQ(lines(*c,
                  "SELECT amount_01 + amount_02 + amount_03 + amount_05, days_01 "
                  "FROM analysis_customer_department_years "
                  "WHERE customer_key = 'F1' AND year = 2026 AND department = '皮肤科'"),
            std::vector<std::string>{"950.00|512|"});
}

TEST_F(SummaryTriggers, SpellingsTheCollationCallsEqualShareOneYearRow) {
  // 'f3' and 'F3 ' are customer F3 to utf8mb4_unicode_ci (the foreign key and every join to the
  // facts agree); the year rows are keyed by the facts' spelling, F3.
  sql(R"sql(
INSERT INTO consumption_records (record_id, customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  (1, 'F3', '2025-12-31', 10.00, '皮肤科', 1, NULL, 'P1', 1, '现金'),
  (2, 'f3', '2026-02-03', 20.00, '皮肤科', 0, NULL, 'P1', 1, '现金'),
  (3, 'F3 ', '2026-02-04', 30.00, '注射科', 0, NULL, 'P3', 1, '现金');
)sql");
  expect_summaries_exact(db_, "three spellings");
  auto c = db_.pool().acquire();
  EXPECT_EQ(
      lines(*c,
            "SELECT customer_key, year, amount_02, days_02, amount_12, days_12 "
            "FROM analysis_customer_years ORDER BY year"),
      (std::vector<std::string>{"F3|2025|0.00|0|10.00|1073741824|", "F3|2026|50.00|12|0.00|0|"}));
  sql("UPDATE consumption_records SET customer_id = 'F1', consume_date = '2026-02-28' "
      "WHERE record_id = 3");
  sql("DELETE FROM consumption_records WHERE record_id = 2");
  expect_summaries_exact(db_, "moved and deleted");
  // F3's 2026 row stays, with nothing left in it.
  EXPECT_EQ(
      lines(*c,
            "SELECT customer_key, year, amount_02, days_02, amount_12, days_12 "
            "FROM analysis_customer_years ORDER BY customer_key, year"),
      (std::vector<std::string>{"F1|2026|30.00|134217728|0.00|0|",
                                "F3|2025|0.00|0|10.00|1073741824|", "F3|2026|0.00|0|0.00|0|"}));
}

TEST_F(SummaryTriggers, UpdatesAndDeletesRecomputeFromTheRecords) {
  sql(R"sql(
INSERT INTO consumption_records (record_id, customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  (1, 'F1', '2026-01-10', 500.00, '皮肤科', 1, 'K1', 'P1', 1, '现金'),
  (2, 'F1', '2026-01-10', 60.00, '注射科', 1, 'K2', 'P3', 1, '现金'),
  (3, 'F1', '2026-02-01', 70.00, '皮肤科', 0, 'K1', 'P1', 1, '现金'),
  (4, 'F1', '2026-03-01', 80.00, '皮肤科', 0, 'K1', 'P1', 1, '现金'),
  (5, 'F2', '2026-04-01', 900.00, '口腔科', 1, 'K2', 'P5', 1, '银行卡'),
  (6, 'F2', '2026-04-20', 100.00, '口腔科', 0, 'K2', 'P5', 1, '银行卡');
INSERT INTO write_off_records (write_off_id, customer_id, write_off_date, amount, department, product_id, quantity, consultant_id) VALUES
  (1, 'F1', '2026-06-01', 100.00, '皮肤科', 'P2', 1, 'K1'),
  (2, 'F1', '2026-02-15', 100.00, '皮肤科', 'P2', 1, 'K1');
INSERT INTO unspent_balances (balance_id, customer_id, product_id, total_amount, spent_amount, last_write_off_date, expiration_date) VALUES
  (1, 'F1', 'P2', 5000.00, 200.00, '2026-06-01', '2026-12-01'),
  (2, 'F2', 'P4', 6000.00, 0.00, NULL, '2027-01-01');
)sql");
  expect_summaries_exact(db_, "loaded");
  // The first record moves to another day, department, product and amount.
  sql("UPDATE consumption_records SET consume_date = '2026-02-01', department = '注射科', "
      "product_id = 'P3', amount = 55.00, is_new_customer = 0 WHERE record_id = 1");
  expect_summaries_exact(db_, "record moved within a customer");
  // A record moves to another customer; the last write-off is deleted; another moves earlier.
  sql("UPDATE consumption_records SET customer_id = 'F3' WHERE record_id = 4");
  sql("DELETE FROM write_off_records WHERE write_off_id = 1");
  sql("UPDATE write_off_records SET write_off_date = '2026-01-20', customer_id = 'F2' "
      "WHERE write_off_id = 2");
  expect_summaries_exact(db_, "moved to another customer");
  // The first record of F2 goes; then every record of F1 (its figures go back to none).
  sql("DELETE FROM consumption_records WHERE record_id = 5");
  sql("DELETE FROM consumption_records WHERE customer_id = 'F1'");
  expect_summaries_exact(db_, "deletes");
  // Balances: spent raised (a write-off), moved to another customer, deleted.
  sql("UPDATE unspent_balances SET spent_amount = 700.00 WHERE balance_id = 1");
  sql("UPDATE unspent_balances SET customer_id = 'F3' WHERE balance_id = 2");
  expect_summaries_exact(db_, "balances updated");
  sql("DELETE FROM unspent_balances WHERE balance_id = 1");
  expect_summaries_exact(db_, "balance deleted");
  // Customers: level, consultant, dates changed; a new customer; a customer deleted.
  sql("UPDATE customers SET membership_level = '银卡', consultant_id = NULL, "
      "last_visit_date = '2026-06-30', register_date = '2024-12-31' WHERE customer_id = 'F1'");
  sql("INSERT INTO customers (customer_id, name, phone, register_date) VALUES "
      "('F4', '丁', '13900000004', '2026-01-01')");
  sql("DELETE FROM customers WHERE customer_id = 'F4'");
  expect_summaries_exact(db_, "customers changed");
  // Name and phone (copied since version 5): changed, cleared, and a customer renamed.
  sql("UPDATE customers SET name = '乙二', phone = NULL WHERE customer_id = 'F2'");
  sql("UPDATE customers SET phone = '13900000009' WHERE customer_id = 'F3'");
  sql("INSERT INTO customers (customer_id, name, phone, register_date) VALUES "
      "('F5', '戊', '13900000005', '2026-01-01')");
  sql("UPDATE customers SET customer_id = 'F6', name = '己' WHERE customer_id = 'F5'");
  expect_summaries_exact(db_, "names and phones changed");
  auto c = db_.pool().acquire();
  EXPECT_EQ(lines(*c,
                  "SELECT orders, lifetime_amount, first_consume_date, last_consume_date, "
                  "unspent_amount, last_activity_date FROM analysis_customer_facts "
                  "WHERE customer_id = 'F1'"),
            std::vector<std::string>{"0|0.00|NULL|NULL|0.00|2026-06-30|"});
}

// The fixture as SQL text (load_fixture defers the triggers; these tests load through them).
std::string fixture_script() {
  FILE* p = popen(("gzip -dc '" + fixture_path("clinic-a-small.sql.gz") + "'").c_str(), "r");
  if (!p) throw std::runtime_error("cannot run gzip");
  std::string text;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  if (pclose(p) != 0) throw std::runtime_error("gzip failed");
  return text;
}

TEST(SummaryRebuild, RerunningTheMigrationRebuildsTheSameSummaries) {
  ScratchDatabase db;
  db.run_script(fixture_script());
  expect_summaries_exact(db, "fixture loaded through the triggers");
  auto c = db.pool().acquire();
  const auto before = lines(*c, kSummaries[0].stored);
  c->execute_unprepared("DELETE FROM schema_migrations WHERE version >= 4");
  db::migrate(*c);
  EXPECT_EQ(lines(*c, kSummaries[0].stored), before);
  expect_summaries_exact(db, "rebuilt");

  // TRUNCATE fires no trigger: the summaries are stale until `yimei db rebuild-summaries`.
  c->execute_unprepared("TRUNCATE TABLE write_off_records");
  EXPECT_GT(std::get<std::int64_t>(
                c->query("SELECT COUNT(*) FROM analysis_daily_write_offs", {}).rows[0][0]),
            0);
  const auto cli = yimei::test::run_command("cd /tmp && DB_NAME=" + db.name() + " " + YIMEI_BINARY +
                                            " db rebuild-summaries 2>&1");
  EXPECT_EQ(cli.status, 0) << cli.out;
  EXPECT_NE(cli.out.find("分析汇总已重建"), std::string::npos) << cli.out;
  expect_summaries_exact(db, "rebuilt by the command after a TRUNCATE");
  EXPECT_EQ(std::get<std::int64_t>(
                c->query("SELECT COUNT(*) FROM analysis_daily_write_offs", {}).rows[0][0]),
            0);
}

// Records after as_of must not change any analysis at that as_of: run every analysis at an earlier
// date (customers with later records are then recomputed from the records), delete the later
// records (the triggers update the summaries), and run again (now straight from the summaries).
// A recomputed customer's last dates are read backwards from the newest row when as_of lies in
// the later half of its purchase dates, else by MAX (facts.cpp): the fixture has both kinds.
TEST(SummaryAsOf, RecordsAfterAsOfChangeNoAnalysis) {
  ScratchDatabase db("clinic-a-small.sql.gz");  // summaries rebuilt after the load
  expect_summaries_exact(db, "fixture loaded, summaries rebuilt");
  const char* as_of = "2026-03-31";
  {
    auto c = db.pool().acquire();
    const Table halves = c->query(
        "SELECT SUM(DATEDIFF(?, first_consume_date) * 2 < DATEDIFF(last_consume_date, "
        "first_consume_date)), SUM(DATEDIFF(?, first_consume_date) * 2 >= "
        "DATEDIFF(last_consume_date, first_consume_date)) FROM analysis_customer_facts "
        "WHERE last_consume_date > ? AND first_consume_date <= ?",
        {as_of, as_of, as_of, as_of});
    EXPECT_GT(std::get<Decimal>(halves.rows[0][0]), Decimal{}) << "none in the earlier half";
    EXPECT_GT(std::get<Decimal>(halves.rows[0][1]), Decimal{}) << "none in the later half";
  }
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> runs = {
      {"inactive-customers", {}},
      {"new-customer-repurchase", {}},
      {"vip-consumption", {}},
      {"unspent-balances", {}},
      {"department-performance", {}},
      {"product-performance", {}},
      {"growth-points", {}},
      {"growth-points", {{"detail", "1"}}},
      {"growth-points", {{"detail", "2"}}}};
  auto render = [&](const analysis::AnalysisResult& r) {
    std::string out = r.narrative_zh + "\n";
    auto table = [&](const Table& t) {
      for (const Row& row : t.rows) {
        for (const Value& v : row) out += cell_text(v) + "|";
        out += "\n";
      }
    };
    table(r.table);
    for (const auto& [name, t] : r.breakdowns) {
      out += "## " + name + "\n";
      table(t);
    }
    for (const auto& subset : r.row_subsets) {
      out += "## " + subset.name + "\n";
      table(analysis::subset_table(r.table, subset));
    }
    for (const auto& s : r.summary) out += s.key + "=" + cell_text(s.value) + "\n";
    for (const auto& o : r.opportunities) {
      out += o.key + " " + o.opportunity_amount.to_string() + " " + o.formula_zh + "\n";
      table(o.targets);
    }
    return out;
  };
  std::vector<std::string> before;
  for (const auto& [name, params] : runs)
    before.push_back(render(run_ok(db, name, request(as_of, params))));
  {
    auto c = db.pool().acquire();
    Table later = c->query(
        "SELECT (SELECT COUNT(*) FROM consumption_records WHERE consume_date > '2026-03-31'),"
        " (SELECT COUNT(*) FROM write_off_records WHERE write_off_date > '2026-03-31')");
    ASSERT_GT(std::get<std::int64_t>(later.rows[0][0]), 1000);
    c->execute_unprepared("DELETE FROM write_off_records WHERE write_off_date > '2026-03-31'");
    c->execute_unprepared(
        "DELETE FROM write_off_records WHERE consume_record_id IN (SELECT record_id FROM "
        "consumption_records WHERE consume_date > '2026-03-31')");
    c->execute_unprepared("DELETE FROM consumption_records WHERE consume_date > '2026-03-31'");
  }
  expect_summaries_exact(db, "records after as_of deleted");
  for (std::size_t i = 0; i < runs.size(); ++i) {
    SCOPED_TRACE(runs[i].first);
    EXPECT_EQ(render(run_ok(db, runs[i].first, request(as_of, runs[i].second))), before[i]);
  }
}
