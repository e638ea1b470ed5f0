// Chart images: every kind decodes as a PNG of the right size, uses WenQuanYi Micro Hei with
// no missing glyphs, has ink in the title area and data in the plot; edge cases (no data,
// negatives, one category, long labels, many categories); the 元/万元 axis; chart_from_table.
// Set YIMEI_RENDER_SAMPLES=DIR to also write the sample PNGs there for a human look.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/render/chart.hpp"
#include "core/render/chart_scale.hpp"
#include "core/render/png_pixels.hpp"

namespace yimei::render {
namespace {

constexpr std::uint32_t kBlue = 0x4e79a7;    // first series colour
constexpr std::uint32_t kOrange = 0xf28e2b;  // second series colour
constexpr std::uint32_t kRed = 0xe15759;     // negative bars
constexpr std::uint32_t kWhite = 0xffffff;

void save_sample(const std::string& name, const ChartImage& img) {
  const char* dir = std::getenv("YIMEI_RENDER_SAMPLES");
  if (!dir || !*dir) return;
  std::filesystem::create_directories(dir);
  std::ofstream(std::filesystem::path(dir) / (name + ".png"), std::ios::binary)
      .write(reinterpret_cast<const char*>(img.png.data()),
             static_cast<std::streamsize>(img.png.size()));
}

struct Region {
  int x0, y0, x1, y1;
};

int count_if(const Pixels& p, Region r, auto pred) {
  int n = 0;
  for (int y = std::max(0, r.y0); y < std::min(p.height, r.y1); ++y)
    for (int x = std::max(0, r.x0); x < std::min(p.width, r.x1); ++x) n += pred(p.at(x, y)) ? 1 : 0;
  return n;
}

int count_color(const Pixels& p, Region r, std::uint32_t color) {
  return count_if(p, r, [color](std::uint32_t c) { return c == color; });
}

bool is_dark(std::uint32_t c) {
  const int r = (c >> 16) & 0xff, g = (c >> 8) & 0xff, b = c & 0xff;
  return r + g + b < 3 * 110;
}

// Leftmost column holding `color` in region r, or -1.
int leftmost(const Pixels& p, Region r, std::uint32_t color) {
  for (int x = r.x0; x < r.x1; ++x)
    for (int y = r.y0; y < r.y1; ++y)
      if (p.at(x, y) == color) return x;
  return -1;
}

// The checks every chart must pass; returns the decoded pixels.
Pixels check_basics(const ChartImage& img, int width = 1080) {
  EXPECT_EQ(img.width, width);
  EXPECT_GT(img.height, 200);
  EXPECT_NE(img.font_family.find("WenQuanYi"), std::string::npos) << img.font_family;
  EXPECT_EQ(img.unknown_glyphs, 0);
  const auto pixels = decode_png(img.png);
  EXPECT_TRUE(pixels.has_value());
  if (!pixels) return {};
  EXPECT_EQ(pixels->width, img.width);
  EXPECT_EQ(pixels->height, img.height);
  // The title (46 px, from y = 48) is drawn in dark ink at the top left.
  EXPECT_GT(count_if(*pixels, {48, 40, 700, 110}, is_dark), 800);
  // Nothing but background above the title.
  EXPECT_EQ(count_if(*pixels, {0, 0, img.width, 30}, [](std::uint32_t c) { return c != kWhite; }),
            0);
  return *pixels;
}

Region plot_region(const Pixels& p) {
  return {0, 140, p.width, p.height};
}

ChartSpec departments_bar() {
  ChartSpec s;
  s.kind = ChartKind::Bar;
  s.title = "本月各科室业绩";
  s.subtitle = "2026年6月1日至30日，按实收金额";
  s.x_label = "科室";
  s.y_label = "实收金额";
  s.unit = ColumnUnit::Yuan;
  s.categories = {"皮肤美容科", "微整形注射中心", "激光光电科", "口腔美学中心", "毛发移植科"};
  s.series = {{"实收金额", {1285000, 963400.5, 705300, 402000, 98000}}};
  return s;
}

ChartSpec monthly_line() {
  ChartSpec s;
  s.kind = ChartKind::Line;
  s.title = "近12个月业绩趋势";
  s.subtitle = "实收金额与新客消费";
  s.x_label = "月份";
  s.y_label = "金额";
  s.unit = ColumnUnit::Yuan;
  for (int m = 1; m <= 12; ++m) s.categories.push_back(std::to_string(m) + "月");
  s.series = {{"实收", {82, 95, 101, 99, 120, 131, 128, 140, 152, 149, 160, 171}},
              {"新客", {20, 22, 30, 25, 31, 35, 30, 38, 41, 37, 45, 48}}};
  for (auto& series : s.series)
    for (double& v : series.values) v *= 10000;
  return s;
}

ChartSpec share_donut() {
  ChartSpec s;
  s.kind = ChartKind::Donut;
  s.title = "各品项消费占比";
  s.subtitle = "2026年第二季度";
  s.unit = ColumnUnit::Yuan;
  s.categories = {"水光针", "热玛吉", "玻尿酸填充", "光子嫩肤", "肉毒素", "线雕提升"};
  s.series = {{"金额", {320000, 280000, 150000, 90000, 60000, 20000}}};
  return s;
}

Table wide_table(int rows) {
  Table t;
  Column phone{"phone", "手机号", ColumnType::Text};
  phone.is_phone = true;
  t.columns = {{"name", "顾客"},
               phone,
               {"dept", "科室"},
               {"item", "最近品项"},
               {"amount", "累计消费(元)", ColumnType::Decimal, ColumnUnit::Yuan},
               {"visits", "到店次数", ColumnType::Integer, ColumnUnit::Count},
               {"last", "最近到店", ColumnType::Date}};
  const char* names[] = {"王丽", "陈晓燕", "Linda 张", "欧阳雪"};
  const char* depts[] = {"皮肤美容科", "微整形注射中心", "激光光电科"};
  for (int i = 0; i < rows; ++i)
    t.rows.push_back({std::string(names[i % 4]), std::string("1381234") + std::to_string(1000 + i),
                      std::string(depts[i % 3]), std::string("超声炮紧致提升疗程"),
                      Decimal::from_db(std::to_string(12000 + 937 * i) + ".50"),
                      std::int64_t{3 + i}, *parse_date("2026-06-2" + std::to_string(i % 9))});
  return t;
}

TEST(RenderChart, BarChartOfDepartments) {
  const ChartImage img = render_chart(departments_bar());
  save_sample("bar", img);
  const Pixels p = check_basics(img);
  EXPECT_GT(count_color(p, plot_region(p), kBlue), 20000);
  EXPECT_LT(img.height, 1000);  // 5 rows: compact
}

TEST(RenderChart, HeightGrowsWithCategories) {
  ChartSpec s = departments_bar();
  const int five = render_chart(s).height;
  for (int i = 0; i < 10; ++i) {
    s.categories.push_back("科室" + std::to_string(i));
    s.series[0].values.push_back(1000.0 * i);
  }
  EXPECT_GT(render_chart(s).height, five + 400);
}

TEST(RenderChart, GroupedBarHasLegendAndBothSeries) {
  ChartSpec s = departments_bar();
  s.kind = ChartKind::GroupedBar;
  s.title = "各科室本月与上月对比";
  s.series.push_back({"上月", {1100000, 990000, 650000, 420000, 120000}});
  s.series[0].name = "本月";
  const ChartImage img = render_chart(s);
  save_sample("grouped_bar", img);
  const Pixels p = check_basics(img);
  EXPECT_GT(count_color(p, plot_region(p), kBlue), 10000);
  EXPECT_GT(count_color(p, plot_region(p), kOrange), 10000);
}

TEST(RenderChart, LineChartOfMonths) {
  const ChartImage img = render_chart(monthly_line());
  save_sample("line", img);
  const Pixels p = check_basics(img);
  EXPECT_GT(count_color(p, plot_region(p), kBlue), 2000);
  EXPECT_GT(count_color(p, plot_region(p), kOrange), 2000);
}

TEST(RenderChart, DonutOfShares) {
  const ChartImage img = render_chart(share_donut());
  save_sample("donut", img);
  const Pixels p = check_basics(img);
  EXPECT_GT(count_color(p, plot_region(p), kBlue), 30000);
  EXPECT_GT(count_color(p, plot_region(p), kOrange), 20000);
}

TEST(RenderChart, TableImageWithHeaderAndZebraRows) {
  ChartSpec s;
  s.kind = ChartKind::TableImage;
  s.title = "高价值顾客名单";
  s.subtitle = "近90天消费前8名";
  s.table = wide_table(8);
  const ChartImage img = render_chart(s);
  save_sample("table", img);
  const Pixels p = check_basics(img, img.width);
  EXPECT_GE(img.width, 1080);
  EXPECT_LE(img.width, 1728);
  EXPECT_GT(count_color(p, plot_region(p), 0xe9eef6), 20000);  // header shading
  EXPECT_GT(count_color(p, plot_region(p), 0xf6f7f9), 20000);  // zebra rows
  EXPECT_GT(count_if(p, plot_region(p), is_dark), 5000);       // the cells' text
}

TEST(RenderChart, ChineseTitleAndCategoriesFromATable) {
  Table t;
  t.columns = {{"dept", "科室"}, {"amount", "实收金额(元)", ColumnType::Decimal, ColumnUnit::Yuan}};
  t.rows = {{std::string("皮肤美容科"), Decimal::from_db("8800.50")},
            {std::string("微整形注射中心"), Decimal::from_db("12000")},
            {std::string("激光光电科"), Decimal::from_db("5600.25")}};
  for (ChartKind kind :
       {ChartKind::Bar, ChartKind::Donut, ChartKind::Line, ChartKind::TableImage}) {
    const ChartImage img =
        render_chart(chart_from_table(t, kind, "各科室实收金额（元）", "dept", {"amount"}));
    EXPECT_EQ(img.unknown_glyphs, 0) << static_cast<int>(kind);
    EXPECT_NE(img.font_family.find("WenQuanYi"), std::string::npos);
  }
}

TEST(RenderChart, UnknownGlyphsAreCounted) {
  ChartSpec s = departments_bar();
  s.title = "\xEE\x80\x80\xEE\x80\x81 标题";  // two private-use characters no font has
  EXPECT_GE(render_chart(s).unknown_glyphs, 2);
}

TEST(RenderChart, EmptyDataSaysSo) {
  for (ChartKind kind : {ChartKind::Bar, ChartKind::GroupedBar, ChartKind::Line, ChartKind::Donut,
                         ChartKind::TableImage}) {
    ChartSpec s;
    s.kind = kind;
    s.title = "本周新客消费";
    const ChartImage img = render_chart(s);
    const Pixels p = check_basics(img);
    EXPECT_EQ(count_color(p, plot_region(p), kBlue), 0);
    EXPECT_GT(count_color(p, plot_region(p), 0xf4f5f7), 100000);  // the "暂无数据" panel
    if (kind == ChartKind::Bar) save_sample("empty", img);
  }
  ChartSpec all_missing = departments_bar();
  all_missing.series[0].values = {std::nan(""), std::nan("")};
  EXPECT_EQ(render_chart(all_missing).height, [] {
    ChartSpec s = departments_bar();
    s.categories.clear();
    return render_chart(s).height;
  }());
}

TEST(RenderChart, NegativeBarsGoLeftOfZero) {
  ChartSpec s = departments_bar();
  s.title = "各科室环比增长";
  s.unit = ColumnUnit::Yuan;
  s.series[0].values = {120000, -80000, 35000, -150000, 10000};
  const ChartImage img = render_chart(s);
  save_sample("bar_negative", img);
  const Pixels p = check_basics(img);
  const Region r = plot_region(p);
  ASSERT_GT(count_color(p, r, kRed), 5000);
  ASSERT_GT(count_color(p, r, kBlue), 5000);
  EXPECT_LT(leftmost(p, r, kRed) + 50, leftmost(p, r, kBlue));
}

TEST(RenderChart, NegativeValuesInALineGoBelowZero) {
  ChartSpec s = monthly_line();
  s.series.resize(1);
  s.series[0].values = {5000, -3000, 2000, -8000, 1000, 0, 4000, 3000, -1000, 2000, 6000, 7000};
  const ChartImage img = render_chart(s);
  save_sample("line_negative", img);
  check_basics(img);
}

TEST(RenderChart, SingleCategory) {
  for (ChartKind kind : {ChartKind::Bar, ChartKind::Line, ChartKind::Donut}) {
    ChartSpec s;
    s.kind = kind;
    s.title = "唯一科室";
    s.unit = ColumnUnit::Yuan;
    s.categories = {"皮肤美容科"};
    s.series = {{"金额", {52000}}};
    const ChartImage img = render_chart(s);
    if (kind == ChartKind::Line) save_sample("line_single", img);
    const Pixels p = check_basics(img);
    // A single point of a line is a small circle; bars and the donut are large.
    EXPECT_GT(count_color(p, plot_region(p), kBlue), kind == ChartKind::Line ? 50 : 5000)
        << static_cast<int>(kind);
  }
}

TEST(RenderChart, VeryLongLabelsAreEllipsizedNotSqueezingTheBars) {
  ChartSpec s = departments_bar();
  s.categories[1] = "微整形注射中心（含玻尿酸、肉毒素、胶原蛋白及各类复合填充项目的全部疗程）";
  const ChartImage img = render_chart(s);
  save_sample("bar_long_labels", img);
  const Pixels p = check_basics(img);
  const Region r = plot_region(p);
  // The label column is at most 36% of the width: bars start left of the middle.
  const int bar_left = leftmost(p, r, kBlue);
  ASSERT_GT(bar_left, 0);
  EXPECT_LT(bar_left, 540);
}

TEST(RenderChart, ManyCategoriesAreCapped) {
  ChartSpec s;
  s.kind = ChartKind::Bar;
  s.title = "各顾客消费";
  s.unit = ColumnUnit::Yuan;
  for (int i = 0; i < 200; ++i) {
    s.categories.push_back("顾客" + std::to_string(i + 1));
    s.series.resize(1);
    s.series[0].values.push_back(1000.0 * (200 - i));
  }
  const ChartImage bar = render_chart(s);
  save_sample("bar_many", bar);
  check_basics(bar);
  EXPECT_LT(bar.height, 2600);
  s.kind = ChartKind::Line;
  const ChartImage line = render_chart(s);
  save_sample("line_many", line);
  check_basics(line);
  s.kind = ChartKind::Donut;
  const ChartImage donut = render_chart(s);
  save_sample("donut_many", donut);
  check_basics(donut);
  EXPECT_LT(donut.height, 1800);
  s.kind = ChartKind::GroupedBar;
  s.series.push_back(s.series[0]);
  check_basics(render_chart(s));
}

TEST(RenderChart, VeryWideTableGrowsAsFarAsItMust) {
  ChartSpec s;
  s.kind = ChartKind::TableImage;
  s.title = "明细";
  s.table = wide_table(60);
  for (int k = 0; k < 6; ++k) {
    s.table.columns.push_back({"extra" + std::to_string(k), "补充说明" + std::to_string(k)});
    for (auto& row : s.table.rows) row.push_back(std::string("这是一段很长的补充说明文字用于测试"));
  }
  const ChartImage img = render_chart(s);
  save_sample("table_wide", img);
  check_basics(img, img.width);
  // 13 columns: text columns shrink to about five characters, numbers and dates stay whole,
  // so the image outgrows the usual 1.6x limit but stays within the hard maximum.
  EXPECT_GT(img.width, 1728);
  EXPECT_LE(img.width, 4096);
  EXPECT_LT(img.height, 2600);  // 50 rows shown of 60
}

TEST(RenderChart, RendersConcurrentlyOnSeveralThreads) {
  std::vector<ChartImage> images(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < images.size(); ++i)
    threads.emplace_back(
        [&images, i] { images[i] = render_chart(i % 2 ? monthly_line() : departments_bar()); });
  for (auto& t : threads) t.join();
  for (const auto& img : images) {
    EXPECT_EQ(img.unknown_glyphs, 0);
    EXPECT_TRUE(decode_png(img.png).has_value());
  }
  EXPECT_EQ(images[0].png, render_chart(departments_bar()).png);  // deterministic
}

TEST(RenderChartScale, YuanSwitchesToWanAtOneHundredThousand) {
  const ValueAxis wan = make_value_axis(ColumnUnit::Yuan, {123456, 5000});
  EXPECT_EQ(wan.unit, "万元");
  EXPECT_EQ(wan.value_text(123456 * wan.factor), "12.35");
  EXPECT_EQ(wan.value_text(5000 * wan.factor), "0.50");
  EXPECT_EQ(wan.title("实收金额"), "实收金额(万元)");
  EXPECT_EQ(wan.title("实收金额（元）"), "实收金额(万元)");
  EXPECT_EQ(wan.title(""), "单位：万元");
  // Whole 万 need no decimals.
  EXPECT_EQ(make_value_axis(ColumnUnit::Yuan, {820000, 1000000}).value_text(82), "82");
  EXPECT_EQ(make_value_axis(ColumnUnit::Yuan, {125000}).value_text(12.5), "12.5");
  const ValueAxis yuan = make_value_axis(ColumnUnit::Yuan, {99999, 10});
  EXPECT_EQ(yuan.unit, "元");
  EXPECT_EQ(yuan.value_text(99999), "99,999");
  EXPECT_EQ(yuan.title("实收金额(元)"), "实收金额(元)");
  EXPECT_EQ(make_value_axis(ColumnUnit::Yuan, {99.5, 3}).value_text(99.5), "99.50");
  EXPECT_EQ(make_value_axis(ColumnUnit::Yuan, {1234.56}).value_text(1234.56), "1,235");
  const ValueAxis pct = make_value_axis(ColumnUnit::Percent, {0.123, 0.5});
  EXPECT_EQ(pct.value_text(0.123 * pct.factor), "12.3%");
  EXPECT_EQ(pct.value_text(0.5 * pct.factor), "50.0%");
  EXPECT_EQ(make_value_axis(ColumnUnit::Count, {40, 3}).value_text(40), "40");
  EXPECT_EQ(make_value_axis(ColumnUnit::Days, {2.5}).title("平均间隔"), "平均间隔(天)");
}

TEST(RenderChartScale, NiceTicks) {
  const Ticks t = nice_ticks(0, 128.5, 4, false);
  EXPECT_EQ(t.values, (std::vector<double>{0, 50, 100}));
  const Ticks e = nice_ticks(-15, 128.5, 5, true);
  EXPECT_EQ(e.step, 20);
  EXPECT_EQ(e.values.front(), -20);
  EXPECT_EQ(e.values.back(), 140);
  EXPECT_EQ(e.values.size(), 9u);
  const Ticks small = nice_ticks(0, 1, 4, false);  // step 0.2
  EXPECT_EQ(small.decimals, 1);
  EXPECT_EQ(small.values.size(), 6u);
  const Ticks zero = nice_ticks(0, 0, 4, false);  // all zero: a unit range
  EXPECT_EQ(zero.values.front(), 0);
  EXPECT_EQ(zero.values.back(), 1);
}

TEST(RenderChartFromTable, CategoriesSeriesAndUnit) {
  Table t;
  t.columns = {{"month", "月份", ColumnType::Date},
               {"amount", "实收(元)", ColumnType::Decimal, ColumnUnit::Yuan},
               {"visits", "人次", ColumnType::Integer, ColumnUnit::Count},
               {"ratio", "占比", ColumnType::Real, ColumnUnit::Percent},
               {"note", "备注"}};
  t.rows = {{*parse_date("2026-05-01"), Decimal::from_db("1234.56"), std::int64_t{10}, 0.5,
             std::string("a")},
            {*parse_date("2026-06-01"), Null{}, std::int64_t{12}, 0.25, std::string("b")}};
  const ChartSpec s =
      chart_from_table(t, ChartKind::Line, "趋势", "month", {"amount", "visits", "note", "nope"});
  EXPECT_EQ(s.kind, ChartKind::Line);
  EXPECT_EQ(s.title, "趋势");
  EXPECT_EQ(s.categories, (std::vector<std::string>{"2026-05-01", "2026-06-01"}));
  ASSERT_EQ(s.series.size(), 2u);  // "note" is text, "nope" does not exist
  EXPECT_EQ(s.series[0].name, "实收(元)");
  EXPECT_DOUBLE_EQ(s.series[0].values[0], 1234.56);
  EXPECT_TRUE(std::isnan(s.series[0].values[1]));
  EXPECT_EQ(s.series[1].values, (std::vector<double>{10, 12}));
  EXPECT_EQ(s.unit, ColumnUnit::Yuan);
  EXPECT_EQ(s.x_label, "月份");
  EXPECT_EQ(s.y_label, "实收(元)");
  EXPECT_EQ(s.table.rows.size(), 2u);

  const ChartSpec all = chart_from_table(t, ChartKind::Bar, "", "month", {});
  ASSERT_EQ(all.series.size(), 3u);
  EXPECT_EQ(all.series[2].name, "占比");
  const ChartSpec no_label = chart_from_table(t, ChartKind::Bar, "", "missing", {"visits"});
  EXPECT_EQ(no_label.categories, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(no_label.unit, ColumnUnit::Count);
}

}  // namespace
}  // namespace yimei::render
