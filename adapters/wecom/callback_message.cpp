// pugixml parsing of WeCom callback XML; DOCTYPE declarations are refused outright.
#include "adapters/wecom/callback_message.hpp"

#include <pugixml.hpp>

namespace yimei::wecom {

namespace {

std::optional<pugi::xml_document> parse_xml(std::string_view xml) {
  if (xml.size() > kMaxCallbackBytes) return std::nullopt;
  if (xml.find("<!DOCTYPE") != std::string_view::npos ||
      xml.find("<!ENTITY") != std::string_view::npos)
    return std::nullopt;
  pugi::xml_document doc;
  // Default options minus DOCTYPE: pugixml never loads external entities.
  const unsigned options = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol;
  if (!doc.load_buffer(xml.data(), xml.size(), options, pugi::encoding_utf8)) return std::nullopt;
  return doc;
}

// All text and CDATA children joined: a value may be split across several CDATA sections.
std::string text(const pugi::xml_node& root, const char* name) {
  std::string out;
  for (const pugi::xml_node& part : root.child(name).children())
    if (part.type() == pugi::node_pcdata || part.type() == pugi::node_cdata) out += part.value();
  return out;
}

void cdata(std::string& out, const char* name, const std::string& value) {
  std::string safe = value;
  // "]]>" cannot appear inside CDATA: split it across two sections.
  for (std::size_t p = 0; (p = safe.find("]]>", p)) != std::string::npos; p += 12)
    safe.replace(p, 3, "]]]]><![CDATA[>");
  out += "<" + std::string(name) + "><![CDATA[" + safe + "]]></" + name + ">";
}

}  // namespace

std::optional<std::string> envelope_encrypt(std::string_view xml_body) {
  auto doc = parse_xml(xml_body);
  if (!doc) return std::nullopt;
  const pugi::xml_node root = doc->child("xml");
  const pugi::xml_node enc = root.child("Encrypt");
  if (!enc) return std::nullopt;
  std::string value = text(root, "Encrypt");
  if (value.empty()) return std::nullopt;
  return value;
}

std::optional<WecomMessage> parse_message(std::string_view xml) {
  auto doc = parse_xml(xml);
  if (!doc) return std::nullopt;
  const pugi::xml_node root = doc->child("xml");
  if (!root) return std::nullopt;
  WecomMessage m;
  m.to_user = text(root, "ToUserName");
  m.from_user = text(root, "FromUserName");
  m.create_time = text(root, "CreateTime");
  m.msg_type = text(root, "MsgType");
  m.content = text(root, "Content");
  m.msg_id = text(root, "MsgId");
  m.agent_id = text(root, "AgentID");
  m.event = text(root, "Event");
  m.event_key = text(root, "EventKey");
  m.chat_id = text(root, "ChatId");
  if (m.from_user.empty() || m.msg_type.empty()) return std::nullopt;
  return m;
}

std::string WecomMessage::dedup_id() const {
  if (!msg_id.empty()) return msg_id;
  return "event:" + from_user + ":" + create_time + ":" + event;
}

std::string message_xml(const WecomMessage& m) {
  std::string out = "<xml>";
  cdata(out, "ToUserName", m.to_user);
  cdata(out, "FromUserName", m.from_user);
  out += "<CreateTime>" + m.create_time + "</CreateTime>";
  cdata(out, "MsgType", m.msg_type);
  if (m.msg_type == "event") {
    cdata(out, "Event", m.event);
    cdata(out, "EventKey", m.event_key);
  } else {
    cdata(out, "Content", m.content);
    out += "<MsgId>" + m.msg_id + "</MsgId>";
  }
  if (!m.chat_id.empty()) cdata(out, "ChatId", m.chat_id);
  out += "<AgentID>" + m.agent_id + "</AgentID></xml>";
  return out;
}

}  // namespace yimei::wecom
