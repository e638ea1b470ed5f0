// The WeCom app API client, the group robot sender and the adapter's delivery against the fake
// WeCom API over loopback: one gettoken for many sends, a token expiring mid-run (one refresh,
// the message delivered once), configuration errors, errcode on HTTP 200, media upload parsed
// by the fake, robot image md5 and the 20-a-minute limit, per-recipient limits, resuming a
// partly sent reply, and deadlines against a hanging server.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "adapters/wecom/api_client.hpp"
#include "adapters/wecom/robot_sender.hpp"
#include "adapters/wecom/wecom_adapter.hpp"
#include "bot/metrics.hpp"
#include "bot/net/http_client.hpp"
#include "bot/net/net_runtime.hpp"
#include "core/render/chart.hpp"
#include "core/render/table_render.hpp"
#include "tests/support/fake_wecom_api.hpp"

using namespace yimei;
using namespace yimei::wecom;
using yimei::test::FakeWecomApi;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

class WecomApiTest : public ::testing::Test {
 protected:
  WecomApiTest() : runtime_(1), http_(runtime_) {}

  AppSettings app_settings() const {
    AppSettings s;
    s.api_base = fake_.base_url();
    s.corp_id = fake_.settings().corp_id;
    s.secret = fake_.settings().secret;
    s.agent_id = fake_.settings().agent_id;
    s.request_timeout = 3s;
    return s;
  }

  static MessagePart text(std::string content) {
    MessagePart p;
    p.kind = PartKind::Text;
    p.content = std::move(content);
    return p;
  }

  static std::vector<std::uint8_t> chart_png() {
    render::ChartSpec spec;
    spec.title = "各科室业绩";
    spec.categories = {"皮肤科", "注射科"};
    spec.series = {{"实收", {1200.5, 800}}};
    spec.unit = ColumnUnit::Yuan;
    return render::render_chart(spec).png;
  }

  static MessagePart image(std::vector<std::uint8_t> png) {
    MessagePart p;
    p.kind = PartKind::Image;
    p.bytes = std::move(png);
    p.file_name = "图表.png";
    p.mime_type = "image/png";
    return p;
  }

  WecomAdapterOptions adapter_options() const {
    WecomAdapterOptions o;
    o.app = app_settings();
    o.robot.api_base = fake_.base_url();
    return o;
  }

  static bot::OutboxRow row(std::int64_t id, std::string target, bot::Reply reply) {
    bot::OutboxRow r;
    r.outbox_id = id;
    r.platform = "wecom";
    r.target = std::move(target);
    r.reply = std::move(reply);
    r.attempts = 1;
    return r;
  }

  FakeWecomApi fake_;
  net::NetRuntime runtime_;
  net::HttpClient http_;
  bot::Metrics metrics_;
};

std::string as_string(const std::vector<std::uint8_t>& b) {
  return {b.begin(), b.end()};
}

}  // namespace

TEST_F(WecomApiTest, OneGettokenForManySendsFromSeveralThreads) {
  ApiClient api(http_, app_settings());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        AppRecipient to{AppRecipient::Kind::User, "user" + std::to_string(t)};
        if (api.send(to, text("消息 " + std::to_string(t) + "-" + std::to_string(i)))) ++ok;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 20);
  EXPECT_EQ(fake_.gettoken_calls(), 1u);
  EXPECT_EQ(api.token_fetches(), 1u);
  const auto sent = fake_.app_messages();
  ASSERT_EQ(sent.size(), 20u);
  for (const auto& m : sent) {
    EXPECT_EQ(m.api, "message/send");
    EXPECT_EQ(m.msgtype, "text");
    EXPECT_EQ(m.agentid, 1000002) << "agentid must be a JSON integer";
    EXPECT_EQ(m.token, sent[0].token);
    EXPECT_EQ(m.content.rfind("消息 ", 0), 0u);
  }
}

TEST_F(WecomApiTest, TokenExpiringMidRunIsRefreshedOnceAndTheMessageDeliveredOnce) {
  for (std::int64_t code : {42001, 40014}) {
    SCOPED_TRACE(code);
    FakeWecomApi fake;
    AppSettings s = app_settings();
    s.api_base = fake.base_url();
    ApiClient api(http_, s);
    ASSERT_TRUE(api.send({AppRecipient::Kind::User, "zhangsan"}, text("第一条")));
    fake.expire_tokens(code);
    auto second = api.send({AppRecipient::Kind::User, "zhangsan"}, text("第二条"));
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(fake.gettoken_calls(), 2u);
    const auto sent = fake.app_messages();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1].content, "第二条");
    EXPECT_NE(sent[1].token, sent[0].token);
    // The refused call carried the old token and was not recorded by the fake.
    std::size_t sends = 0;
    for (const auto& r : fake.requests())
      if (r.target.rfind("/cgi-bin/message/send", 0) == 0) ++sends;
    EXPECT_EQ(sends, 3u);
    ASSERT_TRUE(api.send({AppRecipient::Kind::User, "zhangsan"}, text("第三条")));
    EXPECT_EQ(fake.gettoken_calls(), 2u) << "the new token is cached again";
  }
}

TEST_F(WecomApiTest, TheTokenIsRefreshedBeforeItExpires) {
  test::FakeWecomSettings fs;
  fs.expires_in = 2;  // kept for max(2 - margin, 2 / 2) = 1 s
  FakeWecomApi fake(fs);
  AppSettings s = app_settings();
  s.api_base = fake.base_url();
  ApiClient api(http_, s);
  ASSERT_TRUE(api.send({AppRecipient::Kind::User, "zhangsan"}, text("一")));
  ASSERT_TRUE(api.send({AppRecipient::Kind::User, "zhangsan"}, text("二")));
  EXPECT_EQ(fake.gettoken_calls(), 1u);
  std::this_thread::sleep_for(1100ms);
  ASSERT_TRUE(api.send({AppRecipient::Kind::User, "zhangsan"}, text("三")));
  EXPECT_EQ(fake.gettoken_calls(), 2u) << "fetched anew without waiting for an error";
  EXPECT_EQ(fake.app_messages().size(), 3u);
}

TEST_F(WecomApiTest, AWrongSecretOrCorpIdIsAConfigurationErrorNotARetry) {
  for (const bool wrong_corp : {false, true}) {
    AppSettings s = app_settings();
    (wrong_corp ? s.corp_id : s.secret) = "wrong";
    ApiClient api(http_, s);
    auto r = api.send({AppRecipient::Kind::User, "zhangsan"}, text("你好"));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().kind, ErrorKind::Unavailable);
    EXPECT_NE(r.error().message.find("WECOM_SECRET"), std::string::npos);
    EXPECT_EQ(r.error().message.find("wrong"), std::string::npos) << "no secret in messages";
  }
  EXPECT_TRUE(fake_.app_messages().empty());
  EXPECT_EQ(fake_.gettoken_calls(), 2u);
}

TEST_F(WecomApiTest, ErrcodeOnHttp200DecidesRetryOrRefusal) {
  ApiClient api(http_, app_settings());
  const AppRecipient to{AppRecipient::Kind::User, "zhangsan"};
  for (std::int64_t code : {-1, 45009, 45033}) {
    fake_.fail_next("message/send", code);
    auto r = api.send(to, text("x"));
    ASSERT_FALSE(r) << code;
    EXPECT_EQ(r.error().kind, ErrorKind::Unavailable) << code;
  }
  fake_.fail_next("message/send", 81013);  // every recipient invalid
  auto refused = api.send(to, text("x"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().kind, ErrorKind::Unavailable);
  EXPECT_NE(refused.error().message.find("81013"), std::string::npos);

  fake_.fail_next_http("message/send", 502);
  auto bad_gateway = api.send(to, text("x"));
  ASSERT_FALSE(bad_gateway);
  EXPECT_EQ(bad_gateway.error().kind, ErrorKind::Unavailable);

  fake_.fail_next("gettoken", -1);
  api.invalidate_token();
  auto busy = api.send(to, text("x"));
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().kind, ErrorKind::Unavailable);

  // The real checks of the fake also count: an over-long text is refused (45002).
  auto too_long = api.send(to, text(std::string(3000, 'a')));
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message.find("45002"), std::string::npos);

  ASSERT_TRUE(api.send(to, text("好了")));
  ASSERT_EQ(fake_.app_messages().size(), 1u);
  EXPECT_EQ(fake_.app_messages()[0].content, "好了");
}

TEST_F(WecomApiTest, ImagesAndFilesAreUploadedAsMultipartAndSentByMediaId) {
  ApiClient api(http_, app_settings());
  const auto png = chart_png();
  ASSERT_TRUE(api.send({AppRecipient::Kind::User, "zhangsan"}, image(png)));
  MessagePart file;
  file.kind = PartKind::File;
  file.file_name = "不活跃顾客.csv";
  file.mime_type = "text/csv";
  const std::string csv = "顾客,最近到店\n王女士,2026-01-02\n";
  file.bytes.assign(csv.begin(), csv.end());
  ASSERT_TRUE(api.send({AppRecipient::Kind::User, "zhangsan"}, file));

  const auto media = fake_.media();
  ASSERT_EQ(media.size(), 2u);
  EXPECT_EQ(media[0].type, "image");
  EXPECT_EQ(media[0].filename, "图表.png");
  EXPECT_EQ(media[0].content_type, "image/png");
  EXPECT_EQ(media[0].bytes, as_string(png)) << "the multipart body carries the exact bytes";
  EXPECT_EQ(media[0].filelength, std::to_string(png.size()));
  EXPECT_EQ(media[1].type, "file");
  EXPECT_EQ(media[1].filename, "不活跃顾客.csv");
  EXPECT_EQ(media[1].bytes, csv);

  const auto sent = fake_.app_messages();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].msgtype, "image");
  EXPECT_EQ(sent[0].media_id, media[0].media_id);
  EXPECT_EQ(sent[1].msgtype, "file");
  EXPECT_EQ(sent[1].media_id, media[1].media_id);
}

TEST_F(WecomApiTest, ChatsAndDepartments) {
  ApiClient api(http_, app_settings());
  ASSERT_TRUE(api.send({AppRecipient::Kind::Chat, "wrchat1"}, text("群消息")));
  MessagePart md = text("**部门** 周报");
  md.kind = PartKind::Markdown;
  ASSERT_TRUE(api.send({AppRecipient::Kind::Party, "2"}, md));
  const auto sent = fake_.app_messages();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].api, "appchat/send");
  EXPECT_EQ(sent[0].chatid, "wrchat1");
  EXPECT_EQ(sent[0].agentid, -1) << "appchat/send carries no agentid";
  EXPECT_EQ(sent[1].api, "message/send");
  EXPECT_EQ(sent[1].toparty, "2");
  EXPECT_EQ(sent[1].msgtype, "markdown");
  EXPECT_EQ(sent[1].content, "**部门** 周报");
}

TEST_F(WecomApiTest, AHangingServerIsUnavailableWithinTheDeadline) {
  AppSettings s = app_settings();
  s.request_timeout = 800ms;
  ApiClient api(http_, s);
  ASSERT_TRUE(api.access_token());
  fake_.hang("message/send");
  const auto t0 = Clock::now();
  auto r = api.send({AppRecipient::Kind::User, "zhangsan"}, text("x"));
  const auto took = Clock::now() - t0;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Unavailable);
  EXPECT_GE(took, 700ms);
  EXPECT_LT(took, 2000ms);

  RobotSettings rs;
  rs.api_base = fake_.base_url();
  rs.request_timeout = 800ms;
  RobotSender robot(http_, rs);
  fake_.hang("webhook/send");
  const auto t1 = Clock::now();
  auto rr = robot.send("robot-key-0001", text("x"));
  ASSERT_FALSE(rr);
  EXPECT_EQ(rr.error().kind, ErrorKind::Unavailable);
  EXPECT_LT(Clock::now() - t1, 2000ms);
}

TEST_F(WecomApiTest, RobotSendsTextMarkdownImageAndFile) {
  RobotSettings rs;
  rs.api_base = fake_.base_url();
  RobotSender robot(http_, rs);
  const std::string key = "robot-key-0001";
  MessagePart t = text("今日实收 1000.00 元");
  t.mentions = {"zhangsan", "@all"};
  ASSERT_TRUE(robot.send(key, t));
  MessagePart v2 = text("| 科室 | 实收 |\n| --- | ---: |\n| 皮肤科 | 1.00 |");
  v2.kind = PartKind::MarkdownV2;
  ASSERT_TRUE(robot.send(key, v2));
  const auto png = chart_png();
  ASSERT_TRUE(robot.send(key, image(png)));
  MessagePart file;
  file.kind = PartKind::File;
  file.file_name = "明细.csv";
  file.bytes = {'a', ',', 'b', '\n', '1', ',', '2'};
  ASSERT_TRUE(robot.send(key, file));

  const auto sent = fake_.robot_messages();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent[0].msgtype, "text");
  EXPECT_EQ(sent[0].mentioned_list, (std::vector<std::string>{"zhangsan", "@all"}));
  EXPECT_EQ(sent[1].msgtype, "markdown_v2");
  EXPECT_EQ(sent[1].content, v2.content);
  EXPECT_EQ(sent[2].msgtype, "image");
  EXPECT_EQ(sent[2].image, as_string(png)) << "base64 decoded by the fake, md5 checked there";
  EXPECT_EQ(sent[2].md5, md5_hex(as_string(png)));
  EXPECT_EQ(sent[3].msgtype, "file");
  auto uploaded = fake_.media_by_id(sent[3].media_id);
  ASSERT_TRUE(uploaded);
  EXPECT_EQ(uploaded->owner, key);
  EXPECT_EQ(uploaded->filename, "明细.csv");
  EXPECT_EQ(uploaded->bytes, "a,b\n1,2");
  // The key is a credential: it travels only in the query string.
  EXPECT_EQ(RobotSender::mask_key(key), "robo****");
}

TEST_F(WecomApiTest, RobotKeepsToTwentyMessagesAMinute) {
  std::atomic<std::int64_t> offset_s{0};
  RobotSettings rs;
  rs.api_base = fake_.base_url();
  rs.now = [&] { return Clock::time_point{} + 100000s + std::chrono::seconds(offset_s.load()); };
  RobotSender robot(http_, rs);
  const std::string key = "robot-key-0001";
  for (int i = 0; i < 20; ++i) {
    offset_s = i;  // one every second
    ASSERT_TRUE(robot.send(key, text("第" + std::to_string(i) + "条"))) << i;
  }
  offset_s = 30;
  auto over = robot.send(key, text("第21条"));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().kind, ErrorKind::Unavailable);
  EXPECT_EQ(fake_.robot_messages().size(), 20u) << "the 21st never reached WeCom";
  offset_s = 60;  // the first message left the window
  ASSERT_TRUE(robot.send(key, text("第21条")));
  EXPECT_EQ(fake_.robot_messages().size(), 21u);
}

TEST_F(WecomApiTest, ARemovedRobotIsRefusedForGood) {
  RobotSettings rs;
  rs.api_base = fake_.base_url();
  RobotSender robot(http_, rs);
  auto r = robot.send("no-such-key", text("x"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().kind, ErrorKind::Unavailable);
  EXPECT_NE(r.error().message.find("93000"), std::string::npos);
}

TEST_F(WecomApiTest, AdapterKeepsThirtyMessagesAMinutePerRecipient) {
  WecomAdapterOptions o = adapter_options();
  o.per_recipient_per_minute = 3;
  WecomAdapter adapter(http_, o, metrics_, nullptr);
  bot::Reply reply;
  reply.text = "好的";
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(adapter.deliver(row(i, "user:zhangsan", reply)));
  auto over = adapter.deliver(row(4, "user:zhangsan", reply));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().kind, ErrorKind::Unavailable);
  ASSERT_TRUE(adapter.deliver(row(5, "user:lisi", reply))) << "other recipients are unaffected";
  EXPECT_EQ(fake_.app_messages().size(), 4u);
}

TEST_F(WecomApiTest, AdapterResumesAPartlySentReplyWithoutRepeatingParts) {
  WecomAdapter adapter(http_, adapter_options(), metrics_, nullptr);
  bot::Reply reply;
  reply.text = "本月各科室业绩如下";
  reply.chart_png = chart_png();
  fake_.fail_next("media/upload", -1);  // the chart fails once, after the text went out
  auto first = adapter.deliver(row(42, "user:zhangsan", reply));
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().kind, ErrorKind::Unavailable);
  ASSERT_EQ(fake_.app_messages().size(), 1u);

  bot::OutboxRow retry = row(42, "user:zhangsan", reply);
  retry.attempts = 2;
  ASSERT_TRUE(adapter.deliver(retry));
  const auto sent = fake_.app_messages();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].msgtype, "text");
  EXPECT_EQ(sent[0].content, "本月各科室业绩如下");
  EXPECT_EQ(sent[1].msgtype, "image");
  EXPECT_EQ(fake_.media_by_id(sent[1].media_id)->bytes, as_string(reply.chart_png));

  // A new row with the same reply starts from the beginning.
  ASSERT_TRUE(adapter.deliver(row(43, "user:zhangsan", reply)));
  EXPECT_EQ(fake_.app_messages().size(), 4u);
}

TEST_F(WecomApiTest, AdapterRoutesEveryTargetKind) {
  WecomAdapterOptions o = adapter_options();
  o.robot_markdown_v2 = true;
  WecomAdapter adapter(http_, o, metrics_, nullptr);
  Table t;
  t.columns = {
      {.name = "department", .label = "科室"},
      {.name = "amount", .label = "实收", .type = ColumnType::Decimal, .unit = ColumnUnit::Yuan}};
  t.rows = {{std::string("皮肤科"), *Decimal::parse("1200.50")}};
  bot::Reply reply;
  reply.text = "【日报】\n" + render::to_text(t);
  reply.markdown = "**日报**\n\n" + render::to_markdown(t);
  reply.table = t;

  ASSERT_TRUE(adapter.deliver(row(1, "user:zhangsan", reply)));
  ASSERT_TRUE(adapter.deliver(row(2, "chat:wrchat1", reply)));
  ASSERT_TRUE(adapter.deliver(row(3, "party:7", reply)));
  ASSERT_TRUE(adapter.deliver(row(4, "robot:robot-key-0001", reply)));
  ASSERT_TRUE(adapter.deliver(row(5, "wecom-robot:robot-key-0001", reply)));
  auto unknown = adapter.deliver(row(6, "fax:123", reply));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().kind, ErrorKind::Unavailable);

  const auto app = fake_.app_messages();
  ASSERT_EQ(app.size(), 3u);
  EXPECT_EQ(app[0].touser, "zhangsan");
  EXPECT_EQ(app[0].msgtype, "text") << "app markdown has no tables: aligned text";
  EXPECT_NE(app[0].content.find("皮肤科"), std::string::npos);
  EXPECT_EQ(app[1].chatid, "wrchat1");
  EXPECT_EQ(app[2].toparty, "7");
  const auto robot = fake_.robot_messages();
  ASSERT_EQ(robot.size(), 2u);
  EXPECT_EQ(robot[0].msgtype, "markdown_v2");
  EXPECT_EQ(robot[0].content, reply.markdown);
  EXPECT_EQ(metrics_.counter("yimei_wecom_sends_total", "result=\"ok\",kind=\"text\""), 3u);
}
