// unspent-balances on a hand-made dataset (as_of 2026-06-30; expiring [06-30, 07-30];
// dormant: last write-off on or before 2026-04-01 or never, and not expired).
#include "tests/integration/analysis_test_util.hpp"

using namespace yimei;
using namespace yimei::test;

namespace {

//  B1 C1/P2 5000-1000 = 4000, written off 06-01, expires 07-30 (last expiring day) -> 即将到期
//  B2 C1/P4 3000-3000 = 0 -> not listed
//  B3 C2/P2 2000-500 = 1500, never written off, expires 2027 -> 沉睡
//  B4 C2/P4 1000, last write-off 04-01 (= as_of - 90), expires 06-30 (= as_of) -> both
//  B5 C3/P2 800, expired 06-29 -> 已过期 (not dormant)
//  B6 C3/P4 600, written off 04-02 (89 days), no expiry -> 正常
//  B7 C4/P2 700, stored last write-off 07-10 is after as_of; its records say 03-01 -> 沉睡
//  B8 C5 registered after as_of -> not listed
const char* kData = R"sql(
INSERT INTO customers (customer_id, name, phone, register_date, consultant_id) VALUES
  ('C1', '余一', '13600000001', '2025-01-01', 'K1'),
  ('C2', '余二', '13600000002', '2025-01-01', 'K1'),
  ('C3', '余三', '13600000003', '2025-01-01', 'K2'),
  ('C4', '余四', '13600000004', '2025-01-01', NULL),
  ('C5', '余五', '13600000005', '2026-07-01', 'K2');
INSERT INTO unspent_balances (balance_id, customer_id, product_id, total_amount, spent_amount, last_write_off_date, expiration_date) VALUES
  (1, 'C1', 'P2', 5000.00, 1000.00, '2026-06-01', '2026-07-30'),
  (2, 'C1', 'P4', 3000.00, 3000.00, '2026-05-01', '2026-12-01'),
  (3, 'C2', 'P2', 2000.00, 500.00, NULL, '2027-01-01'),
  (4, 'C2', 'P4', 1000.00, 0.00, '2026-04-01', '2026-06-30'),
  (5, 'C3', 'P2', 800.00, 0.00, NULL, '2026-06-29'),
  (6, 'C3', 'P4', 600.00, 0.00, '2026-04-02', NULL),
  (7, 'C4', 'P2', 900.00, 200.00, '2026-07-10', NULL),
  (8, 'C5', 'P2', 500.00, 0.00, NULL, '2026-07-05');
INSERT INTO write_off_records (customer_id, write_off_date, amount, department, product_id, quantity, consultant_id) VALUES
  ('C4', '2026-03-01', 100.00, '皮肤科', 'P2', 1, NULL),
  ('C4', '2026-07-10', 100.00, '皮肤科', 'P2', 1, NULL);
)sql";

class UnspentBalances : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run_script(kAnalysisCatalogSql);
    db_.run_script(kData);
  }
  // Adds one balance: "(balance_id, customer_id, product_id, total, spent, last write-off,
  // expiration)" values.
  void add_balance(const std::string& values) {
    db_.run_script(
        "INSERT INTO unspent_balances (balance_id, customer_id, product_id, total_amount,"
        " spent_amount, last_write_off_date, expiration_date) VALUES " +
        values + ";");
  }
  ScratchDatabase db_;
};

}  // namespace

TEST_F(UnspentBalances, HandMadeAnswer) {
  auto r = run_ok(db_, "unspent-balances", request("2026-06-30"));
  const Table& t = r.table;
  EXPECT_EQ(column_texts(t, "balance_id"),
            (std::vector<std::string>{"1", "3", "4", "5", "7", "6"}));
  EXPECT_EQ(column_texts(t, "remaining"), (std::vector<std::string>{"4000.00", "1500.00", "1000.00",
                                                                    "800.00", "700.00", "600.00"}));
  EXPECT_EQ(
      column_texts(t, "status"),
      (std::vector<std::string>{"即将到期", "沉睡", "即将到期、沉睡", "已过期", "沉睡", "正常"}));
  EXPECT_EQ(text(t, row_of(t, "balance_id", "7"), "last_write_off_date"), "2026-03-01");
  EXPECT_EQ(text(t, 0, "department"), "皮肤科");
  EXPECT_EQ(text(t, 0, "product_name"), "祛痘疗程卡");

  EXPECT_EQ(summary_text(r, "total_remaining"), "8600.00");
  EXPECT_EQ(summary_text(r, "balance_count"), "6");
  EXPECT_EQ(summary_text(r, "customer_count"), "4");
  EXPECT_EQ(summary_text(r, "expiring_count"), "2");
  EXPECT_EQ(summary_text(r, "expiring_amount"), "5000.00");
  EXPECT_EQ(summary_text(r, "dormant_count"), "3");
  EXPECT_EQ(summary_text(r, "dormant_amount"), "3200.00");
  EXPECT_EQ(summary_text(r, "expired_count"), "1");
  EXPECT_EQ(summary_text(r, "expired_amount"), "800.00");

  const Table& dep = breakdown(r, "按科室");
  EXPECT_EQ(column_texts(dep, "department"), (std::vector<std::string>{"皮肤科", "注射科"}));
  EXPECT_EQ(column_texts(dep, "remaining"), (std::vector<std::string>{"7000.00", "1600.00"}));
  const Table& con = breakdown(r, "按咨询师");
  EXPECT_EQ(column_texts(con, "consultant_name"),
            (std::vector<std::string>{"甲咨询", "乙咨询", "未分配"}));
  EXPECT_EQ(column_texts(con, "remaining"),
            (std::vector<std::string>{"6500.00", "1400.00", "700.00"}));  // K1: B1 + B3 + B4
  const Table& prod = breakdown(r, "按品项");
  EXPECT_EQ(column_texts(prod, "product_name"),
            (std::vector<std::string>{"祛痘疗程卡", "瘦脸针3次卡"}));
  EXPECT_EQ(column_texts(breakdown(r, "即将到期"), "balance_id"),
            (std::vector<std::string>{"1", "4"}));
  EXPECT_EQ(column_texts(breakdown(r, "沉睡余额"), "balance_id"),
            (std::vector<std::string>{"3", "4", "7"}));
}

TEST_F(UnspentBalances, ParametersAndScope) {
  auto r =
      run_ok(db_, "余额", request("2026-06-30", {{"expiring_days", "0"}, {"dormant_days", "30"}}));
  // Expiring only on 06-30 (B4); dormant: last write-off <= 05-31 or never, not expired:
  // B3, B4, B6, B7.
  EXPECT_EQ(summary_text(r, "expiring_count"), "1");
  EXPECT_EQ(summary_text(r, "dormant_count"), "4");
  auto req = request("2026-06-30");
  req.scope.consultant_id = "K2";
  auto k2 = run_ok(db_, "unspent-balances", req);
  EXPECT_EQ(column_texts(k2.table, "balance_id"), (std::vector<std::string>{"5", "6"}));
  EXPECT_EQ(summary_text(k2, "total_remaining"), "1400.00");
}

// The balances are joined to their customer and product in the client: by the ids' bytes, and
// when that leaves a balance unplaced, again by the collation's weights, so a balance whose ids
// differ from customers' and products' only in case (the foreign keys accept it) is matched as
// the database's JOIN matched it. Equal remainders keep balance_id order.
TEST_F(UnspentBalances, IdsEqualUnderTheCollationAreTheSameCustomerAndProduct) {
  add_balance("(9, 'c4', 'p4', 700.00, 0.00, NULL, NULL)");
  auto r = run_ok(db_, "unspent-balances", request("2026-06-30"));
  const Table& t = r.table;
  EXPECT_EQ(column_texts(t, "balance_id"),
            (std::vector<std::string>{"1", "3", "4", "5", "7", "9", "6"}));
  const std::size_t b9 = row_of(t, "balance_id", "9");
  EXPECT_EQ(text(t, b9, "customer_id"), "c4");
  EXPECT_EQ(text(t, b9, "name"), "余四");
  EXPECT_EQ(text(t, b9, "product_name"), "瘦脸针3次卡");
  EXPECT_EQ(text(t, b9, "department"), "注射科");
  EXPECT_EQ(text(t, b9, "status"), "沉睡");
  EXPECT_EQ(summary_text(r, "customer_count"), "4");  // c4 is C4
  EXPECT_EQ(summary_text(r, "total_remaining"), "9300.00");
  const Table& prod = breakdown(r, "按品项");
  EXPECT_EQ(column_texts(prod, "remaining"), (std::vector<std::string>{"7000.00", "2300.00"}));
  EXPECT_EQ(text(prod, 1, "customers"), "3");  // B4 C2, B6 C3, B9 c4 (B2 of C1 is spent)
  const Table& con = breakdown(r, "按咨询师");
  EXPECT_EQ(text(con, row_of(con, "consultant_name", "未分配"), "remaining"), "1400.00");
  EXPECT_EQ(text(con, row_of(con, "consultant_name", "未分配"), "customers"), "1");
}

// A product id spelled differently alone (the customer's id matches byte for byte) is matched too.
TEST_F(UnspentBalances, AProductIdEqualOnlyUnderTheCollationIsTheSameProduct) {
  add_balance("(10, 'C4', 'p4', 900.00, 100.00, '2026-06-15', NULL)");
  auto r = run_ok(db_, "unspent-balances", request("2026-06-30"));
  const Table& t = r.table;
  EXPECT_EQ(column_texts(t, "balance_id"),
            (std::vector<std::string>{"1", "3", "4", "5", "10", "7", "6"}));  // 800 ties: by id
  const std::size_t b10 = row_of(t, "balance_id", "10");
  EXPECT_EQ(text(t, b10, "name"), "余四");
  EXPECT_EQ(text(t, b10, "product_name"), "瘦脸针3次卡");
  EXPECT_EQ(text(t, b10, "status"), "正常");
  EXPECT_EQ(summary_text(r, "customer_count"), "4");
  EXPECT_EQ(column_texts(breakdown(r, "按品项"), "remaining"),
            (std::vector<std::string>{"7000.00", "2400.00"}));
}

// The join reads only the customers whose facts hold a balance (unspent_amount > 0); one whose
// facts disagree with the balances table is looked up by id, and its balances are listed still.
TEST_F(UnspentBalances, CustomersMissedByTheirFactsAreLookedUpById) {
  db_.run_script(
      "UPDATE analysis_customer_facts SET unspent_amount = 0 WHERE customer_id IN ('C3', 'C5');");
  auto r = run_ok(db_, "unspent-balances", request("2026-06-30"));
  EXPECT_EQ(column_texts(r.table, "balance_id"),
            (std::vector<std::string>{"1", "3", "4", "5", "7", "6"}));  // C5 registered later
  EXPECT_EQ(text(r.table, row_of(r.table, "balance_id", "6"), "name"), "余三");
  EXPECT_EQ(summary_text(r, "customer_count"), "4");
  const Table& con = breakdown(r, "按咨询师");
  EXPECT_EQ(column_texts(con, "remaining"),
            (std::vector<std::string>{"6500.00", "1400.00", "700.00"}));
  auto req = request("2026-06-30");
  req.scope.consultant_id = "K2";
  auto k2 = run_ok(db_, "unspent-balances", req);
  EXPECT_EQ(column_texts(k2.table, "balance_id"), (std::vector<std::string>{"5", "6"}));
}
