// WXBizMsgCrypt against the official WeCom vectors (tests/fixtures/vectors): signatures,
// URL verification, decryption, our encryption reproducing the published ciphertext from the
// same random bytes, and strict refusal of tampered input.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "adapters/wecom/msg_crypt.hpp"

using namespace yimei::wecom;
namespace json = boost::json;

namespace {

json::array cases() {
  std::ifstream in(std::string(YIMEI_FIXTURES_DIR) + "/vectors/wecom_callback_crypto.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str()).at("cases").as_array();
}

std::string str(const json::value& v, const char* key) {
  return json::value_to<std::string>(v.at(key));
}

MsgCrypt crypt_for(const json::value& c) {
  auto m = MsgCrypt::create(str(c, "token"), str(c, "encoding_aes_key"), str(c, "receiveid"));
  EXPECT_TRUE(m) << (m ? "" : m.error().message);
  return *m;
}

std::string ciphertext(const json::value& c) {
  return c.as_object().contains("encrypt") ? str(c, "encrypt") : str(c, "echostr");
}

}  // namespace

TEST(WecomCrypto, EveryOfficialVectorVerifiesAndDecrypts) {
  int checked = 0;
  for (const auto& c : cases()) {
    SCOPED_TRACE(str(c, "name"));
    MsgCrypt m = crypt_for(c);
    const std::string enc = ciphertext(c);
    if (c.as_object().contains("msg_signature")) {
      EXPECT_TRUE(m.verify(str(c, "msg_signature"), str(c, "timestamp"), str(c, "nonce"), enc));
      EXPECT_EQ(m.signature(str(c, "timestamp"), str(c, "nonce"), enc), str(c, "msg_signature"));
    }
    auto plain = m.decrypt(enc);
    ASSERT_TRUE(plain.ok) << describe(plain.error);
    const auto& expected = c.at("expected");
    EXPECT_EQ(plain.value, str(expected, "plaintext"));
    EXPECT_EQ(plain.value.size(), expected.at("msg_len").to_number<std::size_t>());
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

TEST(WecomCrypto, EncryptionReproducesTheCiphertextFromTheSameRandomBytes) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(str(c, "name"));
    MsgCrypt m = crypt_for(c);
    const std::string random_hex = str(c.at("expected"), "random_hex");
    std::array<std::uint8_t, 16> random{};
    for (std::size_t i = 0; i < 16; ++i)
      random[i] = static_cast<std::uint8_t>(std::stoi(random_hex.substr(2 * i, 2), nullptr, 16));
    EXPECT_EQ(m.encrypt(str(c.at("expected"), "plaintext"), random), ciphertext(c));
  }
}

TEST(WecomCrypto, RoundTripsChineseAndEveryPaddingLength) {
  auto m = MsgCrypt::create("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "ww123");
  ASSERT_TRUE(m);
  std::string msg;
  for (int len = 0; len < 70; ++len) {  // covers pad = 1..32
    auto back = m->decrypt(m->encrypt(msg));
    ASSERT_TRUE(back.ok) << len;
    EXPECT_EQ(back.value, msg);
    msg += "x";
  }
  auto zh = m->decrypt(m->encrypt("最近半年没来的金卡顾客有哪些"));
  ASSERT_TRUE(zh.ok);
  EXPECT_EQ(zh.value, "最近半年没来的金卡顾客有哪些");
}

TEST(WecomCrypto, RefusesTamperedInput) {
  const auto c = cases().at(1);
  MsgCrypt m = crypt_for(c);
  const std::string enc = ciphertext(c);
  EXPECT_FALSE(m.verify(str(c, "msg_signature"), str(c, "timestamp"), "1", enc));
  EXPECT_FALSE(m.verify("", str(c, "timestamp"), str(c, "nonce"), enc));
  EXPECT_EQ(m.decrypt("not base64!").error, CryptError::BadBase64);
  EXPECT_EQ(m.decrypt("").error, CryptError::BadBase64);
  EXPECT_EQ(m.decrypt(base64_encode("short")).error, CryptError::BadLength);
  // A flipped byte in the last block garbles the padding.
  std::string raw;
  ASSERT_TRUE(base64_decode(enc, raw));
  raw[raw.size() - 1] ^= 0x5a;
  EXPECT_FALSE(m.decrypt(base64_encode(raw)).ok);
  // Another corp's receive id.
  auto other = MsgCrypt::create(str(c, "token"), str(c, "encoding_aes_key"), "ww-other-corp");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->decrypt(enc).error, CryptError::WrongReceiveId);
  // An aligned plaintext whose length field points past the end.
  auto mk = MsgCrypt::create("t", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "");
  std::array<std::uint8_t, 16> r{};
  std::string bogus = mk->encrypt("", r);
  EXPECT_TRUE(mk->decrypt(bogus).ok);
  EXPECT_FALSE(MsgCrypt::create("t", "tooshort", ""));
  EXPECT_FALSE(MsgCrypt::create("", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", ""));
}
