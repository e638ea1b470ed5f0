// Reply → WeCom sends: text split at 2048 bytes on line and UTF-8 boundaries, markdown limits per
// channel, the choice between a table as aligned text, markdown_v2 or a table image, charts
// (shrunk under 2 MB when needed), files and robot mentions.
#include <gtest/gtest.h>

#include <random>

#include "adapters/wecom/image_shrink.hpp"
#include "adapters/wecom/reply_payloads.hpp"
#include "core/render/png_pixels.hpp"
#include "core/render/table_render.hpp"

using namespace yimei;
using namespace yimei::wecom;

namespace {

// True when `s` is complete, valid UTF-8 (no sequence cut at either end).
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

std::string repeat(std::string_view unit, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

Table department_table(std::size_t rows, std::size_t extra_columns = 0) {
  Table t;
  t.columns.push_back({.name = "department", .label = "科室", .type = ColumnType::Text});
  t.columns.push_back({.name = "amount",
                       .label = "实收金额",
                       .type = ColumnType::Decimal,
                       .unit = ColumnUnit::Yuan});
  for (std::size_t c = 0; c < extra_columns; ++c)
    t.columns.push_back({.name = "m" + std::to_string(c),
                         .label = "指标" + std::to_string(c),
                         .type = ColumnType::Integer});
  for (std::size_t r = 0; r < rows; ++r) {
    Row row{std::string("科室") + std::to_string(r),
            *Decimal::parse(std::to_string(1000 + r) + ".50")};
    for (std::size_t c = 0; c < extra_columns; ++c) row.push_back(std::int64_t(100000 + r * c));
    t.rows.push_back(row);
  }
  return t;
}

// A reply shaped like bot::analysis_reply: title, summary, the aligned table, a closing line.
bot::Reply table_reply(const Table& t) {
  bot::Reply r;
  r.text = "【科室业绩】 2026-06-01 至 2026-06-30\n· 实收合计：12345.00 元\n\n" +
           render::to_text(t, {.show_phone = false, .max_rows = 20}) + "数据来源：消费记录";
  r.markdown = "**科室业绩**\n\n" + render::to_markdown(t, {.show_phone = false, .max_rows = 20});
  r.table = t;
  return r;
}

// An uncompressible PNG written by hand (stored deflate blocks): independent of cairo.
std::vector<std::uint8_t> noise_png(int width, int height) {
  std::vector<std::uint8_t> raw;
  std::mt19937 rng(42);
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);  // filter: none
    for (int x = 0; x < width * 3; ++x) raw.push_back(static_cast<std::uint8_t>(rng()));
  }
  auto crc32 = [](const std::uint8_t* p, std::size_t n, std::uint32_t crc = 0xFFFFFFFFu) {
    for (std::size_t i = 0; i < n; ++i) {
      crc ^= p[i];
      for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc;
  };
  auto be32 = [](std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
  };
  std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  auto chunk = [&](const char* type, const std::vector<std::uint8_t>& data) {
    be32(png, static_cast<std::uint32_t>(data.size()));
    std::vector<std::uint8_t> body(type, type + 4);
    body.insert(body.end(), data.begin(), data.end());
    png.insert(png.end(), body.begin(), body.end());
    be32(png, crc32(body.data(), body.size()) ^ 0xFFFFFFFFu);
  };
  std::vector<std::uint8_t> ihdr;
  be32(ihdr, static_cast<std::uint32_t>(width));
  be32(ihdr, static_cast<std::uint32_t>(height));
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit RGB
  chunk("IHDR", ihdr);
  std::vector<std::uint8_t> z = {0x78, 0x01};
  std::uint32_t a = 1, b = 0;
  for (std::uint8_t byte : raw) a = (a + byte) % 65521, b = (b + a) % 65521;
  for (std::size_t pos = 0; pos < raw.size();) {
    const std::size_t n = std::min<std::size_t>(65535, raw.size() - pos);
    z.push_back(pos + n == raw.size() ? 1 : 0);
    z.push_back(static_cast<std::uint8_t>(n & 0xFF));
    z.push_back(static_cast<std::uint8_t>(n >> 8));
    z.push_back(static_cast<std::uint8_t>(~n & 0xFF));
    z.push_back(static_cast<std::uint8_t>((~n >> 8) & 0xFF));
    z.insert(z.end(), raw.begin() + static_cast<long>(pos),
             raw.begin() + static_cast<long>(pos + n));
    pos += n;
  }
  be32(z, (b << 16) | a);
  chunk("IDAT", z);
  chunk("IEND", {});
  return png;
}

std::vector<PartKind> kinds(const std::vector<MessagePart>& parts) {
  std::vector<PartKind> out;
  for (const auto& p : parts) out.push_back(p.kind);
  return out;
}

}  // namespace

TEST(WecomSplit, ShortTextStaysWhole) {
  EXPECT_EQ(split_text("你好\n世界", 2048), (std::vector<std::string>{"你好\n世界"}));
  EXPECT_TRUE(split_text("", 2048).empty());
  EXPECT_TRUE(split_text("\n\n  \n", 2048).empty());
}

TEST(WecomSplit, ExactlyTheLimitIsOnePieceOneMoreByteIsTwo) {
  const std::string exact(2048, 'a');
  EXPECT_EQ(split_text(exact, 2048).size(), 1u);
  const auto two = split_text(exact + "b", 2048);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].size(), 2048u);
  EXPECT_EQ(two[1], "b");
}

TEST(WecomSplit, CutsAtLineEndsAndLosesNothing) {
  std::string text;
  for (int i = 0; i < 60; ++i)
    text += "第" + std::to_string(i) + "行：" + repeat("数据", 20) + "\n";
  const auto parts = split_text(text, 2048);
  ASSERT_GT(parts.size(), 1u);
  std::string joined;
  for (const auto& p : parts) {
    EXPECT_LE(p.size(), 2048u);
    EXPECT_TRUE(valid_utf8(p));
    EXPECT_EQ(p.rfind("第", 0), 0u) << "a piece must start at the beginning of a line";
    joined += p + "\n";
  }
  EXPECT_EQ(joined, text);
}

TEST(WecomSplit, NeverCutsACharacterInsideOneLongLine) {
  // 3-byte CJK and 4-byte emoji, with an odd ASCII prefix so that byte 2048 falls mid-character.
  for (const std::string unit : {"好", "😀", "a好😀"}) {
    const std::string line = "x" + repeat(unit, 3000);
    const auto parts = split_text(line, 2048);
    ASSERT_GT(parts.size(), 1u);
    std::string joined;
    for (const auto& p : parts) {
      EXPECT_LE(p.size(), 2048u);
      if (&p != &parts.back()) {
        EXPECT_GE(p.size(), 2045u);  // at most 3 bytes short of 2048
      }
      EXPECT_TRUE(valid_utf8(p)) << "piece of " << p.size() << " bytes";
      joined += p;
    }
    EXPECT_EQ(joined, line);
  }
}

TEST(WecomPayloads, PlainTextIsOneTextPart) {
  bot::Reply r;
  r.text = "您好，我是医美助手。";
  const auto parts = reply_payloads(r, {});
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].kind, PartKind::Text);
  EXPECT_EQ(parts[0].content, r.text);
}

TEST(WecomPayloads, LongTextBecomesSeveralPartsUnderTheLimit) {
  bot::Reply r;
  for (int i = 0; i < 150; ++i) r.text += "顾客" + std::to_string(i) + " 最近到店 2026-06-01\n";
  const auto parts = reply_payloads(r, {});
  ASSERT_GE(parts.size(), 2u);
  for (const auto& p : parts) {
    EXPECT_EQ(p.kind, PartKind::Text);
    EXPECT_LE(p.content.size(), kTextLimit);
  }
}

TEST(WecomPayloads, VeryLongTextIsCutWithANote) {
  bot::Reply r;
  r.text = repeat("一二三四五六七八九十\n", 1000);  // 31 KB
  PayloadOptions o;
  o.max_text_parts = 3;
  const auto parts = reply_payloads(r, o);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_LE(parts[2].content.size(), kTextLimit);
  EXPECT_NE(parts[2].content.find("内容过长"), std::string::npos);
  EXPECT_TRUE(valid_utf8(parts[2].content));
}

TEST(WecomPayloads, MarkdownWithoutTableUsesTheChannelLimit) {
  bot::Reply r;
  r.text = "plain";
  r.markdown = "**标题**\n" + repeat("内容", 500);  // 3010 bytes: over 2048, under 4096
  auto app = reply_payloads(r, {});
  ASSERT_EQ(app.size(), 1u);
  EXPECT_EQ(app[0].kind, PartKind::Text);  // app markdown is limited to 2048 bytes
  auto robot = reply_payloads(r, {.channel = Channel::Robot});
  ASSERT_EQ(robot.size(), 1u);
  EXPECT_EQ(robot[0].kind, PartKind::Markdown);
  EXPECT_EQ(robot[0].content, r.markdown);

  r.markdown = "**标题**\n短内容";
  app = reply_payloads(r, {});
  ASSERT_EQ(app.size(), 1u);
  EXPECT_EQ(app[0].kind, PartKind::Markdown);
}

TEST(WecomPayloads, ErrorsGoAsText) {
  bot::Reply r;
  r.text = "没有找到这位顾客。";
  r.markdown = "**没有找到**";
  r.is_error = true;
  const auto parts = reply_payloads(r, {});
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].kind, PartKind::Text);
  EXPECT_EQ(parts[0].content, r.text);
}

TEST(WecomPayloads, SmallTableGoesAsAlignedTextInTheApp) {
  const Table t = department_table(4);
  const bot::Reply r = table_reply(t);
  const auto parts = reply_payloads(r, {});
  ASSERT_EQ(kinds(parts), std::vector<PartKind>{PartKind::Text});
  EXPECT_EQ(parts[0].content, r.text.substr(0, r.text.find_last_not_of('\n') + 1));
  EXPECT_NE(parts[0].content.find("科室3"), std::string::npos);
}

TEST(WecomPayloads, WideTableGoesAsATableImageWithTheTextAround) {
  const Table t = department_table(4, 6);  // 8 columns: too wide for a phone line
  ASSERT_FALSE(table_fits_text(t, {}));
  const bot::Reply r = table_reply(t);
  const auto parts = reply_payloads(r, {});
  ASSERT_EQ(kinds(parts), (std::vector<PartKind>{PartKind::Text, PartKind::Image}));
  EXPECT_NE(parts[0].content.find("【科室业绩】"), std::string::npos);
  EXPECT_NE(parts[0].content.find("实收合计"), std::string::npos);
  EXPECT_NE(parts[0].content.find("数据来源"), std::string::npos);
  EXPECT_EQ(parts[0].content.find("科室3"), std::string::npos) << "the rows are in the image";
  EXPECT_EQ(parts[0].content.find("---"), std::string::npos);
  auto pixels = render::decode_png(parts[1].bytes);
  ASSERT_TRUE(pixels);
  EXPECT_GT(pixels->width, 400);
  EXPECT_LE(parts[1].bytes.size(), kMaxImageBytes);
}

TEST(WecomPayloads, LongTableGoesAsATableImage) {
  const Table t = department_table(30);
  const bot::Reply r = table_reply(t);
  const auto parts = reply_payloads(r, {});
  ASSERT_EQ(kinds(parts), (std::vector<PartKind>{PartKind::Text, PartKind::Image}));
  EXPECT_EQ(parts[0].content.find("共30行"), std::string::npos)
      << "the cut note belongs to the table";
  EXPECT_EQ(parts[0].content.find("科室12"), std::string::npos);
}

TEST(WecomPayloads, RobotMarkdownV2CarriesTheTableWhenEnabled) {
  const Table t = department_table(30, 2);
  const bot::Reply r = table_reply(t);
  const auto v2 = reply_payloads(r, {.channel = Channel::Robot, .markdown_v2 = true});
  ASSERT_EQ(kinds(v2), std::vector<PartKind>{PartKind::MarkdownV2});
  EXPECT_EQ(v2[0].content, r.markdown);
  EXPECT_NE(v2[0].content.find("| ---: |"), std::string::npos);

  const auto v1 = reply_payloads(r, {.channel = Channel::Robot});
  ASSERT_EQ(kinds(v1), (std::vector<PartKind>{PartKind::Text, PartKind::Image}));
}

TEST(WecomPayloads, TooLongMarkdownV2FallsBackToTextAndImage) {
  const Table t = department_table(200);
  bot::Reply r = table_reply(t);
  r.markdown = "**科室业绩**\n\n" + render::to_markdown(t, {.show_phone = false, .max_rows = 200});
  ASSERT_GT(r.markdown.size(), kRobotMarkdownLimit);
  const auto parts = reply_payloads(r, {.channel = Channel::Robot, .markdown_v2 = true});
  ASSERT_EQ(kinds(parts), (std::vector<PartKind>{PartKind::Text, PartKind::Image}));
}

TEST(WecomPayloads, TextWithoutTableFindsTheBlockOfToText) {
  const Table t = department_table(3);
  const std::string text = "标题\n\n" + render::to_text(t) + "（注：不含退款）\n来源";
  const auto caption = text_without_table(text, t);
  ASSERT_TRUE(caption);
  EXPECT_EQ(*caption, "标题\n\n（注：不含退款）\n来源");
  EXPECT_FALSE(text_without_table("没有表格的文字\n-- 不是分隔线", t));
}

TEST(WecomPayloads, ChartFilesAndOrder) {
  bot::Reply r;
  r.text = "本月业绩如下";
  r.chart_png = noise_png(8, 8);
  ASSERT_TRUE(render::decode_png(r.chart_png));
  r.files.push_back({"不活跃顾客.csv", "text/csv", {'a', ',', 'b', '\n', '1', ',', '2', '\n'}});
  r.files.push_back({"空.csv", "text/csv", {}});
  const auto parts = reply_payloads(r, {});
  ASSERT_EQ(kinds(parts), (std::vector<PartKind>{PartKind::Text, PartKind::Image, PartKind::File,
                                                 PartKind::Text}));
  EXPECT_EQ(parts[1].bytes, r.chart_png);
  EXPECT_EQ(parts[1].mime_type, "image/png");
  EXPECT_EQ(parts[2].file_name, "不活跃顾客.csv");
  EXPECT_EQ(parts[2].bytes, r.files[0].bytes);
  EXPECT_NE(parts[3].content.find("空.csv"), std::string::npos);
}

TEST(WecomPayloads, OversizedChartIsShrunkUnderTwoMegabytes) {
  const auto big = noise_png(1100, 800);  // ~2.6 MB of incompressible pixels
  ASSERT_GT(big.size(), kMaxImageBytes);
  auto original = render::decode_png(big);
  ASSERT_TRUE(original) << "the hand-written PNG must be valid";
  ASSERT_EQ(original->width, 1100);

  auto fitted = fit_png(big);
  ASSERT_TRUE(fitted);
  EXPECT_LE(fitted->size(), kMaxImageBytes);
  auto small = render::decode_png(*fitted);
  ASSERT_TRUE(small);
  EXPECT_LT(small->width, 1100);
  EXPECT_GE(small->width, 320);
  EXPECT_NEAR(static_cast<double>(small->height) / small->width, 800.0 / 1100.0, 0.01);

  bot::Reply r;
  r.text = "图";
  r.chart_png = big;
  const auto parts = reply_payloads(r, {});
  ASSERT_EQ(kinds(parts), (std::vector<PartKind>{PartKind::Text, PartKind::Image}));
  EXPECT_LE(parts[1].bytes.size(), kMaxImageBytes);
}

TEST(WecomPayloads, AnOversizedImageThatIsNoPngBecomesANote) {
  bot::Reply r;
  r.text = "图";
  r.chart_png.assign(kMaxImageBytes + 1, 0x42);
  const auto parts = reply_payloads(r, {});
  ASSERT_EQ(kinds(parts), (std::vector<PartKind>{PartKind::Text, PartKind::Text}));
  EXPECT_NE(parts[1].content.find("图表过大"), std::string::npos);
}

TEST(WecomPayloads, RobotMentionsRideOnTheFirstTextOrAnExtraLine) {
  bot::Reply r;
  r.text = "【日报】今日实收 1000.00 元";
  r.mentions = {"zhangsan", "@all"};
  auto text = reply_payloads(r, {.channel = Channel::Robot});
  ASSERT_EQ(text.size(), 1u);
  EXPECT_EQ(text[0].mentions, r.mentions);

  r.markdown = "**日报**";
  auto md = reply_payloads(r, {.channel = Channel::Robot, .markdown_v2 = true});
  ASSERT_EQ(kinds(md), (std::vector<PartKind>{PartKind::MarkdownV2, PartKind::Text}));
  EXPECT_EQ(md[1].mentions, r.mentions);
  EXPECT_EQ(md[1].content, "【日报】今日实收 1000.00 元");

  auto app = reply_payloads(r, {});
  for (const auto& p : app) EXPECT_TRUE(p.mentions.empty()) << "app messages cannot mention";
}
