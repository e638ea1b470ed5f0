// Unit tests of core/entry's argument parsers: every accepted form and every refusal message.
#include <gtest/gtest.h>

#include "core/entry/input.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry {
namespace {

const Date kToday = *parse_date("2026-06-30");

std::string error_of(const auto& outcome) {
  return outcome ? std::string("<ok>") : outcome.error().message;
}

TEST(EntryInput, AmountAcceptsCommonForms) {
  EXPECT_EQ(parse_amount("1200")->to_string(), "1200.00");
  EXPECT_EQ(parse_amount("1,200.5")->to_string(), "1200.50");
  EXPECT_EQ(parse_amount("¥88")->to_string(), "88.00");
  EXPECT_EQ(parse_amount("￥88.8元")->to_string(), "88.80");
  EXPECT_EQ(parse_amount(" 0.01 ")->to_string(), "0.01");
  EXPECT_EQ(parse_amount("1000000")->to_string(), "1000000.00");
  EXPECT_EQ(parse_amount("12.500")->to_string(), "12.50");  // trailing zero is not a 3rd decimal
}

TEST(EntryInput, AmountRefusals) {
  EXPECT_EQ(error_of(parse_amount("")), "请写上金额。");
  EXPECT_EQ(error_of(parse_amount("0")), "金额必须大于 0。");
  EXPECT_EQ(error_of(parse_amount("0.00")), "金额必须大于 0。");
  EXPECT_EQ(error_of(parse_amount("-5")), "金额必须大于 0。");
  EXPECT_EQ(error_of(parse_amount("12.345")), "金额最多只能有两位小数。");
  EXPECT_EQ(error_of(parse_amount("1000000.01")), "金额不能超过 1,000,000.00 元。");
  EXPECT_EQ(error_of(parse_amount("99999999999999999999")), "金额不能超过 1,000,000.00 元。");
  EXPECT_EQ(error_of(parse_amount("abc")), "金额“abc”不是有效的数字。");
  EXPECT_EQ(error_of(parse_amount("1e6")), "金额“1e6”不是有效的数字。");
  EXPECT_EQ(error_of(parse_amount("NaN")), "金额“NaN”不是有效的数字。");
  EXPECT_EQ(parse_amount("abc").error().kind, ErrorKind::BadInput);
}

TEST(EntryInput, Quantity) {
  EXPECT_EQ(*parse_quantity(""), 1);
  EXPECT_EQ(*parse_quantity("3"), 3);
  EXPECT_EQ(*parse_quantity("2次"), 2);
  EXPECT_EQ(*parse_quantity("999"), 999);
  const std::string m = "数量必须是 1 到 999 之间的整数。";
  EXPECT_EQ(error_of(parse_quantity("0")), m);
  EXPECT_EQ(error_of(parse_quantity("1000")), m);
  EXPECT_EQ(error_of(parse_quantity("-1")), m);
  EXPECT_EQ(error_of(parse_quantity("1.5")), m);
  EXPECT_EQ(error_of(parse_quantity("两")), m);
}

TEST(EntryInput, Dates) {
  EXPECT_EQ(format_date(*parse_entry_date("", kToday)), "2026-06-30");
  EXPECT_EQ(format_date(*parse_entry_date("2026-06-01", kToday)), "2026-06-01");
  EXPECT_EQ(format_date(*parse_entry_date("2026/6/1", kToday)), "2026-06-01");
  EXPECT_EQ(format_date(*parse_entry_date("20260601", kToday)), "2026-06-01");
  EXPECT_EQ(format_date(*parse_entry_date("2026年6月1日", kToday)), "2026-06-01");
  EXPECT_EQ(format_date(*parse_entry_date("6月1日", kToday)), "2026-06-01");
  EXPECT_EQ(format_date(*parse_entry_date("6-1", kToday)), "2026-06-01");
  EXPECT_EQ(format_date(*parse_entry_date("昨天", kToday)), "2026-06-29");
  EXPECT_EQ(format_date(*parse_entry_date("前天", kToday)), "2026-06-28");
  EXPECT_EQ(format_date(*parse_entry_date("今天", kToday)), "2026-06-30");
  EXPECT_EQ(error_of(parse_entry_date("2026-07-01", kToday)), "日期不能晚于今天（2026-06-30）。");
  EXPECT_EQ(error_of(parse_entry_date("7月1日", kToday)), "日期不能晚于今天（2026-06-30）。");
  EXPECT_EQ(error_of(parse_entry_date("2026-02-30", kToday)),
            "日期“2026-02-30”无法识别，请写成 2026-06-30 这样的格式。");
  EXPECT_EQ(error_of(parse_entry_date("明天吧", kToday)),
            "日期“明天吧”无法识别，请写成 2026-06-30 这样的格式。");
}

TEST(EntryInput, PaymentMethods) {
  EXPECT_EQ(*parse_payment_method(""), "微信");
  for (const std::string& m : payment_methods()) EXPECT_EQ(*parse_payment_method(m), m);
  EXPECT_EQ(*parse_payment_method("刷卡"), "银行卡");
  EXPECT_EQ(*parse_payment_method("Alipay"), "支付宝");
  EXPECT_EQ(*parse_payment_method("会员卡"), "储值卡");
  EXPECT_EQ(error_of(parse_payment_method("比特币")),
            "支付方式“比特币”无法识别，可用：现金、微信、支付宝、银行卡、储值卡。");
}

TEST(EntryInput, Phones) {
  EXPECT_EQ(*parse_phone("13800138000"), "13800138000");
  EXPECT_EQ(*parse_phone("138-0013-8000"), "13800138000");
  EXPECT_EQ(*parse_phone("+86 138 0013 8000"), "13800138000");
  EXPECT_EQ(*parse_phone("8613800138000"), "13800138000");
  EXPECT_EQ(error_of(parse_phone("")), "请写上手机号。");
  EXPECT_EQ(error_of(parse_phone("12800138000")), "手机号“12800138000”不是有效的 11 位手机号。");
  EXPECT_EQ(error_of(parse_phone("1380013800")), "手机号“1380013800”不是有效的 11 位手机号。");
  EXPECT_FALSE(as_phone("C000123"));
  EXPECT_FALSE(as_phone("张三"));
}

TEST(EntryInput, Names) {
  EXPECT_EQ(*parse_person_name(" 张三 "), "张三");
  EXPECT_EQ(*parse_person_name("阿卜杜·热合曼"), "阿卜杜·热合曼");
  EXPECT_EQ(*parse_person_name("Anna Li"), "Anna Li");
  EXPECT_EQ(error_of(parse_person_name("")), "请写上顾客姓名。");
  const std::string bad = "姓名只能包含文字、字母、空格和“·”。";
  EXPECT_EQ(error_of(parse_person_name("'; DROP TABLE customers; --")), bad);
  EXPECT_EQ(error_of(parse_person_name("张三123")), bad);
  EXPECT_EQ(error_of(parse_person_name("张三，李四")), bad);
  EXPECT_EQ(error_of(parse_person_name(std::string(10240, 'a'))), "姓名太长了（最多 32 个字）。");
}

TEST(EntryInput, TagsAndLevels) {
  EXPECT_FALSE(*parse_tags(""));
  EXPECT_EQ(**parse_tags("敏感肌，过敏史、敏感肌"), "敏感肌,过敏史");
  EXPECT_EQ(**parse_tags(" 痘痘肌 ; 干皮 "), "痘痘肌,干皮");
  std::string many;
  for (int i = 0; i < 100; ++i) many += "标签" + std::to_string(i) + ",";
  EXPECT_EQ(error_of(parse_tags(many)), "健康标签太长了（最多 255 个字）。");
  const std::vector<std::string> levels{"普通", "银卡", "金卡", "钻石", "黑卡"};
  EXPECT_EQ(*parse_level("", levels), "普通");
  EXPECT_EQ(*parse_level("黑卡", levels), "黑卡");
  EXPECT_EQ(*parse_level("金卡会员", levels), "金卡");
  EXPECT_EQ(error_of(parse_level("铂金", levels)),
            "会员等级“铂金”无法识别，可用：普通、银卡、金卡、钻石、黑卡。");
}

}  // namespace
}  // namespace yimei::entry
