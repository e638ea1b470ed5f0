// The demo seed: deterministic (same seed, same checksums), different seeds differ, every
// invariant of schema.md holds, and it refuses to overwrite data without --replace.
#include <gtest/gtest.h>

#include "core/seed/demo_seed.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;

namespace {

std::int64_t count(db::Connection& c, const std::string& sql) {
  return std::get<std::int64_t>(c.query(sql).rows.at(0).at(0));
}

// A checksum per table over every contract column.
std::string checksums(db::Connection& c) {
  std::string out;
  for (const char* q :
       {"SELECT CONCAT(COUNT(*), ':', BIT_XOR(CRC32(CONCAT_WS('|', consultant_id, name, "
        "department)))) FROM consultants",
        "SELECT CONCAT(COUNT(*), ':', BIT_XOR(CRC32(CONCAT_WS('|', customer_id, name, phone, "
        "register_date, "
        "last_visit_date, consultant_id, health_tags, membership_level)))) FROM customers",
        "SELECT CONCAT(COUNT(*), ':', BIT_XOR(CRC32(CONCAT_WS('|', product_id, product_name, "
        "department, "
        "product_type, standard_price)))) FROM medical_products",
        "SELECT CONCAT(COUNT(*), ':', SUM(amount), ':', BIT_XOR(CRC32(CONCAT_WS('|', record_id, "
        "customer_id, "
        "consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, "
        "payment_method)))) FROM consumption_records",
        "SELECT CONCAT(COUNT(*), ':', SUM(amount), ':', BIT_XOR(CRC32(CONCAT_WS('|', write_off_id, "
        "customer_id, "
        "write_off_date, amount, department, product_id, quantity, consultant_id, "
        "consume_record_id)))) "
        "FROM write_off_records",
        "SELECT CONCAT(COUNT(*), ':', BIT_XOR(CRC32(CONCAT_WS('|', balance_id, customer_id, "
        "product_id, "
        "total_amount, spent_amount, last_write_off_date, expiration_date)))) FROM "
        "unspent_balances"}) {
    out += std::get<Text>(c.query(q).rows.at(0).at(0)).str() + "\n";
  }
  return out;
}

seed::SeedOptions options(std::uint64_t seed_value, int customers) {
  seed::SeedOptions o;
  o.seed = seed_value;
  o.customers = customers;
  o.end_date = *parse_date("2026-06-30");
  return o;
}

}  // namespace

TEST(Seed, SameSeedSameChecksumsOtherSeedOtherData) {
  test::ScratchDatabase a, b, other;
  auto ca = a.pool().acquire();
  auto cb = b.pool().acquire();
  auto co = other.pool().acquire();
  ASSERT_TRUE(seed::seed_demo_data(*ca, options(7, 400)));
  ASSERT_TRUE(seed::seed_demo_data(*cb, options(7, 400)));
  ASSERT_TRUE(seed::seed_demo_data(*co, options(8, 400)));
  EXPECT_EQ(checksums(*ca), checksums(*cb));
  EXPECT_NE(checksums(*ca), checksums(*co));
  EXPECT_EQ(count(*ca, "SELECT COUNT(*) FROM customers"), 400);
}

TEST(Seed, KeepsEveryInvariant) {
  test::ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  auto r = seed::seed_demo_data(*c, options(2026, 1500));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->customers, 1500);
  EXPECT_GT(r->consumption_records, 5000);
  EXPECT_GT(r->write_off_records, 1000);
  EXPECT_GT(r->balances, 300);
  // spent <= total, and write-offs sum to spent per balance.
  EXPECT_EQ(count(*c,
                  "SELECT COUNT(*) FROM unspent_balances WHERE spent_amount > total_amount OR "
                  "spent_amount < 0"),
            0);
  EXPECT_EQ(
      count(*c,
            "SELECT COUNT(*) FROM unspent_balances b LEFT JOIN (SELECT customer_id, product_id, "
            "SUM(amount) s, MAX(write_off_date) d FROM write_off_records GROUP BY customer_id, "
            "product_id) w "
            "ON w.customer_id = b.customer_id AND w.product_id = b.product_id "
            "WHERE COALESCE(w.s, 0) <> b.spent_amount OR NOT (w.d <=> b.last_write_off_date)"),
      0);
  // Balances: only cards and packages, total = their purchases, expiry = latest purchase + 365.
  EXPECT_EQ(
      count(*c,
            "SELECT COUNT(*) FROM unspent_balances b JOIN medical_products p USING (product_id) "
            "LEFT JOIN (SELECT customer_id, product_id, SUM(amount) s, MAX(consume_date) d "
            "FROM consumption_records GROUP BY customer_id, product_id) r "
            "ON r.customer_id = b.customer_id AND r.product_id = b.product_id "
            "WHERE p.product_type NOT IN ('疗程卡','套餐') OR r.s <> b.total_amount "
            "OR b.expiration_date <> DATE_ADD(r.d, INTERVAL 365 DAY)"),
      0);
  // Every card purchase has its balance row.
  EXPECT_EQ(
      count(*c,
            "SELECT COUNT(*) FROM consumption_records r JOIN medical_products p USING (product_id) "
            "LEFT JOIN unspent_balances b ON b.customer_id = r.customer_id AND b.product_id = "
            "r.product_id "
            "WHERE p.product_type IN ('疗程卡','套餐') AND b.balance_id IS NULL"),
      0);
  // Write-offs never after expiry, and each points to a purchase of the same customer/product.
  EXPECT_EQ(count(*c,
                  "SELECT COUNT(*) FROM write_off_records w JOIN unspent_balances b USING "
                  "(customer_id, product_id) "
                  "WHERE w.write_off_date > b.expiration_date"),
            0);
  EXPECT_EQ(count(*c,
                  "SELECT COUNT(*) FROM write_off_records w JOIN consumption_records r "
                  "ON r.record_id = w.consume_record_id WHERE r.customer_id <> w.customer_id OR "
                  "r.product_id <> w.product_id OR r.consume_date > w.write_off_date"),
            0);
  // is_new_customer = 1 exactly on the customer's first consumption date.
  EXPECT_EQ(count(*c,
                  "SELECT COUNT(*) FROM consumption_records r JOIN (SELECT customer_id, "
                  "MIN(consume_date) f "
                  "FROM consumption_records GROUP BY customer_id) x USING (customer_id) "
                  "WHERE r.is_new_customer <> (r.consume_date = x.f)"),
            0);
  // Dates within the history, no record before registration, foreign keys hold.
  EXPECT_EQ(count(*c, "SELECT COUNT(*) FROM consumption_records WHERE consume_date > '2026-06-30'"),
            0);
  EXPECT_EQ(count(*c,
                  "SELECT COUNT(*) FROM consumption_records r JOIN customers k USING (customer_id) "
                  "WHERE r.consume_date < k.register_date"),
            0);
  EXPECT_EQ(count(*c,
                  "SELECT COUNT(*) FROM consumption_records r LEFT JOIN consultants s USING "
                  "(consultant_id) "
                  "WHERE r.consultant_id IS NOT NULL AND s.consultant_id IS NULL"),
            0);
  // Realism: four membership levels, four product types, several payment methods, seasonality.
  EXPECT_EQ(count(*c, "SELECT COUNT(DISTINCT membership_level) FROM customers"), 4);
  EXPECT_EQ(count(*c,
                  "SELECT COUNT(DISTINCT p.product_type) FROM consumption_records r JOIN "
                  "medical_products p "
                  "USING (product_id)"),
            4);
  EXPECT_EQ(count(*c, "SELECT COUNT(DISTINCT payment_method) FROM consumption_records"), 5);
  EXPECT_GT(count(*c, "SELECT COUNT(*) FROM customers WHERE phone IS NOT NULL"), 1400);
}

TEST(Seed, RefusesToOverwriteWithoutReplace) {
  test::ScratchDatabase sdb;
  auto c = sdb.pool().acquire();
  ASSERT_TRUE(seed::seed_demo_data(*c, options(1, 50)));
  auto again = seed::seed_demo_data(*c, options(2, 60));
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("--replace"), std::string::npos);
  EXPECT_EQ(count(*c, "SELECT COUNT(*) FROM customers"), 50);
  auto o = options(2, 60);
  o.replace = true;
  ASSERT_TRUE(seed::seed_demo_data(*c, o));
  EXPECT_EQ(count(*c, "SELECT COUNT(*) FROM customers"), 60);
}
