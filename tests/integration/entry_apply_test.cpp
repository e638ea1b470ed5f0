// Integration tests of apply_plan: every invariant of docs/spec/schema.md checked by SQL after
// a write, refusals at apply time that write nothing, and concurrent 划扣 on one balance.
#include <atomic>
#include <thread>

#include "tests/integration/entry_support.hpp"

namespace yimei::test {
namespace {

class EntryApply : public EntryDb {
 protected:
  entry::EntryPlan purchase(const std::string& customer, const std::string& product,
                            const std::string& amount, const std::string& date = "",
                            const entry::Actor& who = manager_actor()) {
    auto c = db_.pool().acquire();
    entry::PurchaseArgs a;
    a.customer = customer;
    a.product = product;
    a.amount = amount;
    a.date = date;
    auto p = entry::plan_purchase(*c, a, who, kEntryToday);
    if (!p) throw std::runtime_error(p.error().message);
    return *p;
  }
  entry::EntryPlan write_off(const std::string& customer, const std::string& product,
                             const std::string& quantity = "", const std::string& amount = "",
                             const entry::Actor& who = manager_actor()) {
    auto c = db_.pool().acquire();
    entry::WriteOffArgs a;
    a.customer = customer;
    a.product = product;
    a.quantity = quantity;
    a.amount = amount;
    auto p = entry::plan_write_off(*c, a, who, kEntryToday);
    if (!p) throw std::runtime_error(p.error().message);
    return *p;
  }
  // is_new_customer rows that break "1 exactly on the first consumption date".
  std::string wrong_new_flags() {
    return scalar(db_,
                  "SELECT COUNT(*) FROM consumption_records r JOIN (SELECT customer_id, "
                  "MIN(consume_date) AS first FROM consumption_records GROUP BY customer_id) f "
                  "USING (customer_id) WHERE r.is_new_customer <> (r.consume_date = f.first)");
  }
};

TEST_F(EntryApply, NewCustomerGetsTheNextIdAndAnAuditRow) {
  auto c = db_.pool().acquire();
  entry::NewCustomerArgs a{"钱八", "13700000008", "陈思", "金卡", "敏感肌", "2026-06-20"};
  auto plan = entry::plan_new_customer(*c, a, manager_actor(), kEntryToday);
  ASSERT_TRUE(plan) << message_of(plan);
  auto r = apply_committed(db_, *plan, manager_actor());
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(r->summary_zh, "已建档：钱八（U007），录入编号 " + std::to_string(r->entry_id) +
                               "（如需撤销请发送 /撤销 " + std::to_string(r->entry_id) + "）。");
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', name, phone, register_date, COALESCE(last_visit_date, "
                   "'-'), consultant_id, health_tags, membership_level) FROM customers WHERE "
                   "customer_id = 'U007'"),
            "钱八|13700000008|2026-06-20|-|K02|敏感肌|金卡");
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', platform, user_id, msg_id, action, entity, "
                   "entity_id) FROM bot_audit_log WHERE audit_id = ?",
                   {r->entry_id}),
            "wecom|mgr|m-mgr|new-customer|customers|U007");
  EXPECT_EQ(scalar(db_,
                   "SELECT JSON_VALUE(after_json, '$.customer.phone') FROM bot_audit_log "
                   "WHERE audit_id = ?",
                   {r->entry_id}),
            "13700000008");
  // The phone is now taken: planning again is refused, and so is applying the same plan twice.
  EXPECT_EQ(message_of(apply_committed(db_, *plan, manager_actor())),
            "手机号 13700000008 已经登记过，不能重复建档。");
  auto second = entry::plan_new_customer(*c, {"孙九", "13700000009", "", "", "", ""}, lin_actor(),
                                         kEntryToday);
  auto r2 = apply_committed(db_, *second, lin_actor());
  ASSERT_TRUE(r2) << message_of(r2);
  EXPECT_EQ(scalar(db_, "SELECT consultant_id FROM customers WHERE customer_id = 'U008'"), "K01");
}

TEST_F(EntryApply, NewCustomerIdSkipsAnIdTakenMeanwhile) {
  auto c = db_.pool().acquire();
  auto plan = entry::plan_new_customer(*c, {"钱八", "13700000008", "", "", "", ""}, manager_actor(),
                                       kEntryToday);
  ASSERT_TRUE(plan);
  // Another instance inserts U007 while this one still holds the plan, and keeps its
  // transaction open: our insert waits for it, sees the duplicate, and takes U008.
  auto other = db_.pool().acquire();
  other->begin();
  other->execute(
      "INSERT INTO customers (customer_id, name, phone, register_date) VALUES "
      "('U007', '别人', '13500000000', '2026-06-30')");
  std::thread committer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    other->commit();
  });
  auto r = apply_committed(db_, *plan, manager_actor());
  committer.join();
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(scalar(db_, "SELECT customer_id FROM customers WHERE phone = '13700000008'"), "U008");
}

TEST_F(EntryApply, CardPurchaseRaisesBalanceAndMovesExpirationLater) {
  auto r = apply_committed(db_, purchase("张三", "测试水光5次卡", "4500"), manager_actor());
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', total_amount, spent_amount, expiration_date, "
                   "last_write_off_date) FROM unspent_balances WHERE balance_id = 1"),
            "9000.00|1800.00|2027-06-30|2026-03-01");
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', consume_date, amount, department, is_new_customer, "
                   "consultant_id, product_id, quantity, payment_method) FROM "
                   "consumption_records WHERE record_id = 6"),
            "2026-06-30|4500.00|皮肤科|0|K01|X02|1|微信");
  EXPECT_EQ(scalar(db_, "SELECT last_visit_date FROM customers WHERE customer_id = 'U001'"),
            "2026-06-30");
  EXPECT_NE(r->summary_zh.find("余额 7,200.00 元，有效期至 2027-06-30"), std::string::npos)
      << r->summary_zh;
  EXPECT_EQ(scalar(db_, "SELECT COUNT(*) FROM unspent_balances"), "3");
}

TEST_F(EntryApply, BackdatedCardPurchaseNeverMovesExpirationEarlier) {
  auto r = apply_committed(db_, purchase("张三", "测试水光5次卡", "1000", "2025-06-01"),
                           manager_actor());
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', total_amount, expiration_date) FROM "
                   "unspent_balances WHERE balance_id = 1"),
            "5500.00|2027-01-10");
  // Earlier than the first consumption date: this line is the new first day.
  EXPECT_EQ(scalar(db_, "SELECT is_new_customer FROM consumption_records WHERE record_id = 6"),
            "1");
  EXPECT_EQ(scalar(db_,
                   "SELECT SUM(is_new_customer) FROM consumption_records WHERE "
                   "customer_id = 'U001' AND record_id IN (1, 2)"),
            "0");
  EXPECT_EQ(wrong_new_flags(), "0");
  EXPECT_EQ(scalar(db_, "SELECT last_visit_date FROM customers WHERE customer_id = 'U001'"),
            "2026-03-01");  // not moved back
}

TEST_F(EntryApply, FirstCardPurchaseCreatesTheBalanceWithValidity) {
  auto r = apply_committed(db_, purchase("李四", "测试水光5次卡", "4800", "2026-06-01"),
                           manager_actor(), 180);
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', total_amount, spent_amount, "
                   "COALESCE(last_write_off_date, '-'), expiration_date) FROM "
                   "unspent_balances WHERE customer_id = 'U002' AND product_id = 'X02'"),
            "4800.00|0.00|-|2026-11-28");
  // Not a card: no balance row.
  ASSERT_TRUE(apply_committed(db_, purchase("李四", "测试清洁", "300"), manager_actor()));
  EXPECT_EQ(scalar(db_, "SELECT COUNT(*) FROM unspent_balances WHERE product_id = 'X01'"), "0");
}

TEST_F(EntryApply, IsNewCustomerOnTheWholeFirstDay) {
  ASSERT_TRUE(
      apply_committed(db_, purchase("赵六", "测试清洁", "300", "2026-06-10"), manager_actor()));
  ASSERT_TRUE(
      apply_committed(db_, purchase("赵六", "测试水光针", "1500", "2026-06-10"), manager_actor()));
  ASSERT_TRUE(
      apply_committed(db_, purchase("赵六", "测试精华", "200", "2026-06-12"), manager_actor()));
  EXPECT_EQ(scalar(db_,
                   "SELECT GROUP_CONCAT(CONCAT(consume_date, ':', is_new_customer) ORDER BY "
                   "record_id) FROM consumption_records WHERE customer_id = 'U005'"),
            "2026-06-10:1,2026-06-10:1,2026-06-12:0");
  // A purchase dated before the first day takes its place, and its undo gives it back.
  auto early =
      apply_committed(db_, purchase("赵六", "测试清洁", "300", "2026-06-05"), manager_actor());
  ASSERT_TRUE(early) << message_of(early);
  EXPECT_EQ(scalar(db_,
                   "SELECT GROUP_CONCAT(CONCAT(consume_date, ':', is_new_customer) ORDER BY "
                   "record_id) FROM consumption_records WHERE customer_id = 'U005'"),
            "2026-06-10:0,2026-06-10:0,2026-06-12:0,2026-06-05:1");
  EXPECT_EQ(wrong_new_flags(), "0");
  ASSERT_TRUE(undo_committed(db_, early->entry_id, manager_actor()));
  EXPECT_EQ(scalar(db_,
                   "SELECT GROUP_CONCAT(CONCAT(consume_date, ':', is_new_customer) ORDER BY "
                   "record_id) FROM consumption_records WHERE customer_id = 'U005'"),
            "2026-06-10:1,2026-06-10:1,2026-06-12:0");
  EXPECT_EQ(wrong_new_flags(), "0");
}

TEST_F(EntryApply, WriteOffKeepsBalanceAndRecordsInStep) {
  auto r = apply_committed(db_, write_off("张三", "测试水光5次卡"), manager_actor());
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', write_off_date, amount, department, product_id, "
                   "quantity, consultant_id, consume_record_id) FROM write_off_records "
                   "WHERE write_off_id = 4"),
            "2026-06-30|900.00|皮肤科|X02|1|K01|1");
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', total_amount, spent_amount, last_write_off_date, "
                   "expiration_date) FROM unspent_balances WHERE balance_id = 1"),
            "4500.00|2700.00|2026-06-30|2027-01-10");
  // Write-offs sum to spent for every balance; spent never above total.
  EXPECT_EQ(scalar(db_,
                   "SELECT COUNT(*) FROM unspent_balances b WHERE b.spent_amount <> "
                   "(SELECT COALESCE(SUM(amount), 0) FROM write_off_records w WHERE "
                   "w.customer_id = b.customer_id AND w.product_id = b.product_id) OR "
                   "b.spent_amount > b.total_amount"),
            "0");
  EXPECT_EQ(scalar(db_, "SELECT last_visit_date FROM customers WHERE customer_id = 'U001'"),
            "2026-06-30");
  EXPECT_EQ(r->summary_zh,
            "已划扣：张三 测试水光5次卡 1 次，900.00 元（2026-06-30）；剩余 1,800.00 "
            "元；录入编号 " +
                std::to_string(r->entry_id) + "（如需撤销请发送 /撤销 " +
                std::to_string(r->entry_id) + "）。");
  // The last two sessions empty the card to the cent.
  ASSERT_TRUE(apply_committed(db_, write_off("张三", "测试水光5次卡", "2"), manager_actor()));
  EXPECT_EQ(scalar(db_,
                   "SELECT total_amount - spent_amount FROM unspent_balances WHERE "
                   "balance_id = 1"),
            "0.00");
}

TEST_F(EntryApply, WriteOffRefusedAtApplyWritesNothing) {
  // Two previews of the same card; the first confirmed leaves too little for the second.
  const auto three = write_off("张三", "测试水光5次卡", "3");
  ASSERT_TRUE(apply_committed(db_, write_off("张三", "测试水光5次卡"), manager_actor()));
  const std::string before = entry_fingerprint(db_);
  EXPECT_EQ(message_of(apply_committed(db_, three, manager_actor())),
            "余额不足：测试水光5次卡 剩余 1,800.00 元，本次划扣需要 2,700.00 元。");
  EXPECT_EQ(entry_fingerprint(db_), before);

  // Plans made by hand for an expired balance and for a product that is not a card.
  entry::EntryPlan expired{"write-off",
                           {{"customer_id", "U006"},
                            {"customer_name", "孙七"},
                            {"product_id", "X02"},
                            {"product_name", "测试水光5次卡"},
                            {"amount", "1000.00"},
                            {"quantity", 1},
                            {"date", "2026-06-30"},
                            {"consultant_id", "K01"},
                            {"consume_record_id", 4}},
                           ""};
  EXPECT_EQ(message_of(apply_committed(db_, expired, manager_actor())),
            "该余额已于 2026-01-05 过期，不能划扣。");
  entry::EntryPlan single = expired;
  single.data["customer_id"] = "U001";
  single.data["product_id"] = "X01";
  EXPECT_EQ(message_of(apply_committed(db_, single, manager_actor())),
            "品项“测试清洁”的类型是单次，不是疗程卡或套餐，不能划扣。");
  entry::EntryPlan garbled = expired;
  garbled.data.erase("amount");
  EXPECT_EQ(message_of(apply_committed(db_, garbled, manager_actor())),
            "这条待确认的录入内容无法识别，请重新录入。");
  EXPECT_EQ(message_of(apply_committed(db_, expired, viewer_actor())),
            "您的角色只能查询，不能录入或修改数据。");
  EXPECT_EQ(entry_fingerprint(db_), before);
}

TEST_F(EntryApply, ApplyRechecksConsultantScope) {
  const auto plan = purchase("张三", "测试清洁", "300", "", lin_actor());
  const std::string before = entry_fingerprint(db_);
  EXPECT_EQ(message_of(apply_committed(db_, plan, chen_actor())),
            "顾客张三（U001）已不存在或不在您名下，未录入。");
  EXPECT_EQ(entry_fingerprint(db_), before);
  ASSERT_TRUE(apply_committed(db_, plan, lin_actor()));
}

TEST_F(EntryApply, ConcurrentWriteOffsNeverOverdraw) {
  // 李四's package holds 12,000.00; two threads each try four 2,000.00 write-offs on their own
  // connections, holding their transaction open a moment after each write.
  const auto plan = write_off("李四", "测试年卡套餐", "", "2000");
  std::atomic<int> ok{0}, short_refusals{0}, other{0};
  auto worker = [&] {
    for (int i = 0; i < 4; ++i) {
      auto c = db_.pool().acquire();
      db::Transaction tx(*c);
      auto r = entry::apply_plan(*c, plan, manager_actor(), 365);
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      tx.commit();
      if (r) {
        ++ok;
      } else if (r.error().message.starts_with("余额不足：测试年卡套餐 剩余 0.00 元")) {
        ++short_refusals;
      } else {
        ++other;
        ADD_FAILURE() << r.error().message;
      }
    }
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(short_refusals.load(), 2);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(scalar(db_, "SELECT spent_amount FROM unspent_balances WHERE balance_id = 2"),
            "12000.00");
  EXPECT_EQ(scalar(db_, "SELECT SUM(amount) FROM write_off_records WHERE customer_id = 'U002'"),
            "12000.00");
}

}  // namespace
}  // namespace yimei::test
