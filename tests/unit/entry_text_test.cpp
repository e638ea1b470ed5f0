// Unit tests of core/entry's text helpers, role names, near matching and the session-value rule.
#include <gtest/gtest.h>

#include "core/entry/actor.hpp"
#include "core/entry/lookup.hpp"
#include "core/entry/session_value.hpp"
#include "core/entry/text.hpp"

namespace yimei::entry {
namespace {

Decimal dec(const char* s) {
  return Decimal::from_db(s);
}

TEST(EntryText, QuotingCutsLongArguments) {
  EXPECT_EQ(quote_arg("张三"), "“张三”");
  EXPECT_EQ(quote_arg("一二三四五六七八九十一二三四五六七八九十"),
            "“一二三四五六七八九十一二三四五六七八九十”");
  EXPECT_EQ(quote_arg("一二三四五六七八九十一二三四五六七八九十多"),
            "“一二三四五六七八九十一二三四五六七八九十…”");
  EXPECT_EQ(quote_arg(std::string(10240, 'x')), "“" + std::string(20, 'x') + "…”");
  EXPECT_EQ(quote_arg("a\nb"), "“a b”");
}

TEST(EntryText, MoneyAndPhones) {
  EXPECT_EQ(format_yuan(dec("1234567.5")), "1,234,567.50");
  EXPECT_EQ(format_yuan(dec("999")), "999.00");
  EXPECT_EQ(format_yuan(dec("-1200")), "-1,200.00");
  EXPECT_EQ(format_yuan(dec("0.005")), "0.01");
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(to_cents(dec("12.34")), 1234);
  EXPECT_EQ(from_cents(5).to_string(), "0.05");
  EXPECT_EQ(from_cents(-123456).to_string(), "-1234.56");
}

TEST(EntryText, Utf8) {
  EXPECT_EQ(utf8_length("水光5次卡"), 5u);
  EXPECT_TRUE(is_clean_text("正常文本 abc"));
  EXPECT_FALSE(is_clean_text("bad\x01"));
  EXPECT_FALSE(is_clean_text("\xE6\xB0"));  // cut multi-byte sequence
  EXPECT_EQ(trim("\xE3\x80\x80 张三 \t"), "张三");
}

TEST(EntryText, Roles) {
  EXPECT_EQ(parse_role("管理员"), Role::Admin);
  EXPECT_EQ(parse_role("Manager"), Role::Manager);
  EXPECT_EQ(parse_role("店长"), Role::Manager);
  EXPECT_EQ(parse_role("咨询师"), Role::Consultant);
  EXPECT_EQ(parse_role("只读"), Role::Viewer);
  EXPECT_FALSE(parse_role("boss"));
  EXPECT_EQ(role_code(Role::Consultant), "consultant");
  Actor viewer{"wecom", "u", Role::Viewer, std::nullopt, ""};
  Actor consultant{"wecom", "u", Role::Consultant, "E1", ""};
  Actor manager{"wecom", "u", Role::Manager, std::nullopt, ""};
  EXPECT_FALSE(may_write(viewer));
  EXPECT_TRUE(may_write(consultant));
  EXPECT_FALSE(may_see_phone(consultant));
  EXPECT_TRUE(may_see_phone(manager));
}

TEST(EntryText, EditDistanceAndCards) {
  EXPECT_EQ(edit_distance("水光补水针", "水光补水针"), 0u);
  EXPECT_EQ(edit_distance("水光补水针", "水光不水针"), 1u);
  EXPECT_EQ(edit_distance("水光补水", "水光补水针"), 1u);
  EXPECT_EQ(edit_distance("abc", "xyz"), 3u);
  EXPECT_TRUE(is_card_type("疗程卡"));
  EXPECT_TRUE(is_card_type("套餐"));
  EXPECT_FALSE(is_card_type("单次"));
  EXPECT_FALSE(is_card_type("产品"));
}

TEST(EntrySessions, NameStatesSessions) {
  EXPECT_EQ(sessions_in_name("水光补水针6次卡"), 6);
  EXPECT_EQ(sessions_in_name("祛痘净肤10次卡"), 10);
  EXPECT_EQ(sessions_in_name("祛痘十次卡"), 10);
  EXPECT_EQ(sessions_in_name("瘦脸针三次卡"), 3);
  EXPECT_EQ(sessions_in_name("光子二十四次年卡"), 24);
  EXPECT_FALSE(sessions_in_name("眼综合套餐"));
  EXPECT_FALSE(sessions_in_name("次卡"));
}

TEST(EntrySessions, OneLineIsWrittenOffToTheCent) {
  // 1,280.00 for 6 sessions: five of 213.33 and a last one of 213.35.
  std::vector<CardPurchase> lines{{11, dec("1280.00"), 1, "E1"}};
  Decimal spent = dec("0");
  for (int i = 0; i < 5; ++i) {
    auto v = value_of_sessions(lines, dec("1280.00"), spent, 6, dec("1280"), 1);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->amount.to_string(), "213.33");
    EXPECT_EQ(v->sessions_left, 6 - i);
    EXPECT_EQ(v->consume_record_id, 11);
    EXPECT_EQ(v->consultant_id, "E1");
    spent += v->amount;
  }
  auto last = value_of_sessions(lines, dec("1280.00"), spent, 6, dec("1280"), 1);
  EXPECT_EQ(last->amount.to_string(), "213.35");
  EXPECT_EQ(last->sessions_left, 1);
  // Two sessions at once from the start; all six give exactly the line.
  EXPECT_EQ(value_of_sessions(lines, dec("1280"), dec("0"), 6, dec("0"), 2)->amount.to_string(),
            "426.66");
  EXPECT_EQ(value_of_sessions(lines, dec("1280"), dec("0"), 6, dec("0"), 6)->amount.to_string(),
            "1280.00");
  // Asking for more than is left prices the rest at the line's rate (the caller refuses).
  EXPECT_EQ(value_of_sessions(lines, dec("1280"), dec("0"), 6, dec("0"), 7)->amount.to_string(),
            "1493.33");
}

TEST(EntrySessions, FirstInFirstOutOverLines) {
  // Two cards at different prices; the older one is used first, then the newer one.
  std::vector<CardPurchase> lines{{1, dec("3000"), 1, "A"}, {2, dec("4500"), 1, "B"}};
  auto v = value_of_sessions(lines, dec("7500"), dec("2400"), 5, dec("5000"), 1);
  EXPECT_EQ(v->amount.to_string(), "600.00");
  EXPECT_EQ(v->consume_record_id, 1);
  EXPECT_EQ(v->sessions_left, 6);  // 1 on the first card, 5 on the second
  // One left on the first card + one on the second: 600 + 900, linked to the first line.
  auto both = value_of_sessions(lines, dec("7500"), dec("2400"), 5, dec("5000"), 2);
  EXPECT_EQ(both->amount.to_string(), "1500.00");
  EXPECT_EQ(both->consume_record_id, 1);
  auto second = value_of_sessions(lines, dec("7500"), dec("3000"), 5, dec("5000"), 1);
  EXPECT_EQ(second->amount.to_string(), "900.00");
  EXPECT_EQ(second->consume_record_id, 2);
  EXPECT_EQ(second->consultant_id, "B");
}

TEST(EntrySessions, ImportedValueAndQuantities) {
  // A balance holding 2,000 more than its recorded line: drawn first, at the line's rate.
  std::vector<CardPurchase> lines{{7, dec("5000"), 2, std::nullopt}};  // 2 cards × 5 sessions
  auto v = value_of_sessions(lines, dec("7000"), dec("0"), 5, dec("6000"), 1);
  EXPECT_EQ(v->amount.to_string(), "500.00");
  EXPECT_FALSE(v->consume_record_id);
  EXPECT_EQ(v->sessions_left, 4 + 10);
  // No recorded line: standard price ÷ sessions.
  auto none = value_of_sessions({}, dec("3000"), dec("0"), 6, dec("3000"), 1);
  EXPECT_EQ(none->amount.to_string(), "500.00");
  EXPECT_FALSE(value_of_sessions({}, dec("3000"), dec("0"), 0, dec("3000"), 1));
  EXPECT_FALSE(value_of_sessions({}, dec("0"), dec("0"), 5, dec("3000"), 1));
}

}  // namespace
}  // namespace yimei::entry
