// The app API client: one `call` path does token insertion, the HTTP exchange, errcode
// classification and the single retry after a token refresh; send/upload build on it.
#include "adapters/wecom/api_client.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <atomic>
#include <mutex>

#include "bot/net/http_client.hpp"
#include "bot/net/multipart.hpp"
#include "bot/net/url.hpp"

namespace yimei::wecom {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

UserError unavailable() {
  return {ErrorKind::Unavailable, "企业微信接口暂时不可用，稍后会自动重试。"};
}

UserError config_error() {
  return bad_input(
      "企业微信应用配置有误（企业ID或应用Secret无效），请管理员检查 WECOM_CORP_ID 和 "
      "WECOM_SECRET。");
}

UserError refused(std::int64_t errcode) {
  return bad_input("企业微信拒绝了这条消息（错误码 " + std::to_string(errcode) + "）。");
}

std::int64_t errcode_of(const json::object& o) {
  const json::value* v = o.if_contains("errcode");
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  return -1;  // not a number: treat as "busy"
}

std::string errmsg_of(const json::object& o) {
  const json::value* v = o.if_contains("errmsg");
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string string_field(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  return {};
}

const char* media_type_name(MediaType t) {
  return t == MediaType::Image ? "image" : "file";
}

}  // namespace

ErrcodeClass classify_errcode(std::int64_t errcode) {
  switch (errcode) {
    case 0:
      return ErrcodeClass::Ok;
    case 40014:
    case 42001:
    case 41001:
      return ErrcodeClass::TokenInvalid;
    case 40001:
    case 40013:
      return ErrcodeClass::Config;
    case -1:
    case 45009:
    case 45033:
      return ErrcodeClass::Retry;
    default:
      return ErrcodeClass::Refused;
  }
}

struct ApiClient::Impl {
  Impl(net::HttpClient& h, AppSettings s) : http(h), settings(std::move(s)) {}

  net::HttpClient& http;
  const AppSettings settings;
  std::mutex token_mu;  // held during gettoken: at most one in flight, the others wait for it
  std::string token;
  Clock::time_point refresh_at{};
  std::atomic<std::uint64_t> fetches{0};

  // One HTTP exchange; the JSON object of a 200 reply, or the error to return.
  Outcome<json::object> exchange(const char* op, net::HttpRequest request) {
    request.deadline = settings.request_timeout;
    net::HttpResult result = http.send(std::move(request));
    if (!result) {
      spdlog::warn("wecom {}: {} failed ({}): {}", op, to_string(result.error().kind),
                   result.error().phase, result.error().detail);
      return unavailable();
    }
    const net::HttpResponse& r = result.response();
    if (r.status != 200) {
      spdlog::warn("wecom {}: HTTP {}", op, r.status);
      if (r.status >= 500 || r.status == 429 || r.status == 408) return unavailable();
      return bad_input("企业微信接口返回了错误状态 " + std::to_string(r.status) + "。");
    }
    boost::system::error_code ec;
    json::value v = json::parse(r.body, ec);
    if (ec || !v.is_object()) {
      spdlog::warn("wecom {}: the reply is not a JSON object", op);
      return unavailable();
    }
    return std::move(v.as_object());
  }

  // The token, fetched when missing, due, or equal to `stale` (a token WeCom just refused).
  Outcome<std::string> token_for(const std::string& stale) {
    std::lock_guard lock(token_mu);
    if (!token.empty() && token != stale && Clock::now() < refresh_at) return token;
    token.clear();
    fetches.fetch_add(1);
    net::HttpRequest req;
    req.method = "GET";
    req.url = net::join_url(settings.api_base, "/cgi-bin/gettoken") +
              "?corpid=" + net::url_encode_component(settings.corp_id) +
              "&corpsecret=" + net::url_encode_component(settings.secret);
    auto reply = exchange("gettoken", std::move(req));
    if (!reply) return reply.error();
    const std::int64_t code = errcode_of(*reply);
    switch (classify_errcode(code)) {
      case ErrcodeClass::Ok:
        break;
      case ErrcodeClass::Config:
        spdlog::error(
            "wecom gettoken: errcode {} ({}): WECOM_CORP_ID or WECOM_SECRET is wrong; fix the "
            "configuration",
            code, errmsg_of(*reply));
        return config_error();
      case ErrcodeClass::Retry:
      case ErrcodeClass::TokenInvalid:
        spdlog::warn("wecom gettoken: errcode {} ({})", code, errmsg_of(*reply));
        return unavailable();
      case ErrcodeClass::Refused:
        spdlog::error("wecom gettoken: errcode {} ({})", code, errmsg_of(*reply));
        return config_error();
    }
    std::string fresh = string_field(*reply, "access_token");
    std::int64_t expires_in = 7200;
    if (const json::value* e = reply->if_contains("expires_in"); e && e->is_int64())
      expires_in = e->as_int64();
    if (fresh.empty() || expires_in <= 0) {
      spdlog::warn("wecom gettoken: no access_token in the reply");
      return unavailable();
    }
    const std::int64_t margin = settings.refresh_margin.count();
    const std::int64_t keep = std::max(expires_in - margin, expires_in / 2);
    token = std::move(fresh);
    refresh_at = Clock::now() + std::chrono::seconds(keep);
    spdlog::info("wecom gettoken: new access token, refreshed again in {} s", keep);
    return token;
  }

  // An API call with the token: refreshes once on a token error and retries.
  Outcome<json::object> call(const char* op, const std::string& path, const std::string& query,
                             const std::string& content_type, const std::string& body) {
    std::string stale;
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto tok = token_for(stale);
      if (!tok) return tok.error();
      net::HttpRequest req;
      req.method = "POST";
      req.url = net::join_url(settings.api_base, path) +
                "?access_token=" + net::url_encode_component(*tok) + query;
      req.headers.set("Content-Type", content_type);
      req.body = body;
      auto reply = exchange(op, std::move(req));
      if (!reply) return reply.error();
      const std::int64_t code = errcode_of(*reply);
      switch (classify_errcode(code)) {
        case ErrcodeClass::Ok:
          return reply;
        case ErrcodeClass::TokenInvalid:
          spdlog::info("wecom {}: errcode {}: the access token is no longer valid", op, code);
          stale = *tok;
          continue;
        case ErrcodeClass::Config:
          spdlog::error("wecom {}: errcode {} ({}): check WECOM_CORP_ID and WECOM_SECRET", op, code,
                        errmsg_of(*reply));
          return config_error();
        case ErrcodeClass::Retry:
          spdlog::warn("wecom {}: errcode {} ({}): retry later", op, code, errmsg_of(*reply));
          return unavailable();
        case ErrcodeClass::Refused:
          spdlog::warn("wecom {}: errcode {} ({})", op, code, errmsg_of(*reply));
          return refused(code);
      }
    }
    spdlog::warn("wecom {}: the token was refused again right after a refresh", op);
    return unavailable();
  }
};

ApiClient::ApiClient(net::HttpClient& http, AppSettings settings)
    : impl_(std::make_unique<Impl>(http, std::move(settings))) {}

ApiClient::~ApiClient() = default;

Outcome<std::string> ApiClient::access_token() {
  return impl_->token_for({});
}

void ApiClient::invalidate_token() {
  std::lock_guard lock(impl_->token_mu);
  impl_->token.clear();
}

std::uint64_t ApiClient::token_fetches() const {
  return impl_->fetches.load();
}

Outcome<std::string> ApiClient::upload_media(MediaType type, const std::string& file_name,
                                             const std::string& content_type,
                                             std::string_view bytes) {
  net::MultipartForm form;
  form.add_file("media", file_name, content_type, std::string(bytes),
                {{"filelength", std::to_string(bytes.size())}});
  auto reply =
      impl_->call("media/upload", "/cgi-bin/media/upload",
                  std::string("&type=") + media_type_name(type), form.content_type(), form.body());
  if (!reply) return reply.error();
  std::string media_id = string_field(*reply, "media_id");
  if (media_id.empty()) {
    spdlog::warn("wecom media/upload: no media_id in the reply");
    return unavailable();
  }
  return media_id;
}

Outcome<bool> ApiClient::send(const AppRecipient& to, const MessagePart& part) {
  json::object msg;
  const bool chat = to.kind == AppRecipient::Kind::Chat;
  if (chat)
    msg["chatid"] = to.id;
  else if (to.kind == AppRecipient::Kind::Party)
    msg["toparty"] = to.id;
  else
    msg["touser"] = to.id;
  switch (part.kind) {
    case PartKind::Text:
    case PartKind::Markdown:
      msg["msgtype"] = to_string(part.kind);
      msg[to_string(part.kind)] = json::object{{"content", part.content}};
      break;
    case PartKind::Image:
    case PartKind::File: {
      const MediaType type = part.kind == PartKind::Image ? MediaType::Image : MediaType::File;
      const std::string_view bytes(reinterpret_cast<const char*>(part.bytes.data()),
                                   part.bytes.size());
      auto media =
          upload_media(type, part.file_name,
                       part.mime_type.empty() ? "application/octet-stream" : part.mime_type, bytes);
      if (!media) return media.error();
      msg["msgtype"] = to_string(part.kind);
      msg[to_string(part.kind)] = json::object{{"media_id", *media}};
      break;
    }
    case PartKind::MarkdownV2:
      return bad_input("企业微信应用消息不支持 markdown_v2。");
  }
  if (!chat) msg["agentid"] = impl_->settings.agent_id;
  msg["safe"] = 0;
  const char* op = chat ? "appchat/send" : "message/send";
  auto reply = impl_->call(op, chat ? "/cgi-bin/appchat/send" : "/cgi-bin/message/send", "",
                           "application/json; charset=utf-8", json::serialize(msg));
  if (!reply) return reply.error();
  for (const char* key : {"invaliduser", "invalidparty", "unlicenseduser"}) {
    const std::string bad = string_field(*reply, key);
    if (!bad.empty()) spdlog::warn("wecom {}: WeCom reports {} \"{}\"", op, key, bad);
  }
  return true;
}

}  // namespace yimei::wecom
