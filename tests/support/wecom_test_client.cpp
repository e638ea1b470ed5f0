// The WeCom callback request builder: MsgCrypt for the crypto, net::url_encode_component for the
// %XX query encoding.
#include "tests/support/wecom_test_client.hpp"

#include <chrono>
#include <stdexcept>

#include "bot/net/url.hpp"

namespace yimei::test {

namespace {
wecom::MsgCrypt make_crypt(const WecomCallbackSecrets& s) {
  auto c = wecom::MsgCrypt::create(s.token, s.aes_key, s.corp_id);
  if (!c) throw std::invalid_argument(c.error().message);
  return *c;
}
}  // namespace

WecomTestClient::WecomTestClient(std::string base_url, WecomCallbackSecrets secrets,
                                 std::string path)
    : base_url_(std::move(base_url)),
      secrets_(std::move(secrets)),
      path_(std::move(path)),
      crypt_(make_crypt(secrets_)) {}

std::string WecomTestClient::encrypt(std::string_view plaintext) const {
  return crypt_.encrypt(plaintext);
}

std::string WecomTestClient::sign(std::string_view timestamp, std::string_view nonce,
                                  std::string_view encrypt) const {
  return crypt_.signature(timestamp, nonce, encrypt);
}

std::string WecomTestClient::url(
    const std::vector<std::pair<std::string, std::string>>& params) const {
  std::string out = base_url_ + path_;
  char sep = '?';
  for (const auto& [k, v] : params) {
    out += sep + net::url_encode_component(k) + "=" + net::url_encode_component(v);
    sep = '&';
  }
  return out;
}

net::HttpRequest WecomTestClient::get(
    const std::vector<std::pair<std::string, std::string>>& params) const {
  net::HttpRequest r;
  r.method = "GET";
  r.url = url(params);
  return r;
}

net::HttpRequest WecomTestClient::post(
    const std::vector<std::pair<std::string, std::string>>& params, std::string body) const {
  net::HttpRequest r;
  r.method = "POST";
  r.url = url(params);
  r.headers.set("Content-Type", "text/xml");
  r.body = std::move(body);
  return r;
}

std::string WecomTestClient::envelope(std::string_view encrypt, std::string_view agent_id) const {
  return "<xml><ToUserName><![CDATA[" + secrets_.corp_id + "]]></ToUserName><Encrypt><![CDATA[" +
         std::string(encrypt) + "]]></Encrypt><AgentID><![CDATA[" + std::string(agent_id) +
         "]]></AgentID></xml>";
}

net::HttpRequest WecomTestClient::verification(std::string_view echostr_plain,
                                               const std::string& timestamp,
                                               const std::string& nonce) const {
  const std::string echostr = encrypt(echostr_plain);
  return get({{"msg_signature", sign(timestamp, nonce, echostr)},
              {"timestamp", timestamp},
              {"nonce", nonce},
              {"echostr", echostr}});
}

net::HttpRequest WecomTestClient::message(const wecom::WecomMessage& m,
                                          const std::string& timestamp,
                                          const std::string& nonce) const {
  return message_xml(wecom::message_xml(m), timestamp, nonce);
}

net::HttpRequest WecomTestClient::message_xml(std::string_view plaintext_xml,
                                              const std::string& timestamp,
                                              const std::string& nonce) const {
  const std::string enc = encrypt(plaintext_xml);
  return post(
      {{"msg_signature", sign(timestamp, nonce, enc)}, {"timestamp", timestamp}, {"nonce", nonce}},
      envelope(enc));
}

std::string WecomTestClient::image_xml(const std::string& from_user, const std::string& msg_id,
                                       const std::string& create_time) const {
  return "<xml><ToUserName><![CDATA[" + secrets_.corp_id +
         "]]></ToUserName><FromUserName><![CDATA[" + from_user + "]]></FromUserName><CreateTime>" +
         create_time +
         "</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[https://"
         "example.invalid/"
         "p.png]]></PicUrl><MediaId><![CDATA[media-in-1]]></MediaId><MsgId>" +
         msg_id + "</MsgId><AgentID>1000002</AgentID></xml>";
}

wecom::WecomMessage WecomTestClient::text(const std::string& from_user, const std::string& content,
                                          const std::string& msg_id,
                                          const std::string& create_time) const {
  wecom::WecomMessage m;
  m.to_user = secrets_.corp_id;
  m.from_user = from_user;
  m.create_time = create_time;
  m.msg_type = "text";
  m.content = content;
  m.msg_id = msg_id;
  m.agent_id = "1000002";
  return m;
}

wecom::WecomMessage WecomTestClient::event(const std::string& from_user, const std::string& event,
                                           const std::string& create_time) const {
  wecom::WecomMessage m;
  m.to_user = secrets_.corp_id;
  m.from_user = from_user;
  m.create_time = create_time;
  m.msg_type = "event";
  m.event = event;
  m.agent_id = "1000002";
  return m;
}

std::string WecomTestClient::now_timestamp() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

}  // namespace yimei::test
