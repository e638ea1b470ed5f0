// A bot::Reply rendered for WeCom: the ordered list of sends that carries it (text split at the
// 2048-byte limit on line and UTF-8 boundaries, markdown where it fits, a table as aligned text,
// markdown_v2 (robot) or a table image, the chart as an image, files). Pure functions (the
// table image and image shrinking draw with cairo); thread-safe; never throw for bad content.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/wecom/image_shrink.hpp"
#include "adapters/wecom/message_part.hpp"
#include "bot/channel.hpp"

namespace yimei::wecom {

enum class Channel {
  App,    // message/send and appchat/send: markdown ≤ 2048 bytes without tables
  Robot,  // group robot webhook: markdown ≤ 4096 bytes, markdown_v2 tables, mentions
};

constexpr std::size_t kTextLimit = 2048;
constexpr std::size_t kAppMarkdownLimit = 2048;
constexpr std::size_t kRobotMarkdownLimit = 4096;
constexpr std::size_t kMaxFileBytes = 20 * 1024 * 1024;
constexpr std::size_t kMinFileBytes = 5;

struct PayloadOptions {
  Channel channel = Channel::App;
  bool markdown_v2 = false;  // robot: send the reply's markdown (tables included) as markdown_v2
  std::size_t text_limit = kTextLimit;
  std::size_t max_text_parts = 6;  // longer text is cut with a note
  // A table goes as aligned text when it is at most this wide (display cells, CJK = 2) and
  // long; otherwise as a table image.
  std::size_t text_table_max_width = 40;
  std::size_t text_table_max_rows = 15;
  std::size_t max_image_bytes = kMaxImageBytes;
};

std::size_t markdown_limit(Channel channel);

// The sends for `reply`, in order: the body (markdown_v2 | markdown | text parts), the table
// image, a mention line (robot, when the body cannot carry mentions), the chart, the files.
std::vector<MessagePart> reply_payloads(const bot::Reply& reply, const PayloadOptions& options);

// Splits UTF-8 text into pieces of at most `max_bytes` bytes, at line ends where possible and
// never inside a character; trailing newlines of each piece are dropped and blank pieces
// skipped. max_bytes below 4 is treated as 4.
std::vector<std::string> split_text(std::string_view text, std::size_t max_bytes);

// `text` without the aligned table that render::to_text printed for `table` (header, dash line,
// rows and its notes); nullopt when that block is not found.
std::optional<std::string> text_without_table(std::string_view text, const Table& table);

// True when the table reads well as aligned text (narrow and short enough).
bool table_fits_text(const Table& table, const PayloadOptions& options);

}  // namespace yimei::wecom
