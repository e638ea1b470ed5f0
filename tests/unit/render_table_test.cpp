// Text and markdown tables: CJK display width, value formatting, phone masking, alignment of
// mixed CJK/ASCII columns, the "共N行，显示前M行" cut and the row-cap note.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/render/table_render.hpp"

namespace yimei::render {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The longest prefix of `line` that is at most `cells` wide.
std::string prefix_of_width(const std::string& line, std::size_t cells) {
  std::size_t end = 0;
  while (end < line.size()) {
    std::size_t next = end + 1;
    while (next < line.size() && (static_cast<unsigned char>(line[next]) & 0xc0) == 0x80) ++next;
    if (display_width(line.substr(0, next)) > cells) break;
    end = next;
  }
  return line.substr(0, end);
}

Decimal dec(const char* s) {
  return Decimal::from_db(s);
}

Column money(const char* name, const char* label) {
  return {name, label, ColumnType::Decimal, ColumnUnit::Yuan};
}

TEST(RenderDisplayWidth, CountsCjkAndFullWidthAsTwoCells) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("张三"), 4u);
  EXPECT_EQ(display_width("李A"), 3u);
  EXPECT_EQ(display_width("ＡＢ"), 4u);              // full-width Latin
  EXPECT_EQ(display_width("，。"), 4u);              // full-width punctuation
  EXPECT_EQ(display_width("ｶﾅ"), 2u);                // half-width katakana
  EXPECT_EQ(display_width("e\xCC\x81"), 1u);         // e + combining acute accent
  EXPECT_EQ(display_width("\xF0\x9F\x98\x80"), 2u);  // emoji (East Asian Wide)
  EXPECT_EQ(display_width("a\xFF"
                          "b"),
            3u);  // a malformed byte counts as one cell
}

TEST(RenderMaskPhone, KeepsFirstThreeAndLastFour) {
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(mask_phone("+8613812345678"), "+86*******5678");
  EXPECT_EQ(mask_phone("0571-8888123"), "057*****8123");
  EXPECT_EQ(mask_phone("12345"), "****5");  // short values keep only their last third
  EXPECT_EQ(mask_phone("电话一二三四五六七八"), "电话一***五六七八");  // by character, not byte
  EXPECT_EQ(mask_phone(""), "");
  EXPECT_EQ(mask_phone(""), "");
}

TEST(RenderFormatValue, MoneyPercentDatesAndNull) {
  const Column yuan = money("amount", "金额");
  EXPECT_EQ(format_value(dec("12345.6"), yuan, false), "12,345.60");
  EXPECT_EQ(format_value(dec("-1234567.005"), yuan, false), "-1,234,567.01");
  EXPECT_EQ(format_value(dec("0.5"), yuan, false), "0.50");
  EXPECT_EQ(format_value(std::int64_t{12345}, yuan, false), "12,345.00");
  EXPECT_EQ(format_value(987654.321, {"x", "", ColumnType::Real, ColumnUnit::Yuan}, false),
            "987,654.32");
  // A Decimal column without a unit is money too.
  EXPECT_EQ(format_value(dec("1000"), {"x", "", ColumnType::Decimal}, false), "1,000.00");

  const Column pct{"rate", "占比", ColumnType::Real, ColumnUnit::Percent};
  EXPECT_EQ(format_value(0.1234, pct, false), "12.3%");
  EXPECT_EQ(format_value(dec("0.125"), {"r", "", ColumnType::Decimal, ColumnUnit::Percent}, false),
            "12.5%");
  EXPECT_EQ(format_value(std::int64_t{1}, pct, false), "100.0%");

  const Column count{"n", "人数", ColumnType::Integer, ColumnUnit::Count};
  EXPECT_EQ(format_value(std::int64_t{1234567}, count, false), "1,234,567");
  EXPECT_EQ(format_value(std::int64_t{2026}, {"year", "", ColumnType::Integer}, false), "2026");

  const Column day{"d", "日期", ColumnType::Date};
  EXPECT_EQ(format_value(*parse_date("2026-06-30"), day, false), "2026-06-30");
  EXPECT_EQ(format_value(Null{}, yuan, false), "-");
  EXPECT_EQ(format_value(Null{}, day, false), "-");
}

TEST(RenderFormatValue, MasksPhonesUnlessAllowed) {
  Column phone{"phone", "手机号", ColumnType::Text};
  phone.is_phone = true;
  EXPECT_EQ(format_value(std::string("13812345678"), phone, false), "138****5678");
  EXPECT_EQ(format_value(std::string("13812345678"), phone, true), "13812345678");
  EXPECT_EQ(format_value(std::int64_t{13912345678}, phone, false), "139****5678");
  EXPECT_EQ(format_value(Null{}, phone, false), "-");
  // A text column that is not marked as phone is left alone.
  EXPECT_EQ(format_value(std::string("13812345678"), {"memo", "", ColumnType::Text}, false),
            "13812345678");
}

TEST(RenderText, ExactLayoutOfASmallTable) {
  Table t;
  t.columns = {{"name", "姓名"}, money("amount", "金额")};
  t.rows = {{std::string("张三"), dec("12345.6")}, {std::string("Bob"), dec("5")}};
  const std::string expected =
      "姓名       金额\n"
      "----  ---------\n"
      "张三  12,345.60\n"
      "Bob        5.00\n";
  EXPECT_EQ(to_text(t), expected);
}

TEST(RenderText, MixedCjkAndAsciiLinesHaveEqualDisplayWidth) {
  Table t;
  Column phone{"phone", "手机", ColumnType::Text};
  phone.is_phone = true;
  t.columns = {{"customer", "顾客姓名"},
               {"dept", "科室"},
               money("amount", "消费金额(元)"),
               {"visits", "到店次数", ColumnType::Integer, ColumnUnit::Count},
               {"last", "最近到店", ColumnType::Date},
               phone};
  t.rows = {
      {std::string("Alice Wang"), std::string("皮肤科"), dec("128000.5"), std::int64_t{12},
       *parse_date("2026-06-01"), std::string("13812345678")},
      {std::string("欧阳娜娜"), std::string("Laser 光电中心"), dec("99.9"), std::int64_t{3},
       *parse_date("2026-05-20"), std::string("13987654321")},
      {std::string("李A"), Null{}, Null{}, Null{}, Null{}, Null{}},
      {std::string("line\nbreak"), std::string("注射"), dec("-50"), std::int64_t{1000},
       *parse_date("2026-01-02"), std::string("15011112222")},
  };
  const std::string text = to_text(t);
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), 2 + t.rows.size());
  const std::size_t width = display_width(lines[0]);
  // 4 CJK header chars = 8 cells; the widest cells: "Laser 光电中心" = 14, "128,000.50" = 10, …
  EXPECT_EQ(width, 10 + 2 + 14 + 2 + 12 + 2 + 8 + 2 + 10 + 2 + 11);
  for (const auto& line : lines) EXPECT_EQ(display_width(line), width) << line;
  EXPECT_EQ(lines[1].find_first_not_of("- "), std::string::npos);
  EXPECT_NE(lines[2].find("138****5678"), std::string::npos);
  EXPECT_EQ(text.find("13812345678"), std::string::npos);
  EXPECT_NE(lines[2].find("128,000.50"), std::string::npos);
  EXPECT_NE(lines[5].find("line break"), std::string::npos);
  // Numbers are right-aligned: the money column ends at the same cell in every row.
  const std::size_t money_end = display_width(lines[0].substr(0, lines[0].find("消费金额(元)"))) +
                                display_width("消费金额(元)");
  const std::vector<std::string> money_cells = {"128,000.50", "99.90", "-", "-50.00"};
  for (std::size_t i = 0; i < money_cells.size(); ++i) {
    const std::string prefix = prefix_of_width(lines[2 + i], money_end);
    EXPECT_TRUE(prefix.ends_with(" " + money_cells[i])) << lines[2 + i];
  }
}

Table numbered(std::size_t n) {
  Table t;
  t.columns = {{"no", "序号", ColumnType::Integer}, money("amount", "金额")};
  for (std::size_t i = 0; i < n; ++i)
    t.rows.push_back(
        {static_cast<std::int64_t>(i + 1), Decimal::from_int(static_cast<std::int64_t>(i))});
  return t;
}

TEST(RenderText, CutsLongResultsWithACountLine) {
  const Table t = numbered(120);
  const auto lines = lines_of(to_text(t, {false, 50}));
  ASSERT_EQ(lines.size(), 2u + 50u + 1u);
  EXPECT_EQ(lines.back(), "共120行，显示前50行");
  EXPECT_NE(lines[51].find("50"), std::string::npos);                 // row 50 is the last shown
  EXPECT_EQ(to_text(t, {false, 120}).find("共"), std::string::npos);  // exactly fits: no cut
  EXPECT_EQ(lines_of(to_text(t, {false, 0})).size(), 2u + 120u);      // 0 = no limit
}

TEST(RenderText, ATableOfTheFirstRowsCountsTheWholeOne) {
  // A row subset made into a table of its first rows only: the count line tells the full length.
  const Table first = numbered(10);
  RenderOptions o{false, 10};
  o.total_rows = 4000;
  const auto lines = lines_of(to_text(first, o));
  ASSERT_EQ(lines.size(), 2u + 10u + 1u);
  EXPECT_EQ(lines.back(), "共4000行，显示前10行");
  EXPECT_NE(to_markdown(first, o).find("共4000行，显示前10行"), std::string::npos);
  o.total_rows = 10;  // the whole subset fits: no count line
  EXPECT_EQ(to_text(first, o).find("共"), std::string::npos);
}

TEST(RenderText, SaysWhenTheQueryCapCutTheResult) {
  Table t = numbered(3);
  t.truncated = true;
  const auto lines = lines_of(to_text(t));
  ASSERT_EQ(lines.size(), 2u + 3u + 1u);
  EXPECT_NE(lines.back().find("上限"), std::string::npos);
  EXPECT_NE(lines.back().find("3行"), std::string::npos);

  Table big = numbered(80);
  big.truncated = true;
  const auto cut = lines_of(to_text(big, {false, 10}));
  EXPECT_EQ(cut.back(), "共80行，显示前10行");
  EXPECT_NE(cut[cut.size() - 2].find("上限"), std::string::npos);
}

TEST(RenderText, EmptyResults) {
  Table t = numbered(0);
  const auto lines = lines_of(to_text(t));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2], "（无数据）");
  EXPECT_EQ(to_text(Table{}), "（无数据）\n");
}

TEST(RenderMarkdown, PipeTableWithEscapesAndCutLine) {
  Table t;
  t.columns = {{"item", "品项"}, money("amount", "金额")};
  t.rows = {{std::string("A|B 套餐"), dec("1999")}, {std::string("水光针"), dec("880.5")}};
  for (int i = 0; i < 8; ++i) t.rows.push_back({std::string("其他"), dec("1")});
  const std::string md = to_markdown(t, {false, 5});
  const auto lines = lines_of(md);
  ASSERT_EQ(lines.size(), 2u + 5u + 2u);
  EXPECT_EQ(lines[0], "| 品项 | 金额 |");
  EXPECT_EQ(lines[1], "| --- | ---: |");
  EXPECT_EQ(lines[2], "| A\\|B 套餐 | 1,999.00 |");
  EXPECT_EQ(lines[3], "| 水光针 | 880.50 |");
  for (std::size_t i = 0; i < 7; ++i) {
    std::size_t unescaped = 0;
    for (std::size_t k = 0; k < lines[i].size(); ++k)
      if (lines[i][k] == '|' && (k == 0 || lines[i][k - 1] != '\\')) ++unescaped;
    EXPECT_EQ(unescaped, 3u) << lines[i];
  }
  EXPECT_EQ(lines[7], "");
  EXPECT_EQ(lines[8], "共10行，显示前5行");
  EXPECT_EQ(to_markdown(t, {false, 50}).find("共"), std::string::npos);
}

}  // namespace
}  // namespace yimei::render
