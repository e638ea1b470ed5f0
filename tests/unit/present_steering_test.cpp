// Steering words: each phrase found, cut from the question with its verb, and the question left
// clean for the Text2SQL engine; questions whose words merely look alike stay untouched.
#include <gtest/gtest.h>

#include "core/present/steering.hpp"

namespace yimei::present {
namespace {

struct Case {
  const char* input;
  const char* question;
  ChartChoice chart;
  bool table_only;
  bool sort;
  const char* sort_word;
  std::optional<bool> ascending;
};

class SteeringTable : public ::testing::TestWithParam<Case> {};

TEST_P(SteeringTable, FoundAndCut) {
  const Case& c = GetParam();
  const SteeredQuestion s = extract_steering(c.input);
  EXPECT_EQ(s.question, c.question) << c.input;
  EXPECT_EQ(s.steering.chart, c.chart) << c.input;
  EXPECT_EQ(s.steering.table_only, c.table_only) << c.input;
  EXPECT_EQ(s.steering.sort, c.sort) << c.input;
  EXPECT_EQ(s.steering.sort_word, c.sort_word) << c.input;
  EXPECT_EQ(s.steering.sort_ascending, c.ascending) << c.input;
  EXPECT_EQ(s.steering.any(), c.chart != ChartChoice::Auto || c.table_only || c.sort) << c.input;
}

constexpr auto A = ChartChoice::Auto;
constexpr auto L = ChartChoice::Line;
constexpr auto B = ChartChoice::Bar;
constexpr auto D = ChartChoice::Donut;
constexpr auto N = ChartChoice::None;

INSTANTIATE_TEST_SUITE_P(
    Phrases, SteeringTable,
    ::testing::Values(
        Case{"上个月各科室业绩，画成折线图", "上个月各科室业绩", L, false, false, "", {}},
        Case{"用柱状图显示各科室的业绩", "各科室的业绩", B, false, false, "", {}},
        Case{"各科室业绩占比饼图", "各科室业绩占比", D, false, false, "", {}},
        Case{"各科室业绩占比的饼图", "各科室业绩占比", D, false, false, "", {}},
        Case{"上个月各科室业绩 不要图", "上个月各科室业绩", N, false, false, "", {}},
        Case{"最近三个月每月业绩，只要表格", "最近三个月每月业绩", N, true, false, "", {}},
        Case{"今年每个月的业绩，换成柱状图吧", "今年每个月的业绩", B, false, false, "", {}},
        Case{"请以环形图展示各支付方式的金额", "各支付方式的金额", D, false, false, "", {}},
        Case{"上个月各咨询师业绩按金额排序", "上个月各咨询师业绩", A, false, true, "金额", {}},
        Case{"各品项销量，按数量从低到高排序", "各品项销量", A, false, true, "数量", true},
        Case{"各科室客单价 降序排列", "各科室客单价", A, false, true, "", false},
        Case{"画成饼图", "", D, false, false, "", {}}, Case{"不要图", "", N, false, false, "", {}},
        Case{"各科室业绩画个柱状图，按业绩从高到低排序", "各科室业绩", B, false, true, "业绩",
             false},
        // Look-alikes that belong to the question.
        Case{"业绩从低到高前5名的咨询师", "业绩从低到高前5名的咨询师", A, false, false, "", {}},
        Case{"按科室排名前三的品项", "按科室排名前三的品项", A, false, false, "", {}},
        Case{"上个月各科室业绩是多少？", "上个月各科室业绩是多少？", A, false, false, "", {}},
        Case{"  上个月业绩  ", "上个月业绩", A, false, false, "", {}},
        Case{"可以用饼图看看各科室占比吗", "可以各科室占比吗", D, false, false, "", {}},
        Case{"上月费用柱状图", "上月费用", B, false, false, "", {}}));

TEST(Steering, PhrasesAreReportedInOrderFound) {
  const SteeredQuestion s = extract_steering("上个月各科室业绩，用饼图，按金额排序");
  EXPECT_EQ(s.question, "上个月各科室业绩");
  ASSERT_EQ(s.steering.phrases.size(), 2u);
  EXPECT_EQ(s.steering.phrases[0], "用饼图");
  EXPECT_EQ(s.steering.phrases[1], "按金额排序");
}

TEST(Steering, NoChartWinsOverAChartWord) {
  const SteeredQuestion s = extract_steering("折线图就不要图了");
  EXPECT_EQ(s.steering.chart, ChartChoice::None);
}

}  // namespace
}  // namespace yimei::present
