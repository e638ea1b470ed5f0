// Text: inline and shared texts read back exactly, copies share, and table cells take 24 bytes.
#include "core/text.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/table.hpp"

using yimei::Text;

TEST(Text, ReadsBackEveryLengthAroundTheInlineLimit) {
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + i % 26));
    const Text t(s);
    EXPECT_EQ(t.view(), s) << n;
    EXPECT_EQ(t.size(), n);
    EXPECT_EQ(t.empty(), n == 0);
    EXPECT_EQ(t.str(), s);
  }
  const std::string with_nul("a\0b", 3);
  EXPECT_EQ(Text(with_nul).view(), with_nul);
  EXPECT_EQ(Text("一二三四五").view(), "一二三四五");      // 15 bytes: inline
  EXPECT_EQ(Text("一二三四五六").view(), "一二三四五六");  // 18 bytes: shared
}

TEST(Text, CopiesAndMovesKeepTheText) {
  const std::string long_text = "即将到期、沉睡 — a text longer than the inline bytes";
  Text a(long_text);
  Text b = a;  // shares a's block
  EXPECT_EQ(a.data(), b.data());
  EXPECT_EQ(b.view(), long_text);
  Text c = std::move(a);
  EXPECT_EQ(c.view(), long_text);
  EXPECT_TRUE(a.empty());  // NOLINT: a moved-from Text is empty, by design
  a = c;
  b = Text("短");
  EXPECT_EQ(a.view(), long_text);
  EXPECT_EQ(b.view(), "短");
  c = std::move(b);
  EXPECT_EQ(c.view(), "短");
  Text& self = a;
  a = self;
  EXPECT_EQ(a.view(), long_text);
}

TEST(Text, ComparesHashesAndPrintsAsItsCharacters) {
  const Text a("沉睡"), b("正常"), long_a(std::string(20, 'x'));
  EXPECT_EQ(a, "沉睡");
  EXPECT_EQ(a, std::string("沉睡"));
  EXPECT_EQ(a, std::string_view("沉睡"));
  EXPECT_NE(a, b);
  EXPECT_EQ(a < b, std::string("沉睡") < std::string("正常"));
  EXPECT_EQ(long_a, Text(std::string(20, 'x')));
  EXPECT_EQ(std::hash<Text>{}(a), std::hash<std::string_view>{}("沉睡"));
  std::unordered_set<Text> set{a, b, long_a, Text("沉睡")};
  EXPECT_EQ(set.size(), 3u);
  std::map<Text, int> ordered{{b, 2}, {a, 1}};
  EXPECT_EQ(ordered.begin()->second, a < b ? 1 : 2);
  std::ostringstream os;
  os << a << long_a;
  EXPECT_EQ(os.str(), "沉睡" + std::string(20, 'x'));
  const std::string as_string = long_a;
  EXPECT_EQ(as_string, std::string(20, 'x'));
}

TEST(Text, SharedBlocksSurviveCopiesOnManyThreads) {
  const Text source(std::string(100, 'z'));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        Text copy = source;
        Text other = copy;
        ASSERT_EQ(other.size(), 100u);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(source.view(), std::string(100, 'z'));
}

TEST(Text, TableCellsAreTwentyFourBytes) {
  static_assert(sizeof(Text) == 16);
  EXPECT_EQ(sizeof(yimei::Value), 24u);
  const yimei::Value v = std::string("一个较长的品项名称");
  ASSERT_TRUE(std::holds_alternative<Text>(v));
  EXPECT_EQ(std::get<Text>(v), "一个较长的品项名称");
  const yimei::Value copy = v;
  EXPECT_EQ(copy, v);
}
