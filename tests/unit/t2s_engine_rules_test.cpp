// The rules engine without a database, on an in-memory catalog of a clinic unlike the fixture:
// entity linking with typos and short forms, follow-up patches, clarification of vague
// questions, refusal of unplaceable time, bound literals and the provenance line.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/text2sql/followup.hpp"
#include "core/text2sql/provenance.hpp"
#include "core/text2sql/rules_engine.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

const Date kAsOf = *parse_date("2026-06-30");

std::shared_ptr<const EntitySnapshot> clinic_b() {
  CatalogLists l;
  l.consultants = {{"B01", "林晓雨", "美肤中心"},
                   {"B02", "周佳怡", "美肤中心"},
                   {"B03", "郑敏", "微整形科"},
                   {"B04", "陈思远", "抗衰老中心"}};
  l.products = {
      {"Q01", "超皮秒祛斑", "美肤中心", "单次"},        {"Q02", "水光补水针", "美肤中心", "单次"},
      {"Q03", "水光补水针6次卡", "美肤中心", "疗程卡"}, {"Q04", "玻尿酸填充", "微整形科", "单次"},
      {"Q05", "热玛吉五代", "抗衰老中心", "单次"},      {"Q06", "抗衰年卡", "抗衰老中心", "套餐"},
      {"Q07", "修护精华液", "美肤中心", "产品"}};
  l.customers = {{"K0001", "孙小美"}, {"K0002", "赵一鸣"}};
  l.membership_levels = {"普通", "银卡", "金卡", "钻石"};
  l.payment_methods = {"现金", "微信", "支付宝", "银行卡", "储值卡"};
  l.health_tags = {"敏感肌", "过敏史"};
  return EntityIndex::from_lists(l);
}

const EntitySnapshot& snap() {
  static auto s = clinic_b();
  return *s;
}

RulesResult ask(const std::string& q, const QuerySpec* prev = nullptr) {
  static const RulesEngine engine;
  return engine.understand(q, kAsOf, snap(), prev);
}

bool has_filter(const QuerySpec& s, const std::string& field, const std::string& value) {
  for (const auto& f : s.filters)
    if (f.field == field && std::find(f.values.begin(), f.values.end(), value) != f.values.end())
      return true;
  for (const auto& c : s.conditions)
    for (const auto& f : c.filters)
      if (f.field == field && std::find(f.values.begin(), f.values.end(), value) != f.values.end())
        return true;
  return false;
}

}  // namespace

TEST(T2sEngineRules, TypoInConsultantNameIsLinked) {
  RulesResult r = ask("林晓语本月业绩多少");  // 语 for 雨
  ASSERT_TRUE(r.spec) << r.normalized;
  ASSERT_TRUE(r.compiled);
  EXPECT_TRUE(has_filter(*r.spec, "consultant", "林晓雨"));
  ASSERT_FALSE(r.notes.empty());
  EXPECT_NE(r.notes.front().find("林晓雨"), std::string::npos);
  EXPECT_GE(r.confidence, 0.8);
}

TEST(T2sEngineRules, MissingCharacterInProductNameIsLinked) {
  RulesResult r = ask("超皮秒祛今年卖了多少钱");  // 斑 missing
  ASSERT_TRUE(r.spec);
  EXPECT_TRUE(has_filter(*r.spec, "product", "超皮秒祛斑"));
  EXPECT_EQ(r.spec->measures, std::vector<std::string>{"revenue"});
}

TEST(T2sEngineRules, WrongCharacterInProductNameIsLinked) {
  RulesResult r = ask("玻尿酸填冲今年开了几单");  // 冲 for 充
  ASSERT_TRUE(r.spec);
  EXPECT_TRUE(has_filter(*r.spec, "product", "玻尿酸填充"));
  EXPECT_EQ(r.spec->measures, std::vector<std::string>{"orders"});
}

TEST(T2sEngineRules, ShortFormsPickTheSingleProductNotTheCard) {
  RulesResult r = ask("水光针今年卖了几单");
  ASSERT_TRUE(r.spec);
  EXPECT_TRUE(has_filter(*r.spec, "product", "水光补水针"));
  EXPECT_FALSE(has_filter(*r.spec, "product", "水光补水针6次卡"));
  RulesResult card = ask("水光6次卡还没划完的客户有几个");
  ASSERT_TRUE(card.spec);
  EXPECT_TRUE(has_filter(*card.spec, "product", "水光补水针6次卡"));
  RulesResult thermage = ask("热玛吉今年的销售额");
  ASSERT_TRUE(thermage.spec);
  EXPECT_TRUE(has_filter(*thermage.spec, "product", "热玛吉五代"));
}

TEST(T2sEngineRules, DepartmentShortForms) {
  RulesResult r = ask("微整形今年的业绩");
  ASSERT_TRUE(r.spec);
  EXPECT_TRUE(has_filter(*r.spec, "department", "微整形科"));
}

TEST(T2sEngineRules, CatalogNamesAreBoundNeverInlined) {
  RulesResult r = ask("林晓雨名下的金卡客户今年在美肤中心消费了多少");
  ASSERT_TRUE(r.compiled) << (r.refusal ? r.refusal->message : "");
  EXPECT_EQ(r.compiled->sql.find("林晓雨"), std::string::npos);
  EXPECT_EQ(r.compiled->sql.find("金卡"), std::string::npos);
  EXPECT_EQ(r.compiled->sql.find("美肤中心"), std::string::npos);
  EXPECT_EQ(r.compiled->sql.find("2026-"), std::string::npos);
  bool bound_name = false;
  for (const auto& p : r.compiled->params)
    if (const auto* s = std::get_if<Text>(&p); s && *s == "林晓雨") bound_name = true;
  EXPECT_TRUE(bound_name);
  EXPECT_TRUE(has_filter(*r.spec, "customer_consultant", "林晓雨"));
}

TEST(T2sEngineRules, FramesOfTheMainQuestionKinds) {
  struct Case {
    const char* q;
    const char* frame;
  };
  const Case cases[] = {
      {"美肤中心都有哪几位顾问", "list"},
      {"孙小美有什么健康标签", "lookup"},
      {"上个月每个科室开了多少单", "aggregate"},
      {"今年卖得最好的3个疗程卡", "top"},
      {"从没买过产品类商品的钻石客户有几个", "entity_set"},
      {"上个月的流水比4月份多了多少", "compare"},
      {"今年上半年和去年同期比哪位顾问业绩增长最多", "growth_rank"},
      {"今年到店2次及以上的客户有多少", "having"},
      {"1月份新客的二开率", "second_purchase"},
      {"沉睡的金卡客户名单", "inactive"},
  };
  for (const auto& c : cases) {
    RulesResult r = ask(c.q);
    ASSERT_TRUE(r.spec) << c.q;
    EXPECT_EQ(r.spec->frame, c.frame) << c.q;
    EXPECT_TRUE(r.compiled) << c.q << (r.refusal ? r.refusal->message : "");
    EXPECT_GE(r.confidence, 0.8) << c.q;
  }
}

TEST(T2sEngineRules, FollowUpsPatchThePreviousSpec) {
  RulesResult first = ask("上个月每个科室的业绩");
  ASSERT_TRUE(first.spec);
  const QuerySpec prev = *first.spec;

  RulesResult then = ask("那本月呢", &prev);
  ASSERT_TRUE(then.spec);
  EXPECT_TRUE(then.followup);
  ASSERT_TRUE(then.spec->time);
  EXPECT_EQ(format_date(then.spec->time->from), "2026-06-01");
  EXPECT_EQ(then.spec->dimensions, std::vector<std::string>{"department"});
  EXPECT_EQ(then.spec->measures, prev.measures);

  RulesResult split = ask("按咨询师拆开", &prev);
  ASSERT_TRUE(split.spec);
  EXPECT_EQ(split.spec->dimensions, (std::vector<std::string>{"department", "consultant"}));
  EXPECT_EQ(split.spec->time, prev.time);

  RulesResult only = ask("只看金卡", &prev);
  ASSERT_TRUE(only.spec);
  EXPECT_TRUE(has_filter(*only.spec, "membership_level", "金卡"));
  ASSERT_TRUE(only.compiled);

  RulesResult top = ask("前5个", &prev);
  ASSERT_TRUE(top.spec);
  EXPECT_EQ(top.spec->limit, 5);
  EXPECT_EQ(top.spec->order_by, "revenue");

  // A full question is not a follow-up even with a previous spec.
  RulesResult fresh = ask("今年微信收款一共多少", &prev);
  ASSERT_TRUE(fresh.spec);
  EXPECT_FALSE(fresh.followup);
  EXPECT_TRUE(fresh.spec->dimensions.empty());
}

TEST(T2sEngineRules, FollowUpStoreForgetsAfterTtl) {
  FollowupStore store(std::chrono::seconds(60));
  QuerySpec s;
  s.frame = "aggregate";
  s.measures = {"revenue"};
  const auto t0 = FollowupStore::Clock::now();
  store.put("u1", "c1", s, t0);
  EXPECT_TRUE(store.get("u1", "c1", t0 + std::chrono::seconds(30)));
  EXPECT_FALSE(store.get("u1", "c2", t0 + std::chrono::seconds(30)));
  EXPECT_FALSE(store.get("u2", "c1", t0 + std::chrono::seconds(30)));
  EXPECT_FALSE(store.get("u1", "c1", t0 + std::chrono::seconds(61)));
}

TEST(T2sEngineRules, VagueQuestionsGetAClarificationWithSuggestions) {
  for (const char* q : {"怎么样", "最近怎么样啊", "天气不错", "帮我看看"}) {
    RulesResult r = ask(q);
    ASSERT_TRUE(r.clarification) << q;
    EXPECT_FALSE(r.compiled) << q;
    EXPECT_GE(r.clarification->suggestions.size(), 2u) << q;
    EXPECT_LE(r.clarification->suggestions.size(), 3u) << q;
    // Every suggestion is itself understood with confidence.
    for (const auto& s : r.clarification->suggestions) {
      RulesResult again = ask(s);
      EXPECT_TRUE(again.compiled && !again.clarification) << q << " -> " << s;
    }
  }
  RulesResult named = ask("林晓雨怎么样");
  ASSERT_TRUE(named.clarification);
  bool mentions = false;
  for (const auto& s : named.clarification->suggestions)
    if (s.find("林晓雨") != std::string::npos) mentions = true;
  EXPECT_TRUE(mentions);
}

TEST(T2sEngineRules, UnplaceableTimeIsRefusedNotGuessed) {
  for (const char* q : {"最近几天的业绩", "上上上个季度前后的业绩", "春节期间卖了多少"}) {
    RulesResult r = ask(q);
    EXPECT_TRUE(r.unplaceable) << q;
    ASSERT_TRUE(r.refusal) << q;
    EXPECT_FALSE(r.compiled) << q;
    EXPECT_FALSE(r.refusal->message.empty());
  }
}

TEST(T2sEngineRules, QuerySpecJsonRoundTrip) {
  RulesResult r = ask("去年有卖、今年一单没卖的疗程卡有哪些");
  ASSERT_TRUE(r.spec);
  const boost::json::value j = to_json(*r.spec);
  auto back = query_spec_from_json(boost::json::parse(boost::json::serialize(j)));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *r.spec);
  auto bad = query_spec_from_json(boost::json::parse(R"({"frame": 3})"));
  EXPECT_FALSE(bad);
}

TEST(T2sEngineRules, ProvenanceLineStatesDefinitionWindowFiltersAndEngine) {
  RulesResult r = ask("上个月美肤中心每个顾问的业绩");
  ASSERT_TRUE(r.spec);
  const std::string line = provenance_line(*r.spec, "rules");
  EXPECT_NE(line.find("业绩=消费记录实收金额合计"), std::string::npos) << line;
  EXPECT_NE(line.find("2026-05-01至2026-05-31"), std::string::npos) << line;
  EXPECT_NE(line.find("科室=美肤中心"), std::string::npos) << line;
  EXPECT_NE(line.find("规则引擎"), std::string::npos) << line;
  EXPECT_NE(provenance_line(*r.spec, "llm").find("大模型"), std::string::npos);
}

TEST(T2sEngineRules, WriteOffIsKeptApartFromCollections) {
  RulesResult w = ask("本月耗卡金额");
  ASSERT_TRUE(w.spec);
  EXPECT_EQ(w.spec->measures, std::vector<std::string>{"write_off_amount"});
  RulesResult c = ask("本月收款金额");
  ASSERT_TRUE(c.spec);
  EXPECT_EQ(c.spec->measures, std::vector<std::string>{"revenue"});
}

TEST(T2sEngineRules, WhoIsStaffForOrdersAndACustomerForSpending) {
  RulesResult staff = ask("上个月谁开单最多");
  ASSERT_TRUE(staff.spec && staff.compiled) << staff.normalized;
  EXPECT_EQ(staff.spec->frame, "top");
  EXPECT_EQ(staff.spec->subject, "consultant");
  EXPECT_EQ(staff.spec->order_by, "orders");
  EXPECT_EQ(staff.spec->limit, 1);
  RulesResult buyer = ask("上个月谁消费最多");
  ASSERT_TRUE(buyer.spec && buyer.compiled) << buyer.normalized;
  EXPECT_EQ(buyer.spec->subject, "customer");
  EXPECT_EQ(buyer.spec->order_by, "revenue");
}

TEST(T2sEngineRules, PriceNounWithASuperlativeRanksByPrice) {
  RulesResult r = ask("单价最高的项目是哪个");
  ASSERT_TRUE(r.spec && r.compiled) << r.normalized;
  EXPECT_EQ(r.spec->subject, "product");
  EXPECT_EQ(r.spec->order_by, "standard_price");
  EXPECT_TRUE(r.spec->order_desc);
  EXPECT_EQ(r.spec->limit, 1);
  RulesResult low = ask("标价最低的两个单次项目");
  ASSERT_TRUE(low.spec && low.compiled) << low.normalized;
  EXPECT_EQ(low.spec->order_by, "standard_price");
  EXPECT_FALSE(low.spec->order_desc);
  EXPECT_EQ(low.spec->limit, 2);
  EXPECT_TRUE(has_filter(*low.spec, "product_type", "单次"));
}

TEST(T2sEngineRules, TheLastTwoCharactersOfAProductNameAreLinked) {
  RulesResult r = ask("祛斑今年开了几单");  // 超皮秒祛斑
  ASSERT_TRUE(r.spec && r.compiled) << r.normalized;
  EXPECT_TRUE(has_filter(*r.spec, "product", "超皮秒祛斑"));
  EXPECT_EQ(r.spec->measures, std::vector<std::string>{"orders"});
  ASSERT_FALSE(r.notes.empty());
  EXPECT_NE(r.notes.front().find("超皮秒祛斑"), std::string::npos);
}

TEST(T2sEngineRules, SamePeriodWordsCompareTheWindowsTheyName) {
  RulesResult month = ask("本月到目前的业绩比上个月同期多多少");
  ASSERT_TRUE(month.spec && month.compiled) << month.normalized;
  EXPECT_EQ(month.spec->frame, "compare");
  ASSERT_TRUE(month.spec->time && month.spec->compare_time);
  EXPECT_EQ(format_date(month.spec->time->from), "2026-06-01");
  EXPECT_EQ(format_date(month.spec->compare_time->from), "2026-05-01");
  EXPECT_EQ(format_date(month.spec->compare_time->to), "2026-05-31");
  EXPECT_EQ(month.spec->compare_mode, "diff");
  RulesResult year = ask("和去年同期相比今年的业绩增长了多少");
  ASSERT_TRUE(year.spec && year.compiled) << year.normalized;
  ASSERT_TRUE(year.spec->time && year.spec->compare_time);
  EXPECT_EQ(format_date(year.spec->time->from), "2026-01-01");
  EXPECT_EQ(format_date(year.spec->time->to), "2026-06-30");
  EXPECT_EQ(format_date(year.spec->compare_time->from), "2025-01-01");
  EXPECT_EQ(format_date(year.spec->compare_time->to), "2025-06-30");
  EXPECT_EQ(year.spec->compare_mode, "diff");
}

namespace {

// A catalog with four-character department stems and long card names, for the short forms
// staff type: 紧致科 for 射频紧致科, 全脸微针卡 for 黄金微针全脸3次卡.
const EntitySnapshot& snap_c() {
  static auto s = [] {
    CatalogLists l;
    l.consultants = {{"E01", "方若宁", "射频紧致科"}, {"E02", "贺一帆", "毛发养护中心"}};
    l.products = {{"R01", "黄金微针全脸3次卡", "射频紧致科", "疗程卡"},
                  {"R02", "黄金微针单次", "射频紧致科", "单次"},
                  {"R03", "头皮护理10次卡", "毛发养护中心", "疗程卡"}};
    l.customers = {{"M0001", "钱多多"}};
    l.membership_levels = {"普通", "银卡", "金卡", "钻石"};
    l.payment_methods = {"现金", "微信"};
    return EntityIndex::from_lists(l);
  }();
  return *s;
}

RulesResult ask_c(const std::string& q) {
  static const RulesEngine engine;
  return engine.understand(q, kAsOf, snap_c(), nullptr);
}

}  // namespace

TEST(T2sEngineRules, FourCharacterDepartmentStemsGiveShortForms) {
  RulesResult r = ask_c("紧致科上个月业绩多少");
  ASSERT_TRUE(r.spec) << r.normalized;
  EXPECT_TRUE(has_filter(*r.spec, "department", "射频紧致科"));
  RulesResult r2 = ask_c("射频科今年收了多少");
  ASSERT_TRUE(r2.spec);
  EXPECT_TRUE(has_filter(*r2.spec, "department", "射频紧致科"));
}

TEST(T2sEngineRules, ReorderedShortFormsKeepingTheLastCharacterAreLinked) {
  RulesResult r = ask_c("全脸微针卡还没划完的有几个人");
  ASSERT_TRUE(r.spec) << r.normalized;
  EXPECT_TRUE(has_filter(*r.spec, "product", "黄金微针全脸3次卡"));
  RulesResult d = ask_c("养发中心有哪几个顾问");
  ASSERT_TRUE(d.spec);
  EXPECT_TRUE(has_filter(*d.spec, "department", "毛发养护中心"));
}

TEST(T2sEngineRules, CountWordsCountTheRecordsOfTheEvent) {
  RulesResult r = ask("上周划扣了几笔");
  ASSERT_TRUE(r.spec);
  EXPECT_EQ(r.spec->measures, std::vector<std::string>{"write_off_count"});
  RulesResult o = ask("上周开了几笔");
  ASSERT_TRUE(o.spec);
  EXPECT_EQ(o.spec->measures, std::vector<std::string>{"orders"});
}

TEST(T2sEngineRules, AverageOverAUnitIsAPerUnitMeasure) {
  RulesResult c = ask("去年平均每个客户消费多少");
  ASSERT_TRUE(c.spec);
  EXPECT_EQ(c.spec->measures, std::vector<std::string>{"per_customer"});
  RulesResult w = ask("划扣平均一笔多少钱");
  ASSERT_TRUE(w.spec);
  EXPECT_EQ(w.spec->measures, std::vector<std::string>{"avg_write_off"});
  ASSERT_TRUE(w.compiled);
  EXPECT_NE(w.compiled->sql.find("COUNT(*)"), std::string::npos) << w.compiled->sql;
  RulesResult wc = ask("去年平均每个客户划扣多少");
  ASSERT_TRUE(wc.compiled);
  EXPECT_EQ(wc.spec->measures, std::vector<std::string>{"write_off_per_customer"});
  EXPECT_NE(wc.compiled->sql.find("COUNT(DISTINCT w.customer_id)"), std::string::npos)
      << wc.compiled->sql;
  RulesResult o = ask("今年收款平均一笔多少钱");
  ASSERT_TRUE(o.spec);
  EXPECT_EQ(o.spec->measures, std::vector<std::string>{"avg_order"});
}

namespace {

// A catalog whose injectables are named by their drug (肉毒素瘦脸) while staff call them by the
// needle (瘦脸针), with 中心 departments that have no 科 short forms.
const EntitySnapshot& snap_d() {
  static auto s = [] {
    CatalogLists l;
    l.consultants = {{"G01", "莫语嫣", "轻医美中心"},
                     {"G02", "岑立言", "轻医美中心"},
                     {"G03", "伍思齐", "眼鼻整形中心"}};
    l.products = {{"S01", "肉毒素瘦脸50单位", "轻医美中心", "单次"},
                  {"S02", "水光焕颜3次卡", "轻医美中心", "疗程卡"},
                  {"S03", "韩式双眼皮", "眼鼻整形中心", "单次"}};
    l.customers = {{"N0001", "严可可"}};
    l.membership_levels = {"普卡", "金卡", "白金卡"};
    l.payment_methods = {"现金", "微信"};
    return EntityIndex::from_lists(l);
  }();
  return *s;
}

RulesResult ask_d(const std::string& q) {
  static const RulesEngine engine;
  return engine.understand(q, kAsOf, snap_d(), nullptr);
}

}  // namespace

TEST(T2sEngineRules, WhoWithoutANounListsTheStaffOfADepartment) {
  RulesResult r = ask_d("轻医美中心都有谁");
  ASSERT_TRUE(r.spec) << r.normalized;
  EXPECT_EQ(r.spec->frame, "list");
  EXPECT_EQ(r.spec->subject, "consultant");
  EXPECT_TRUE(has_filter(*r.spec, "department", "轻医美中心"));
}

TEST(T2sEngineRules, NeedleWordLinksAnInjectableNamedByItsDrug) {
  RulesResult r = ask_d("瘦脸针标价多少");
  ASSERT_TRUE(r.spec) << r.normalized;
  EXPECT_TRUE(has_filter(*r.spec, "product", "肉毒素瘦脸50单位"));
}

TEST(T2sEngineRules, HowMuchIsLeftNotWrittenOffIsTheOpenBalance) {
  RulesResult r = ask_d("轻医美中心还有多少没划的");
  ASSERT_TRUE(r.spec) << r.normalized;
  EXPECT_EQ(r.spec->measures, std::vector<std::string>{"balance"});
  EXPECT_TRUE(r.spec->conditions.empty());
  // Customers lacking a write-off stay a negated condition.
  RulesResult c = ask_d("轻医美中心还有多少客户没划扣");
  ASSERT_TRUE(c.spec) << c.normalized;
  EXPECT_FALSE(c.spec->conditions.empty());
}
