// Helpers shared by the entry_* integration tests: a small hand-made clinic (two customers named
// 王五, a card with write-off history, an expired balance, a package with no session count), the
// actors of each role, a fingerprint of every table data entry touches (to prove nothing was
// written), and apply/undo in a committed transaction.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "core/entry/entry.hpp"
#include "tests/support/scratch_db.hpp"

namespace yimei::test {

inline const char* kEntryClinicSql = R"sql(
INSERT INTO consultants (consultant_id, name, department) VALUES
  ('K01', '林小雨', '皮肤科'), ('K02', '陈思', '注射科'), ('K03', '林小雨', '激光科');
INSERT INTO medical_products (product_id, product_name, department, product_type, standard_price) VALUES
  ('X01', '测试清洁', '皮肤科', '单次', 300.00),
  ('X02', '测试水光5次卡', '皮肤科', '疗程卡', 5000.00),
  ('X03', '测试年卡套餐', '注射科', '套餐', 12000.00),
  ('X04', '测试精华', '皮肤科', '产品', 200.00),
  ('X05', '测试水光针', '皮肤科', '单次', 1500.00);
INSERT INTO customers (customer_id, name, phone, register_date, last_visit_date, consultant_id, health_tags, membership_level) VALUES
  ('U001', '张三', '13800000001', '2025-01-01', '2026-03-01', 'K01', '敏感肌', '金卡'),
  ('U002', '李四', '13800000002', '2025-03-01', '2026-02-01', 'K02', NULL, '普通'),
  ('U003', '王五', '13800000003', '2025-04-01', '2026-05-01', 'K01', NULL, '银卡'),
  ('U004', '王五', '13900000004', '2025-05-01', NULL, 'K02', NULL, '普通'),
  ('U005', '赵六', '13800000005', '2026-06-01', NULL, NULL, NULL, '普通'),
  ('U006', '孙七', '13800000006', '2024-12-01', '2025-02-01', 'K01', NULL, '钻石');
INSERT INTO consumption_records (record_id, customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method) VALUES
  (1, 'U001', '2026-01-10', 4500.00, '皮肤科', 1, 'K01', 'X02', 1, '微信'),
  (2, 'U001', '2026-01-10', 300.00, '皮肤科', 1, 'K01', 'X01', 1, '现金'),
  (3, 'U002', '2026-02-01', 12000.00, '注射科', 1, 'K02', 'X03', 1, '银行卡'),
  (4, 'U006', '2025-01-05', 5000.00, '皮肤科', 1, 'K01', 'X02', 1, '微信'),
  (5, 'U003', '2026-05-01', 300.00, '皮肤科', 1, 'K01', 'X01', 1, '支付宝');
INSERT INTO write_off_records (write_off_id, customer_id, write_off_date, amount, department, product_id, quantity, consultant_id, consume_record_id) VALUES
  (1, 'U001', '2026-02-01', 900.00, '皮肤科', 'X02', 1, 'K01', 1),
  (2, 'U001', '2026-03-01', 900.00, '皮肤科', 'X02', 1, 'K01', 1),
  (3, 'U006', '2025-02-01', 1000.00, '皮肤科', 'X02', 1, 'K01', 4);
INSERT INTO unspent_balances (balance_id, customer_id, product_id, total_amount, spent_amount, last_write_off_date, expiration_date) VALUES
  (1, 'U001', 'X02', 4500.00, 1800.00, '2026-03-01', '2027-01-10'),
  (2, 'U002', 'X03', 12000.00, 0.00, NULL, '2027-02-01'),
  (3, 'U006', 'X02', 5000.00, 1000.00, '2025-02-01', '2026-01-05');
)sql";

inline const Date kEntryToday = *parse_date("2026-06-30");

inline entry::Actor admin_actor() {
  return {"wecom", "boss", entry::Role::Admin, std::nullopt, "m-admin"};
}
inline entry::Actor manager_actor() {
  return {"wecom", "mgr", entry::Role::Manager, std::nullopt, "m-mgr"};
}
inline entry::Actor lin_actor() {  // consultant K01
  return {"wecom", "lin", entry::Role::Consultant, "K01", "m-lin"};
}
inline entry::Actor chen_actor() {  // consultant K02
  return {"wecom", "chen", entry::Role::Consultant, "K02", "m-chen"};
}
inline entry::Actor viewer_actor() {
  return {"wecom", "guest", entry::Role::Viewer, std::nullopt, "m-guest"};
}

// A fresh database holding the hand-made clinic.
class EntryDb : public ::testing::Test {
 protected:
  void SetUp() override { db_.run_script(kEntryClinicSql); }
  ScratchDatabase db_;
};

// One text summarizing every row of the contract tables (data) or of those plus the bot's
// entry tables (all); equal fingerprints mean nothing was written.
inline std::string entry_fingerprint(db::Connection& c, bool with_bot_tables) {
  std::vector<std::string> sql{
      "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', customer_id, name, COALESCE(phone, '~'), "
      "register_date, COALESCE(last_visit_date, '~'), COALESCE(consultant_id, '~'), "
      "COALESCE(health_tags, '~'), membership_level))), 0) FROM customers",
      "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', record_id, customer_id, consume_date, "
      "amount, department, is_new_customer, COALESCE(consultant_id, '~'), product_id, quantity, "
      "payment_method))), 0) FROM consumption_records",
      "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', write_off_id, customer_id, "
      "write_off_date, amount, department, product_id, quantity, COALESCE(consultant_id, '~'), "
      "COALESCE(consume_record_id, '~')))), 0) FROM write_off_records",
      "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', balance_id, customer_id, product_id, "
      "total_amount, spent_amount, COALESCE(last_write_off_date, '~'), "
      "COALESCE(expiration_date, '~')))), 0) FROM unspent_balances",
      "SELECT COUNT(*), 0 FROM consultants",
      "SELECT COUNT(*), 0 FROM medical_products"};
  if (with_bot_tables) {
    sql.push_back(
        "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', audit_id, COALESCE(undone_at, '~')))), "
        "0) FROM bot_audit_log");
    sql.push_back("SELECT COUNT(*), 0 FROM bot_pending_entries");
    sql.push_back(
        "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', platform, user_id, role, "
        "COALESCE(consultant_id, '~')))), 0) FROM bot_users");
  }
  std::string out;
  for (const std::string& s : sql) {
    Table t = c.query(s);
    for (const Value& v : t.rows.at(0)) {
      if (const auto* i = std::get_if<std::int64_t>(&v)) out += std::to_string(*i);
      if (const auto* d = std::get_if<Decimal>(&v)) out += d->to_string();
      out += ";";
    }
  }
  return out;
}

inline std::string entry_fingerprint(ScratchDatabase& db, bool with_bot_tables = true) {
  auto c = db.pool().acquire();
  return entry_fingerprint(*c, with_bot_tables);
}

// apply_plan in its own committed transaction.
inline Outcome<entry::Receipt> apply_committed(ScratchDatabase& db, const entry::EntryPlan& plan,
                                               const entry::Actor& actor, int validity_days = 365) {
  auto c = db.pool().acquire();
  db::Transaction tx(*c);
  auto r = entry::apply_plan(*c, plan, actor, validity_days);
  tx.commit();
  return r;
}

inline Outcome<entry::Receipt> undo_committed(
    ScratchDatabase& db, std::int64_t id, const entry::Actor& actor,
    std::chrono::seconds window = std::chrono::minutes(30)) {
  auto c = db.pool().acquire();
  db::Transaction tx(*c);
  auto r = entry::undo_entry(*c, id, actor, window);
  tx.commit();
  return r;
}

// The single value of a one-row, one-column query, as text ("" for NULL).
inline std::string scalar(ScratchDatabase& db, const std::string& sql, const db::Params& p = {}) {
  auto c = db.pool().acquire();
  Table t = c->query(sql, p);
  if (t.rows.empty()) return "<no row>";
  const Value& v = t.rows[0].at(0);
  if (is_null(v)) return "";
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<Decimal>(&v)) return d->to_string();
  if (const auto* dt = std::get_if<Date>(&v)) return format_date(*dt);
  if (const auto* s = std::get_if<Text>(&v)) return *s;
  return "<double>";
}

template <class T>
std::string message_of(const Outcome<T>& o) {
  return o ? std::string("<ok>") : o.error().message;
}

}  // namespace yimei::test
