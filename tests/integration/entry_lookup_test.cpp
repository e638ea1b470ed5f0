// Integration tests of core/entry lookups and the customer profile on a hand-made clinic:
// customers by phone / id / name with consultant scoping and masked candidates, products by
// near match, consultants, and hostile arguments that must change nothing.
#include "tests/integration/entry_support.hpp"

namespace yimei::test {
namespace {

using entry::resolve_consultant;
using entry::resolve_customer;
using entry::resolve_product;

class EntryLookup : public EntryDb {};

TEST_F(EntryLookup, CustomerByPhoneIdAndName) {
  auto c = db_.pool().acquire();
  auto by_phone = resolve_customer(*c, "13800000002", manager_actor());
  ASSERT_TRUE(by_phone) << message_of(by_phone);
  EXPECT_EQ(by_phone->customer_id, "U002");
  EXPECT_EQ(by_phone->phone, "13800000002");
  auto by_dashed_phone = resolve_customer(*c, "138-0000-0002", manager_actor());
  EXPECT_EQ(by_dashed_phone->customer_id, "U002");
  auto by_id = resolve_customer(*c, "U006", manager_actor());
  EXPECT_EQ(by_id->name, "孙七");
  EXPECT_EQ(by_id->membership_level, "钻石");
  EXPECT_EQ(format_date(by_id->register_date), "2024-12-01");
  auto by_name = resolve_customer(*c, " 张三 ", viewer_actor());
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->customer_id, "U001");
  EXPECT_EQ(by_name->phone, "138****0001");  // viewers see masked phones
  EXPECT_EQ(by_name->consultant_id, "K01");
}

TEST_F(EntryLookup, AmbiguousNameListsCandidates) {
  auto c = db_.pool().acquire();
  auto m = resolve_customer(*c, "王五", manager_actor());
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::Ambiguous);
  EXPECT_EQ(m.error().message,
            "有2位顾客叫王五：U003（13800000003）、U004（13900000004）（请用手机号或编号）。");
  auto v = resolve_customer(*c, "王五", viewer_actor());
  EXPECT_EQ(v.error().message,
            "有2位顾客叫王五：U003（138****0003）、U004（139****0004）（请用手机号或编号）。");
  EXPECT_EQ(resolve_customer(*c, "13900000004", viewer_actor())->customer_id, "U004");
}

TEST_F(EntryLookup, ConsultantFindsOnlyOwnCustomers) {
  auto c = db_.pool().acquire();
  auto own = resolve_customer(*c, "王五", lin_actor());  // U003 is K01's, U004 is K02's
  ASSERT_TRUE(own) << message_of(own);
  EXPECT_EQ(own->customer_id, "U003");
  EXPECT_EQ(own->phone, "138****0003");
  EXPECT_EQ(resolve_customer(*c, "王五", chen_actor())->customer_id, "U004");
  for (const char* other : {"李四", "13800000002", "U002"}) {
    auto r = resolve_customer(*c, other, lin_actor());
    ASSERT_FALSE(r) << other;
    EXPECT_EQ(r.error().kind, ErrorKind::NotFound);
    EXPECT_EQ(r.error().message, std::string("找不到您名下的顾客“") + other + "”。");
  }
  entry::Actor unbound = lin_actor();
  unbound.consultant_id.reset();
  EXPECT_FALSE(resolve_customer(*c, "张三", unbound));
}

TEST_F(EntryLookup, MissingUnknownAndHostileCustomers) {
  const std::string before = entry_fingerprint(db_);
  auto c = db_.pool().acquire();
  EXPECT_EQ(message_of(resolve_customer(*c, "  ", manager_actor())),
            "请写上顾客（姓名、手机号或编号）。");
  EXPECT_EQ(message_of(resolve_customer(*c, "张三丰", manager_actor())), "找不到顾客“张三丰”。");
  EXPECT_EQ(message_of(resolve_customer(*c, "'; DROP TABLE customers; --", manager_actor())),
            "找不到顾客“'; DROP TABLE custom…”。");
  EXPECT_EQ(message_of(resolve_customer(*c, "' OR '1'='1", manager_actor())),
            "找不到顾客“' OR '1'='1”。");
  EXPECT_EQ(message_of(resolve_customer(*c, std::string(10240, 'a'), manager_actor())),
            "找不到顾客“aaaaaaaaaaaaaaaaaaaa…”。");
  EXPECT_EQ(message_of(resolve_customer(*c, "13800000099", manager_actor())),
            "找不到顾客“13800000099”。");
  EXPECT_EQ(entry_fingerprint(*c, true), before);
  EXPECT_EQ(scalar(db_, "SELECT COUNT(*) FROM customers"), "6");
}

TEST_F(EntryLookup, ProductsExactNearAndAmbiguous) {
  auto c = db_.pool().acquire();
  EXPECT_EQ(resolve_product(*c, "测试水光针")->product_id, "X05");  // exact beats substring
  EXPECT_EQ(resolve_product(*c, "X03")->product_name, "测试年卡套餐");
  auto card = resolve_product(*c, "测试水光5次卡");
  EXPECT_EQ(card->product_type, "疗程卡");
  EXPECT_EQ(card->department, "皮肤科");
  EXPECT_EQ(card->standard_price.to_string(), "5000.00");
  EXPECT_EQ(resolve_product(*c, "年卡")->product_id, "X03");           // unique substring
  EXPECT_EQ(resolve_product(*c, "测试水光5次咔")->product_id, "X02");  // one character off
  EXPECT_EQ(resolve_product(*c, "测试精")->product_id, "X04");
  auto amb = resolve_product(*c, "测试水光");
  ASSERT_FALSE(amb);
  EXPECT_EQ(amb.error().kind, ErrorKind::Ambiguous);
  EXPECT_EQ(amb.error().message,
            "有2个品项与“测试水光”相符：测试水光5次卡、测试水光针（请写完整名称或编号）。");
  EXPECT_EQ(message_of(resolve_product(*c, "玻尿酸")), "找不到品项“玻尿酸”。");
  EXPECT_EQ(message_of(resolve_product(*c, "")), "请写上品项名称或编号。");
  EXPECT_EQ(message_of(resolve_product(*c, "'; DROP TABLE customers; --")),
            "找不到品项“'; DROP TABLE custom…”。");
  EXPECT_EQ(message_of(resolve_product(*c, std::string(10240, 'b'))),
            "找不到品项“bbbbbbbbbbbbbbbbbbbb…”。");
}

TEST_F(EntryLookup, Consultants) {
  auto c = db_.pool().acquire();
  EXPECT_EQ(resolve_consultant(*c, "K02")->name, "陈思");
  EXPECT_EQ(resolve_consultant(*c, "陈思")->consultant_id, "K02");
  auto amb = resolve_consultant(*c, "林小雨");
  ASSERT_FALSE(amb);
  EXPECT_EQ(amb.error().kind, ErrorKind::Ambiguous);
  EXPECT_EQ(amb.error().message, "有2位咨询师叫林小雨：K01（皮肤科）、K03（激光科）（请用编号）。");
  EXPECT_EQ(message_of(resolve_consultant(*c, "王医生")), "找不到咨询师“王医生”。");
}

TEST_F(EntryLookup, ProfileOfACustomer) {
  auto c = db_.pool().acquire();
  auto p = entry::customer_profile(*c, "张三", manager_actor(), kEntryToday);
  ASSERT_TRUE(p) << message_of(p);
  EXPECT_EQ(p->lifetime_spend.to_string(), "4800.00");
  EXPECT_EQ(p->purchase_lines, 2);
  EXPECT_EQ(p->visit_days, 3);  // 01-10 purchase, 02-01 and 03-01 write-offs
  ASSERT_EQ(p->balances.size(), 1u);
  EXPECT_EQ(p->balances[0].remaining.to_string(), "2700.00");
  EXPECT_EQ(p->text_zh,
            "顾客档案：张三（U001）\n"
            "手机：13800000001\n"
            "会员等级：金卡 · 专属咨询师：林小雨（K01）\n"
            "注册日期：2025-01-01 · 最近到店：2026-03-01\n"
            "健康标签：敏感肌\n"
            "累计消费：4,800.00 元，共 2 笔，到店 3 天（首次 2026-01-10，最近 2026-01-10）\n"
            "未划扣余额：合计 2,700.00 元\n"
            "· 测试水光5次卡：剩余 2,700.00 元（已划扣 1,800.00 / 4,500.00），有效期至 2027-01-10");
  // as_of before the purchase: nothing spent yet.
  auto early = entry::customer_profile(*c, "U001", manager_actor(), *parse_date("2025-12-31"));
  EXPECT_EQ(early->lifetime_spend.to_string(), "0.00");
  EXPECT_EQ(early->visit_days, 0);
}

TEST_F(EntryLookup, ProfileMasksAndScopes) {
  auto c = db_.pool().acquire();
  auto lin = entry::customer_profile(*c, "孙七", lin_actor(), kEntryToday);
  ASSERT_TRUE(lin) << message_of(lin);
  EXPECT_NE(lin->text_zh.find("手机：138****0006"), std::string::npos) << lin->text_zh;
  EXPECT_NE(lin->text_zh.find("未划扣余额：合计 0.00 元（另有已过期 4,000.00 元）"),
            std::string::npos)
      << lin->text_zh;
  EXPECT_NE(lin->text_zh.find("已于 2026-01-05 过期"), std::string::npos);
  EXPECT_TRUE(lin->balances.at(0).expired);
  EXPECT_EQ(message_of(entry::customer_profile(*c, "孙七", chen_actor(), kEntryToday)),
            "找不到您名下的顾客“孙七”。");
  auto none = entry::customer_profile(*c, "赵六", manager_actor(), kEntryToday);
  EXPECT_NE(none->text_zh.find("累计消费：0.00 元，共 0 笔，到店 0 天\n未划扣余额：无"),
            std::string::npos)
      << none->text_zh;
}

}  // namespace
}  // namespace yimei::test
