// JSON output per docs/spec/interfaces.md: money as numbers rounded to 2 decimals, dates as
// strings, NULL as null, phones masked unless allowed, and plain-notation number text.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/render/json_text.hpp"
#include "core/render/table_render.hpp"

namespace yimei::render {
namespace {

namespace json = boost::json;

Decimal dec(const char* s) {
  return Decimal::from_db(s);
}

Table sample() {
  Table t;
  Column phone{"phone", "手机号", ColumnType::Text};
  phone.is_phone = true;
  t.columns = {{"name", "姓名"},
               {"amount", "金额", ColumnType::Decimal, ColumnUnit::Yuan},
               {"visits", "次数", ColumnType::Integer, ColumnUnit::Count},
               {"share", "占比", ColumnType::Real, ColumnUnit::Percent},
               {"day", "日期", ColumnType::Date},
               phone};
  t.rows = {{std::string("张三"), dec("12345.675"), std::int64_t{7}, 0.25,
             *parse_date("2026-06-30"), std::string("13812345678")},
            {std::string("李四"), Null{}, Null{}, Null{}, Null{}, Null{}}};
  return t;
}

TEST(RenderJson, TypesFollowTheInterfaceContract) {
  const json::object o = to_json(sample(), false);
  ASSERT_EQ(o.at("columns"), json::parse(R"(["name","amount","visits","share","day","phone"])"));
  const json::array& rows = o.at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  const json::array& r0 = rows[0].as_array();
  EXPECT_EQ(r0[0].as_string(), "张三");
  ASSERT_TRUE(r0[1].is_double());
  EXPECT_EQ(r0[1].as_double(), 12345.68);  // rounded half away from zero to 2 decimals
  ASSERT_TRUE(r0[2].is_int64());
  EXPECT_EQ(r0[2].as_int64(), 7);
  ASSERT_TRUE(r0[3].is_double());
  EXPECT_EQ(r0[3].as_double(), 0.25);  // ratios stay ratios in JSON
  EXPECT_EQ(r0[4].as_string(), "2026-06-30");
  EXPECT_EQ(r0[5].as_string(), "138****5678");
  for (std::size_t j = 1; j < 6; ++j) EXPECT_TRUE(rows[1].at(j).is_null()) << j;

  const json::object shown = to_json(sample(), true);
  EXPECT_EQ(shown.at("rows").at(0).at(5).as_string(), "13812345678");
}

TEST(RenderJson, MoneyValuesRoundToTwoDecimals) {
  const Column yuan{"a", "", ColumnType::Decimal, ColumnUnit::Yuan};
  EXPECT_EQ(to_json_value(dec("0.005"), yuan, false), json::value(0.01));
  EXPECT_EQ(to_json_value(dec("-0.005"), yuan, false), json::value(-0.01));
  EXPECT_EQ(to_json_value(dec("100"), yuan, false), json::value(100.0));
  EXPECT_EQ(to_json_value(dec("99999999999.99"), yuan, false), json::value(99999999999.99));
  const Column real_money{"a", "", ColumnType::Real, ColumnUnit::Yuan};
  EXPECT_EQ(to_json_value(1234.5678, real_money, false), json::value(1234.57));
  EXPECT_EQ(to_json_value(std::int64_t{42}, yuan, false), json::value(std::int64_t{42}));
  // Beyond what a double carries exactly, the exact text is kept rather than a wrong number.
  const json::value huge = to_json_value(dec("123456789012345678.126"), yuan, false);
  ASSERT_TRUE(huge.is_string());
  EXPECT_EQ(huge.as_string(), "123456789012345678.13");
  // Non-finite doubles have no JSON number.
  EXPECT_TRUE(to_json_value(std::nan(""), real_money, false).is_null());
}

// Money is written as the double nearest its 2-decimal text, whichever way it is computed (below
// 10^13 yuan by dividing the cents, above through the text): the same number every reader parses.
TEST(RenderJson, MoneyIsTheDoubleNearestItsText) {
  const Column yuan{"a", "", ColumnType::Decimal, ColumnUnit::Yuan};
  std::vector<std::string> texts = {"0.01",
                                    "0.10",
                                    "1234.56",
                                    "-987654.32",
                                    "9999999999999.99",
                                    "-9999999999999.99",
                                    "10000000000000.00",
                                    "12345678901234.57"};
  std::uint64_t x = 88172645463325252ull;  // xorshift: cents spread over every magnitude
  for (int i = 0; i < 20000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const std::uint64_t cents = x % (std::uint64_t{1} << (1 + i % 50));
    const std::string digits = std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
                               std::to_string(cents % 100);
    texts.push_back((i % 3 == 0 ? "-" : "") + digits);
  }
  for (const std::string& t : texts) {
    const json::value v = to_json_value(dec(t.c_str()), yuan, false);
    ASSERT_TRUE(v.is_double()) << t;
    EXPECT_EQ(v.as_double(), std::strtod(t.c_str(), nullptr)) << t;
  }
}

// The row text written for large results is exactly json_text of the to_json row.
TEST(RenderJson, RowTextIsTheRowsJsonText) {
  Table t = sample();
  t.columns.push_back({"ratio", "", ColumnType::Decimal, ColumnUnit::Percent});
  t.rows.push_back({std::string("引号\"与\\和\n换行\x01\x1f\t"), dec("-0.5"), std::int64_t{-9},
                    1e-7, *parse_date("0999-01-02"), std::string("12"), dec("0.125")});
  t.rows.push_back({std::string("大"), dec("123456789012345678.126"), std::int64_t{0}, 1e22, Null{},
                    std::string("电话一二三四五六七八"), dec("-3")});
  t.rows.push_back({std::string("短")});  // a short row: the missing cells are null
  for (const bool show_phone : {false, true}) {
    const json::array rows = to_json(t, show_phone).at("rows").as_array();
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      std::string text;
      append_json_row(text, t, t.rows[i], show_phone);
      EXPECT_EQ(text, json_text(rows[i])) << i;
    }
  }
  std::string text;
  append_json_row(text, t, t.rows[0], false);
  EXPECT_EQ(text, R"(["张三",12345.68,7,0.25,"2026-06-30","138****5678",null])");
  text.clear();
  append_json_row(text, t, t.rows[3], false);
  EXPECT_EQ(text, R"(["大","123456789012345678.13",0,1e+22,null,"电话一***五六七八",-3])");
}

// Strings are escaped byte for byte as Boost escapes them: every ASCII byte, and UTF-8 as is.
TEST(RenderJsonText, EscapesStringsAsBoostDoes) {
  std::string every;
  for (int c = 1; c < 128; ++c) every.push_back(static_cast<char>(c));
  for (const std::string& s :
       {every, std::string("门店\"A\"\\二开"), std::string(), std::string(1, '\0')}) {
    std::string text;
    append_json_string(text, s);
    EXPECT_EQ(text, json::serialize(json::string(s)));
    EXPECT_EQ(json::parse(text).as_string(), s);
  }
}

TEST(RenderJson, ToJsonKeepsEveryRow) {
  Table t;
  t.columns = {{"n", "", ColumnType::Integer}};
  for (int i = 0; i < 500; ++i) t.rows.push_back({std::int64_t{i}});
  EXPECT_EQ(to_json(t, false).at("rows").as_array().size(), 500u);
}

TEST(RenderJsonText, PrintsNumbersInPlainNotation) {
  const json::object o = to_json(sample(), false);
  const std::string text = json_text(o);
  EXPECT_NE(text.find("[\"张三\",12345.68,7,0.25,\"2026-06-30\",\"138****5678\"]"),
            std::string::npos)
      << text;
  EXPECT_EQ(json::parse(text), json::value(o));
  EXPECT_EQ(json_text(json::parse(R"({"a":[1.0,0.1,-2.5,1e22,null,true,"x\"y"]})")),
            R"({"a":[1,0.1,-2.5,1e+22,null,true,"x\"y"]})");
}

}  // namespace
}  // namespace yimei::render
