// The fake WeCom API: routing by path, token bookkeeping, JSON and multipart decoding, the
// checks real WeCom makes (agentid an integer, content limits, media ids, image md5), and
// injected failures.
#include "tests/support/fake_wecom_api.hpp"

#include <openssl/evp.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "bot/net/url.hpp"

namespace yimei::test {

namespace json = boost::json;

namespace {

FakeReply json_reply(const json::object& o) {
  FakeReply r;
  r.body = json::serialize(o);
  return r;
}

FakeReply error_reply(std::int64_t errcode, std::string errmsg) {
  return json_reply({{"errcode", errcode}, {"errmsg", std::move(errmsg)}});
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

// `a=1; b="x; y"` → {a: 1, b: x; y}; the first item (no '=') is returned under "".
std::map<std::string, std::string> header_params(std::string_view value) {
  std::map<std::string, std::string> out;
  std::vector<std::string> items;
  std::string cur;
  bool quoted = false;
  for (char c : value) {
    if (c == '"') quoted = !quoted;
    if (c == ';' && !quoted) {
      items.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  items.push_back(cur);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item = trim(items[i]);
    const auto eq = item.find('=');
    if (eq == std::string::npos) {
      if (i == 0) out[""] = lower(item);
      continue;
    }
    std::string v = trim(std::string_view(item).substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    out[lower(trim(std::string_view(item).substr(0, eq)))] = v;
  }
  return out;
}

std::string md5_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &n, EVP_md5(), nullptr);
  std::string out;
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view s) {
  if (s.empty() || s.size() % 4 != 0) return std::nullopt;
  std::string out(s.size() / 4 * 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return std::nullopt;
  std::size_t pad = 0;
  if (s.back() == '=') ++pad;
  if (s[s.size() - 2] == '=') ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

std::string str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string inner(const json::object& o, const char* obj, const char* key) {
  const json::value* v = o.if_contains(obj);
  return v && v->is_object() ? str(v->as_object(), key) : std::string();
}

}  // namespace

std::optional<std::vector<MultipartPart>> parse_multipart(std::string_view content_type,
                                                          std::string_view body) {
  const auto ct = header_params(content_type);
  if (ct.count("") == 0 || ct.at("") != "multipart/form-data") return std::nullopt;
  const auto b = ct.find("boundary");
  if (b == ct.end() || b->second.empty()) return std::nullopt;
  const std::string delimiter = "--" + b->second;
  std::vector<MultipartPart> parts;
  std::size_t pos = body.find(delimiter);
  if (pos != 0) {  // a preamble must end with CRLF before the first delimiter
    pos = body.find("\r\n" + delimiter);
    if (pos == std::string_view::npos) return std::nullopt;
    pos += 2;
  }
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
    const auto head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) return std::nullopt;
    MultipartPart part;
    std::string_view head = body.substr(pos, head_end - pos);
    while (!head.empty()) {
      const auto eol = head.find("\r\n");
      const std::string_view line = head.substr(0, eol);
      head = eol == std::string_view::npos ? std::string_view{} : head.substr(eol + 2);
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      const std::string name = lower(trim(line.substr(0, colon)));
      const std::string value = trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        part.params = header_params(value);
        if (part.params[""] != "form-data") return std::nullopt;
        part.name = part.params["name"];
        part.filename = part.params["filename"];
      } else if (name == "content-type") {
        part.content_type = value;
      }
    }
    const std::size_t data_start = head_end + 4;
    const auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return std::nullopt;
    part.data = std::string(body.substr(data_start, next - data_start));
    parts.push_back(std::move(part));
    pos = next + 2;
  }
}

FakeWecomApi::FakeWecomApi(FakeWecomSettings settings)
    : settings_(std::move(settings)),
      server_([this](const RecordedRequest& r) { return handle(r); }) {}

void FakeWecomApi::expire_tokens(std::int64_t errcode) {
  std::lock_guard lock(mu_);
  for (auto& [token, state] : tokens_) state = errcode;
}

void FakeWecomApi::fail_next(const std::string& api, std::int64_t errcode, int times) {
  std::lock_guard lock(mu_);
  for (int i = 0; i < times; ++i) injected_errcodes_[api].push_back(errcode);
}

void FakeWecomApi::fail_next_http(const std::string& api, int status, int times) {
  std::lock_guard lock(mu_);
  for (int i = 0; i < times; ++i) injected_status_[api].push_back(status);
}

void FakeWecomApi::hang(const std::string& api) {
  std::lock_guard lock(mu_);
  hanging_.insert(api);
}

std::size_t FakeWecomApi::gettoken_calls() const {
  std::lock_guard lock(mu_);
  return gettoken_calls_;
}

std::vector<FakeAppMessage> FakeWecomApi::app_messages() const {
  std::lock_guard lock(mu_);
  return app_messages_;
}

std::vector<FakeRobotMessage> FakeWecomApi::robot_messages() const {
  std::lock_guard lock(mu_);
  return robot_messages_;
}

std::vector<FakeMedia> FakeWecomApi::media() const {
  std::lock_guard lock(mu_);
  return media_;
}

std::optional<FakeMedia> FakeWecomApi::media_by_id(const std::string& id) const {
  std::lock_guard lock(mu_);
  for (const auto& m : media_)
    if (m.media_id == id) return m;
  return std::nullopt;
}

bool FakeWecomApi::wait_for_app_messages(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return app_messages_.size() >= n; });
}

std::optional<std::int64_t> FakeWecomApi::token_error(
    const std::map<std::string, std::string>& q) const {
  const auto t = q.find("access_token");
  if (t == q.end() || t->second.empty()) return 41001;
  const auto known = tokens_.find(t->second);
  if (known == tokens_.end()) return 40014;
  if (known->second != 0) return known->second;
  return std::nullopt;
}

FakeReply FakeWecomApi::handle(const RecordedRequest& r) {
  auto target = net::parse_request_target(r.target);
  if (!target) return error_reply(40035, "bad target");
  std::map<std::string, std::string> q;
  for (const auto& [k, v] : target->query) q.emplace(k, v);
  const std::string prefix = "/cgi-bin/";
  if (target->path.rfind(prefix, 0) != 0) {
    FakeReply nf;
    nf.status = 404;
    nf.body = "not found";
    return nf;
  }
  const std::string api = target->path.substr(prefix.size());
  {
    std::lock_guard lock(mu_);
    if (hanging_.count(api)) {
      FakeReply h;
      h.hang = true;
      return h;
    }
    if (auto it = injected_status_.find(api); it != injected_status_.end() && !it->second.empty()) {
      FakeReply f;
      f.status = it->second.front();
      f.content_type = "text/html";
      f.body = "<html>injected</html>";
      it->second.erase(it->second.begin());
      return f;
    }
    if (auto it = injected_errcodes_.find(api);
        it != injected_errcodes_.end() && !it->second.empty()) {
      const std::int64_t code = it->second.front();
      it->second.erase(it->second.begin());
      if (api == "gettoken") ++gettoken_calls_;
      return error_reply(code, "injected");
    }
  }
  if (api == "gettoken" && r.method == "GET") return gettoken(q);
  if ((api == "message/send" || api == "appchat/send") && r.method == "POST")
    return app_send(api, q, r);
  if ((api == "media/upload" || api == "webhook/upload_media") && r.method == "POST")
    return upload(api, q, r);
  if (api == "webhook/send" && r.method == "POST") return robot_send(q, r);
  return error_reply(60011, "no such api");
}

FakeReply FakeWecomApi::gettoken(const std::map<std::string, std::string>& q) {
  std::lock_guard lock(mu_);
  ++gettoken_calls_;
  auto get = [&](const char* k) {
    auto it = q.find(k);
    return it == q.end() ? std::string() : it->second;
  };
  if (get("corpid") != settings_.corp_id) return error_reply(40013, "invalid corpid");
  if (get("corpsecret") != settings_.secret) return error_reply(40001, "invalid credential");
  const std::string token = "fake-token-" + std::to_string(++counter_);
  tokens_[token] = 0;
  return json_reply({{"errcode", 0},
                     {"errmsg", "ok"},
                     {"access_token", token},
                     {"expires_in", settings_.expires_in}});
}

FakeReply FakeWecomApi::app_send(const std::string& api,
                                 const std::map<std::string, std::string>& q,
                                 const RecordedRequest& r) {
  std::lock_guard lock(mu_);
  if (auto e = token_error(q)) return error_reply(*e, "access_token refused");
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec || !v.is_object()) return error_reply(47001, "data format error");
  const json::object& o = v.as_object();
  FakeAppMessage m;
  m.api = api;
  m.token = q.at("access_token");
  m.touser = str(o, "touser");
  m.toparty = str(o, "toparty");
  m.chatid = str(o, "chatid");
  m.msgtype = str(o, "msgtype");
  if (const json::value* a = o.if_contains("agentid"); a && a->is_int64())
    m.agentid = a->as_int64();
  if (api == "message/send") {
    if (m.agentid != settings_.agent_id) return error_reply(40056, "invalid agentid");
    if (m.touser.empty() && m.toparty.empty() && str(o, "totag").empty())
      return error_reply(40035, "no recipient");
  } else if (m.chatid.empty()) {
    return error_reply(86003, "chat not found");
  }
  if (m.msgtype == "text" || m.msgtype == "markdown") {
    m.content = inner(o, m.msgtype.c_str(), "content");
    if (m.content.empty()) return error_reply(44004, "empty content");
    if (m.content.size() > 2048) return error_reply(45002, "content size out of limit");
  } else if (m.msgtype == "image" || m.msgtype == "file") {
    m.media_id = inner(o, m.msgtype.c_str(), "media_id");
    const bool known = std::any_of(media_.begin(), media_.end(), [&](const FakeMedia& x) {
      return x.media_id == m.media_id && x.owner.empty() && x.type == m.msgtype;
    });
    if (!known) return error_reply(40007, "invalid media_id");
  } else {
    return error_reply(40008, "invalid message type");
  }
  app_messages_.push_back(m);
  changed_.notify_all();
  return json_reply({{"errcode", 0},
                     {"errmsg", "ok"},
                     {"invaliduser", ""},
                     {"msgid", "msgid-" + std::to_string(++counter_)}});
}

FakeReply FakeWecomApi::upload(const std::string& api, const std::map<std::string, std::string>& q,
                               const RecordedRequest& r) {
  std::lock_guard lock(mu_);
  FakeMedia media;
  if (api == "media/upload") {
    if (auto e = token_error(q)) return error_reply(*e, "access_token refused");
  } else {
    const auto key = q.find("key");
    if (key == q.end() || !settings_.robot_keys.count(key->second))
      return error_reply(93000, "invalid webhook url");
    media.owner = key->second;
  }
  const auto type = q.find("type");
  if (type == q.end() || (type->second != "image" && type->second != "file" &&
                          type->second != "voice" && type->second != "video"))
    return error_reply(40004, "invalid media type");
  const auto parts = parse_multipart(r.header("Content-Type").value_or(""), r.body);
  if (!parts) return error_reply(47001, "data format error");
  const auto part = std::find_if(parts->begin(), parts->end(),
                                 [](const MultipartPart& p) { return p.name == "media"; });
  if (part == parts->end() || part->filename.empty()) return error_reply(41006, "media missing");
  if (part->data.size() <= 5) return error_reply(40006, "invalid media size");
  media.media_id = "media-" + std::to_string(++counter_);
  media.type = type->second;
  media.filename = part->filename;
  media.content_type = part->content_type;
  if (auto fl = part->params.find("filelength"); fl != part->params.end())
    media.filelength = fl->second;
  media.bytes = part->data;
  media_.push_back(media);
  return json_reply({{"errcode", 0},
                     {"errmsg", ""},
                     {"type", media.type},
                     {"media_id", media.media_id},
                     {"created_at", "1380000000"}});
}

FakeReply FakeWecomApi::robot_send(const std::map<std::string, std::string>& q,
                                   const RecordedRequest& r) {
  std::lock_guard lock(mu_);
  const auto key = q.find("key");
  if (key == q.end() || !settings_.robot_keys.count(key->second))
    return error_reply(93000, "invalid webhook url");
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec || !v.is_object()) return error_reply(40058, "invalid json");
  const json::object& o = v.as_object();
  FakeRobotMessage m;
  m.key = key->second;
  m.msgtype = str(o, "msgtype");
  if (m.msgtype == "text") {
    m.content = inner(o, "text", "content");
    if (m.content.empty()) return error_reply(44004, "empty content");
    if (m.content.size() > 2048) return error_reply(45002, "content size out of limit");
    const json::value* text = o.if_contains("text");
    if (const json::value* list = text->as_object().if_contains("mentioned_list"))
      for (const auto& id : list->as_array()) m.mentioned_list.emplace_back(id.as_string());
  } else if (m.msgtype == "markdown" || m.msgtype == "markdown_v2") {
    m.content = inner(o, m.msgtype.c_str(), "content");
    if (m.content.empty()) return error_reply(44004, "empty content");
    if (m.content.size() > 4096) return error_reply(45002, "content size out of limit");
  } else if (m.msgtype == "image") {
    auto bytes = base64_decode(inner(o, "image", "base64"));
    if (!bytes) return error_reply(40009, "invalid base64");
    if (bytes->size() > 2 * 1024 * 1024) return error_reply(40009, "image too large");
    m.md5 = inner(o, "image", "md5");
    if (md5_hex(*bytes) != m.md5) return error_reply(301019, "md5 not match");
    m.image = std::move(*bytes);
  } else if (m.msgtype == "file") {
    m.media_id = inner(o, "file", "media_id");
    const bool known = std::any_of(media_.begin(), media_.end(), [&](const FakeMedia& x) {
      return x.media_id == m.media_id && x.owner == m.key;
    });
    if (!known) return error_reply(40007, "invalid media_id");
  } else {
    return error_reply(40008, "invalid message type");
  }
  robot_messages_.push_back(std::move(m));
  changed_.notify_all();
  return error_reply(0, "ok");
}

}  // namespace yimei::test
