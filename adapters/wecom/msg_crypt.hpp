// WXBizMsgCrypt, the callback crypto of WeCom (and of DingTalk event callbacks): SHA1 signature
// over the sorted token/timestamp/nonce/ciphertext, AES-256-CBC with the key's first 16 bytes as
// IV and PKCS#7 padding to 32-byte blocks done by hand, plaintext laid out as
// random[16] ‖ uint32be(len) ‖ msg ‖ receive_id — all checked strictly on decryption.
// Immutable after create(); thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace yimei::wecom {

enum class CryptError {
  BadSignature,
  BadBase64,
  BadLength,
  BadPadding,
  BadLayout,
  WrongReceiveId,
};

// A short English reason for logs (never shown to chat users).
const char* describe(CryptError e);

template <class T>
struct CryptResult {
  bool ok = false;
  T value{};
  CryptError error = CryptError::BadLayout;
};

class MsgCrypt {
 public:
  // UserError (BadInput) when the EncodingAESKey is not 43 characters that decode to 32 bytes,
  // or the token is empty.
  static Outcome<MsgCrypt> create(std::string token, std::string_view encoding_aes_key,
                                  std::string receive_id);

  // hex_lower(SHA1(concat(sort([token, timestamp, nonce, encrypt])))).
  std::string signature(std::string_view timestamp, std::string_view nonce,
                        std::string_view encrypt) const;
  // Constant-time comparison with the expected signature.
  bool verify(std::string_view msg_signature, std::string_view timestamp, std::string_view nonce,
              std::string_view encrypt) const;

  // Decrypts a base64 ciphertext and returns msg; checks length, padding, layout and that the
  // trailing receive id equals ours.
  CryptResult<std::string> decrypt(std::string_view encrypt_base64) const;
  // Encrypts msg with the given 16 random bytes (base64 result).
  std::string encrypt(std::string_view msg, const std::array<std::uint8_t, 16>& random) const;
  // Encrypts with fresh random bytes from OpenSSL's CSPRNG.
  std::string encrypt(std::string_view msg) const;

  const std::string& receive_id() const { return receive_id_; }

 private:
  MsgCrypt() = default;
  std::string token_;
  std::array<std::uint8_t, 32> key_{};
  std::string receive_id_;
};

// Standard base64 (with '=' padding, no line breaks); decode returns false on any bad input.
std::string base64_encode(std::string_view bytes);
bool base64_decode(std::string_view text, std::string& out);

}  // namespace yimei::wecom
