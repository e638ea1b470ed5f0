// The WeCom app callback's XML: the encrypted envelope of a POST and the decrypted message,
// parsed with pugixml under a size limit (no DTD, no entity expansion beyond XML's five), and
// normalized to the neutral IncomingMessage. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace yimei::wecom {

constexpr std::size_t kMaxCallbackBytes = 64 * 1024;

// The <Encrypt> text of a POST body; nullopt when the body is too large, not XML, has a DOCTYPE
// or lacks <Encrypt>.
std::optional<std::string> envelope_encrypt(std::string_view xml_body);

struct WecomMessage {
  std::string to_user;    // the corp id
  std::string from_user;  // the member's UserID
  std::string create_time;
  std::string msg_type;  // text, image, voice, video, location, link, event, ...
  std::string content;   // text messages
  std::string msg_id;    // a 64-bit number kept as text; empty for events
  std::string agent_id;
  std::string event;  // events: enter_agent, subscribe, click, ...
  std::string event_key;
  std::string chat_id;  // set when the message came from a group chat (ChatId)

  // The dedup key: MsgId for messages, FromUserName + CreateTime (+ event) for events.
  std::string dedup_id() const;
};

// Parses the decrypted plaintext XML; nullopt when it is not a WeCom message.
std::optional<WecomMessage> parse_message(std::string_view xml);

// Builds the plaintext XML of a message, as WeCom does (used by tests and the fake client).
std::string message_xml(const WecomMessage& m);

}  // namespace yimei::wecom
