// The analysis catalog, parameter validation and the exact money helpers, without a database.
#include <gtest/gtest.h>

#include <set>

#include "core/analysis/analysis.hpp"
#include "core/analysis/params.hpp"
#include "core/analysis/support.hpp"

using namespace yimei;
using namespace yimei::analysis;

namespace {

AnalysisRequest req(std::map<std::string, std::string> params = {}) {
  AnalysisRequest r;
  r.as_of = *parse_date("2026-06-30");
  r.params = std::move(params);
  return r;
}

const AnalysisInfo& info(const char* name) {
  const AnalysisInfo* i = find_analysis(name);
  if (!i) throw std::out_of_range(name);
  return *i;
}

}  // namespace

TEST(AnalysisCatalog, SevenAnalysesWithUniqueNamesAndAliases) {
  const auto& all = catalog();
  ASSERT_EQ(all.size(), 7u);
  std::set<std::string> names, aliases;
  for (const auto& a : all) {
    EXPECT_TRUE(names.insert(a.name).second) << a.name;
    EXPECT_FALSE(a.title_zh.empty());
    for (const auto& alias : a.aliases_zh) {
      const AnalysisInfo* found = find_analysis(alias);
      ASSERT_NE(found, nullptr) << alias;
      EXPECT_EQ(found->name, a.name) << alias << " is claimed by two analyses";
    }
  }
  EXPECT_EQ(info("不活跃").name, "inactive-customers");
  EXPECT_EQ(info("二开率").name, "new-customer-repurchase");
  EXPECT_EQ(info("VIP").name, "vip-consumption");
  EXPECT_EQ(info("余额").name, "unspent-balances");
  EXPECT_EQ(info("科室业绩").name, "department-performance");
  EXPECT_EQ(info("品项").name, "product-performance");
  EXPECT_EQ(info("增长点").name, "growth-points");
  EXPECT_EQ(info("Growth_Points").name, "growth-points");
  EXPECT_EQ(find_analysis("营业额预测"), nullptr);
  EXPECT_NE(analysis_names_zh().find("unspent-balances"), std::string::npos);
}

TEST(AnalysisCatalog, DefaultsAreThoseOfTheSpec) {
  auto r = resolve_request(info("inactive-customers"), req());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->params.get_int("days"), 180);
  auto v = resolve_request(info("vip-consumption"), req());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->params.get_list("vip_levels"), (std::vector<std::string>{"金卡", "钻石"}));
  EXPECT_EQ(v->params.get_decimal("decline_ratio").to_string(), "0.5");
  auto b = resolve_request(info("unspent-balances"), req());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->params.get_int("expiring_days"), 30);
  EXPECT_EQ(b->params.get_int("dormant_days"), 90);
  auto n = resolve_request(info("new-customer-repurchase"), req());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->params.get_int("window"), 90);
  auto g = resolve_request(info("growth-points"), req());
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->params.get_int("detail"), 0);
  EXPECT_EQ(g->params.all().size(), info("growth-points").params.size());
}

TEST(AnalysisParams, BadValuesGiveOneChineseSentence) {
  auto unknown = resolve_request(info("inactive-customers"), req({{"dayz", "3"}}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("没有参数 dayz"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("days"), std::string::npos);
  for (const char* bad : {"abc", "", "1.5", "0", "-3", "99999"}) {
    auto r = resolve_request(info("inactive-customers"), req({{"days", bad}}));
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::BadInput);
    }
  }
  EXPECT_FALSE(resolve_request(info("vip-consumption"), req({{"decline_ratio", "2"}})).ok());
  EXPECT_FALSE(resolve_request(info("vip-consumption"), req({{"vip_levels", "，"}})).ok());
  EXPECT_FALSE(resolve_request(info("growth-points"), req({{"detail", "11"}})).ok());
  auto ok = resolve_request(info("vip-consumption"), req({{"vip_levels", "钻石、 金卡"}}));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->params.all().at("vip_levels"), "钻石,金卡");
}

TEST(AnalysisParams, PeriodsAreCheckedAndEndAtAsOf) {
  auto r = req();
  r.from = *parse_date("2026-06-01");
  r.to = *parse_date("2026-07-31");
  auto clamped = resolve_request(info("department-performance"), r);
  ASSERT_TRUE(clamped.ok());
  EXPECT_EQ(format_date(*clamped->to), "2026-06-30");
  EXPECT_FALSE(resolve_request(info("unspent-balances"), r).ok());  // no period there
  r.to.reset();
  EXPECT_FALSE(resolve_request(info("department-performance"), r).ok());  // half a period
  auto by_params = resolve_request(info("product-performance"),
                                   req({{"from", "2026-05-01"}, {"to", "2026-05-31"}}));
  ASSERT_TRUE(by_params.ok());
  EXPECT_EQ(format_date(*by_params->from), "2026-05-01");
  EXPECT_FALSE(
      resolve_request(info("product-performance"), req({{"from", "2026-13-01"}, {"to", "x"}}))
          .ok());
  auto late = req();
  late.from = *parse_date("2026-07-01");
  late.to = *parse_date("2026-07-31");
  EXPECT_FALSE(resolve_request(info("product-performance"), late).ok());
}

TEST(AnalysisMoney, ExactHelpers) {
  using namespace yimei::analysis::detail;
  EXPECT_EQ(multiply(Decimal::from_db("1234.56"), Decimal::from_db("0.3")).to_string(), "370.37");
  EXPECT_EQ(multiply(Decimal::from_db("0.05"), Decimal::from_db("0.5")).to_string(), "0.03");
  EXPECT_EQ(multiply(Decimal::from_db("-10.01"), Decimal::from_db("0.5")).to_string(), "-5.01");
  EXPECT_EQ(divide(Decimal::from_db("100.00"), 3).to_string(), "33.33");
  EXPECT_EQ(divide(Decimal::from_db("200.00"), 3).to_string(), "66.67");
  EXPECT_EQ(divide(Decimal::from_db("1.00"), 0).to_string(), "0.00");
  EXPECT_EQ(divide(Decimal::from_db("99999999999.99"), 7).to_string(), "14285714285.71");
  EXPECT_EQ(yuan(Decimal::from_db("1234567.891")), "1,234,567.89元");
  EXPECT_EQ(yuan(Decimal::from_db("-1234.5")), "-1,234.50元");
  EXPECT_EQ(yuan(Decimal::from_db("12")), "12.00元");
  EXPECT_EQ(percent(0.253), "25.3%");
  EXPECT_EQ(percent(Value(Null{})), "-");
  const auto prev = previous_period(*parse_date("2026-06-01"), *parse_date("2026-06-30"));
  EXPECT_EQ(format_date(prev.first), "2026-05-02");
  EXPECT_EQ(format_date(prev.second), "2026-05-31");
  const auto yoy = year_earlier(*parse_date("2024-02-29"), *parse_date("2024-03-31"));
  EXPECT_EQ(format_date(yoy.first), "2023-02-28");
  EXPECT_EQ(split_list(" 金卡,钻石，银卡、 "), (std::vector<std::string>{"金卡", "钻石", "银卡"}));
}

TEST(RowSubset, MakesATableOfTheChosenRowsInOrder) {
  Table t;
  t.columns = {{"id", "编号", ColumnType::Integer}};
  for (std::int64_t i = 0; i < 6; ++i) t.rows.push_back({i * 10});
  const RowSubset subset{"某些行", {1, 4, 5}};
  const Table all = subset_table(t, subset);
  ASSERT_EQ(all.rows.size(), 3u);
  EXPECT_EQ(all.columns[0].label, "编号");
  EXPECT_EQ(std::get<std::int64_t>(all.rows[0][0]), 10);
  EXPECT_EQ(std::get<std::int64_t>(all.rows[2][0]), 50);
  const Table first = subset_table(t, subset, 2);
  ASSERT_EQ(first.rows.size(), 2u);
  EXPECT_EQ(std::get<std::int64_t>(first.rows[1][0]), 40);
  EXPECT_THROW((void)subset_table(t, RowSubset{"越界", {6}}), std::out_of_range);
}
