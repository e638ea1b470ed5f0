// The rules engine on a second, synthetic clinic built here (other departments, products,
// consultants, customers, membership levels), asked in that clinic's words: the engine knows
// no catalog of its own, so every name comes from this database. Answers are compared by
// result set with gold SQL written for this data.
#include <gtest/gtest.h>

#include <iostream>

#include "core/db/readonly.hpp"
#include "core/text2sql/engine.hpp"
#include "tests/integration/t2s_engine_harness.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

// Deterministic data from MariaDB's sequence tables: 5 consultants, 8 products, 40 customers,
// 300 consumption records over 2025-01-01..2026-06-29, balances for the cards and write-offs.
const char* kClinicB = R"SQL(
INSERT INTO consultants (consultant_id, name, department) VALUES
 ('B01','林晓雨','美肤中心'),('B02','周佳怡','美肤中心'),('B03','郑敏','微整形科'),
 ('B04','陈思远','抗衰老中心'),('B05','许诺','抗衰老中心');
INSERT INTO medical_products (product_id, product_name, department, product_type, standard_price) VALUES
 ('Q01','超皮秒祛斑','美肤中心','单次',3680.00),('Q02','水光补水针','美肤中心','单次',1880.00),
 ('Q03','水光补水针6次卡','美肤中心','疗程卡',9800.00),('Q04','玻尿酸填充','微整形科','单次',5800.00),
 ('Q05','热玛吉五代','抗衰老中心','单次',19800.00),('Q06','抗衰年卡','抗衰老中心','套餐',39800.00),
 ('Q07','修护精华液','美肤中心','产品',380.00),('Q08','瘦脸针剂','微整形科','单次',2680.00);
INSERT INTO customers (customer_id, name, phone, register_date, last_visit_date, consultant_id, health_tags, membership_level)
 SELECT CONCAT('K', LPAD(seq, 4, '0')),
        ELT(seq % 20 + 1, '孙小美','赵一鸣','钱嘉怡','冯晓彤','蒋雨桐','韩梦洁','秦思远','尤佳','许晴','何欢',
                          '吕婷婷','施雅','张可','孔维','曹琳','严悦','华思琪','金露','魏然','陶乐'),
        CONCAT('1390000', LPAD(seq, 4, '0')), DATE_ADD('2024-12-01', INTERVAL seq * 7 DAY), NULL,
        ELT(seq % 5 + 1, 'B01','B02','B03','B04','B05'),
        CASE WHEN seq % 3 = 0 THEN '敏感肌' WHEN seq % 5 = 0 THEN '过敏史,敏感肌' ELSE NULL END,
        ELT(seq % 4 + 1, '普通','银卡','金卡','钻石')
 FROM seq_1_to_40;
INSERT INTO consumption_records (customer_id, consume_date, amount, department, is_new_customer, consultant_id, product_id, quantity, payment_method)
 SELECT CONCAT('K', LPAD(seq % 40 + 1, 4, '0')), DATE_ADD('2025-01-01', INTERVAL (seq * 37) % 545 DAY),
        ELT(seq % 8 + 1, 3500, 1800, 9500, 5600, 19000, 38000, 360, 2500) + (seq % 7) * 10,
        ELT(seq % 8 + 1, '美肤中心','美肤中心','美肤中心','微整形科','抗衰老中心','抗衰老中心','美肤中心','微整形科'),
        0, ELT((seq % 40 + 1) % 5 + 1, 'B01','B02','B03','B04','B05'),
        CONCAT('Q0', seq % 8 + 1), 1 + seq % 2, ELT(seq % 5 + 1, '现金','微信','支付宝','银行卡','储值卡')
 FROM seq_1_to_300;
UPDATE consumption_records r JOIN (SELECT customer_id, MIN(consume_date) AS f FROM consumption_records GROUP BY customer_id) x
 ON x.customer_id = r.customer_id AND r.consume_date = x.f SET r.is_new_customer = 1;
INSERT INTO unspent_balances (customer_id, product_id, total_amount, spent_amount, expiration_date)
 SELECT customer_id, product_id, SUM(amount), 0, DATE_ADD(MAX(consume_date), INTERVAL 365 DAY)
 FROM consumption_records WHERE product_id IN ('Q03','Q06') GROUP BY customer_id, product_id;
INSERT INTO write_off_records (customer_id, write_off_date, amount, department, product_id, quantity, consultant_id)
 SELECT b.customer_id, DATE_ADD('2025-06-01', INTERVAL (b.balance_id * 29) % 390 DAY), ROUND(b.total_amount / 6, 2),
        p.department, b.product_id, 1, c.consultant_id
 FROM unspent_balances b JOIN medical_products p ON p.product_id = b.product_id JOIN customers c ON c.customer_id = b.customer_id
 WHERE b.balance_id % 3 <> 0;
UPDATE unspent_balances b JOIN (SELECT customer_id, product_id, SUM(amount) AS s, MAX(write_off_date) AS d FROM write_off_records GROUP BY customer_id, product_id) w
 ON w.customer_id = b.customer_id AND w.product_id = b.product_id SET b.spent_amount = w.s, b.last_write_off_date = w.d;
)SQL";

struct Case {
  const char* question;
  const char* gold;
  bool order_matters = false;
};

const Case kCases[] = {
    {"美肤中心有哪几位老师", "SELECT name FROM consultants WHERE department = '美肤中心'"},
    {"今年超皮秒卖了多少钱",
     "SELECT SUM(r.amount) FROM consumption_records r JOIN medical_products p ON p.product_id = "
     "r.product_id WHERE p.product_name = '超皮秒祛斑' AND r.consume_date BETWEEN '2026-01-01' AND "
     "'2026-06-30'"},
    {"林晓语名下有几个钻石客户",
     "SELECT COUNT(*) FROM customers WHERE consultant_id = 'B01' AND membership_level = '钻石'"},
    {"去年每个科室的营业额",
     "SELECT department, SUM(amount) FROM consumption_records WHERE consume_date BETWEEN "
     "'2025-01-01' AND '2025-12-31' GROUP BY department"},
    {"去年业绩最高的两位顾问",
     "SELECT s.name FROM consumption_records r JOIN consultants s ON s.consultant_id = "
     "r.consultant_id WHERE r.consume_date BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY "
     "s.consultant_id, s.name ORDER BY SUM(r.amount) DESC LIMIT 2",
     true},
    {"从来没买过疗程卡的金卡客户有几位",
     "SELECT COUNT(*) FROM customers c WHERE c.membership_level = '金卡' AND NOT EXISTS (SELECT 1 "
     "FROM consumption_records r JOIN medical_products p ON p.product_id = r.product_id WHERE "
     "r.customer_id = c.customer_id AND p.product_type = '疗程卡')"},
    {"抗衰老中心今年的耗卡金额",
     "SELECT SUM(amount) FROM write_off_records WHERE department = '抗衰老中心' AND "
     "write_off_date BETWEEN '2026-01-01' AND '2026-06-30'"},
    {"今年上半年业绩同比增长率",
     "SELECT ((SELECT SUM(amount) FROM consumption_records WHERE consume_date BETWEEN "
     "'2026-01-01' AND '2026-06-30') - (SELECT SUM(amount) FROM consumption_records WHERE "
     "consume_date BETWEEN '2025-01-01' AND '2025-06-30')) / (SELECT SUM(amount) FROM "
     "consumption_records WHERE consume_date BETWEEN '2025-01-01' AND '2025-06-30')"},
    {"未划扣余额最多的3位客户",
     "SELECT c.name FROM unspent_balances b JOIN customers c ON c.customer_id = b.customer_id "
     "GROUP BY c.customer_id, c.name ORDER BY SUM(b.total_amount - b.spent_amount) DESC LIMIT 3",
     true},
    {"今年来店2次以上的顾客有多少",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM consumption_records WHERE consume_date "
     "BETWEEN '2026-01-01' AND '2026-06-30' GROUP BY customer_id HAVING COUNT(DISTINCT "
     "consume_date) >= 2) t"},
    {"孙小美今年消费了多少",
     "SELECT SUM(r.amount) FROM consumption_records r JOIN customers c ON c.customer_id = "
     "r.customer_id WHERE c.name = '孙小美' AND r.consume_date BETWEEN '2026-01-01' AND "
     "'2026-06-30'"},
    {"有敏感肌的客户有几个",
     "SELECT COUNT(*) FROM customers WHERE FIND_IN_SET('敏感肌', health_tags) > 0"},
    {"去年每个月的新客数",
     "SELECT DATE_FORMAT(consume_date, '%Y-%m'), COUNT(DISTINCT customer_id) FROM "
     "consumption_records WHERE is_new_customer = 1 AND consume_date BETWEEN '2025-01-01' AND "
     "'2025-12-31' GROUP BY DATE_FORMAT(consume_date, '%Y-%m')"},
    {"热玛吉今年卖了几单",
     "SELECT COUNT(*) FROM consumption_records WHERE product_id = 'Q05' AND consume_date BETWEEN "
     "'2026-01-01' AND '2026-06-30'"},
    {"微整形今年的流水",
     "SELECT SUM(amount) FROM consumption_records WHERE department = '微整形科' AND consume_date "
     "BETWEEN '2026-01-01' AND '2026-06-30'"},
    {"水光6次卡还没用完的客户有多少",
     "SELECT COUNT(DISTINCT customer_id) FROM unspent_balances WHERE product_id = 'Q03' AND "
     "total_amount > spent_amount"},
    {"最近30天一次都没来消费过的钻石客户有几位",
     "SELECT COUNT(*) FROM customers c WHERE c.membership_level = '钻石' AND NOT EXISTS (SELECT 1 "
     "FROM consumption_records r WHERE r.customer_id = c.customer_id AND r.consume_date BETWEEN "
     "'2026-06-01' AND '2026-06-30')"},
    {"标价1万以上的项目有哪些",
     "SELECT product_name, standard_price FROM medical_products WHERE standard_price >= 10000"},
};

}  // namespace

TEST(T2sEngineOtherClinic, QuestionsInAnotherClinicsWordsMatchGold) {
  yimei::test::ScratchDatabase sdb;
  sdb.run_script(kClinicB);
  db::DbConfig ro_cfg = yimei::test::env_readonly_config(sdb.name());
  db::ConnectionPool ro(ro_cfg);
  EntityIndex index(sdb.pool(), std::chrono::seconds(60));
  EngineConfig cfg;
  cfg.limits.max_rows = 1000;
  cfg.database = sdb.name();
  Engine engine(ro, index, cfg);
  int passed = 0;
  for (const Case& c : kCases) {
    AskRequest req;
    req.question = c.question;
    req.as_of = *parse_date("2026-06-30");
    req.mode = EngineMode::Rules;
    Outcome<Answer> a = engine.ask(req);
    ASSERT_TRUE(a) << c.question << ": " << a.error().message;
    ASSERT_TRUE(a->answered()) << c.question << ": " << a->clarification->message;
    Table gold;
    {
      auto conn = sdb.pool().acquire();
      gold = conn->query(c.gold);
    }
    const bool same = yimei::test::same_result(a->table, gold, c.order_matters);
    EXPECT_TRUE(same) << c.question << "\n  mine " << yimei::test::preview(a->table) << "\n  gold "
                      << yimei::test::preview(gold) << "\n  sql " << a->sql;
    EXPECT_FALSE(gold.rows.empty()) << c.question << ": the gold answer should not be empty";
    passed += same ? 1 : 0;
  }
  std::cout << "other clinic: " << passed << "/" << std::size(kCases) << "\n";
}
