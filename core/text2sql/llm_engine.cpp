// The LLM engine: prompt assembly (schema comments, definitions, catalog lists, few-shot
// examples dated from as_of), reply reading (QuerySpec JSON or one ```sql block) and the
// bounded repair loop.
#include "core/text2sql/llm_engine.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <chrono>
#include <set>

#include "core/text2sql/semantic_model.hpp"

namespace yimei::text2sql {

namespace json = boost::json;

std::vector<SchemaColumn> load_schema_comments(db::Connection& conn) {
  const Table t = conn.query(
      "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, COLUMN_COMMENT FROM information_schema.COLUMNS "
      "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('consultants', 'customers', "
      "'medical_products', 'consumption_records', 'write_off_records', 'unspent_balances') "
      "ORDER BY FIELD(TABLE_NAME, 'consultants', 'customers', 'medical_products', "
      "'consumption_records', 'write_off_records', 'unspent_balances'), ORDINAL_POSITION");
  std::vector<SchemaColumn> out;
  for (const Row& r : t.rows) {
    SchemaColumn c;
    auto text = [](const Value& v) {
      if (const auto* s = std::get_if<Text>(&v)) return s->str();
      return std::string();
    };
    c.table = text(r[0]);
    c.column = text(r[1]);
    c.type = text(r[2]);
    c.comment = text(r[3]);
    out.push_back(std::move(c));
  }
  return out;
}

LlmEngine::LlmEngine(ChatClient& client, LlmConfig config, std::vector<SchemaColumn> schema)
    : client_(client), config_(std::move(config)), schema_(std::move(schema)) {}

namespace {

std::string join_list(const std::vector<std::string>& v, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < max; ++i) out += (i ? "、" : "") + v[i];
  if (v.size() > max) out += "等共" + std::to_string(v.size()) + "项";
  return out;
}

std::string first_or(const std::vector<std::string>& v, const std::string& fallback) {
  return v.empty() ? fallback : v.front();
}

// Few-shot examples: generic shapes, with dates from as_of and values from the live catalog.
std::string few_shots(const Date& as_of, const EntitySnapshot& e) {
  const CatalogLists& l = e.lists();
  std::set<std::string> dset, tset;
  for (const auto& c : l.consultants) dset.insert(c.department);
  for (const auto& p : l.products) {
    dset.insert(p.department);
    tset.insert(p.type);
  }
  const std::string dept = dset.empty() ? "皮肤科" : *dset.begin();
  const std::string type = tset.empty() ? "疗程卡" : *tset.begin();
  const std::string level = first_or(l.membership_levels, "金卡");
  const Date m1 = first_of_month(add_months(as_of, -1));
  const Date m1e = last_of_month(m1);
  const Date y0 = first_of_month(add_months(as_of, -static_cast<int>(unsigned(as_of.month())) + 1));
  const Date mtd = first_of_month(as_of);
  const Date pm_to = add_months(as_of, -1);
  auto d = [](const Date& x) { return format_date(x); };
  std::string s;
  s += "问：上个月每个科室的业绩\n答：{\"frame\":\"aggregate\",\"measures\":[{\"name\":\"revenue\"}"
       "],"
       "\"dimensions\":[\"department\"],\"filters\":[],\"time\":{\"from\":\"" +
       d(m1) + "\",\"to\":\"" + d(m1e) + "\",\"label\":\"上个月\"}}\n";
  s += "问：今年消费最多的10个客户\n答：{\"frame\":\"top\",\"subject\":\"customer\",\"measures\":[{"
       "\"name\":\"revenue\"}],\"order\":[{\"by\":\"revenue\",\"desc\":true}],\"limit\":10,"
       "\"time\":{\"from\":\"" +
       d(y0) + "\",\"to\":\"" + d(as_of) + "\",\"label\":\"今年\"}}\n";
  s += "问：" + dept +
       "有哪几位咨询师\n答：{\"frame\":\"list\",\"subject\":\"consultant\","
       "\"filters\":[{\"field\":\"department\",\"op\":\"=\",\"values\":[\"" +
       dept + "\"]}]}\n";
  s +=
      "问：从没买过" + type + "的" + level +
      "客户有几个\n答：{\"frame\":\"entity_set\",\"subject\":"
      "\"customer\",\"output\":\"count\",\"filters\":[{\"field\":\"membership_level\",\"op\":\"=\","
      "\"values\":[\"" +
      level +
      "\"]}],\"conditions\":[{\"event\":\"consume\",\"negated\":true,"
      "\"filters\":[{\"field\":\"product_type\",\"op\":\"=\",\"values\":[\"" +
      type + "\"]}]}]}\n";
  s += "问：本月业绩比上月同期多多少\n答：{\"frame\":\"compare\",\"measures\":[{\"name\":"
       "\"revenue\"}],"
       "\"compare_mode\":\"diff\",\"time\":{\"from\":\"" +
       d(mtd) + "\",\"to\":\"" + d(as_of) + "\",\"label\":\"本月\"},\"compare\":{\"from\":\"" +
       d(first_of_month(pm_to)) + "\",\"to\":\"" + d(pm_to) + "\",\"label\":\"上月同期\"}}\n";
  return s;
}

}  // namespace

std::string LlmEngine::system_prompt(const Date& as_of, const EntitySnapshot& e) const {
  std::string p;
  p += "你是医美诊所数据助手的查询生成器：把用户的中文问题转换成 QuerySpec JSON（首选），"
       "或者一条 MariaDB 的只读 SELECT 语句。\n";
  p += "参考日期（今天）是 " + format_date(as_of) +
       "；相对时间（今天、上个月、今年、近N天）都按这个日期计算，时间区间是闭区间 [from, to]。\n\n";
  p += "## 数据表（只能查询这六张表）\n";
  std::string table;
  for (const auto& c : schema_) {
    if (c.table != table) {
      table = c.table;
      p += "\n" + table + "：\n";
    }
    p += "- " + c.column + " " + c.type + "：" + c.comment + "\n";
  }
  p += "\n## 业务口径（measures 的 name）\n";
  for (const auto& m : all_measures())
    p += "- " + std::string(m.id) + "：" + std::string(m.definition) + "\n";
  p += "- 二开率：frame=second_purchase，time 为新客首购区间，window_days 为二开窗口（默认90天）\n";
  p += "- 不活跃顾客：frame=inactive，window_days 为天数（默认180天）\n";
  p += "\n## QuerySpec\n";
  p += "frame 取值：aggregate（指标，可按 dimensions 分组）、top（按指标取前 limit 名 subject）、"
       "list（列出 subject，可带 attributes）、lookup（查某个对象的 attributes）、"
       "entity_set（有/没有某类事件的对象，conditions 里 event 取 consume/write_off/balance，"
       "negated 表示没有；output 取 list 或 count）、compare（两个时间段 time 与 compare 的指标差，"
       "compare_mode 取 diff 或 ratio）、growth_rank（按两期增长给 subject 排名）、"
       "having（对象级阈值，having.metric 取 visit_days/amount/orders/balance）、"
       "second_purchase、inactive。\n";
  p +=
      "subject：customer、consultant、product。dimensions 与 filters 的 field："
      "department、consultant、customer_consultant（顾客的专属咨询师）、product、product_type、"
      "customer、customer_id、membership_level、payment_method、health_tag、is_new（1新客/0老客）、"
      "standard_price、amount，时间维度 day、week、month、quarter、year。"
      "filters 的 op 取 =、!=、>、>=、<、<=，values 为字符串数组。\n";
  const CatalogLists& l = e.lists();
  std::set<std::string> dset, tset;
  std::vector<std::string> products, consultants;
  for (const auto& c : l.consultants) {
    dset.insert(c.department);
    consultants.push_back(c.name);
  }
  for (const auto& pr : l.products) {
    dset.insert(pr.department);
    tset.insert(pr.type);
    products.push_back(pr.name);
  }
  p += "\n## 可用取值\n";
  p += "科室：" + join_list({dset.begin(), dset.end()}, 50) + "\n";
  p += "品项类型：" + join_list({tset.begin(), tset.end()}, 50) + "\n";
  p += "会员等级：" + join_list(l.membership_levels, 20) + "\n";
  p += "支付方式：" + join_list(l.payment_methods, 20) + "\n";
  p += "健康标签：" + join_list(l.health_tags, 40) + "\n";
  p += "咨询师：" + join_list(consultants, 80) + "\n";
  p += "品项：" + join_list(products, 150) + "\n";
  p += "\n## 输出规则\n"
       "- 只输出一个 QuerySpec JSON 对象，或者一个 ```sql 代码块，不要任何解释。\n"
       "- SQL 只能是一条 SELECT（或 WITH ... SELECT），只读这六张表，不要修改数据，"
       "不要访问系统表，不要使用变量、注释或 SLEEP 等函数。\n"
       "- 列表问题只返回名称列；计数问题只返回一个数。\n";
  p += "\n## 示例\n" + few_shots(as_of, e);
  return p;
}

Outcome<LlmDraft> LlmEngine::read_reply(const std::string& content, const Date& as_of) {
  // A fenced SQL block.
  const std::size_t fence = content.find("```sql");
  if (fence != std::string::npos) {
    const std::size_t start = content.find('\n', fence);
    const std::size_t end = content.find("```", fence + 6);
    if (start == std::string::npos || end == std::string::npos || end < start)
      return bad_input("SQL 代码块没有正确结束。");
    if (content.find("```sql", end + 3) != std::string::npos)
      return bad_input("只能返回一个 SQL 代码块。");
    LlmDraft d;
    d.sql = content.substr(start + 1, end - start - 1);
    while (!d.sql.empty() && (d.sql.back() == '\n' || d.sql.back() == ' ')) d.sql.pop_back();
    if (d.sql.empty()) return bad_input("SQL 代码块是空的。");
    return d;
  }
  const std::size_t open = content.find('{');
  const std::size_t close = content.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open)
    return bad_input("输出既不是 QuerySpec JSON，也不是 ```sql 代码块。");
  boost::system::error_code ec;
  json::value v = json::parse(std::string_view(content).substr(open, close - open + 1), ec);
  if (ec) return bad_input("输出不是有效的 JSON：" + ec.message());
  auto spec = query_spec_from_json(v);
  if (!spec) return spec.error();
  for (const auto& m : spec->measures)
    if (!find_measure(m) && m != "second_purchase_rate")
      return bad_input("未知的指标 " + m + "：只能使用业务口径列出的 name。");
  auto compiled = compile_query(*spec, as_of);
  if (!compiled) return compiled.error();
  LlmDraft d;
  d.spec = std::move(*spec);
  d.sql = std::move(compiled->sql);
  d.params = std::move(compiled->params);
  d.columns = std::move(compiled->columns);
  return d;
}

Outcome<LlmAnswer> LlmEngine::answer(const std::string& question, const Date& as_of,
                                     const EntitySnapshot& entities,
                                     const DraftExecutor& execute) const {
  ChatRequest req;
  req.model = config_.model;
  req.timeout = config_.timeout;
  req.temperature = 0.0;
  req.messages.push_back({"system", system_prompt(as_of, entities)});
  req.messages.push_back({"user", question});
  LlmAnswer out;
  std::string last_error;
  for (int attempt = 0; attempt <= config_.max_repairs; ++attempt) {
    Outcome<ChatResponse> resp = client_.complete(req);
    if (!resp) {
      spdlog::warn("text2sql llm: request failed ({}): {}", attempt, resp.error().message);
      return resp.error();
    }
    out.prompt_tokens += resp->prompt_tokens;
    out.completion_tokens += resp->completion_tokens;
    spdlog::info("text2sql llm: attempt {} tokens {}+{} latency {} ms", attempt,
                 resp->prompt_tokens, resp->completion_tokens, resp->latency.count());
    Outcome<LlmDraft> draft = read_reply(resp->content, as_of);
    if (draft) {
      Outcome<ExecutedDraft> ran = execute(*draft);
      if (ran) {
        out.draft = std::move(*draft);
        out.executed = std::move(*ran);
        out.repairs = attempt;
        return out;
      }
      last_error = ran.error().message;
    } else {
      last_error = draft.error().message;
    }
    spdlog::info("text2sql llm: attempt {} rejected: {}", attempt, last_error);
    req.messages.push_back({"assistant", resp->content});
    std::string why = last_error;
    if (why.size() >= 3 && why.compare(why.size() - 3, 3, "。") == 0) why.resize(why.size() - 3);
    req.messages.push_back({"user", "上面的输出有问题：" + why +
                                        "。请修正，只返回一个 QuerySpec JSON 对象或一个 ```sql "
                                        "代码块。"});
  }
  return bad_input("大模型的输出经过" + std::to_string(config_.max_repairs) + "次修正仍然无效：" +
                   last_error);
}

}  // namespace yimei::text2sql
