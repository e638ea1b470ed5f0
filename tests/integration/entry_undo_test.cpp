// Integration tests of undo_entry: exact reversal by the author within the window, managers at
// any time, refusals (another consultant, after the window, a later write-off or balance change
// depending on the entry, twice, not an entry), each leaving the data as it was.
#include "tests/integration/entry_support.hpp"

namespace yimei::test {
namespace {

class EntryUndo : public EntryDb {
 protected:
  std::int64_t apply_purchase(const std::string& customer, const std::string& product,
                              const std::string& amount, const entry::Actor& who) {
    auto c = db_.pool().acquire();
    entry::PurchaseArgs a;
    a.customer = customer;
    a.product = product;
    a.amount = amount;
    auto p = entry::plan_purchase(*c, a, who, kEntryToday);
    if (!p) throw std::runtime_error(p.error().message);
    auto r = apply_committed(db_, *p, who);
    if (!r) throw std::runtime_error(r.error().message);
    return r->entry_id;
  }
  std::int64_t apply_write_off(const std::string& customer, const std::string& product,
                               const entry::Actor& who, const std::string& amount = "") {
    auto c = db_.pool().acquire();
    entry::WriteOffArgs a;
    a.customer = customer;
    a.product = product;
    a.amount = amount;
    auto p = entry::plan_write_off(*c, a, who, kEntryToday);
    if (!p) throw std::runtime_error(p.error().message);
    auto r = apply_committed(db_, *p, who);
    if (!r) throw std::runtime_error(r.error().message);
    return r->entry_id;
  }
};

TEST_F(EntryUndo, AuthorUndoesAPurchaseExactly) {
  const std::string data_before = entry_fingerprint(db_, false);
  const std::int64_t id = apply_purchase("张三", "测试水光5次卡", "4500", lin_actor());
  EXPECT_NE(entry_fingerprint(db_, false), data_before);
  auto r = undo_committed(db_, id, lin_actor());
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(r->summary_zh,
            "已撤销录入编号 " + std::to_string(id) + "：消费 张三 测试水光5次卡 4,500.00 元。");
  EXPECT_EQ(entry_fingerprint(db_, false), data_before);  // balance, record, last visit restored
  EXPECT_NE(scalar(db_, "SELECT undone_at FROM bot_audit_log WHERE audit_id = ?", {id}), "");
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', user_id, action, entity_id) FROM bot_audit_log "
                   "WHERE audit_id = ?",
                   {r->entry_id}),
            "lin|undo|" + std::to_string(id));
  EXPECT_EQ(message_of(undo_committed(db_, id, lin_actor())),
            "录入编号 " + std::to_string(id) + " 已经撤销过了。");
  EXPECT_EQ(message_of(undo_committed(db_, r->entry_id, manager_actor())),
            "编号 " + std::to_string(r->entry_id) + " 不是数据录入，不能撤销。");
}

TEST_F(EntryUndo, FirstCardPurchaseUndoDeletesTheBalance) {
  const std::string data_before = entry_fingerprint(db_, false);
  const std::int64_t id = apply_purchase("李四", "测试水光5次卡", "5000", manager_actor());
  EXPECT_EQ(scalar(db_, "SELECT COUNT(*) FROM unspent_balances WHERE customer_id = 'U002'"), "2");
  ASSERT_TRUE(undo_committed(db_, id, manager_actor()));
  EXPECT_EQ(entry_fingerprint(db_, false), data_before);
}

TEST_F(EntryUndo, AnotherConsultantIsRefusedAManagerIsNot) {
  const std::int64_t id = apply_purchase("张三", "测试清洁", "300", lin_actor());
  const std::string before = entry_fingerprint(db_);
  auto r = undo_committed(db_, id, chen_actor());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Forbidden);
  EXPECT_EQ(r.error().message, "只能撤销自己录入的数据，如需撤销他人的录入请联系店长。");
  EXPECT_EQ(message_of(undo_committed(db_, id, viewer_actor())),
            "您的角色只能查询，不能录入或修改数据。");
  EXPECT_EQ(entry_fingerprint(db_), before);
  ASSERT_TRUE(undo_committed(db_, id, manager_actor()));
  EXPECT_EQ(scalar(db_, "SELECT COUNT(*) FROM consumption_records WHERE customer_id = 'U001'"),
            "2");
}

TEST_F(EntryUndo, AuthorIsRefusedAfterTheWindowAManagerIsNot) {
  const std::int64_t id = apply_purchase("张三", "测试清洁", "300", lin_actor());
  db_.run_script(
      "UPDATE bot_audit_log SET created_at = NOW(3) - INTERVAL 31 MINUTE WHERE "
      "audit_id = " +
      std::to_string(id));
  const std::string before = entry_fingerprint(db_);
  EXPECT_EQ(message_of(undo_committed(db_, id, lin_actor(), std::chrono::minutes(30))),
            "录入编号 " + std::to_string(id) + " 已超过 30 分钟的撤销时限，请联系店长处理。");
  EXPECT_EQ(entry_fingerprint(db_), before);
  EXPECT_TRUE(undo_committed(db_, id, lin_actor(), std::chrono::minutes(40)));
}

TEST_F(EntryUndo, PurchaseWithALaterWriteOffIsRefused) {
  const std::string data_before = entry_fingerprint(db_, false);
  const std::int64_t buy = apply_purchase("李四", "测试水光5次卡", "5000", manager_actor());
  const std::int64_t use = apply_write_off("李四", "测试水光5次卡", manager_actor());
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', amount, consume_record_id) FROM "
                   "write_off_records WHERE write_off_id = 4"),
            "1000.00|6");  // 5,000 / 5 sessions, linked to the new purchase line
  const std::string before = entry_fingerprint(db_);
  EXPECT_EQ(message_of(undo_committed(db_, buy, manager_actor())),
            "这笔消费（李四 测试水光5次卡 5,000.00 元）之后已有划扣记录（划扣ID 4），不能撤销。");
  EXPECT_EQ(entry_fingerprint(db_), before);
  // Undo in reverse order works and leaves the data as it was.
  ASSERT_TRUE(undo_committed(db_, use, manager_actor()));
  ASSERT_TRUE(undo_committed(db_, buy, manager_actor()));
  EXPECT_EQ(entry_fingerprint(db_, false), data_before);
}

TEST_F(EntryUndo, PurchaseAfterWhichTheBalanceChangedIsRefused) {
  // A second purchase of the same card changes the balance the first one left.
  const std::int64_t first = apply_purchase("张三", "测试水光5次卡", "4500", manager_actor());
  const std::int64_t second = apply_purchase("张三", "测试水光5次卡", "4000", manager_actor());
  EXPECT_EQ(message_of(undo_committed(db_, first, manager_actor())),
            "这笔消费（张三 测试水光5次卡 4,500.00 元）之后该卡余额又有变动，不能撤销。");
  ASSERT_TRUE(undo_committed(db_, second, manager_actor()));
  ASSERT_TRUE(undo_committed(db_, first, manager_actor()));
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', total_amount, expiration_date) FROM "
                   "unspent_balances WHERE balance_id = 1"),
            "4500.00|2027-01-10");
}

TEST_F(EntryUndo, WriteOffsUndoInReverseOrder) {
  const std::string data_before = entry_fingerprint(db_, false);
  const std::int64_t w1 = apply_write_off("张三", "测试水光5次卡", lin_actor());
  const std::int64_t w2 = apply_write_off("张三", "测试水光5次卡", lin_actor());
  EXPECT_EQ(message_of(undo_committed(db_, w1, lin_actor())),
            "这笔划扣（张三 测试水光5次卡 900.00 元）之后该卡余额又有变动，不能撤销。");
  auto r = undo_committed(db_, w2, lin_actor());
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(r->summary_zh,
            "已撤销录入编号 " + std::to_string(w2) + "：划扣 张三 测试水光5次卡 900.00 元。");
  EXPECT_EQ(scalar(db_,
                   "SELECT CONCAT_WS('|', spent_amount, last_write_off_date) FROM "
                   "unspent_balances WHERE balance_id = 1"),
            "2700.00|2026-06-30");
  ASSERT_TRUE(undo_committed(db_, w1, lin_actor()));
  EXPECT_EQ(entry_fingerprint(db_, false), data_before);  // last_visit_date back to 2026-03-01
}

TEST_F(EntryUndo, NewCustomerUndoneOnlyWhileItHasNoRecords) {
  auto c = db_.pool().acquire();
  auto plan = entry::plan_new_customer(*c, {"钱八", "13700000008", "", "", "", ""}, manager_actor(),
                                       kEntryToday);
  auto made = apply_committed(db_, *plan, manager_actor());
  ASSERT_TRUE(made);
  const std::int64_t buy = apply_purchase("钱八", "测试清洁", "300", manager_actor());
  EXPECT_EQ(message_of(undo_committed(db_, made->entry_id, manager_actor())),
            "顾客钱八（U007）已有消费或划扣记录，不能撤销建档。");
  ASSERT_TRUE(undo_committed(db_, buy, manager_actor()));
  auto r = undo_committed(db_, made->entry_id, manager_actor());
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(r->summary_zh,
            "已撤销录入编号 " + std::to_string(made->entry_id) + "：建档 钱八（U007）。");
  EXPECT_EQ(scalar(db_, "SELECT COUNT(*) FROM customers WHERE customer_id = 'U007'"), "0");
}

TEST_F(EntryUndo, UnknownEntry) {
  auto r = undo_committed(db_, 999, manager_actor());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::NotFound);
  EXPECT_EQ(r.error().message, "找不到录入编号 999。");
}

}  // namespace
}  // namespace yimei::test
