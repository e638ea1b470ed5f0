// WXBizMsgCrypt with OpenSSL 3 EVP: AES-256-CBC without library padding, SHA1, CRYPTO_memcmp.
#include "adapters/wecom/msg_crypt.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace yimei::wecom {

namespace {

constexpr std::size_t kBlock = 32;  // WeCom pads to 32 bytes, not AES's 16

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// OpenSSL 3 looks an algorithm up in its provider registry on every use of EVP_aes_256_cbc()
// or EVP_sha1() (an "implicit fetch", ~3% of a callback); fetched once, they are reused for the
// process's lifetime (never freed: they may be in use on any thread until exit). One algorithm
// per type here, so the static of each instantiation holds it.
template <class Algorithm, Algorithm* (*Fetch)(OSSL_LIB_CTX*, const char*, const char*)>
const Algorithm* fetched(const char* name) {
  static const Algorithm* algorithm = [name] {
    Algorithm* a = Fetch(nullptr, name, nullptr);
    if (!a) throw std::runtime_error(std::string("OpenSSL has no ") + name);
    return a;
  }();
  return algorithm;
}

const EVP_CIPHER* aes_256_cbc() {
  return fetched<EVP_CIPHER, EVP_CIPHER_fetch>("AES-256-CBC");
}

const EVP_MD* sha1() {
  return fetched<EVP_MD, EVP_MD_fetch>("SHA1");
}

std::string aes_cbc(const std::array<std::uint8_t, 32>& key, std::string_view in, bool encrypt) {
  // One context per thread, re-initialised for each message: no allocation per callback.
  thread_local std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  if (EVP_CipherInit_ex2(ctx.get(), aes_256_cbc(), key.data(), key.data(), encrypt ? 1 : 0,
                         nullptr) != 1)
    throw std::runtime_error("AES init failed");
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  std::string out(in.size() + 32, '\0');
  int n1 = 0, n2 = 0;
  if (EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n1,
                       reinterpret_cast<const unsigned char*>(in.data()),
                       static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n1, &n2) != 1)
    throw std::runtime_error("AES update failed");
  out.resize(static_cast<std::size_t>(n1 + n2));
  return out;
}

std::string sha1_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, sha1(), nullptr) != 1)
    throw std::runtime_error("SHA1 failed");
  static const char kHex[] = "0123456789abcdef";
  std::string out(2 * len, '\0');
  for (unsigned i = 0; i < len; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 15];
  }
  return out;
}

}  // namespace

const char* describe(CryptError e) {
  switch (e) {
    case CryptError::BadSignature:
      return "signature mismatch";
    case CryptError::BadBase64:
      return "ciphertext is not base64";
    case CryptError::BadLength:
      return "ciphertext length is not a non-zero multiple of 16";
    case CryptError::BadPadding:
      return "bad PKCS#7 padding";
    case CryptError::BadLayout:
      return "plaintext layout or length field is wrong";
    case CryptError::WrongReceiveId:
      return "receive id does not match";
  }
  return "unknown";
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool base64_decode(std::string_view text, std::string& out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // ASCII only, whatever the locale (std::isalnum also costs a call per byte).
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const bool ok = alnum || c == '+' || c == '/' || (c == '=' && i + 2 >= text.size());
    if (!ok) return false;
  }
  std::size_t pad = 0;
  if (text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  if (pad == 1 && text[text.size() - 2] == '=') return false;
  out.assign(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return false;
  out.resize(static_cast<std::size_t>(n) - pad);  // EVP_DecodeBlock counts the '=' as zeros
  return true;
}

Outcome<MsgCrypt> MsgCrypt::create(std::string token, std::string_view aes_key,
                                   std::string receive_id) {
  if (token.empty()) return bad_input("WECOM_TOKEN is empty");
  std::string key;
  if (aes_key.size() != 43 || !base64_decode(std::string(aes_key) + "=", key) || key.size() != 32)
    return bad_input("EncodingAESKey must be 43 characters that decode to 32 bytes");
  MsgCrypt c;
  c.token_ = std::move(token);
  std::copy(key.begin(), key.end(), c.key_.begin());
  c.receive_id_ = std::move(receive_id);
  return c;
}

std::string MsgCrypt::signature(std::string_view timestamp, std::string_view nonce,
                                std::string_view encrypt) const {
  std::array<std::string_view, 4> parts{token_, timestamp, nonce, encrypt};
  std::sort(parts.begin(), parts.end());
  std::string joined;
  for (auto p : parts) joined += p;
  return sha1_hex(joined);
}

bool MsgCrypt::verify(std::string_view msg_signature, std::string_view timestamp,
                      std::string_view nonce, std::string_view encrypt) const {
  const std::string expected = signature(timestamp, nonce, encrypt);
  return msg_signature.size() == expected.size() &&
         CRYPTO_memcmp(msg_signature.data(), expected.data(), expected.size()) == 0;
}

CryptResult<std::string> MsgCrypt::decrypt(std::string_view encrypt_base64) const {
  CryptResult<std::string> r;
  std::string cipher;
  if (!base64_decode(encrypt_base64, cipher)) {
    r.error = CryptError::BadBase64;
    return r;
  }
  if (cipher.empty() || cipher.size() % 16 != 0) {
    r.error = CryptError::BadLength;
    return r;
  }
  const std::string plain = aes_cbc(key_, cipher, false);
  const auto pad = static_cast<unsigned char>(plain.back());
  if (pad < 1 || pad > kBlock || pad > plain.size() ||
      !std::all_of(plain.end() - pad, plain.end(),
                   [pad](char c) { return static_cast<unsigned char>(c) == pad; })) {
    r.error = CryptError::BadPadding;
    return r;
  }
  const std::size_t len = plain.size() - pad;
  if (len < 20) {
    r.error = CryptError::BadLayout;
    return r;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(plain.data()) + 16;
  const std::size_t msg_len = (std::size_t{p[0]} << 24) | (std::size_t{p[1]} << 16) |
                              (std::size_t{p[2]} << 8) | std::size_t{p[3]};
  if (20 + msg_len > len) {
    r.error = CryptError::BadLayout;
    return r;
  }
  const std::string_view receive(plain.data() + 20 + msg_len, len - 20 - msg_len);
  if (receive != receive_id_) {
    r.error = CryptError::WrongReceiveId;
    return r;
  }
  r.ok = true;
  r.value.assign(plain.data() + 20, msg_len);
  return r;
}

std::string MsgCrypt::encrypt(std::string_view msg,
                              const std::array<std::uint8_t, 16>& random) const {
  std::string plain(reinterpret_cast<const char*>(random.data()), random.size());
  const auto n = static_cast<std::uint32_t>(msg.size());
  plain.push_back(static_cast<char>(n >> 24));
  plain.push_back(static_cast<char>((n >> 16) & 0xff));
  plain.push_back(static_cast<char>((n >> 8) & 0xff));
  plain.push_back(static_cast<char>(n & 0xff));
  plain += msg;
  plain += receive_id_;
  const std::size_t pad = kBlock - plain.size() % kBlock;  // 1..32
  plain.append(pad, static_cast<char>(pad));
  return base64_encode(aes_cbc(key_, plain, true));
}

std::string MsgCrypt::encrypt(std::string_view msg) const {
  std::array<std::uint8_t, 16> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return encrypt(msg, random);
}

}  // namespace yimei::wecom
