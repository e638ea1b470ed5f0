// Time expressions, table-driven against fixed as_of dates: the examples' questions (their gold
// SQL is the oracle for boundaries), anchors and offsets, month ends, leap years, year and
// quarter boundaries, ranges, markers, and the words that must be refused as unplaceable.
#include "core/text2sql/time_expr.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/text2sql/normalize.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

Date d(const char* s) {
  return *parse_date(s);
}

// "from..to" per match, markers as SPLY / PREV (with ":range" when they carry one), joined by
// " | "; an unplaceable result is "!" followed by the sentence.
std::string describe(const TimeParse& t) {
  if (t.unplaceable) return "!" + *t.unplaceable;
  std::string out;
  for (const TimeMatch& m : t.matches) {
    if (!out.empty()) out += " | ";
    if (m.marker == TimeMarker::SamePeriodLastYear) out += "SPLY";
    if (m.marker == TimeMarker::PreviousPeriod) out += "PREV";
    if (m.marker != TimeMarker::None && m.range) out += ":";
    if (m.range) out += format_date(m.range->from) + ".." + format_date(m.range->to);
  }
  return out;
}

std::string parse(const char* as_of, const std::string& question) {
  return describe(parse_time_expressions(normalize_question(question), d(as_of)));
}

struct Case {
  const char* as_of;
  const char* question;
  const char* expected;
};

void expect_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases)
    EXPECT_EQ(parse(c.as_of, c.question), c.expected)
        << "as_of " << c.as_of << ": " << c.question << " (normalized "
        << normalize_question(c.question) << ")";
}

constexpr const char* kAsOf = "2026-06-30";  // the examples' as_of, a Tuesday

}  // namespace

TEST(T2sTime, ExampleQuestions) {
  expect_cases({
      {kAsOf, "昨天开了几单", "2026-06-29..2026-06-29"},
      {kAsOf, "去年的客单价是多少", "2025-01-01..2025-12-31"},
      {kAsOf, "今年微信收款一共多少", "2026-01-01..2026-06-30"},
      {kAsOf, "上个月每个科室各开了多少单", "2026-05-01..2026-05-31"},
      {kAsOf, "今年每个月分别来了多少新客", "2026-01-01..2026-06-30"},
      {kAsOf, "本月开单数最多的前3名咨询师", "2026-06-01..2026-06-30"},
      {kAsOf, "最近7天每天的业绩", "2026-06-24..2026-06-30"},
      {kAsOf, "今年1月到3月的流水是多少", "2026-01-01..2026-03-31"},
      {kAsOf, "最近三个月划扣总额多少", "2026-03-31..2026-06-30"},
      {kAsOf, "这周到目前来了多少个客户消费", "2026-06-29..2026-06-30"},
      {kAsOf, "去年有卖、今年一单没卖的项目是哪些",
       "2025-01-01..2025-12-31 | 2026-01-01..2026-06-30"},
      {kAsOf, "上个月的新客数比4月份多了多少", "2026-05-01..2026-05-31 | 2026-04-01..2026-04-30"},
      {kAsOf, "今年上半年跟去年同期比，哪位咨询师业绩增长最多",
       "2026-01-01..2026-06-30 | SPLY:2025-01-01..2025-06-30"},
      {kAsOf, "2月份业绩同比增长率是多少", "2026-02-01..2026-02-28 | SPLY"},
      {kAsOf, "7月份到期的余额一共多少", "2026-07-01..2026-07-31"},
      {kAsOf, "1月份新客的二开率（90天内）", "2026-01-01..2026-01-31"},
      {kAsOf, "去年买过两次以上光子嫩肤的客户有多少", "2025-01-01..2025-12-31"},
      {kAsOf, "C000504 这个客户哪天注册的，现在什么等级", ""},
      {kAsOf, "水光补水针6次卡还没划完的客户有几个", ""},
  });
}

namespace {

// Every time expression found in a question of the file appears, both ends, in its gold SQL;
// returns the number of questions and of ranges checked.
std::pair<int, int> check_ranges_against_gold(const std::string& file, const char* as_of = kAsOf) {
  std::ifstream in(yimei::test::fixture_path(file));
  EXPECT_TRUE(in) << file;
  std::string line;
  int questions = 0, ranges = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto obj = boost::json::parse(line).as_object();
    const std::string q(obj.at("question").as_string());
    const std::string gold(obj.at("gold_sql").as_string());
    ++questions;
    TimeParse t = parse_time_expressions(normalize_question(q), d(as_of));
    EXPECT_FALSE(t.unplaceable) << q << ": " << t.unplaceable.value_or("");
    for (const TimeMatch& m : t.matches) {
      if (!m.range) continue;
      // "（今年减去年）" names the direction of a difference, not a window.
      if (q.find("今年减去年") != std::string::npos &&
          (m.range->label == "今年" || m.range->label == "去年"))
        continue;
      ++ranges;
      EXPECT_NE(gold.find("'" + format_date(m.range->from) + "'"), std::string::npos)
          << q << ": from " << format_date(m.range->from) << " (" << m.range->label << ")";
      EXPECT_NE(gold.find("'" + format_date(m.range->to) + "'"), std::string::npos)
          << q << ": to " << format_date(m.range->to) << " (" << m.range->label << ")";
    }
  }
  return {questions, ranges};
}

}  // namespace

TEST(T2sTime, ExampleRangesAppearInGoldSql) {
  auto [questions, ranges] = check_ranges_against_gold("text2sql-examples.jsonl");
  EXPECT_EQ(questions, 40);
  EXPECT_GE(ranges, 25);
}

// The same on the second, differently worded question set.
TEST(T2sTime, HeldOutStyleRangesAppearInGoldSql) {
  auto [questions, ranges] = check_ranges_against_gold("t2s-heldout-style.jsonl");
  EXPECT_GE(questions, 50);
  EXPECT_GE(ranges, 30);
}

// And on the other clinic's set, asked at its own as_of.
TEST(T2sTime, OtherClinicRangesAppearInGoldSql) {
  auto [questions, ranges] = check_ranges_against_gold("t2s-heldout-other.jsonl", "2026-03-15");
  EXPECT_GE(questions, 40);
  EXPECT_GE(ranges, 40);
}

TEST(T2sTime, AnchorsAndOffsets) {
  expect_cases({
      {kAsOf, "今天", "2026-06-30..2026-06-30"},
      {kAsOf, "前天", "2026-06-28..2026-06-28"},
      {kAsOf, "大前天", "2026-06-27..2026-06-27"},
      {kAsOf, "本周", "2026-06-29..2026-06-30"},
      {kAsOf, "这周", "2026-06-29..2026-06-30"},
      {kAsOf, "上周", "2026-06-22..2026-06-28"},
      {kAsOf, "上上周", "2026-06-15..2026-06-21"},
      {kAsOf, "上个星期", "2026-06-22..2026-06-28"},
      {kAsOf, "这个月", "2026-06-01..2026-06-30"},
      {kAsOf, "当月", "2026-06-01..2026-06-30"},
      {kAsOf, "上月", "2026-05-01..2026-05-31"},
      {kAsOf, "上上个月", "2026-04-01..2026-04-30"},
      {kAsOf, "近2周", "2026-06-17..2026-06-30"},
      {kAsOf, "过去30天", "2026-06-01..2026-06-30"},
      {kAsOf, "近一年", "2025-07-01..2026-06-30"},
      {kAsOf, "近1年", "2025-07-01..2026-06-30"},
      {kAsOf, "最近半年", "2025-12-31..2026-06-30"},
      {kAsOf, "近12个月", "2025-07-01..2026-06-30"},
      {kAsOf, "前年", "2024-01-01..2024-12-31"},
      {kAsOf, "年初至今", "2026-01-01..2026-06-30"},
      {kAsOf, "今年以来", "2026-01-01..2026-06-30"},
      {kAsOf, "本季度", "2026-04-01..2026-06-30"},
      {kAsOf, "上季度", "2026-01-01..2026-03-31"},
      {kAsOf, "上上个季度", "2025-10-01..2025-12-31"},
      {kAsOf, "上3个月", "2026-03-01..2026-05-31"},
      {kAsOf, "3天前", "2026-06-27..2026-06-27"},
      {kAsOf, "两个月前", "2026-04-30..2026-04-30"},
      {kAsOf, "上周三", "2026-06-24..2026-06-24"},
      {kAsOf, "周一", "2026-06-29..2026-06-29"},
      {kAsOf, "星期日", "2026-06-28..2026-06-28"},
      {kAsOf, "上周末", "2026-06-27..2026-06-28"},
      {kAsOf, "上周5单", "2026-06-22..2026-06-28"},
      {kAsOf, "上个月下旬", "2026-05-21..2026-05-31"},
      {kAsOf, "上旬", "2026-06-01..2026-06-10"},
      {kAsOf, "本月以来", "2026-06-01..2026-06-30"},
  });
}

TEST(T2sTime, NamedPeriodsAndRanges) {
  expect_cases({
      {kAsOf, "2025年3月", "2025-03-01..2025-03-31"},
      {kAsOf, "二〇二五年三月", "2025-03-01..2025-03-31"},
      {kAsOf, "3月份", "2026-03-01..2026-03-31"},
      {kAsOf, "6月", "2026-06-01..2026-06-30"},
      {kAsOf, "12月", "2025-12-01..2025-12-31"},  // not started this year: last December
      {kAsOf, "十二月", "2025-12-01..2025-12-31"},
      {kAsOf, "去年6月", "2025-06-01..2025-06-30"},
      {kAsOf, "2025年", "2025-01-01..2025-12-31"},
      {kAsOf, "2026年", "2026-01-01..2026-06-30"},
      {kAsOf, "3月到5月", "2026-03-01..2026-05-31"},
      {kAsOf, "1月至3月", "2026-01-01..2026-03-31"},
      {kAsOf, "1-3月", "2026-01-01..2026-03-31"},
      {kAsOf, "1到3月", "2026-01-01..2026-03-31"},
      {kAsOf, "11月到2月", "2025-11-01..2026-02-28"},
      {kAsOf, "去年3月到今年5月", "2025-03-01..2026-05-31"},
      {kAsOf, "2025年11月到2月", "2025-11-01..2026-02-28"},
      {kAsOf, "2026-06-01", "2026-06-01..2026-06-01"},
      {kAsOf, "2026/6/1", "2026-06-01..2026-06-01"},
      {kAsOf, "2026-05", "2026-05-01..2026-05-31"},
      {kAsOf, "6月1日", "2026-06-01..2026-06-01"},
      {kAsOf, "2026年6月1日", "2026-06-01..2026-06-01"},
      {kAsOf, "6月1日到6月15日", "2026-06-01..2026-06-15"},
      {kAsOf, "6月1日到15日", "2026-06-01..2026-06-15"},
      {kAsOf, "6月1号-15号", "2026-06-01..2026-06-15"},
      {kAsOf, "6月1到15日", "2026-06-01..2026-06-15"},
      {kAsOf, "2026-06-01到2026-06-15", "2026-06-01..2026-06-15"},
      {kAsOf, "15号", "2026-06-15..2026-06-15"},
      {kAsOf, "3月以来", "2026-03-01..2026-06-30"},
      {kAsOf, "今年上半年", "2026-01-01..2026-06-30"},
      {kAsOf, "去年下半年", "2025-07-01..2025-12-31"},
      {kAsOf, "上半年", "2026-01-01..2026-06-30"},
      {kAsOf, "下半年", "2025-07-01..2025-12-31"},
      {kAsOf, "今年下半年", "2026-07-01..2026-12-31"},  // named with its year: as named
      {kAsOf, "今年前3个月", "2026-01-01..2026-03-31"},
      // Quarters: this year's when started, else last year's.
      {kAsOf, "第一季度", "2026-01-01..2026-03-31"},
      {kAsOf, "一季度", "2026-01-01..2026-03-31"},
      {kAsOf, "Q2", "2026-04-01..2026-06-30"},
      {kAsOf, "第三季度", "2025-07-01..2025-09-30"},
      {kAsOf, "去年第四季度", "2025-10-01..2025-12-31"},
      {kAsOf, "2025年q1", "2025-01-01..2025-03-31"},
      {kAsOf, "第1-2季度", "2026-01-01..2026-06-30"},
      // Future periods when named as such.
      {kAsOf, "7月份", "2025-07-01..2025-07-31"},
      {kAsOf, "7月份到期", "2026-07-01..2026-07-31"},
      {kAsOf, "本月到期", "2026-06-01..2026-06-30"},
      {kAsOf, "下个月", "2026-07-01..2026-07-31"},
      {kAsOf, "明天", "2026-07-01..2026-07-01"},
      {kAsOf, "未来30天", "2026-06-30..2026-07-30"},
      {kAsOf, "30天内到期的余额", "2026-06-30..2026-07-30"},
  });
}

TEST(T2sTime, MonthEndsLeapYearsAndBoundaries) {
  expect_cases({
      // Month ends.
      {"2026-03-31", "上个月", "2026-02-01..2026-02-28"},
      {"2026-03-31", "本月", "2026-03-01..2026-03-31"},
      {"2026-03-31", "近1个月", "2026-03-01..2026-03-31"},
      {"2026-05-31", "最近3个月", "2026-03-01..2026-05-31"},
      // Leap years.
      {"2024-03-31", "上个月", "2024-02-01..2024-02-29"},
      {"2024-03-31", "2月29日", "2024-02-29..2024-02-29"},
      {"2024-03-31", "上个月和去年同期比", "2024-02-01..2024-02-29 | SPLY:2023-02-01..2023-02-28"},
      {"2024-03-01", "近1个月", "2024-02-02..2024-03-01"},
      {"2025-03-01", "近1个月", "2025-02-02..2025-03-01"},
      // Year boundary: 2026-01-03 is a Saturday.
      {"2026-01-03", "上周", "2025-12-22..2025-12-28"},
      {"2026-01-03", "本周", "2025-12-29..2026-01-03"},
      {"2026-01-03", "上个月", "2025-12-01..2025-12-31"},
      {"2026-01-03", "去年", "2025-01-01..2025-12-31"},
      {"2026-01-03", "今年", "2026-01-01..2026-01-03"},
      {"2026-01-03", "近7天", "2025-12-28..2026-01-03"},
      {"2026-01-03", "12月", "2025-12-01..2025-12-31"},
      {"2026-01-03", "3月", "2025-03-01..2025-03-31"},
      {"2026-01-03", "上季度", "2025-10-01..2025-12-31"},
      {"2026-01-03", "本季度", "2026-01-01..2026-01-03"},
      {"2026-01-03", "第四季度", "2025-10-01..2025-12-31"},
      {"2026-01-03", "上半年", "2026-01-01..2026-01-03"},
      {"2026-01-03", "下半年", "2025-07-01..2025-12-31"},
      // Quarter boundaries.
      {"2026-04-01", "本季度", "2026-04-01..2026-04-01"},
      {"2026-04-01", "上季度", "2026-01-01..2026-03-31"},
      {"2026-04-01", "第二季度", "2026-04-01..2026-04-01"},
      {"2026-03-31", "上季度", "2025-10-01..2025-12-31"},
      {"2026-07-01", "下半年", "2026-07-01..2026-07-01"},
      {"2026-07-01", "上半年", "2026-01-01..2026-06-30"},
  });
}

TEST(T2sTime, MarkersAndHelpers) {
  expect_cases({
      {kAsOf, "本月业绩环比", "2026-06-01..2026-06-30 | PREV"},
      {kAsOf, "上个月同比增长多少", "2026-05-01..2026-05-31 | SPLY"},
  });
  DateRange may{d("2026-05-01"), d("2026-05-31"), "上个月"};
  EXPECT_EQ(format_date(previous_period(may).from), "2026-04-01");
  EXPECT_EQ(format_date(previous_period(may).to), "2026-04-30");
  DateRange q2{d("2026-04-01"), d("2026-06-30"), "q2"};
  EXPECT_EQ(format_date(previous_period(q2).from), "2026-01-01");
  EXPECT_EQ(format_date(previous_period(q2).to), "2026-03-31");
  DateRange week{d("2026-06-24"), d("2026-06-30"), "近7天"};
  EXPECT_EQ(format_date(previous_period(week).from), "2026-06-17");
  EXPECT_EQ(format_date(previous_period(week).to), "2026-06-23");
  DateRange leap{d("2024-02-01"), d("2024-02-29"), "2024年2月"};
  EXPECT_EQ(format_date(same_period_last_year(leap).to), "2023-02-28");
  DateRange ytd{d("2026-01-01"), d("2026-06-15"), "今年"};
  EXPECT_EQ(format_date(same_period_last_year(ytd).from), "2025-01-01");
  EXPECT_EQ(format_date(same_period_last_year(ytd).to), "2025-06-15");
}

TEST(T2sTime, UnplaceableWordsAreRefusedWithASentence) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"最近几天的业绩", "“最近几天”不够明确，请说具体的天数或日期，例如“最近7天”。"},
      {"前段时间来过的客户", "“前段时间”不够明确，请说具体的时间，例如“最近30天”。"},
      {"前3天的业绩", "“前3天”不明确：请说“最近3天”或给出起止日期。"},
      {"前三个月", "“前3个月”不明确：请说“最近3个月”或给出起止日期。"},
      {"上上上个季度前后", "“上上上个季度前后”不够明确，请给出起止日期。"},
      {"2025年以前注册的客户", "“2025年以前”是没有边界的时间段，请给出起止日期。"},
      {"6月31日", "6月没有31日。"},
      {"2026年2月29日", "2026年2月没有29日。"},
      {"2月29日", "2026年2月没有29日。"},
      {"第五季度", "没有第5季度。"},
      {"13月", "没有13月。"},
      {"春节期间的业绩", "节假日“春节”的日期每年不同，请给出具体日期。"},
      {"双十一卖了多少", "节假日“双11”的日期每年不同，请给出具体日期。"},
      {"昨天上午来了几个人", "数据只记录到日期，无法区分“上午”。"},
      {"月底到店的客户", "“月底”不够明确，请给出具体日期。"},
      {"这个月底", "“这个月底”不够明确，请给出具体日期。"},
      {"去年年底", "“去年年底”不够明确，请给出具体日期。"},
      {"去年同期的业绩", "“去年同期”要和哪段时间比？请说明时间，例如“本月和去年同期比”。"},
      {"下个月以来", "“下个月”还没有开始。"},
      {"2026年5月到2026年3月", "“2026年5月到2026年3月”的开始晚于结束，请检查时间。"},
      {"那天来的客户", "“那天”指的是哪段时间？请给出日期。"},
  };
  TimeParse early = parse_time_expressions(normalize_question("本月25号"), d("2026-06-15"));
  EXPECT_EQ(early.unplaceable.value_or(""), "“本月25号”还没有到。");
  for (const auto& [question, message] : cases) {
    TimeParse t = parse_time_expressions(normalize_question(question), d(kAsOf));
    ASSERT_TRUE(t.unplaceable) << question << " -> " << describe(t);
    EXPECT_EQ(*t.unplaceable, message) << question;
  }
}

TEST(T2sTime, WordsThatAreNotTimeExpressions) {
  expect_cases({
      {kAsOf, "二开率（90天内）", ""},
      {kAsOf, "郭思琪最近一次到店是什么时候", ""},
      {kAsOf, "消费最多的前5名", ""},
      {kAsOf, "注册满3个月的客户", ""},
      {kAsOf, "每天的业绩", ""},
      {kAsOf, "每周3次", ""},
      {kAsOf, "5000元以上", ""},
  });
}

TEST(T2sTime, OffsetsPointIntoTheNormalizedText) {
  const std::string text = normalize_question("请问上个月和去年同期比怎么样");
  TimeParse t = parse_time_expressions(text, d(kAsOf));
  ASSERT_EQ(t.matches.size(), 2u);
  EXPECT_EQ(text.substr(t.matches[0].begin, t.matches[0].end - t.matches[0].begin), "上个月");
  EXPECT_EQ(t.matches[0].range->label, "上个月");
  EXPECT_EQ(text.substr(t.matches[1].begin, t.matches[1].end - t.matches[1].begin), "去年同期");
  EXPECT_LT(t.matches[0].end, t.matches[1].begin);
}

// Expressions that were wrong or refused before, each against several as_of dates: month ends,
// leap years, year boundaries and weekdays (2026-06-30 Tue, 2026-07-02 Thu, 2026-01-01 Thu,
// 2024-03-01 Fri).
TEST(T2sTime, DaysOfARelativeMonth) {
  expect_cases({
      {kAsOf, "上个月1号到10号的业绩", "2026-05-01..2026-05-10"},
      {"2026-07-02", "上个月1号到10号", "2026-06-01..2026-06-10"},
      {"2026-03-31", "上个月1号到10号", "2026-02-01..2026-02-10"},
      {"2026-01-05", "上个月1号到10号", "2025-12-01..2025-12-10"},
      {"2024-03-31", "上个月20号到29号", "2024-02-20..2024-02-29"},
      {"2026-03-31", "上个月1日至28日", "2026-02-01..2026-02-28"},
      {kAsOf, "上个月5号到本月3号", "2026-05-05..2026-06-03"},
      {kAsOf, "上个月1号到今天", "2026-05-01..2026-06-30"},
      {kAsOf, "上个月10号以来", "2026-05-10..2026-06-30"},
      {"2026-06-05", "本月1号到10号", "2026-06-01..2026-06-05"},
      {kAsOf, "本月1号-15号", "2026-06-01..2026-06-15"},
      {kAsOf, "下个月1号到10号到期", "2026-07-01..2026-07-10"},
  });
  const std::vector<std::tuple<const char*, const char*, const char*>> refused = {
      {"2025-03-31", "上个月29号", "2月没有29日。"},
      {"2025-03-31", "上个月20号到29号", "2025年2月没有29日。"},
      {"2026-07-15", "上个月1号到31号", "2026年6月没有31日。"},
      {"2026-06-15", "本月20号到25号", "“本月20号到25号”还没有到。"},
      {kAsOf, "上个月10号到1号", "“上个月10号到1号”的开始晚于结束，请检查时间。"},
  };
  for (const auto& [as_of, question, message] : refused) {
    TimeParse t = parse_time_expressions(normalize_question(question), d(as_of));
    ASSERT_TRUE(t.unplaceable) << as_of << ": " << question << " -> " << describe(t);
    EXPECT_EQ(*t.unplaceable, message) << as_of << ": " << question;
  }
}

TEST(T2sTime, WeekdayRangesStayInOneWeek) {
  expect_cases({
      {kAsOf, "上周一到周三", "2026-06-22..2026-06-24"},
      {"2026-07-02", "上周一到周三", "2026-06-22..2026-06-24"},
      {"2026-07-02", "上周一到星期三的业绩", "2026-06-22..2026-06-24"},
      {"2026-01-01", "上周一到周三", "2025-12-22..2025-12-24"},
      {"2024-03-01", "上周一到周三", "2024-02-19..2024-02-21"},
      {kAsOf, "上周五到周日", "2026-06-26..2026-06-28"},
      {kAsOf, "上上周一到周五", "2026-06-15..2026-06-19"},
      {"2026-07-02", "周一到周三", "2026-06-29..2026-07-01"},
      {kAsOf, "周一到周三", "2026-06-29..2026-06-30"},  // this week, up to as_of
      {kAsOf, "本周一到周三", "2026-06-29..2026-06-30"},
      {kAsOf, "上周三到本周一", "2026-06-24..2026-06-29"},
  });
  TimeParse t = parse_time_expressions(normalize_question("上周三到周一"), d(kAsOf));
  EXPECT_EQ(t.unplaceable.value_or(""), "“上周3到周1”的开始晚于结束，请检查时间。");
}

TEST(T2sTime, SamePeriodLastYearWrittenFirst) {
  expect_cases({
      {kAsOf, "和去年同期相比今年的业绩增长了多少", "SPLY | 2026-01-01..2026-06-30"},
      {kAsOf, "跟去年同期比，今年以来的划扣", "SPLY | 2026-01-01..2026-06-30"},
      {"2024-02-29", "和去年同期相比，今年业绩怎么样", "SPLY | 2024-01-01..2024-02-29"},
      {"2026-03-31", "与去年同期相比本月的单量", "SPLY | 2026-03-01..2026-03-31"},
      // Written after its period it still carries the dates.
      {"2024-02-29", "今年和去年同期比", "2024-01-01..2024-02-29 | SPLY:2023-01-01..2023-02-28"},
  });
  TimeParse t = parse_time_expressions(normalize_question("和去年同期相比怎么样"), d(kAsOf));
  EXPECT_EQ(t.unplaceable.value_or(""),
            "“去年同期”要和哪段时间比？请说明时间，例如“本月和去年同期比”。");
}

TEST(T2sTime, ShortAnchorsOnBoundaries) {
  expect_cases({
      // 前天
      {"2026-03-01", "前天", "2026-02-27..2026-02-27"},
      {"2024-03-01", "前天的业绩", "2024-02-28..2024-02-28"},
      {"2026-01-01", "前天开了几单", "2025-12-30..2025-12-30"},
      // 本季度
      {"2026-12-31", "本季度", "2026-10-01..2026-12-31"},
      {"2024-02-29", "本季度的业绩", "2024-01-01..2024-02-29"},
      {"2026-07-01", "这个季度", "2026-07-01..2026-07-01"},
      // 上半年
      {"2026-12-31", "上半年", "2026-01-01..2026-06-30"},
      {"2026-03-15", "上半年", "2026-01-01..2026-03-15"},
      {"2024-02-29", "去年上半年", "2023-01-01..2023-06-30"},
      // 今年以来
      {"2026-01-01", "今年以来", "2026-01-01..2026-01-01"},
      {"2024-02-29", "今年以来的业绩", "2024-01-01..2024-02-29"},
      {"2026-12-31", "今年以来", "2026-01-01..2026-12-31"},
      // 3月1日至今
      {kAsOf, "3月1日至今的业绩", "2026-03-01..2026-06-30"},
      {"2024-03-01", "3月1日至今", "2024-03-01..2024-03-01"},
      {"2026-02-15", "3月1日至今", "2025-03-01..2026-02-15"},  // the latest 1 March
      {"2024-03-31", "2月29日至今", "2024-02-29..2024-03-31"},
      {"2026-12-31", "3月1号到现在", "2026-03-01..2026-12-31"},
  });
}

TEST(T2sTime, HolidaysAroundAreRefused) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"春节前后的业绩",
       "“春节前后”无法确定日期：节假日每年日期不同，“前后”也没有明确范围，请给出起止日期。"},
      {"国庆左右来了多少客户",
       "“国庆左右”无法确定日期：节假日每年日期不同，“左右”也没有明确范围，请给出起止日期。"},
      {"春节的业绩", "节假日“春节”的日期每年不同，请给出具体日期。"},
  };
  for (const auto& [question, message] : cases) {
    for (const char* as_of : {kAsOf, "2026-02-17", "2024-02-29"}) {
      TimeParse t = parse_time_expressions(normalize_question(question), d(as_of));
      ASSERT_TRUE(t.unplaceable) << question << " -> " << describe(t);
      EXPECT_EQ(*t.unplaceable, message) << question;
    }
  }
}

// 上个月同期 / 上周同期 / 上季度同期: the window before, shifted back by its unit.
TEST(T2sTime, SamePeriodOfThePreviousMonthWeekOrQuarter) {
  expect_cases({
      {"2026-03-15", "本月到目前的业绩比上个月同期少了多少",
       "2026-03-01..2026-03-15 | PREV:2026-02-01..2026-02-15"},
      {"2026-03-31", "本月和上月同期比", "2026-03-01..2026-03-31 | PREV:2026-02-01..2026-02-28"},
      {"2026-03-30", "本月和上月同期比", "2026-03-01..2026-03-30 | PREV:2026-02-01..2026-02-28"},
      {"2024-03-29", "本月和上个月同期比", "2024-03-01..2024-03-29 | PREV:2024-02-01..2024-02-29"},
      {"2026-01-10", "本月和上个月同期比", "2026-01-01..2026-01-10 | PREV:2025-12-01..2025-12-10"},
      {kAsOf, "本周和上周同期比", "2026-06-29..2026-06-30 | PREV:2026-06-22..2026-06-23"},
      {"2026-05-15", "本季度和上季度同期相比",
       "2026-04-01..2026-05-15 | PREV:2026-01-01..2026-02-15"},
      {"2024-02-29", "今年和去年同期比", "2024-01-01..2024-02-29 | SPLY:2023-01-01..2023-02-28"},
  });
  TimeParse t = parse_time_expressions(normalize_question("上个月同期的业绩"), d(kAsOf));
  EXPECT_EQ(t.unplaceable.value_or(""),
            "“上个月同期”要和哪段时间比？请说明时间，例如“本月和上个月同期比”。");
}
