// Question normalization: NFKC, traditional to simplified, mentions, punctuation, spaces, and
// Chinese numerals to digits, including the fixed words that hold numerals but are not numbers.
#include "core/text2sql/normalize.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

using yimei::text2sql::normalize_question;
using yimei::text2sql::parse_number_word;

namespace {

struct Case {
  const char* in;
  const char* out;
};

void expect_all(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(normalize_question(c.in), c.out) << "input: " << c.in;
}

}  // namespace

TEST(T2sNormalize, NumeralsBecomeDigits) {
  expect_all({
      {"最近三个月划扣总额多少", "最近3个月划扣总额多少"},
      {"两周", "2周"},
      {"十二月", "12月"},
      {"第三季度", "第3季度"},
      {"一万五", "15000"},
      {"消费超过一万五的客户", "消费超过15000的客户"},
      {"1.5万", "15000"},
      {"5k", "5000"},
      {"5K以上", "5000以上"},
      {"2w", "20000"},
      {"两千", "2000"},
      {"百分之十", "10%"},
      {"百分之一点五", "1.5%"},
      {"百分之5", "5%"},
      {"前五", "前5"},
      {"本月开单数最多的前3名咨询师", "本月开单数最多的前3名咨询师"},
      {"十", "10"},
      {"十五", "15"},
      {"二十", "20"},
      {"一百零五", "105"},
      {"三千五", "3500"},
      {"两百五", "250"},
      {"一万五千五", "15500"},
      {"十万", "100000"},
      {"一亿两千万", "120000000"},
      {"1万5", "15000"},
      {"1万5000", "15000"},
      {"3千5百", "3500"},
      {"0.35万", "3500"},
      {"一点五万", "15000"},
      {"二零二五年三月", "2025年3月"},
      {"二〇二六年", "2026年"},
      {"两次以上光子嫩肤", "2次以上光子嫩肤"},
      {"今年卖得最好的三个疗程卡", "今年卖得最好的3个疗程卡"},
      {"周一", "周1"},
  });
}

TEST(T2sNormalize, FixedWordsWithNumeralsStayAsWritten) {
  expect_all({
      {"有余额但是一次都没划扣过的客户", "有余额但是一次都没划扣过的客户"},
      {"一次也没来过", "一次也没来过"},
      {"今年微信收款一共多少", "今年微信收款一共多少"},
      {"一共3单", "一共3单"},
      {"去年有卖、今年一单没卖的项目", "去年有卖,今年一单没卖的项目"},
      {"万一客户投诉", "万一客户投诉"},
      {"单一品项", "单一品项"},
      {"新客二开率", "新客二开率"},
      {"看一下上个月", "看一下上个月"},
      {"有一点贵", "有一点贵"},
      {"零售品项", "零售品项"},
      {"五官科", "五官科"},
      {"一起买的", "一起买的"},
      // Guarded fixed words give way to a real number.
      {"订单一万", "订单10000"},
      // Approximate amounts stay words.
      {"十几个", "十几个"},
      {"几十个", "几十个"},
      {"两三个", "两三个"},
      // Arabic numbers are never rewritten, nor digits inside identifiers and names.
      {"水光补水针6次卡", "水光补水针6次卡"},
      {"2025年3月", "2025年3月"},
      {"2026-06-01", "2026-06-01"},
      {"1.5", "1.5"},
      {"5kg", "5kg"},
      {"q1", "q1"},
  });
}

TEST(T2sNormalize, WidthCaseAndTraditionalChinese) {
  expect_all({
      {"ＡＢＣ１２３", "abc123"},
      {"Ｃ０００５０４ 这个客户哪天注册的", "c000504 这个客户哪天注册的"},
      {"C000504 这个客户哪天注册的，现在什么等级", "c000504 这个客户哪天注册的,现在什么等级"},
      {"上個月業績", "上个月业绩"},
      {"這週到目前來了多少個客戶消費", "这周到目前来了多少个客户消费"},
      {"VIP客戶", "vip客户"},
  });
}

TEST(T2sNormalize, PunctuationAndSpaces) {
  expect_all({
      {"多少？", "多少?"},
      {"皮肤科，注射科、激光科；", "皮肤科,注射科,激光科,"},
      {"注意：", "注意:"},
      {"好！", "好!"},
      {"今年卖得最好的三个疗程卡（按金额）", "今年卖得最好的3个疗程卡(按金额)"},
      {"“光子嫩肤”", "\"光子嫩肤\""},
      {"  上个月   业绩 \t\n", "上个月 业绩"},
      {"上个月\u3000业绩", "上个月 业绩"},
      {"1～3月", "1~3月"},
      {"1—3月", "1-3月"},
      {"完了。", "完了."},
  });
}

TEST(T2sNormalize, MentionsAreStripped) {
  expect_all({
      {"@小助手 上个月业绩", "上个月业绩"},
      {"@张三\u2005上个月业绩", "上个月业绩"},
      {"＠张三\u2005上个月业绩", "上个月业绩"},
      {"@机器人\u2005@张三\u2005今天开了几单", "今天开了几单"},
      {"上个月业绩 @张三", "上个月业绩"},
      {"请@李四 看一下", "请 看一下"},
      {"邮箱 a@b.com", "邮箱 a@b.com"},
  });
}

TEST(T2sNormalize, InvalidUtf8AndControlCharactersAreDropped) {
  EXPECT_EQ(normalize_question("上个月\xff业绩"), "上个月业绩");
  std::string truncated = "上个月\x01业绩";
  truncated += "\xe4\xb8";  // a character cut in half at the end
  EXPECT_EQ(normalize_question(truncated), "上个月业绩");
  EXPECT_EQ(normalize_question("业\u200b绩"), "业绩");
  EXPECT_EQ(normalize_question(""), "");
  EXPECT_EQ(normalize_question("   "), "");
}

TEST(T2sNormalize, ParseNumberWord) {
  EXPECT_EQ(parse_number_word("十二"), 12);
  EXPECT_EQ(parse_number_word("两"), 2);
  EXPECT_EQ(parse_number_word("一万五"), 15000);
  EXPECT_EQ(parse_number_word("1.5万"), 15000);
  EXPECT_EQ(parse_number_word("5k"), 5000);
  EXPECT_EQ(parse_number_word("5K"), 5000);
  EXPECT_EQ(parse_number_word("3千"), 3000);
  EXPECT_EQ(parse_number_word("15000"), 15000);
  EXPECT_EQ(parse_number_word("１２"), 12);
  EXPECT_EQ(parse_number_word("1.5"), 1.5);
  EXPECT_EQ(parse_number_word("一点五"), 1.5);
  EXPECT_EQ(parse_number_word("一亿两千万"), 120000000);
  EXPECT_EQ(parse_number_word("二零二五"), 2025);
  EXPECT_FALSE(parse_number_word("十二月"));
  EXPECT_FALSE(parse_number_word(""));
  EXPECT_FALSE(parse_number_word("abc"));
  EXPECT_FALSE(parse_number_word("百分之十"));
  EXPECT_FALSE(parse_number_word("千"));
  EXPECT_FALSE(parse_number_word("5kg"));
}

TEST(T2sNormalize, SafeFromManyThreads) {
  const std::string expected = "上个月业绩15000";
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        if (normalize_question("上個月業績一萬五") != expected) ++wrong[t];
    });
  }
  for (auto& th : threads) th.join();
  for (int w : wrong) EXPECT_EQ(w, 0);
}
