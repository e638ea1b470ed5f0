// One WeCom send as the adapter plans it: a Reply becomes an ordered list of MessageParts
// (reply_payloads.hpp), each delivered by the app API (api_client.hpp) or the group robot
// (robot_sender.hpp). Plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yimei::wecom {

enum class PartKind {
  Text,        // text.content, at most 2048 bytes
  Markdown,    // markdown.content: app ≤ 2048 bytes, robot ≤ 4096; no tables
  MarkdownV2,  // robot only: markdown_v2.content ≤ 4096 bytes, tables allowed
  Image,       // PNG/JPG bytes ≤ 2 MB (app: uploaded, then sent by media_id; robot: base64+md5)
  File,        // any bytes, 5 B..20 MB, uploaded first
};

const char* to_string(PartKind kind);

struct MessagePart {
  PartKind kind = PartKind::Text;
  std::string content;                // Text / Markdown / MarkdownV2
  std::vector<std::uint8_t> bytes;    // Image / File
  std::string file_name;              // Image / File: the name WeCom shows
  std::string mime_type;              // Image / File
  std::vector<std::string> mentions;  // robot text: mentioned_list (user ids, "@all")
};

}  // namespace yimei::wecom
