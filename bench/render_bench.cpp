// Rendering costs: one 10-category bar chart (target < 30 ms) and to_text of 200 rows.
#include <benchmark/benchmark.h>

#include "core/render/chart.hpp"
#include "core/render/table_render.hpp"

namespace {

using namespace yimei;

render::ChartSpec ten_departments() {
  render::ChartSpec s;
  s.kind = render::ChartKind::Bar;
  s.title = "本月各科室业绩";
  s.subtitle = "2026年6月1日至30日，按实收金额";
  s.x_label = "科室";
  s.y_label = "实收金额";
  s.unit = ColumnUnit::Yuan;
  s.series.resize(1);
  for (int i = 0; i < 10; ++i) {
    s.categories.push_back("第" + std::to_string(i + 1) + "科室美容中心");
    s.series[0].values.push_back(1285000.0 - 97000.0 * i);
  }
  return s;
}

Table customers(int n) {
  Table t;
  Column phone{"phone", "手机号", ColumnType::Text};
  phone.is_phone = true;
  t.columns = {{"name", "顾客"},
               phone,
               {"dept", "科室"},
               {"amount", "累计消费(元)", ColumnType::Decimal, ColumnUnit::Yuan},
               {"visits", "到店次数", ColumnType::Integer, ColumnUnit::Count},
               {"last", "最近到店", ColumnType::Date}};
  for (int i = 0; i < n; ++i)
    t.rows.push_back({std::string(i % 2 ? "王丽" : "Linda 张"),
                      std::string("138") + std::to_string(10000000 + i),
                      std::string(i % 3 ? "皮肤美容科" : "微整形注射中心"),
                      Decimal::from_db(std::to_string(12000 + 937 * i) + ".50"),
                      std::int64_t{3 + i % 17}, *parse_date("2026-06-15")});
  return t;
}

void BM_BarChart10(benchmark::State& state) {
  const render::ChartSpec spec = ten_departments();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const render::ChartImage img = render::render_chart(spec);
    bytes = img.png.size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["png_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_BarChart10)->Unit(benchmark::kMillisecond);

void BM_ToText200(benchmark::State& state) {
  const Table t = customers(200);
  const render::RenderOptions all{false, 200};
  for (auto _ : state) benchmark::DoNotOptimize(render::to_text(t, all));
}
BENCHMARK(BM_ToText200)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
