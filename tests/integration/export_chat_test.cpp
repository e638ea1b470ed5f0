// Charts and exports through the real router, inbox and outbox on a ScratchDatabase of
// clinic-a-small (as_of 2026-06-30) with the real Text2SQL engine on the read-only account:
// /导出 of the last answer and of an analysis (XLSX read back by openpyxl and CSV, compared
// cell by cell with independent SQL), phones masked by role, group refusals, audit rows, the
// steering words and the 环比 sentence in chat replies.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>

#include "bot/inbox.hpp"
#include "bot/outbox.hpp"
#include "bot/processor.hpp"
#include "core/db/readonly.hpp"
#include "core/render/number_text.hpp"
#include "core/render/png_pixels.hpp"
#include "core/render/table_render.hpp"
#include "core/text2sql/engine.hpp"
#include "tests/support/scratch_db.hpp"
#include "tests/support/xlsx_readback.hpp"

using namespace yimei;
using namespace yimei::bot;

namespace {

class ExportHarness {
 public:
  ExportHarness()
      : db_("clinic-a-small.sql.gz"),
        config_(Config::defaults()),
        limiter_(0, 0),
        ro_(readonly_config(db_.name())),
        index_(db_.pool(), std::chrono::seconds(60)),
        engine_(ro_, index_, engine_config(db_.name())),
        services_{.config = config_,
                  .pool = db_.pool(),
                  .engine = &engine_,
                  .today = [] { return *parse_date("2026-06-30"); },
                  .rate_limiter = limiter_,
                  .policy = ConversationPolicy{},
                  .admins = {"boss"},
                  .progress_notice = {}},
        router_(services_),
        processor_(services_, router_) {
    auto c = db_.pool().acquire();
    c->execute(
        "INSERT INTO bot_users (platform, user_id, role, consultant_id) VALUES "
        "('wecom','wang','consultant','E001'),('wecom','mgr','manager',NULL)");
  }

  static db::DbConfig readonly_config(const std::string& name) {
    db::DbConfig c = test::env_readonly_config(name);
    c.session_init_sql = db::read_only_session_sql(std::chrono::seconds(30));
    c.pool_size = 2;
    return c;
  }
  static text2sql::EngineConfig engine_config(const std::string& name) {
    text2sql::EngineConfig e;
    e.limits.max_rows = 200;
    e.limits.statement_timeout = std::chrono::seconds(30);
    e.database = name;
    return e;
  }

  // Records, processes and delivers one message; returns the single reply.
  Reply say(const std::string& user, const std::string& text, bool group = false) {
    IncomingMessage m;
    m.platform = "wecom";
    m.msg_id = "x" + std::to_string(++counter_);
    m.user_id = user;
    m.text = text;
    m.is_group = group;
    if (group) m.chat_id = "group-1";
    {
      auto c = db_.pool().acquire();
      record_incoming(*c, m);
    }
    processor_.process(m.platform, m.msg_id);
    std::vector<Reply> out;
    deliver_due(
        db_.pool(), "wecom",
        [&](const OutboxRow& r) -> Outcome<bool> {
          out.push_back(r.reply);
          return true;
        },
        OutboxPolicy{});
    EXPECT_EQ(out.size(), 1u) << text;
    return out.empty() ? Reply{} : out.front();
  }

  Table query(const std::string& sql, const db::Params& p = {}) {
    auto c = db_.pool().acquire();
    return c->query(sql, p);
  }
  std::int64_t count(const std::string& sql, const db::Params& p = {}) {
    return std::get<std::int64_t>(query(sql, p).rows.at(0).at(0));
  }

  test::ScratchDatabase db_;
  Config config_;
  RateLimiter limiter_;
  db::ConnectionPool ro_;
  text2sql::EntityIndex index_;
  text2sql::Engine engine_;
  AppServices services_;
  Router router_;
  MessageProcessor processor_;
  int counter_ = 0;
};

std::string bytes_of(const Attachment& a) {
  return std::string(a.bytes.begin(), a.bytes.end());
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// The customers inactive for >= `days` at 2026-06-30 per analyses.md, worked out here in SQL:
// customer_id -> phone, optionally for one consultant.
std::map<std::string, std::string> inactive_by_sql(ExportHarness& h, int days,
                                                   const std::string& consultant = "") {
  const std::string sql =
      "SELECT c.customer_id, c.phone FROM customers c "
      "LEFT JOIN (SELECT customer_id, MAX(consume_date) d FROM consumption_records "
      "           WHERE consume_date <= '2026-06-30' GROUP BY customer_id) r "
      "  ON r.customer_id = c.customer_id "
      "LEFT JOIN (SELECT customer_id, MAX(write_off_date) d FROM write_off_records "
      "           WHERE write_off_date <= '2026-06-30' GROUP BY customer_id) w "
      "  ON w.customer_id = c.customer_id "
      "WHERE c.register_date <= '2026-06-30' AND DATEDIFF('2026-06-30', "
      "  COALESCE(NULLIF(GREATEST(COALESCE(r.d, '1000-01-01'), COALESCE(w.d, '1000-01-01'), "
      "    COALESCE(IF(c.last_visit_date <= '2026-06-30', c.last_visit_date, NULL), "
      "'1000-01-01')), "
      "    '1000-01-01'), c.register_date)) >= ? " +
      std::string(consultant.empty() ? "" : "AND c.consultant_id = ?");
  db::Params p{std::int64_t{days}};
  if (!consultant.empty()) p.push_back(consultant);
  std::map<std::string, std::string> out;
  for (const Row& r : h.query(sql, p).rows)
    out[std::get<Text>(r[0])] = is_null(r[1]) ? "" : std::get<Text>(r[1]);
  return out;
}

// CSV lines (CRLF) without the BOM; fields split on commas (the test data has none inside).
std::vector<std::vector<std::string>> csv_rows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::string body = csv.substr(3);
  std::size_t pos = 0;
  while (pos < body.size()) {
    const auto end = body.find("\r\n", pos);
    const std::string line = body.substr(pos, end - pos);
    std::vector<std::string> fields;
    std::size_t a = 0;
    while (true) {
      const auto b = line.find(',', a);
      fields.push_back(line.substr(a, b - a));
      if (b == std::string::npos) break;
      a = b + 1;
    }
    rows.push_back(fields);
    pos = end == std::string::npos ? body.size() : end + 2;
  }
  return rows;
}

}  // namespace

TEST(ExportChat, LastAnswerExportsAsXlsxMatchingAnIndependentQuery) {
  ExportHarness h;
  const Reply answer = h.say("boss", "上个月各科室业绩");
  ASSERT_FALSE(answer.is_error) << answer.text;
  EXPECT_FALSE(answer.chart_png.empty());  // a measure by category: a bar chart
  EXPECT_TRUE(answer.files.empty());       // a short table needs no file

  const Reply r = h.say("boss", "/导出");
  ASSERT_FALSE(r.is_error) << r.text;
  ASSERT_EQ(r.files.size(), 1u) << r.text;
  EXPECT_EQ(r.files[0].file_name, "上个月各科室业绩-2026-06-30.xlsx");
  EXPECT_EQ(r.files[0].mime_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_TRUE(contains(r.text, "已导出")) << r.text;

  const Table gold = h.query(
      "SELECT department, SUM(amount) FROM consumption_records WHERE consume_date BETWEEN "
      "'2026-05-01' AND '2026-05-31' GROUP BY department");
  ASSERT_GT(gold.rows.size(), 1u);
  const test::XlsxBook book = test::read_xlsx_bytes(bytes_of(r.files[0]));
  const test::XlsxSheet* s = book.sheet("查询结果");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->freeze, "A2");
  ASSERT_EQ(s->rows.size(), gold.rows.size() + 1);
  ASSERT_EQ(s->rows[0].size(), 2u);
  EXPECT_EQ(s->rows[0][0].type, "s");
  std::map<std::string, std::string> got;
  for (std::size_t i = 1; i < s->rows.size(); ++i) {
    ASSERT_EQ(s->rows[i][0].type, "s");
    ASSERT_EQ(s->rows[i][1].type, "n");  // money is a number, with 2 decimals shown
    EXPECT_EQ(s->rows[i][1].format, "#,##0.00");
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", s->rows[i][1].number());
    got[s->rows[i][0].text()] = buf;
  }
  for (const Row& g : gold.rows)
    EXPECT_EQ(got[std::get<Text>(g[0])], std::get<Decimal>(g[1]).rounded(2).to_string());
  ASSERT_NE(book.sheet("说明"), nullptr);

  // One audit row, with what left and how.
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export' AND user_id = "
                    "'boss' AND entity = 'answer'"),
            1);
  const auto after = boost::json::parse(
      std::get<Text>(
          h.query("SELECT after_json FROM bot_audit_log WHERE action = 'export'").rows.at(0).at(0))
          .view());
  EXPECT_EQ(after.at("format").as_string(), "xlsx");
  EXPECT_EQ(after.at("rows").as_int64(), static_cast<std::int64_t>(gold.rows.size()));
  EXPECT_EQ(after.at("source").as_string(), "上个月各科室业绩");
}

TEST(ExportChat, AnalysisAsCsvWithPhonesMaskedForAConsultantAndFullForAManager) {
  ExportHarness h;
  const auto wang_gold = inactive_by_sql(h, 90, "E001");
  ASSERT_FALSE(wang_gold.empty());
  const Reply r = h.say("wang", "/导出 不活跃 days=90 csv");
  ASSERT_EQ(r.files.size(), 1u) << r.text;
  EXPECT_EQ(r.files[0].file_name, "不活跃顾客-2026-06-30.csv");
  EXPECT_TRUE(contains(r.text, "脱敏")) << r.text;
  const std::string csv = bytes_of(r.files[0]);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const auto rows = csv_rows(csv);
  ASSERT_EQ(rows.size(), wang_gold.size() + 1);  // header + every inactive customer of E001
  std::size_t masked = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto it = wang_gold.find(rows[i][0]);
    ASSERT_NE(it, wang_gold.end()) << rows[i][0];
    EXPECT_EQ(rows[i][2], render::mask_phone(it->second));  // exactly as on screen
    if (!it->second.empty()) {
      EXPECT_TRUE(contains(rows[i][2], "****")) << rows[i][2];
      ++masked;
    }
  }
  EXPECT_GT(masked, 0u);

  const auto all_gold = inactive_by_sql(h, 90);
  const Reply m = h.say("mgr", "/导出 不活跃 days=90");
  ASSERT_EQ(m.files.size(), 1u) << m.text;
  const test::XlsxBook book = test::read_xlsx_bytes(bytes_of(m.files[0]));
  ASSERT_FALSE(book.sheets.empty());
  const test::XlsxSheet& s = book.sheets[0];
  EXPECT_EQ(s.name, "不活跃顾客");
  ASSERT_EQ(s.rows.size(), all_gold.size() + 1);
  for (std::size_t i = 1; i < s.rows.size(); ++i) {
    const auto it = all_gold.find(s.rows[i][0].text());
    ASSERT_NE(it, all_gold.end());
    EXPECT_EQ(s.rows[i][2].text(), it->second);  // managers see full phones
    EXPECT_EQ(s.rows[i][5].type, "d");           // last activity is a date
  }
  EXPECT_NE(book.sheet("按咨询师"), nullptr);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export' AND entity = "
                    "'analysis' AND entity_id = 'inactive-customers'"),
            2);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export' AND "
                    "JSON_EXTRACT(after_json, '$.phones_masked') = 'true' AND user_id = 'wang'"),
            1);
}

TEST(ExportChat, GroupsGetAggregatesOnly) {
  ExportHarness h;
  const Reply refused = h.say("mgr", "/导出 不活跃 days=90", true);
  EXPECT_TRUE(refused.is_error);
  EXPECT_TRUE(contains(refused.text, "私聊")) << refused.text;
  EXPECT_TRUE(refused.files.empty());
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export'"), 0);

  const Reply ok = h.say("mgr", "/导出 科室业绩", true);
  ASSERT_EQ(ok.files.size(), 1u) << ok.text;
  const test::XlsxBook book = test::read_xlsx_bytes(bytes_of(ok.files[0]));
  ASSERT_FALSE(book.sheets.empty());
  const Table gold = h.query(
      "SELECT department, SUM(amount), COUNT(*) FROM consumption_records WHERE consume_date "
      "BETWEEN '2026-06-01' AND '2026-06-30' GROUP BY department");
  const test::XlsxSheet& s = book.sheets[0];
  ASSERT_EQ(s.rows.size(), gold.rows.size() + 1);
  // Columns by header: department, revenue, orders.
  std::map<std::string, std::size_t> col;
  for (std::size_t j = 0; j < s.rows[0].size(); ++j) col[s.rows[0][j].text()] = j;
  std::map<std::string, std::pair<double, double>> got;
  for (std::size_t i = 1; i < s.rows.size(); ++i)
    got[s.rows[i][0].text()] = {s.rows[i][1].number(), s.rows[i][2].number()};
  for (const Row& g : gold.rows) {
    const auto& [revenue, orders] = got[std::get<Text>(g[0])];
    EXPECT_NEAR(revenue, std::get<Decimal>(g[1]).to_double(), 0.005);
    EXPECT_EQ(orders, static_cast<double>(std::get<std::int64_t>(g[2])));
  }
  // A question listing customers is refused in the group too; its aggregate is fine.
  h.say("mgr", "去年消费最多的10个客户", true);
  const Reply list = h.say("mgr", "/导出", true);
  EXPECT_TRUE(list.is_error);
  EXPECT_TRUE(list.files.empty());
}

TEST(ExportChat, AnswerListingCustomersIsMaskedForTheConsultantAndScopedToThem) {
  ExportHarness h;
  const Reply a = h.say("wang", "去年消费最多的10个客户");
  ASSERT_FALSE(a.is_error) << a.text;
  const Reply r = h.say("wang", "/导出 格式=csv");
  ASSERT_EQ(r.files.size(), 1u) << r.text;
  const auto rows = csv_rows(bytes_of(r.files[0]));
  ASSERT_GT(rows.size(), 1u);
  // Only E001's customers, each at most once.
  std::set<std::string> own;
  for (const Row& x : h.query("SELECT name FROM customers WHERE consultant_id = 'E001'").rows)
    own.insert(std::get<Text>(x[0]));
  std::size_t name_col = 0;
  for (std::size_t j = 0; j < rows[0].size(); ++j)
    if (contains(rows[0][j], "姓名") || contains(rows[0][j], "顾客") ||
        contains(rows[0][j], "客户"))
      name_col = j;
  for (std::size_t i = 1; i < rows.size(); ++i)
    EXPECT_TRUE(own.count(rows[i][name_col])) << rows[i][name_col];
  const Reply pdf = h.say("wang", "/导出 pdf");
  EXPECT_TRUE(pdf.is_error);
  EXPECT_TRUE(contains(pdf.text, "xlsx 或 csv")) << pdf.text;
}

TEST(ExportChat, NothingToExportAndBadFormatSayWhy) {
  ExportHarness h;
  const Reply none = h.say("boss", "/导出");
  EXPECT_TRUE(none.is_error);
  EXPECT_TRUE(contains(none.text, "还没有可以导出的回答")) << none.text;
  const Reply bad = h.say("boss", "/导出 不活跃 格式=pdf");
  EXPECT_TRUE(bad.is_error);
  EXPECT_TRUE(contains(bad.text, "xlsx 或 csv")) << bad.text;
  const Reply param = h.say("boss", "/导出 不活跃 九十天");
  EXPECT_TRUE(param.is_error);
  EXPECT_TRUE(contains(param.text, "名称=值")) << param.text;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export'"), 0);
}

TEST(ExportChat, LastAnalysisIsWhatAPlainExportTakes) {
  ExportHarness h;
  const Reply shown = h.say("mgr", "/科室业绩");
  ASSERT_FALSE(shown.is_error) << shown.text;
  const Reply r = h.say("mgr", "/导出");
  ASSERT_EQ(r.files.size(), 1u) << r.text;
  EXPECT_EQ(r.files[0].file_name, "科室业绩-2026-06-30.xlsx");
  // /反馈 still works on an analysis.
  EXPECT_TRUE(contains(h.say("mgr", "/反馈 对").text, "感谢"));
  // A question after /导出 is answered and exported at once.
  const Reply q = h.say("mgr", "/导出 上个月每个科室各开了多少单 csv");
  ASSERT_EQ(q.files.size(), 1u) << q.text;
  EXPECT_EQ(q.files[0].file_name, "上个月每个科室各开了多少单-2026-06-30.csv");
  const auto rows = csv_rows(bytes_of(q.files[0]));
  const Table gold = h.query(
      "SELECT department, COUNT(*) FROM consumption_records WHERE consume_date BETWEEN "
      "'2026-05-01' AND '2026-05-31' GROUP BY department");
  ASSERT_EQ(rows.size(), gold.rows.size() + 1);
  std::map<std::string, std::string> got;
  for (std::size_t i = 1; i < rows.size(); ++i) got[rows[i][0]] = rows[i][1];
  for (const Row& g : gold.rows)
    EXPECT_EQ(got[std::get<Text>(g[0])], std::to_string(std::get<std::int64_t>(g[1])));
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export'"), 2);
}

TEST(ExportChat, SteeringWordsShapeTheReplyAndABareOneRedraws) {
  ExportHarness h;
  const Reply plain = h.say("boss", "上个月各科室业绩，不要图");
  ASSERT_FALSE(plain.is_error) << plain.text;
  EXPECT_TRUE(plain.chart_png.empty());
  const Reply donut = h.say("boss", "画成饼图");
  ASSERT_FALSE(donut.is_error) << donut.text;
  ASSERT_FALSE(donut.chart_png.empty());
  const auto px = render::decode_png(donut.chart_png);
  ASSERT_TRUE(px.has_value());
  EXPECT_EQ(px->width, 1080);
  // The redraw shows the same departments as the first answer.
  const Table gold = h.query(
      "SELECT DISTINCT department FROM consumption_records WHERE consume_date BETWEEN "
      "'2026-05-01' AND '2026-05-31'");
  for (const Row& g : gold.rows) EXPECT_TRUE(contains(donut.text, std::get<Text>(g[0])));
  // The stored question is the one without the steering words.
  const auto state = boost::json::parse(
      std::get<Text>(h.query("SELECT state_json FROM bot_conversation_state WHERE user_id = 'boss'")
                         .rows.at(0)
                         .at(0))
          .view());
  EXPECT_EQ(state.at("question").as_string(), "上个月各科室业绩");
}

TEST(ExportChat, LongAnswerCarriesItsFileAndTheFileIsAudited) {
  ExportHarness h;
  const Reply r = h.say("boss", "上个月每天的业绩");
  ASSERT_FALSE(r.is_error) << r.text;
  const std::int64_t days = h.count(
      "SELECT COUNT(DISTINCT consume_date) FROM consumption_records WHERE consume_date BETWEEN "
      "'2026-05-01' AND '2026-05-31'");
  ASSERT_GT(days, 20);
  EXPECT_FALSE(r.chart_png.empty());  // a line over the days
  ASSERT_EQ(r.files.size(), 1u);
  const test::XlsxBook book = test::read_xlsx_bytes(bytes_of(r.files[0]));
  ASSERT_FALSE(book.sheets.empty());
  EXPECT_EQ(static_cast<std::int64_t>(book.sheets[0].rows.size()), days + 1);
  EXPECT_EQ(book.sheets[0].rows[1][0].type, "d");  // days are dates
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export' AND entity = "
                    "'answer'"),
            1);
}

TEST(ExportChat, MonthOverMonthIsOneSentenceWithBothPeriods) {
  ExportHarness h;
  const Reply r = h.say("boss", "上个月业绩环比增长多少");
  ASSERT_FALSE(r.is_error) << r.text;
  auto sum = [&](const char* from, const char* to) {
    const Table t =
        h.query("SELECT SUM(amount) FROM consumption_records WHERE consume_date BETWEEN ? AND ?",
                {std::string(from), std::string(to)});
    return std::get<Decimal>(t.rows.at(0).at(0));
  };
  const Decimal may = sum("2026-05-01", "2026-05-31"), april = sum("2026-04-01", "2026-04-30");
  EXPECT_TRUE(contains(r.text, "环比")) << r.text;
  EXPECT_TRUE(contains(r.text, render::with_thousands(may.rounded(2).to_string()))) << r.text;
  const double pct = (may.to_double() - april.to_double()) / april.to_double() * 100.0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%.1f%%", pct >= 0 ? "+" : "", pct);
  EXPECT_TRUE(contains(r.text, buf)) << r.text << " / " << buf;
  EXPECT_TRUE(r.chart_png.empty());  // a sentence needs no chart
}
