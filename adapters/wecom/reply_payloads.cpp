// Reply → WeCom sends. The body is chosen first (markdown_v2, markdown, or text with the table as
// aligned text or an image), then images and files follow; every size limit is checked here so
// the senders never see a part WeCom would truncate or refuse.
#include "adapters/wecom/reply_payloads.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <regex>

#include "core/render/chart.hpp"
#include "core/render/table_render.hpp"

namespace yimei::wecom {

namespace {

constexpr std::string_view kCutNote = "\n……（内容过长，其余部分未显示）";

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::string_view trim_newlines(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  return s;
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A to_text dash line: only '-' and ' ', one run of dashes per column.
bool is_dash_line(std::string_view line, std::size_t columns) {
  if (line.empty() || line.find_first_not_of("- ") != std::string_view::npos) return false;
  std::size_t runs = 0;
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '-' && (i == 0 || line[i - 1] == ' ')) ++runs;
  return runs == columns;
}

bool is_table_note(std::string_view line) {
  static const std::regex kShown("^共[0-9]+行，显示前[0-9]+行$");
  return line == "（无数据）" || line.rfind("（结果已达查询上限", 0) == 0 ||
         std::regex_match(line.begin(), line.end(), kShown);
}

std::string first_line(std::string_view text) {
  for (std::string_view line : lines_of(text))
    if (!blank(line)) return std::string(line.substr(0, 200));
  return {};
}

std::vector<std::string> text_parts(std::string_view text, const PayloadOptions& o) {
  auto parts = split_text(text, o.text_limit);
  if (parts.size() > o.max_text_parts && o.max_text_parts > 0) {
    parts.resize(o.max_text_parts);
    std::string& last = parts.back();
    if (last.size() + kCutNote.size() > o.text_limit)
      last = split_text(last, o.text_limit - kCutNote.size()).front();
    last += kCutNote;
  }
  return parts;
}

MessagePart text_part(std::string content) {
  MessagePart p;
  p.kind = PartKind::Text;
  p.content = std::move(content);
  return p;
}

MessagePart image_part(std::vector<std::uint8_t> png, std::string name) {
  MessagePart p;
  p.kind = PartKind::Image;
  p.bytes = std::move(png);
  p.file_name = std::move(name);
  p.mime_type = "image/png";
  return p;
}

std::optional<std::vector<std::uint8_t>> table_image(const Table& table, const std::string& title,
                                                     const PayloadOptions& o) {
  try {
    render::ChartSpec spec;
    spec.kind = render::ChartKind::TableImage;
    spec.title = title;
    spec.table = table;
    spec.show_phone = true;  // the reply's table is already masked for its reader
    auto png = render::render_chart(spec).png;
    return fit_png(png, o.max_image_bytes);
  } catch (const std::exception& e) {
    spdlog::warn("wecom: table image not drawn: {}", e.what());
    return std::nullopt;
  }
}

// The text body; the table as an image instead of aligned text when it does not fit.
void add_text_body(const bot::Reply& reply, const PayloadOptions& o,
                   std::vector<MessagePart>& parts) {
  std::string text = reply.text;
  std::optional<std::vector<std::uint8_t>> image;
  if (reply.table && !reply.table->columns.empty() && !table_fits_text(*reply.table, o)) {
    if (auto caption = text_without_table(text, *reply.table)) {
      const std::string title = first_line(*caption);
      image = table_image(*reply.table, title.empty() ? "查询结果" : title, o);
      if (image) text = *caption;
    }
  }
  for (std::string& t : text_parts(text, o)) parts.push_back(text_part(std::move(t)));
  if (image) parts.push_back(image_part(std::move(*image), "表格.png"));
}

}  // namespace

const char* to_string(PartKind kind) {
  switch (kind) {
    case PartKind::Text:
      return "text";
    case PartKind::Markdown:
      return "markdown";
    case PartKind::MarkdownV2:
      return "markdown_v2";
    case PartKind::Image:
      return "image";
    case PartKind::File:
      return "file";
  }
  return "text";
}

std::size_t markdown_limit(Channel channel) {
  return channel == Channel::Robot ? kRobotMarkdownLimit : kAppMarkdownLimit;
}

std::vector<std::string> split_text(std::string_view text, std::size_t max_bytes) {
  max_bytes = std::max<std::size_t>(max_bytes, 4);
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    std::string_view t = trim_newlines(current);
    if (!blank(t)) out.emplace_back(t);
    current.clear();
  };
  for (std::string_view line : lines_of(text)) {
    // +1 for the '\n' that joins it to what is already there.
    const std::size_t need = current.empty() ? line.size() : current.size() + 1 + line.size();
    if (need <= max_bytes) {
      if (!current.empty()) current += '\n';
      current += line;
      continue;
    }
    flush();
    while (line.size() > max_bytes) {  // one line longer than a piece: cut between characters
      std::size_t cut = max_bytes;
      while (cut > 0 && is_continuation(line[cut])) --cut;
      if (cut == 0) cut = max_bytes;  // not UTF-8 at all: cut anywhere
      current = std::string(line.substr(0, cut));
      flush();
      line.remove_prefix(cut);
    }
    current = std::string(line);
  }
  flush();
  return out;
}

std::optional<std::string> text_without_table(std::string_view text, const Table& table) {
  const auto lines = lines_of(text);
  const std::size_t columns = table.columns.size();
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (!is_dash_line(lines[i], columns) || blank(lines[i - 1])) continue;
    std::size_t end = i + 1, rows = 0;
    while (end < lines.size() && rows < table.rows.size() && !is_table_note(lines[end]))
      ++end, ++rows;
    while (end < lines.size() && is_table_note(lines[end])) ++end;
    std::string out;
    bool last_blank = true;  // no blank lines at the start, none doubled
    auto keep = [&](std::string_view line) {
      if (blank(line) && last_blank) return;
      last_blank = blank(line);
      out.append(line);
      out += '\n';
    };
    for (std::size_t k = 0; k + 1 < i; ++k) keep(lines[k]);
    for (std::size_t k = end; k < lines.size(); ++k) keep(lines[k]);
    return std::string(trim_newlines(out));
  }
  return std::nullopt;
}

bool table_fits_text(const Table& table, const PayloadOptions& o) {
  if (table.rows.size() > o.text_table_max_rows) return false;
  render::RenderOptions ro{.show_phone = true, .max_rows = o.text_table_max_rows};
  for (std::string_view line : lines_of(render::to_text(table, ro)))
    if (render::display_width(line) > o.text_table_max_width) return false;
  return true;
}

std::vector<MessagePart> reply_payloads(const bot::Reply& reply, const PayloadOptions& o) {
  std::vector<MessagePart> parts;
  const bool robot = o.channel == Channel::Robot;
  const bool has_table = reply.table && !reply.table->columns.empty();
  const bool markdown_ok = !reply.is_error && !reply.markdown.empty() && !blank(reply.markdown);

  if (robot && o.markdown_v2 && markdown_ok && reply.markdown.size() <= kRobotMarkdownLimit) {
    parts.push_back({PartKind::MarkdownV2, reply.markdown, {}, {}, {}, {}});
  } else if (markdown_ok && !has_table && reply.markdown.size() <= markdown_limit(o.channel)) {
    parts.push_back({PartKind::Markdown, reply.markdown, {}, {}, {}, {}});  // no table in it
  } else {
    add_text_body(reply, o, parts);
  }

  if (robot && !reply.mentions.empty()) {
    auto text = std::find_if(parts.begin(), parts.end(),
                             [](const MessagePart& p) { return p.kind == PartKind::Text; });
    if (text != parts.end()) {
      text->mentions = reply.mentions;
    } else {  // markdown cannot @ everyone (v2 not at all): one short text line carries it
      std::string line = first_line(reply.text);
      MessagePart p = text_part(line.empty() ? "请查看以上消息。" : line);
      p.mentions = reply.mentions;
      parts.push_back(std::move(p));
    }
  }

  if (!reply.chart_png.empty()) {
    if (auto png = fit_png(reply.chart_png, o.max_image_bytes))
      parts.push_back(image_part(std::move(*png), "图表.png"));
    else
      parts.push_back(text_part("（图表过大，未能发送。）"));
  }

  for (const bot::Attachment& f : reply.files) {
    if (f.bytes.size() < kMinFileBytes) {
      parts.push_back(text_part("（附件「" + f.file_name + "」为空，未发送。）"));
    } else if (f.bytes.size() > kMaxFileBytes) {
      parts.push_back(text_part("（附件「" + f.file_name + "」超过 20MB，未发送。）"));
    } else {
      MessagePart p;
      p.kind = PartKind::File;
      p.bytes = f.bytes;
      p.file_name = f.file_name.empty() ? "附件" : f.file_name;
      p.mime_type = f.mime_type;
      parts.push_back(std::move(p));
    }
  }
  return parts;
}

}  // namespace yimei::wecom
