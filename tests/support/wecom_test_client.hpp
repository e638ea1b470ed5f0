// Builds WeCom app callback requests exactly as WeCom sends them (protocols.md §a): the message
// XML encrypted with MsgCrypt under the corp id, signed over the sorted token/timestamp/nonce/
// ciphertext, wrapped in the <xml><ToUserName/><Encrypt/><AgentID/></xml> envelope, with the
// query string %XX-encoded ('+', '/', '=' as %2B %2F %3D). The pieces are exposed so tests can
// also build wrong requests. For the callback tests and the end-to-end test. Thread-safe (const).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/wecom/callback_message.hpp"
#include "adapters/wecom/msg_crypt.hpp"
#include "bot/net/http_client.hpp"

namespace yimei::test {

struct WecomCallbackSecrets {
  std::string token;
  std::string aes_key;  // 43 characters
  std::string corp_id;  // the receive id WeCom puts in every ciphertext
};

class WecomTestClient {
 public:
  // `base_url` like "http://127.0.0.1:PORT"; throws std::invalid_argument on a bad AES key.
  WecomTestClient(std::string base_url, WecomCallbackSecrets secrets,
                  std::string path = "/wecom/callback");

  // GET verification: encrypts `echostr_plain` (e.g. "1616140317555161061") and signs it.
  net::HttpRequest verification(std::string_view echostr_plain, const std::string& timestamp,
                                const std::string& nonce) const;
  // A POST carrying `message` (its XML, encrypted and signed).
  net::HttpRequest message(const wecom::WecomMessage& message, const std::string& timestamp,
                           const std::string& nonce) const;

  // A POST carrying any plaintext XML (e.g. an image message), encrypted and signed.
  net::HttpRequest message_xml(std::string_view plaintext_xml, const std::string& timestamp,
                               const std::string& nonce) const;
  // The plaintext XML of an image message as WeCom writes it (PicUrl, MediaId, MsgId).
  std::string image_xml(const std::string& from_user, const std::string& msg_id,
                        const std::string& create_time) const;

  // The pieces.
  std::string encrypt(std::string_view plaintext) const;  // base64 ciphertext
  std::string sign(std::string_view timestamp, std::string_view nonce,
                   std::string_view encrypt) const;
  // {path}?k1=v1&k2=v2 with every value %XX-encoded, as an absolute URL.
  std::string url(const std::vector<std::pair<std::string, std::string>>& params) const;
  net::HttpRequest get(const std::vector<std::pair<std::string, std::string>>& params) const;
  net::HttpRequest post(const std::vector<std::pair<std::string, std::string>>& params,
                        std::string body) const;
  std::string envelope(std::string_view encrypt, std::string_view agent_id = "1000002") const;

  // A text message / an event from `from_user` to this corp, created at `create_time`.
  wecom::WecomMessage text(const std::string& from_user, const std::string& content,
                           const std::string& msg_id, const std::string& create_time) const;
  wecom::WecomMessage event(const std::string& from_user, const std::string& event,
                            const std::string& create_time) const;

  const WecomCallbackSecrets& secrets() const { return secrets_; }

  // The current Unix time in seconds, as WeCom writes it.
  static std::string now_timestamp();

 private:
  std::string base_url_;
  WecomCallbackSecrets secrets_;
  std::string path_;
  wecom::MsgCrypt crypt_;
};

}  // namespace yimei::test
