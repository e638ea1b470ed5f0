// Every chart the presentation chooses, drawn and decoded: line, bar (with 其他), grouped bar
// (two measures, two periods, a pivot), donut and table image — each a PNG of the phone width,
// its CJK text in WenQuanYi Micro Hei with no missing glyph, and ink in the plot area (series
// colours for the data charts, dark text for the table image).
#include <gtest/gtest.h>

#include "core/present/comparison.hpp"
#include "core/present/presentation.hpp"
#include "core/render/png_pixels.hpp"

namespace yimei::present {
namespace {

constexpr std::uint32_t kFirstSeries = 0x4e79a7;
constexpr std::uint32_t kSecondSeries = 0xf28e2b;

Column text_col(const char* name, const char* label) {
  return {name, label, ColumnType::Text};
}
Column money_col(const char* name, const char* label) {
  return {name, label, ColumnType::Decimal, ColumnUnit::Yuan};
}

struct Drawn {
  Presentation p;
  render::ChartImage img;
  render::Pixels px;
};

Drawn draw(const Table& t, Steering st = {}, const Comparison* cmp = nullptr,
           const text2sql::QuerySpec* spec = nullptr) {
  PresentInput in;
  in.table = &t;
  in.spec = spec;
  in.title = "上个月各科室业绩";
  in.subtitle = "业绩=消费记录实收金额合计；2026-05-01 至 2026-05-31";
  in.steering = std::move(st);
  in.comparison = cmp;
  Drawn d{choose_presentation(in), {}, {}};
  EXPECT_TRUE(d.p.chart.has_value()) << d.p.rule;
  if (!d.p.chart) return d;
  d.img = render::render_chart(*d.p.chart);
  auto px = render::decode_png(d.img.png);
  EXPECT_TRUE(px.has_value());
  if (px) d.px = std::move(*px);
  return d;
}

int count_color(const render::Pixels& p, int y0, std::uint32_t color) {
  int n = 0;
  for (int y = y0; y < p.height; ++y)
    for (int x = 0; x < p.width; ++x) n += p.at(x, y) == color ? 1 : 0;
  return n;
}

int count_dark(const render::Pixels& p, int y0) {
  int n = 0;
  for (int y = y0; y < p.height; ++y)
    for (int x = 0; x < p.width; ++x) {
      const std::uint32_t c = p.at(x, y);
      n += ((c >> 16) & 0xff) + ((c >> 8) & 0xff) + (c & 0xff) < 3 * 110 ? 1 : 0;
    }
  return n;
}

void check_basics(const Drawn& d) {
  EXPECT_EQ(d.img.width, 1080);
  EXPECT_GT(d.img.height, 200);
  EXPECT_NE(d.img.font_family.find("WenQuanYi"), std::string::npos) << d.img.font_family;
  EXPECT_EQ(d.img.unknown_glyphs, 0);
  EXPECT_EQ(d.px.width, d.img.width);
  EXPECT_EQ(d.px.height, d.img.height);
}

Table departments(int n) {
  Table t;
  t.columns = {text_col("d", "科室"), money_col("revenue", "业绩"), money_col("wo", "划扣金额")};
  for (int i = 0; i < n; ++i)
    t.rows.push_back({"皮肤美容科" + std::to_string(i + 1), Decimal::from_int(10000 * (i + 1)),
                      Decimal::from_int(6000 * (i + 1))});
  return t;
}

TEST(PresentChart, LineOfMonths) {
  Table t;
  t.columns = {text_col("m", "月份"), money_col("revenue", "业绩")};
  for (int m = 1; m <= 6; ++m)
    t.rows.push_back({"2026-0" + std::to_string(m), Decimal::from_int(100000 + 20000 * m)});
  const Drawn d = draw(t);
  EXPECT_EQ(d.p.chart->kind, render::ChartKind::Line);
  check_basics(d);
  EXPECT_GT(count_color(d.px, 150, kFirstSeries), 300);
}

TEST(PresentChart, SortedBarWithOther) {
  Table t = departments(14);
  t.columns.pop_back();
  for (auto& r : t.rows) r.pop_back();
  const Drawn d = draw(t);
  EXPECT_EQ(d.p.chart->kind, render::ChartKind::Bar);
  EXPECT_EQ(d.p.chart->categories.back(), "其他（4项）");
  check_basics(d);
  EXPECT_GT(count_color(d.px, 150, kFirstSeries), 5000);
}

TEST(PresentChart, GroupedBarOfTwoMeasures) {
  const Drawn d = draw(departments(5));
  EXPECT_EQ(d.p.chart->kind, render::ChartKind::GroupedBar);
  check_basics(d);
  EXPECT_GT(count_color(d.px, 150, kFirstSeries), 2000);
  EXPECT_GT(count_color(d.px, 150, kSecondSeries), 1000);
}

TEST(PresentChart, GroupedBarOfTwoPeriods) {
  text2sql::QuerySpec spec;
  spec.frame = "compare";
  spec.measures = {"revenue"};
  spec.dimensions = {"department"};
  spec.time = text2sql::Period{*parse_date("2026-06-01"), *parse_date("2026-06-30"), "本月"};
  spec.compare_time =
      text2sql::Period{*parse_date("2026-05-01"), *parse_date("2026-05-31"), "上月"};
  Table cur = departments(4), prev = departments(4);
  for (Table* t : {&cur, &prev}) {
    t->columns.pop_back();
    for (auto& r : t->rows) r.pop_back();
  }
  for (auto& r : prev.rows) r[1] = std::get<Decimal>(r[1]) - Decimal::from_int(3000);
  const Comparison c = merge_periods(spec, cur, prev);
  const Drawn d = draw(cur, {}, &c, &spec);
  EXPECT_EQ(d.p.rule, "period-compare");
  check_basics(d);
  EXPECT_GT(count_color(d.px, 150, kFirstSeries), 2000);
  EXPECT_GT(count_color(d.px, 150, kSecondSeries), 2000);
}

TEST(PresentChart, DonutOfShares) {
  Table t = departments(5);
  t.columns.pop_back();
  for (auto& r : t.rows) r.pop_back();
  Steering st;
  st.chart = ChartChoice::Donut;
  const Drawn d = draw(t, st);
  EXPECT_EQ(d.p.chart->kind, render::ChartKind::Donut);
  check_basics(d);
  EXPECT_GT(count_color(d.px, 150, kFirstSeries), 5000);
}

TEST(PresentChart, TableImageOfALongList) {
  Table t;
  t.columns = {text_col("id", "顾客编号"),
               text_col("name", "顾客姓名"),
               {"phone", "联系电话", ColumnType::Text, ColumnUnit::None, true}};
  for (int i = 0; i < 40; ++i)
    t.rows.push_back(
        {"C" + std::to_string(1000 + i), std::string("张美丽"), std::string("13812345678")});
  const Drawn d = draw(t);
  EXPECT_EQ(d.p.chart->kind, render::ChartKind::TableImage);
  EXPECT_TRUE(d.p.attach_export);
  EXPECT_FALSE(d.p.chart->show_phone);  // masked in the image unless the reader may see them
  check_basics(d);
  EXPECT_GT(count_dark(d.px, 200), 5000);
}

}  // namespace
}  // namespace yimei::present
