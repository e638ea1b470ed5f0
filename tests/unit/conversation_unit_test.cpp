// Conversation core pieces without a database: argument splitting, @-mention stripping, the
// command registry, the rate limiter and the outbox payload round trip.
#include <gtest/gtest.h>

#include "bot/channel.hpp"
#include "bot/rate_limiter.hpp"
#include "bot/router.hpp"

using namespace yimei;
using namespace yimei::bot;

TEST(Conversation, SplitsArgumentsOnSpacesAndChinesePunctuation) {
  EXPECT_EQ(split_args("张三，13800001111、 金卡；敏感肌"),
            (std::vector<std::string>{"张三", "13800001111", "金卡", "敏感肌"}));
  EXPECT_EQ(split_args("  a\u3000b  "), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(split_args("").empty());
}

TEST(Conversation, StripsMentionsAndNoise) {
  EXPECT_EQ(strip_mentions("@医美助手 上个月业绩"), "上个月业绩");
  EXPECT_EQ(strip_mentions("@医美助手\u2005/增长点 3"), "/增长点 3");
  EXPECT_EQ(strip_mentions("  你好\u200b "), "你好");
  EXPECT_EQ(strip_mentions("＠小美 查一下"), "查一下");
}

TEST(Conversation, FindsCommandsByNameAndAliasAndSuggestsTheClosest) {
  ASSERT_NE(find_command("增长点"), nullptr);
  EXPECT_EQ(find_command("growth"), find_command("增长点"));
  EXPECT_EQ(find_command("沉睡")->name, "不活跃");
  EXPECT_EQ(find_command("nope"), nullptr);
  EXPECT_EQ(closest_command("增长"), "增长点");
  EXPECT_EQ(closest_command("划口"), "划扣");
  EXPECT_EQ(closest_command("完全无关的很长的命令"), "");
}

TEST(Conversation, RateLimiterRefillsOverTime) {
  RateLimiter rl(60, 3);  // one a second, bursts of 3
  const auto t0 = RateLimiter::Clock::now();
  EXPECT_TRUE(rl.allow("u", t0));
  EXPECT_TRUE(rl.allow("u", t0));
  EXPECT_TRUE(rl.allow("u", t0));
  EXPECT_FALSE(rl.allow("u", t0));
  EXPECT_TRUE(rl.allow("other", t0));
  EXPECT_TRUE(rl.allow("u", t0 + std::chrono::milliseconds(1100)));
  EXPECT_FALSE(rl.allow("u", t0 + std::chrono::milliseconds(1200)));
  RateLimiter off(0, 0);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.allow("u"));
}

TEST(Conversation, ReplyPayloadRoundTrips) {
  Reply r;
  r.text = "共 3 位顾客";
  r.markdown = "**加粗**";
  r.chart_png = {0x89, 'P', 'N', 'G', 0, 1, 2, 255};
  r.files.push_back({"名单.csv", "text/csv", {0xEF, 0xBB, 0xBF, 'a'}});
  r.suggestions = {"确认", "取消"};
  r.is_error = true;
  Table t;
  t.columns.push_back(Column{
      .name = "amount", .label = "金额", .type = ColumnType::Decimal, .unit = ColumnUnit::Yuan});
  t.rows.push_back({Decimal::from_db("1234.5")});
  r.table = t;
  Reply back = reply_from_json(reply_to_json(r));
  EXPECT_EQ(back.text, r.text);
  EXPECT_EQ(back.markdown, r.markdown);
  EXPECT_EQ(back.chart_png, r.chart_png);
  ASSERT_EQ(back.files.size(), 1u);
  EXPECT_EQ(back.files[0].bytes, r.files[0].bytes);
  EXPECT_EQ(back.suggestions, r.suggestions);
  EXPECT_TRUE(back.is_error);
  ASSERT_TRUE(back.table);
  EXPECT_EQ(back.table->columns[0].name, "金额");
  EXPECT_EQ(std::get<Text>(back.table->rows[0][0]), "1,234.50");
  EXPECT_THROW(reply_from_json("{not json"), std::invalid_argument);
}

#include "bot/feedback_export.hpp"

TEST(Conversation, InlinesParametersOutsideStringsOnly) {
  const std::string sql =
      "SELECT '?' AS q, name FROM customers WHERE level = ? AND d >= ? AND n > ? -- ?";
  EXPECT_EQ(inline_params(sql, {std::string("金'卡"), *parse_date("2026-06-01"), std::int64_t{3}}),
            "SELECT '?' AS q, name FROM customers WHERE level = '金\\'卡' AND d >= '2026-06-01' "
            "AND n > 3 -- ?");
  EXPECT_EQ(inline_params("SELECT 1", {}), "SELECT 1");
}
