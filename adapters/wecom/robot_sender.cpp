// Group robot sends: the JSON body per message type, the per-key window, errcode handling.
#include "adapters/wecom/robot_sender.hpp"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "adapters/wecom/image_shrink.hpp"
#include "adapters/wecom/msg_crypt.hpp"
#include "bot/net/http_client.hpp"
#include "bot/net/multipart.hpp"
#include "bot/net/url.hpp"

namespace yimei::wecom {

namespace json = boost::json;

namespace {

UserError unavailable() {
  return {ErrorKind::Unavailable, "企业微信群机器人暂时不可用，稍后会自动重试。"};
}

std::string_view as_text(const std::vector<std::uint8_t>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

std::string md5_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &n, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

std::string RobotSender::mask_key(std::string_view key) {
  return std::string(key.substr(0, 4)) + "****";
}

RobotSender::RobotSender(net::HttpClient& http, RobotSettings settings)
    : http_(http),
      settings_(std::move(settings)),
      limiter_(settings_.per_minute, std::chrono::minutes(1)) {}

SendLimiter::Clock::time_point RobotSender::now() const {
  return settings_.now ? settings_.now() : SendLimiter::Clock::now();
}

std::size_t RobotSender::available(const std::string& key) {
  return limiter_.available(key, now());
}

Outcome<bool> RobotSender::post(const std::string& key, const char* op, const std::string& path,
                                const std::string& query, const std::string& content_type,
                                const std::string& body, std::string* media_id) {
  net::HttpRequest req;
  req.method = "POST";
  req.url =
      net::join_url(settings_.api_base, path) + "?key=" + net::url_encode_component(key) + query;
  req.headers.set("Content-Type", content_type);
  req.body = body;
  req.deadline = settings_.request_timeout;
  net::HttpResult result = http_.send(std::move(req));
  const std::string masked = mask_key(key);
  if (!result) {
    spdlog::warn("wecom robot {} {}: {} failed ({}): {}", masked, op,
                 net::to_string(result.error().kind), result.error().phase, result.error().detail);
    return unavailable();
  }
  const auto& r = result.response();
  if (r.status != 200) {
    spdlog::warn("wecom robot {} {}: HTTP {}", masked, op, r.status);
    if (r.status >= 500 || r.status == 429 || r.status == 408) return unavailable();
    return bad_input("企业微信群机器人返回了错误状态 " + std::to_string(r.status) + "。");
  }
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec || !v.is_object()) {
    spdlog::warn("wecom robot {} {}: the reply is not a JSON object", masked, op);
    return unavailable();
  }
  const json::object& o = v.as_object();
  std::int64_t code = 0;
  if (const json::value* c = o.if_contains("errcode")) code = c->is_int64() ? c->as_int64() : -1;
  const json::value* m = o.if_contains("errmsg");
  const std::string errmsg = m && m->is_string() ? std::string(m->as_string()) : "";
  if (code == 0) {
    if (media_id) {
      const json::value* id = o.if_contains("media_id");
      if (!id || !id->is_string() || id->as_string().empty()) {
        spdlog::warn("wecom robot {} {}: no media_id in the reply", masked, op);
        return unavailable();
      }
      *media_id = std::string(id->as_string());
    }
    return true;
  }
  if (code == -1 || code == 45009 || code == 45033) {
    spdlog::warn("wecom robot {} {}: errcode {} ({}): retry later", masked, op, code, errmsg);
    return unavailable();
  }
  if (code == 93000) {
    spdlog::error("wecom robot {} {}: errcode 93000: the key is invalid or the robot was removed",
                  masked, op);
    return bad_input("企业微信群机器人地址无效或机器人已被移出群聊（错误码 93000）。");
  }
  spdlog::warn("wecom robot {} {}: errcode {} ({})", masked, op, code, errmsg);
  return bad_input("企业微信群机器人拒绝了这条消息（错误码 " + std::to_string(code) + "）。");
}

Outcome<std::string> RobotSender::upload_file(const std::string& key, const std::string& file_name,
                                              std::string_view bytes) {
  net::MultipartForm form;
  form.add_file("media", file_name, "application/octet-stream", std::string(bytes),
                {{"filelength", std::to_string(bytes.size())}});
  std::string media_id;
  auto ok = post(key, "upload_media", "/cgi-bin/webhook/upload_media", "&type=file",
                 form.content_type(), form.body(), &media_id);
  if (!ok) return ok.error();
  return media_id;
}

Outcome<bool> RobotSender::send(const std::string& key, const MessagePart& part) {
  json::object msg;
  const char* type = to_string(part.kind);
  msg["msgtype"] = type;
  switch (part.kind) {
    case PartKind::Text: {
      json::object text{{"content", part.content}};
      if (!part.mentions.empty()) {
        json::array list;
        for (const auto& id : part.mentions) list.emplace_back(id);
        text["mentioned_list"] = std::move(list);
      }
      msg["text"] = std::move(text);
      break;
    }
    case PartKind::Markdown:
    case PartKind::MarkdownV2:
      msg[type] = json::object{{"content", part.content}};
      break;
    case PartKind::Image: {
      if (part.bytes.size() > kMaxImageBytes) return bad_input("图片超过 2MB，群机器人无法发送。");
      msg["image"] = json::object{{"base64", base64_encode(as_text(part.bytes))},
                                  {"md5", md5_hex(as_text(part.bytes))}};
      break;
    }
    case PartKind::File: {
      // The upload is not a message: only the send below counts against the window.
      if (available(key) == 0) return unavailable();
      auto media = upload_file(key, part.file_name, as_text(part.bytes));
      if (!media) return media.error();
      msg["file"] = json::object{{"media_id", *media}};
      break;
    }
  }
  if (!limiter_.try_acquire(key, 1, now())) {
    spdlog::info("wecom robot {}: {} messages a minute reached; the message waits", mask_key(key),
                 settings_.per_minute);
    return UserError{ErrorKind::Unavailable, "企业微信群机器人每分钟最多发送 " +
                                                 std::to_string(settings_.per_minute) +
                                                 " 条消息，稍后会自动重试。"};
  }
  return post(key, "send", "/cgi-bin/webhook/send", "", "application/json; charset=utf-8",
              json::serialize(msg), nullptr);
}

}  // namespace yimei::wecom
