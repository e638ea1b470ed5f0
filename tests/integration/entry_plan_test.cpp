// Integration tests of planning (/建档, /消费, /划扣): the exact preview of each happy path and
// the exact message of every bad input, with the database checked unchanged each time.
#include "tests/integration/entry_support.hpp"

namespace yimei::test {
namespace {

using entry::NewCustomerArgs;
using entry::PurchaseArgs;
using entry::WriteOffArgs;

class EntryPlan : public EntryDb {
 protected:
  std::string new_customer_error(const NewCustomerArgs& a, const entry::Actor& who) {
    auto c = db_.pool().acquire();
    return message_of(entry::plan_new_customer(*c, a, who, kEntryToday));
  }
  std::string purchase_error(const PurchaseArgs& a, const entry::Actor& who = manager_actor()) {
    auto c = db_.pool().acquire();
    return message_of(entry::plan_purchase(*c, a, who, kEntryToday));
  }
  std::string write_off_error(const WriteOffArgs& a, const entry::Actor& who = manager_actor()) {
    auto c = db_.pool().acquire();
    return message_of(entry::plan_write_off(*c, a, who, kEntryToday));
  }
};

const std::string kSqlArg = "'; DROP TABLE customers; --";
const std::string kHugeArg(10240, 'z');

TEST_F(EntryPlan, NewCustomerPreview) {
  const std::string before = entry_fingerprint(db_);
  auto c = db_.pool().acquire();
  NewCustomerArgs a{"钱八", "137 0000 0008", "陈思", "金卡", "敏感肌，过敏史", ""};
  auto p = entry::plan_new_customer(*c, a, manager_actor(), kEntryToday);
  ASSERT_TRUE(p) << message_of(p);
  EXPECT_EQ(p->action, "new-customer");
  EXPECT_EQ(p->preview_zh,
            "新建顾客档案：\n姓名：钱八\n手机：13700000008\n会员等级：金卡\n"
            "专属咨询师：陈思（K02）\n健康标签：敏感肌,过敏史\n注册日期：2026-06-30");
  EXPECT_EQ(p->data.at("phone").as_string(), "13700000008");
  EXPECT_EQ(p->data.at("consultant_id").as_string(), "K02");
  EXPECT_EQ(entry_fingerprint(*c, true), before);
}

TEST_F(EntryPlan, NewCustomerByConsultantGetsThemselves) {
  auto c = db_.pool().acquire();
  auto p = entry::plan_new_customer(*c, {"钱八", "13700000008", "", "", "", ""}, lin_actor(),
                                    kEntryToday);
  ASSERT_TRUE(p) << message_of(p);
  EXPECT_EQ(p->data.at("consultant_id").as_string(), "K01");
  EXPECT_EQ(p->data.at("membership_level").as_string(), "普通");
  EXPECT_TRUE(p->data.at("health_tags").is_null());
  EXPECT_NE(p->preview_zh.find("手机：137****0008"), std::string::npos);  // consultants: masked
  EXPECT_EQ(new_customer_error({"钱八", "13700000008", "陈思", "", "", ""}, lin_actor()),
            "咨询师只能为自己名下建档。");
}

TEST_F(EntryPlan, NewCustomerSameNameHintAndLevelsFromData) {
  db_.run_script(
      "INSERT INTO customers (customer_id, name, phone, register_date, membership_level) VALUES "
      "('V001', '周九', '13600000009', '2026-01-01', '黑卡');");
  auto c = db_.pool().acquire();
  auto p = entry::plan_new_customer(*c, {"张三", "13700000008", "", "黑卡", "", "2026-06-01"},
                                    manager_actor(), kEntryToday);
  ASSERT_TRUE(p) << message_of(p);
  EXPECT_EQ(p->data.at("membership_level").as_string(), "黑卡");
  EXPECT_EQ(p->data.at("register_date").as_string(), "2026-06-01");
  EXPECT_NE(p->preview_zh.find("提示：已有 1 位顾客也叫张三，以后请用手机号或编号区分。"),
            std::string::npos);
}

TEST_F(EntryPlan, NewCustomerBadInputs) {
  const std::string before = entry_fingerprint(db_);
  const auto m = manager_actor();
  EXPECT_EQ(new_customer_error({"", "13700000008", "", "", "", ""}, m), "请写上顾客姓名。");
  EXPECT_EQ(new_customer_error({kSqlArg, "13700000008", "", "", "", ""}, m),
            "姓名只能包含文字、字母、空格和“·”。");
  EXPECT_EQ(new_customer_error({kHugeArg, "13700000008", "", "", "", ""}, m),
            "姓名太长了（最多 32 个字）。");
  EXPECT_EQ(new_customer_error({"钱八", "", "", "", "", ""}, m), "请写上手机号。");
  EXPECT_EQ(new_customer_error({"钱八", "1370000000", "", "", "", ""}, m),
            "手机号“1370000000”不是有效的 11 位手机号。");
  EXPECT_EQ(new_customer_error({"钱八", kSqlArg, "", "", "", ""}, m),
            "手机号“'; DROP TABLE custom…”不是有效的 11 位手机号。");
  EXPECT_EQ(new_customer_error({"钱八", "13800000001", "", "", "", ""}, m),
            "手机号 13800000001 已登记给顾客 张三（U001）。");
  EXPECT_EQ(new_customer_error({"钱八", "13800000001", "", "", "", ""}, lin_actor()),
            "手机号 138****0001 已经登记过，不能重复建档。");
  EXPECT_EQ(new_customer_error({"钱八", "13700000008", "王医生", "", "", ""}, m),
            "找不到咨询师“王医生”。");
  EXPECT_EQ(new_customer_error({"钱八", "13700000008", "林小雨", "", "", ""}, m),
            "有2位咨询师叫林小雨：K01（皮肤科）、K03（激光科）（请用编号）。");
  EXPECT_EQ(new_customer_error({"钱八", "13700000008", kHugeArg, "", "", ""}, m),
            "找不到咨询师“zzzzzzzzzzzzzzzzzzzz…”。");
  EXPECT_EQ(new_customer_error({"钱八", "13700000008", "", "铂金", "", ""}, m),
            "会员等级“铂金”无法识别，可用：普通、银卡、金卡、钻石。");
  EXPECT_EQ(new_customer_error({"钱八", "13700000008", "", "", "", "2026-07-01"}, m),
            "日期不能晚于今天（2026-06-30）。");
  EXPECT_EQ(new_customer_error({"钱八", "13700000008", "", "", "", ""}, viewer_actor()),
            "您的角色只能查询，不能录入或修改数据。");
  EXPECT_EQ(entry_fingerprint(db_), before);
}

TEST_F(EntryPlan, PurchasePreviewOfACard) {
  const std::string before = entry_fingerprint(db_);
  auto c = db_.pool().acquire();
  PurchaseArgs a;
  a.customer = "张三";
  a.product = "测试水光5次卡";
  a.amount = "4,500";
  auto p = entry::plan_purchase(*c, a, manager_actor(), kEntryToday);
  ASSERT_TRUE(p) << message_of(p);
  EXPECT_EQ(p->action, "purchase");
  EXPECT_EQ(p->preview_zh,
            "录入消费：\n"
            "顾客：张三（U001，13800000001）\n"
            "品项：测试水光5次卡（皮肤科 · 疗程卡，标准价 5,000.00 元）\n"
            "金额：4,500.00 元 · 数量 1 · 微信\n"
            "日期：2026-06-30 · 咨询师 林小雨（K01）\n"
            "新老客：老客\n"
            "余额：2,700.00 → 7,200.00 元，有效期至 2027-06-30");
  EXPECT_EQ(p->data.at("amount").as_string(), "4500.00");
  EXPECT_EQ(p->data.at("customer_id").as_string(), "U001");
  EXPECT_EQ(p->data.at("product_id").as_string(), "X02");
  EXPECT_EQ(p->data.at("date").as_string(), "2026-06-30");
  EXPECT_EQ(entry_fingerprint(*c, true), before);
}

TEST_F(EntryPlan, PurchasePreviewOfAFirstVisitWithOptions) {
  auto c = db_.pool().acquire();
  PurchaseArgs a{"13800000005", "X01", "298.5", "2", "支付宝", "2026-06-15", "K03"};
  auto p = entry::plan_purchase(*c, a, manager_actor(), kEntryToday);
  ASSERT_TRUE(p) << message_of(p);
  EXPECT_EQ(p->preview_zh,
            "录入消费：\n"
            "顾客：赵六（U005，13800000005）\n"
            "品项：测试清洁（皮肤科 · 单次，标准价 300.00 元）\n"
            "金额：298.50 元 · 数量 2 · 支付宝\n"
            "日期：2026-06-15 · 咨询师 林小雨（K03）\n"
            "新老客：新客（首次消费日）");
  EXPECT_EQ(p->data.at("consultant_id").as_string(), "K03");
  EXPECT_EQ(p->data.at("quantity").as_int64(), 2);
}

TEST_F(EntryPlan, PurchaseBadInputs) {
  const std::string before = entry_fingerprint(db_);
  auto args = [](std::string customer, std::string product, std::string amount,
                 std::string quantity = "", std::string method = "", std::string date = "") {
    return PurchaseArgs{customer, product, amount, quantity, method, date, ""};
  };
  EXPECT_EQ(purchase_error(args("", "X01", "100")), "请写上顾客（姓名、手机号或编号）。");
  EXPECT_EQ(purchase_error(args("张三丰", "X01", "100")), "找不到顾客“张三丰”。");
  EXPECT_EQ(purchase_error(args("王五", "X01", "100")),
            "有2位顾客叫王五：U003（13800000003）、U004（13900000004）（请用手机号或编号）。");
  EXPECT_EQ(purchase_error(args("李四", "X01", "100"), lin_actor()), "找不到您名下的顾客“李四”。");
  EXPECT_EQ(purchase_error(args(kSqlArg, "X01", "100")), "找不到顾客“'; DROP TABLE custom…”。");
  EXPECT_EQ(purchase_error(args(kHugeArg, "X01", "100")), "找不到顾客“zzzzzzzzzzzzzzzzzzzz…”。");
  EXPECT_EQ(purchase_error(args("张三", "", "100")), "请写上品项名称或编号。");
  EXPECT_EQ(purchase_error(args("张三", "热玛吉", "100")), "找不到品项“热玛吉”。");
  EXPECT_EQ(purchase_error(args("张三", kSqlArg, "100")), "找不到品项“'; DROP TABLE custom…”。");
  EXPECT_EQ(purchase_error(args("张三", kHugeArg, "100")), "找不到品项“zzzzzzzzzzzzzzzzzzzz…”。");
  EXPECT_EQ(purchase_error(args("张三", "测试水光", "100")),
            "有2个品项与“测试水光”相符：测试水光5次卡、测试水光针（请写完整名称或编号）。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "")), "请写上金额。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "-100")), "金额必须大于 0。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "0")), "金额必须大于 0。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "5000000")), "金额不能超过 1,000,000.00 元。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "100.123")), "金额最多只能有两位小数。");
  EXPECT_EQ(purchase_error(args("张三", "X01", kSqlArg)),
            "金额“'; DROP TABLE custom…”不是有效的数字。");
  EXPECT_EQ(purchase_error(args("张三", "X01", kHugeArg)),
            "金额“zzzzzzzzzzzzzzzzzzzz…”不是有效的数字。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "100", "0")), "数量必须是 1 到 999 之间的整数。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "100", "1000")), "数量必须是 1 到 999 之间的整数。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "100", "", "赊账")),
            "支付方式“赊账”无法识别，可用：现金、微信、支付宝、银行卡、储值卡。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "100", "", "", "2026-07-01")),
            "日期不能晚于今天（2026-06-30）。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "100", "", "", "2024-12-31")),
            "日期不能早于顾客的注册日期（2025-01-01）。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "100", "", "", kSqlArg)),
            "日期“'; DROP TABLE custom…”无法识别，请写成 2026-06-30 这样的格式。");
  EXPECT_EQ(purchase_error(args("张三", "X01", "100"), viewer_actor()),
            "您的角色只能查询，不能录入或修改数据。");
  PurchaseArgs other = args("张三", "X01", "100");
  other.consultant = "陈思";
  EXPECT_EQ(purchase_error(other, lin_actor()), "咨询师只能以自己的名义录入。");
  EXPECT_EQ(entry_fingerprint(db_), before);
}

TEST_F(EntryPlan, WriteOffPreviewUsesTheCardsSessionValue) {
  const std::string before = entry_fingerprint(db_);
  auto c = db_.pool().acquire();
  WriteOffArgs a;
  a.customer = "张三";
  a.product = "测试水光5次卡";
  auto p = entry::plan_write_off(*c, a, manager_actor(), kEntryToday);
  ASSERT_TRUE(p) << message_of(p);
  EXPECT_EQ(p->action, "write-off");
  // Sessions per card from the history (4,500 / 900 = 5): one session is 900.00.
  EXPECT_EQ(p->preview_zh,
            "划扣：\n"
            "顾客：张三（U001，13800000001）\n"
            "品项：测试水光5次卡（皮肤科 · 疗程卡）\n"
            "数量：1 次 · 划扣金额 900.00 元（每次 900.00 元）\n"
            "日期：2026-06-30 · 咨询师 林小雨（K01）\n"
            "余额：2,700.00 → 1,800.00 元（剩 2 次），有效期至 2027-01-10");
  EXPECT_EQ(p->data.at("amount").as_string(), "900.00");
  EXPECT_EQ(p->data.at("consume_record_id").as_int64(), 1);
  a.quantity = "3";
  EXPECT_EQ(
      entry::plan_write_off(*c, a, manager_actor(), kEntryToday)->data.at("amount").as_string(),
      "2700.00");
  EXPECT_EQ(entry_fingerprint(*c, true), before);
}

TEST_F(EntryPlan, WriteOffOfAPackageWithoutSessionCountNeedsAnAmount) {
  auto c = db_.pool().acquire();
  WriteOffArgs a{"李四", "测试年卡套餐", "", "", "", ""};
  EXPECT_EQ(message_of(entry::plan_write_off(*c, a, manager_actor(), kEntryToday)),
            "无法确定“测试年卡套餐”每次的划扣金额，请在命令里写明本次划扣的金额。");
  a.amount = "1500";
  auto p = entry::plan_write_off(*c, a, manager_actor(), kEntryToday);
  ASSERT_TRUE(p) << message_of(p);
  EXPECT_EQ(p->data.at("amount").as_string(), "1500.00");
  EXPECT_NE(p->preview_zh.find("余额：12,000.00 → 10,500.00 元，有效期至 2027-02-01"),
            std::string::npos)
      << p->preview_zh;
  EXPECT_EQ(p->data.at("consultant_id").as_string(), "K02");
}

TEST_F(EntryPlan, WriteOffRefusals) {
  const std::string before = entry_fingerprint(db_);
  auto args = [](std::string customer, std::string product, std::string quantity = "",
                 std::string date = "", std::string amount = "") {
    return WriteOffArgs{customer, product, quantity, date, amount, ""};
  };
  EXPECT_EQ(write_off_error(args("张三", "测试水光5次卡", "4")),
            "余额不足：测试水光5次卡 剩余 2,700.00 元，本次划扣需要 3,600.00 元。");
  EXPECT_EQ(write_off_error(args("张三", "测试水光5次卡", "", "", "2700.01")),
            "余额不足：测试水光5次卡 剩余 2,700.00 元，本次划扣需要 2,700.01 元。");
  EXPECT_EQ(write_off_error(args("孙七", "测试水光5次卡")),
            "该余额已于 2026-01-05 过期，不能划扣。");
  EXPECT_EQ(write_off_error(args("张三", "测试清洁")),
            "品项“测试清洁”的类型是单次，不是疗程卡或套餐，不能划扣。");
  EXPECT_EQ(write_off_error(args("张三", "测试精华")),
            "品项“测试精华”的类型是产品，不是疗程卡或套餐，不能划扣。");
  EXPECT_EQ(write_off_error(args("李四", "测试水光5次卡")),
            "顾客李四没有“测试水光5次卡”的余额，不能划扣。");
  EXPECT_EQ(write_off_error(args("张三", "测试水光5次卡", "0")),
            "数量必须是 1 到 999 之间的整数。");
  EXPECT_EQ(write_off_error(args("张三", "测试水光5次卡", "", "2026-07-01")),
            "日期不能晚于今天（2026-06-30）。");
  EXPECT_EQ(write_off_error(args("张三", "测试水光5次卡", "", "2026-01-09")),
            "日期不能早于这张卡的购买日期（2026-01-10）。");
  EXPECT_EQ(write_off_error(args("张三", "测试水光5次卡", "", "", "-1")), "金额必须大于 0。");
  EXPECT_EQ(write_off_error(args("张三", "测试水光5次卡", "", "", "1.001")),
            "金额最多只能有两位小数。");
  EXPECT_EQ(write_off_error(args(kSqlArg, "测试水光5次卡")), "找不到顾客“'; DROP TABLE custom…”。");
  EXPECT_EQ(write_off_error(args("张三", kHugeArg)), "找不到品项“zzzzzzzzzzzzzzzzzzzz…”。");
  EXPECT_EQ(write_off_error(args("李四", "测试年卡套餐"), lin_actor()),
            "找不到您名下的顾客“李四”。");
  EXPECT_EQ(write_off_error(args("张三", "测试水光5次卡"), viewer_actor()),
            "您的角色只能查询，不能录入或修改数据。");
  EXPECT_EQ(entry_fingerprint(db_), before);
}

}  // namespace
}  // namespace yimei::test
