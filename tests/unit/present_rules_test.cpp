// The shape → presentation table of core/present/presentation.hpp, one test per row, plus the
// steering words acting on it and the exact sentences (unit, 万元 as an exact decimal shift,
// 环比/同比 change worked out by hand here).
#include <gtest/gtest.h>

#include <cmath>

#include "core/present/comparison.hpp"
#include "core/present/presentation.hpp"

namespace yimei::present {
namespace {

using render::ChartKind;

Column text_col(const char* name, const char* label) {
  return {name, label, ColumnType::Text};
}
Column money_col(const char* name, const char* label) {
  return {name, label, ColumnType::Decimal, ColumnUnit::Yuan};
}
Column count_col(const char* name, const char* label) {
  return {name, label, ColumnType::Integer, ColumnUnit::Count};
}
Decimal dec(const char* s) {
  return *Decimal::parse(s);
}

Presentation present(const Table& t, const text2sql::QuerySpec* spec = nullptr,
                     Steering steering = {}, const Comparison* cmp = nullptr) {
  PresentInput in;
  in.table = &t;
  in.spec = spec;
  in.title = "问题";
  in.subtitle = "口径";
  in.steering = std::move(steering);
  in.comparison = cmp;
  return choose_presentation(in);
}

// Departments with revenue: n rows, revenue 1000 * (i + 1) (so the last is the largest).
Table by_department(std::size_t n) {
  Table t;
  t.columns = {text_col("department", "科室"), money_col("revenue", "业绩")};
  for (std::size_t i = 0; i < n; ++i)
    t.rows.push_back({std::string("科室") + std::to_string(i + 1),
                      Decimal::from_int(static_cast<std::int64_t>(1000 * (i + 1)))});
  return t;
}

text2sql::QuerySpec spec_with_time(const char* label) {
  text2sql::QuerySpec s;
  s.frame = "aggregate";
  s.measures = {"revenue"};
  s.time = text2sql::Period{*parse_date("2026-05-01"), *parse_date("2026-05-31"), label};
  return s;
}

// ---------------------------------------------------------------- the table, row by row

TEST(PresentRules, EmptyResultIsOneSentence) {
  Table t = by_department(0);
  const Presentation p = present(t);
  EXPECT_EQ(p.form, Form::Empty);
  EXPECT_EQ(p.rule, "empty");
  EXPECT_EQ(p.sentence, "没有查到符合条件的数据。");
  EXPECT_FALSE(p.chart);
  EXPECT_FALSE(p.attach_export);
}

TEST(PresentRules, SingleMoneyValueIsASentenceWithWanAndExactAmount) {
  Table t;
  t.columns = {money_col("revenue", "业绩")};
  t.rows = {{dec("123456.78")}};
  const auto spec = spec_with_time("上个月");
  const Presentation p = present(t, &spec);
  EXPECT_EQ(p.form, Form::Sentence);
  EXPECT_EQ(p.rule, "single-value");
  EXPECT_EQ(p.sentence, "上个月业绩：12.35万元（123,456.78 元）。");
  EXPECT_FALSE(p.chart);
}

TEST(PresentRules, SingleValuesKeepTheirUnits) {
  Table t;
  t.columns = {money_col("aov", "客单价"),
               count_col("orders", "订单数"),
               {"rate", "二开率", ColumnType::Decimal, ColumnUnit::Percent}};
  t.rows = {{dec("8456"), std::int64_t{1234}, dec("0.256")}};
  const Presentation p = present(t);
  EXPECT_EQ(p.sentence, "客单价：8,456.00 元；订单数：1,234；二开率：25.6%。");
  // Exactly 10000 is shown in 万元; an exact shift keeps every digit before rounding.
  EXPECT_EQ(value_with_unit(dec("10000.00"), money_col("x", "x")), "1万元（10,000.00 元）");
  EXPECT_EQ(value_with_unit(dec("-1234567.89"), money_col("x", "x")),
            "-123.46万元（-1,234,567.89 元）");
  EXPECT_EQ(value_with_unit(Null{}, money_col("x", "x")), "没有数据");
  EXPECT_EQ(value_with_unit(std::int64_t{30}, {"d", "天数", ColumnType::Integer, ColumnUnit::Days}),
            "30 天");
}

TEST(PresentRules, SingleValueNamesItsWindowAndFilters) {
  Table t;
  t.columns = {money_col("revenue", "业绩")};
  t.rows = {{dec("6628869.97")}};
  auto spec = spec_with_time("今年");
  spec.filters = {{"payment_method", "=", {"微信"}}, {"is_new", "=", {"1"}}};
  EXPECT_EQ(present(t, &spec).sentence,
            "今年（支付方式：微信）业绩：662.89万元（6,628,869.97 元）。");
  spec.time.reset();
  spec.filters = {{"membership_level", "in", {"金卡", "钻石"}}};
  t.columns = {count_col("buyers", "顾客数")};
  t.rows = {{std::int64_t{1234}}};
  EXPECT_EQ(present(t, &spec).sentence, "【会员等级：金卡、钻石】顾客数：1,234。");
}

TEST(PresentRules, TwoPeriodValueIsASentenceWithTheChange) {
  // 本期 123,456.78, 上期 114,100.00: +9,356.78, +8.2% (9356.78 / 114100 = 8.2005%).
  text2sql::QuerySpec spec;
  spec.frame = "compare";
  spec.measures = {"revenue"};
  spec.time = text2sql::Period{*parse_date("2026-06-01"), *parse_date("2026-06-30"), "本月"};
  spec.compare_time =
      text2sql::Period{*parse_date("2026-05-01"), *parse_date("2026-05-31"), "上期"};
  spec.compare_mode = "ratio";
  Table cur, prev;
  cur.columns = prev.columns = {money_col("revenue", "业绩")};
  cur.rows = {{dec("123456.78")}};
  prev.rows = {{dec("114100.00")}};
  const Comparison c = merge_periods(spec, cur, prev);
  EXPECT_EQ(c.kind_zh, "环比");
  EXPECT_EQ(c.label_columns, 0u);
  Table answer;  // what the compare frame itself returns: the growth rate
  answer.columns = {{"g", "业绩增长率", ColumnType::Decimal, ColumnUnit::Percent}};
  answer.rows = {{dec("0.0820")}};
  const Presentation p = present(answer, &spec, {}, &c);
  EXPECT_EQ(p.form, Form::Sentence);
  EXPECT_EQ(p.rule, "comparison");
  EXPECT_EQ(p.sentence,
            "本月（2026-06-01至2026-06-30）业绩：12.35万元（123,456.78 元）。环比 +8.2%，增加 "
            "9,356.78 元；上期（2026-05-01至2026-05-31）为 11.41万元。");
  // The table shown holds both periods, the change and the rate.
  ASSERT_EQ(p.table.columns.size(), 4u);
  EXPECT_EQ(std::get<Decimal>(p.table.rows[0][2]), dec("9356.78"));
  EXPECT_NEAR(std::get<double>(p.table.rows[0][3]), 9356.78 / 114100.0, 1e-12);
}

TEST(PresentRules, SameDatesLastYearIsTongBi) {
  const text2sql::Period cur{*parse_date("2026-06-01"), *parse_date("2026-06-30"), ""};
  EXPECT_EQ(comparison_kind(cur, {*parse_date("2025-06-01"), *parse_date("2025-06-30"), ""}),
            "同比");
  EXPECT_EQ(comparison_kind(cur, {*parse_date("2026-05-01"), *parse_date("2026-05-31"), ""}),
            "环比");
  EXPECT_EQ(comparison_kind(cur, {*parse_date("2026-01-01"), *parse_date("2026-01-31"), ""}),
            "对比");
}

TEST(PresentRules, OneRecordWithAMeasureIsASentenceAndATextRecordATable) {
  Table t = by_department(1);
  const Presentation p = present(t);
  EXPECT_EQ(p.rule, "record");
  EXPECT_EQ(p.form, Form::Sentence);
  EXPECT_EQ(p.sentence, "科室1 业绩：1,000.00 元。");
  Table lookup;
  lookup.columns = {text_col("name", "顾客姓名"), text_col("level", "会员等级")};
  lookup.rows = {{std::string("张三"), std::string("金卡")}};
  const Presentation q = present(lookup);
  EXPECT_EQ(q.form, Form::Table);
  EXPECT_EQ(q.rule, "record");
  EXPECT_FALSE(q.chart);
}

TEST(PresentRules, PeriodsPerGroupAreAGroupedBarOfBothPeriods) {
  text2sql::QuerySpec spec;
  spec.frame = "compare";
  spec.measures = {"revenue"};
  spec.dimensions = {"department"};
  spec.time = text2sql::Period{*parse_date("2026-06-01"), *parse_date("2026-06-30"), ""};
  spec.compare_time = text2sql::Period{*parse_date("2025-06-01"), *parse_date("2025-06-30"), ""};
  Table cur = by_department(3), prev = by_department(2);
  const Comparison c = merge_periods(spec, cur, prev);
  EXPECT_EQ(c.kind_zh, "同比");
  ASSERT_EQ(c.table.rows.size(), 3u);
  Table answer = by_department(3);
  const Presentation p = present(answer, &spec, {}, &c);
  EXPECT_EQ(p.rule, "period-compare");
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::GroupedBar);
  ASSERT_EQ(p.chart->series.size(), 2u);
  // Sorted by the current period, largest first; 科室3 has no previous value.
  EXPECT_EQ(p.chart->categories, (std::vector<std::string>{"科室3", "科室2", "科室1"}));
  EXPECT_DOUBLE_EQ(p.chart->series[0].values[0], 3000);
  EXPECT_TRUE(std::isnan(p.chart->series[1].values[0]));
  EXPECT_DOUBLE_EQ(p.chart->series[1].values[1], 2000);
}

TEST(PresentRules, MonthsAreALineInTimeOrder) {
  Table t;
  t.columns = {text_col("m", "月份"), money_col("revenue", "业绩")};
  t.rows = {{std::string("2026-03"), dec("300")},
            {std::string("2026-01"), dec("100")},
            {std::string("2026-02"), dec("200")}};
  const Presentation p = present(t);
  EXPECT_EQ(p.rule, "time-series");
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::Line);
  EXPECT_EQ(p.chart->categories, (std::vector<std::string>{"2026-01", "2026-02", "2026-03"}));
  EXPECT_EQ(p.chart->series.at(0).values, (std::vector<double>{100, 200, 300}));
  EXPECT_EQ(p.chart->unit, ColumnUnit::Yuan);
}

TEST(PresentRules, AYearDimensionIsALabelNotAMeasure) {
  text2sql::QuerySpec spec;
  spec.frame = "aggregate";
  spec.measures = {"orders"};
  spec.dimensions = {"year"};
  Table t;
  t.columns = {{"y", "年份", ColumnType::Integer}, count_col("orders", "订单数")};
  t.rows = {{std::int64_t{2025}, std::int64_t{10}}, {std::int64_t{2026}, std::int64_t{12}}};
  const Presentation p = present(t, &spec);
  EXPECT_EQ(p.rule, "time-series");
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->categories, (std::vector<std::string>{"2025", "2026"}));
  ASSERT_EQ(p.chart->series.size(), 1u);
  EXPECT_EQ(p.chart->series[0].name, "订单数");
}

TEST(PresentRules, MonthByDepartmentIsOneLinePerDepartment) {
  Table t;
  t.columns = {text_col("m", "月份"), text_col("d", "科室"), money_col("revenue", "业绩")};
  t.rows = {{std::string("2026-01"), std::string("皮肤"), dec("10")},
            {std::string("2026-01"), std::string("注射"), dec("30")},
            {std::string("2026-02"), std::string("皮肤"), dec("20")}};
  const Presentation p = present(t);
  EXPECT_EQ(p.rule, "time-series");
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::Line);
  EXPECT_EQ(p.chart->categories, (std::vector<std::string>{"2026-01", "2026-02"}));
  ASSERT_EQ(p.chart->series.size(), 2u);
  EXPECT_EQ(p.chart->series[0].name, "皮肤");  // largest total first (30 vs 30: stable order)
  EXPECT_EQ(p.chart->series[0].values, (std::vector<double>{10, 20}));
  EXPECT_EQ(p.chart->series[1].name, "注射");
  EXPECT_EQ(p.chart->series[1].values, (std::vector<double>{30, 0}));  // money adds up: 0
}

TEST(PresentRules, SharesAreADonut) {
  Table t = by_department(4);
  text2sql::QuerySpec spec;
  spec.frame = "aggregate";
  spec.measures = {"revenue"};
  spec.dimensions = {"department"};
  spec.output = "share";
  t.columns[1] = {"s", "业绩占比", ColumnType::Decimal, ColumnUnit::Percent};
  const Presentation p = present(t, &spec);
  EXPECT_EQ(p.rule, "share");
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::Donut);
  EXPECT_EQ(p.chart->categories.size(), 4u);
}

TEST(PresentRules, TwoMeasuresOfOneUnitAreAGroupedBar) {
  Table t;
  t.columns = {text_col("d", "科室"), money_col("revenue", "业绩"), money_col("wo", "划扣金额"),
               count_col("orders", "订单数")};
  t.rows = {{std::string("皮肤"), dec("100"), dec("60"), std::int64_t{3}},
            {std::string("注射"), dec("300"), dec("90"), std::int64_t{5}}};
  const Presentation p = present(t);
  EXPECT_EQ(p.rule, "two-measures");
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::GroupedBar);
  ASSERT_EQ(p.chart->series.size(), 2u);  // the count is another unit: left out of the chart
  EXPECT_EQ(p.chart->series[1].name, "划扣金额");
}

TEST(PresentRules, ByCategoryIsASortedBarWithTopTenAndTheRestAsOther) {
  Table t = by_department(15);  // 1000 … 15000
  const Presentation p = present(t);
  EXPECT_EQ(p.rule, "by-category");
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::Bar);
  ASSERT_EQ(p.chart->categories.size(), 11u);
  EXPECT_EQ(p.chart->categories.front(), "科室15");
  EXPECT_EQ(p.chart->categories[9], "科室6");
  EXPECT_EQ(p.chart->categories.back(), "其他（5项）");
  EXPECT_DOUBLE_EQ(p.chart->series[0].values.back(), 1000 + 2000 + 3000 + 4000 + 5000);
  EXPECT_DOUBLE_EQ(p.chart->series[0].values.front(), 15000);
  EXPECT_FALSE(p.attach_export);  // 15 rows fit a chat reply
}

TEST(PresentRules, AveragesAreNotSummedIntoOther) {
  Table t = by_department(12);
  t.columns[1].label = "客单价";
  const Presentation p = present(t);
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->categories.size(), 10u);
  for (const auto& c : p.chart->categories) EXPECT_EQ(c.find("其他"), std::string::npos);
  ASSERT_FALSE(p.notes.empty());
  EXPECT_NE(p.notes.front().find("前 10 项（共 12 项）"), std::string::npos);
}

TEST(PresentRules, TwoLabelsAndOneMeasureArePivotedIntoAGroupedBar) {
  Table t;
  t.columns = {text_col("d", "科室"), text_col("c", "咨询师"), money_col("revenue", "业绩")};
  t.rows = {{std::string("皮肤"), std::string("王"), dec("1")},
            {std::string("皮肤"), std::string("李"), dec("2")},
            {std::string("注射"), std::string("王"), dec("3")}};
  const Presentation p = present(t);
  EXPECT_EQ(p.rule, "two-labels");
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::GroupedBar);
  EXPECT_EQ(p.chart->categories, (std::vector<std::string>{"皮肤", "注射"}));
  ASSERT_EQ(p.chart->series.size(), 2u);
  EXPECT_EQ(p.chart->series[1].name, "李");
  EXPECT_TRUE(std::isnan(p.chart->series[1].values[1]));
}

TEST(PresentRules, ALongListIsFirstRowsPlusTableImagePlusFile) {
  Table t;
  t.columns = {text_col("id", "顾客编号"), text_col("name", "顾客姓名")};
  for (int i = 0; i < 30; ++i) t.rows.push_back({"C" + std::to_string(i), std::string("某某")});
  const Presentation p = present(t);
  EXPECT_EQ(p.form, Form::LongTable);
  EXPECT_EQ(p.rule, "list");
  EXPECT_EQ(p.text_rows, 10u);
  EXPECT_TRUE(p.attach_export);
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::TableImage);
  EXPECT_EQ(p.chart->table.rows.size(), 30u);
}

TEST(PresentRules, AWideTableIsAlsoSentAsAFile) {
  Table t;
  for (int j = 0; j < 8; ++j)
    t.columns.push_back({"c" + std::to_string(j), "列", ColumnType::Text});
  t.rows = {Row(8, std::string("x")), Row(8, std::string("y"))};
  const Presentation p = present(t);
  EXPECT_EQ(p.form, Form::LongTable);
  EXPECT_TRUE(p.attach_export);
  EXPECT_EQ(p.text_rows, 2u);
}

TEST(PresentRules, ALongMeasureByCategoryKeepsItsBarAndGetsTheFile) {
  Table t = by_department(25);
  const Presentation p = present(t);
  EXPECT_EQ(p.rule, "by-category");
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::Bar);
  EXPECT_TRUE(p.attach_export);
  EXPECT_EQ(p.text_rows, 10u);
}

// ---------------------------------------------------------------- steering

Steering chart(ChartChoice c) {
  Steering s;
  s.chart = c;
  return s;
}

TEST(PresentSteering, NoChartDropsTheChartButKeepsTheRule) {
  Table t = by_department(5);
  const Presentation p = present(t, nullptr, chart(ChartChoice::None));
  EXPECT_EQ(p.rule, "by-category");
  EXPECT_FALSE(p.chart);
}

TEST(PresentSteering, TableOnlyKeepsTheFileButNoImage) {
  Table t = by_department(25);
  Steering s = chart(ChartChoice::None);
  s.table_only = true;
  const Presentation p = present(t, nullptr, s);
  EXPECT_FALSE(p.chart);
  EXPECT_TRUE(p.attach_export);
}

TEST(PresentSteering, LineRequestedOnCategoriesDrawsALine) {
  Table t = by_department(5);
  const Presentation p = present(t, nullptr, chart(ChartChoice::Line));
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::Line);
  EXPECT_EQ(p.chart->categories.size(), 5u);
}

TEST(PresentSteering, BarRequestedOnMonthsKeepsTimeOrder) {
  Table t;
  t.columns = {text_col("m", "月份"), money_col("revenue", "业绩")};
  t.rows = {{std::string("2026-01"), dec("300")}, {std::string("2026-02"), dec("100")}};
  const Presentation p = present(t, nullptr, chart(ChartChoice::Bar));
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::Bar);
  EXPECT_EQ(p.chart->categories, (std::vector<std::string>{"2026-01", "2026-02"}));
}

TEST(PresentSteering, DonutWithNegativesFallsBackToBarsWithANote) {
  Table t = by_department(3);
  t.rows[0][1] = dec("-50");
  const Presentation p = present(t, nullptr, chart(ChartChoice::Donut));
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::Bar);
  ASSERT_FALSE(p.notes.empty());
  EXPECT_NE(p.notes.back().find("负数"), std::string::npos);
}

TEST(PresentSteering, DonutRequestedOnCategoriesDrawsADonut) {
  Table t = by_department(3);
  const Presentation p = present(t, nullptr, chart(ChartChoice::Donut));
  ASSERT_TRUE(p.chart);
  EXPECT_EQ(p.chart->kind, ChartKind::Donut);
}

TEST(PresentSteering, AChartOfAListSaysWhyNot) {
  Table t;
  t.columns = {text_col("id", "顾客编号"), text_col("name", "顾客姓名")};
  t.rows = {{std::string("C1"), std::string("甲")}, {std::string("C2"), std::string("乙")}};
  const Presentation p = present(t, nullptr, chart(ChartChoice::Line));
  EXPECT_FALSE(p.chart);
  ASSERT_FALSE(p.notes.empty());
  EXPECT_NE(p.notes.front().find("没有可以画图的数值"), std::string::npos);
}

TEST(PresentSteering, SortByTheNamedColumnAscendingOrDescending) {
  Table t;
  t.columns = {text_col("c", "咨询师"), count_col("orders", "订单数"),
               money_col("revenue", "实收金额")};
  t.rows = {{std::string("甲"), std::int64_t{5}, dec("300")},
            {std::string("乙"), std::int64_t{9}, dec("100")},
            {std::string("丙"), std::int64_t{1}, dec("200")}};
  Steering s;
  s.sort = true;
  s.sort_word = "金额";
  s.sort_ascending = true;
  Presentation p = present(t, nullptr, s);
  ASSERT_EQ(p.table.rows.size(), 3u);
  EXPECT_EQ(std::get<Text>(p.table.rows[0][0]), "乙");
  EXPECT_EQ(std::get<Text>(p.table.rows[2][0]), "甲");
  ASSERT_TRUE(p.chart);  // bars keep the user's order and draw the sorted measure
  EXPECT_EQ(p.chart->categories, (std::vector<std::string>{"乙", "丙", "甲"}));
  EXPECT_EQ(p.chart->series.at(0).name, "实收金额");
  s.sort_word = "订单";
  s.sort_ascending.reset();  // numbers: largest first
  p = present(t, nullptr, s);
  EXPECT_EQ(std::get<Text>(p.table.rows[0][0]), "乙");
  EXPECT_EQ(std::get<Text>(p.table.rows[2][0]), "丙");
  s.sort_word = "人数";  // no such label: the count column by its unit
  p = present(t, nullptr, s);
  EXPECT_EQ(std::get<Text>(p.table.rows[0][0]), "乙");
}

}  // namespace
}  // namespace yimei::present
