// The neutral message types between the platforms and the service: an adapter turns its
// platform's payload into an IncomingMessage and renders a Reply into its own payloads. No
// platform type crosses this file. Plain value types.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/table.hpp"

namespace yimei::bot {

struct IncomingMessage {
  std::string platform;  // "wecom", "dingtalk", "console", "cli"
  std::string msg_id;    // the platform's message id, kept as a string
  std::string user_id;
  std::string user_name;
  std::string chat_id;  // empty for a single (private) chat
  bool is_group = false;
  std::string text;  // empty for a greeting (e.g. entering the chat): answered with help
  std::chrono::system_clock::time_point time{};
  // Non-empty for a message type the bot cannot read ("image", "voice", ...): answered politely.
  std::string unsupported_type;
};

struct Attachment {
  std::string file_name;  // e.g. "不活跃顾客.xlsx"
  std::string mime_type;
  std::vector<std::uint8_t> bytes;
};

struct Reply {
  std::string text;                      // always present: the plain-text answer
  std::string markdown;                  // optional richer form for platforms that render it
  std::optional<Table> table;            // the answer's table, already masked for the reader
  std::vector<std::uint8_t> chart_png;   // optional chart image
  std::vector<Attachment> files;         // optional exports
  std::vector<std::string> mentions;     // user ids to @-mention in groups
  std::vector<std::string> suggestions;  // follow-up phrasings offered to the user
  bool is_error = false;                 // the text is a refusal or failure sentence
};

// Reply <-> JSON (the outbox payload); binary parts are base64. Throws std::invalid_argument
// on malformed JSON.
std::string reply_to_json(const Reply& r);
Reply reply_from_json(const std::string& json);

}  // namespace yimei::bot
