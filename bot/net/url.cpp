// Boost.URL lives in this one translation unit; callers see plain structs.
#include "bot/net/url.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url_view.hpp>

#include <charconv>

namespace yimei::net {

namespace urls = boost::urls;

std::string HttpUrl::host_header() const {
  const bool default_port = (tls && port == 443) || (!tls && port == 80);
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (!default_port) h += ":" + std::to_string(port);
  return h;
}

std::optional<HttpUrl> parse_http_url(std::string_view text) {
  auto parsed = urls::parse_absolute_uri(text);
  if (!parsed) return std::nullopt;
  const urls::url_view& u = *parsed;
  HttpUrl out;
  if (u.scheme_id() == urls::scheme::https)
    out.tls = true;
  else if (u.scheme_id() != urls::scheme::http)
    return std::nullopt;
  if (u.has_userinfo() || !u.has_authority()) return std::nullopt;
  switch (u.host_type()) {
    case urls::host_type::name:
      out.host = u.host_name();
      break;
    case urls::host_type::ipv4:
    case urls::host_type::ipv6:
      out.host = u.host_address();
      out.host_is_ip = true;
      break;
    default:
      return std::nullopt;
  }
  if (out.host.empty()) return std::nullopt;
  if (u.has_port()) {
    std::string_view p = u.port();
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (ec != std::errc() || ptr != p.data() + p.size() || value == 0 || value > 65535)
      return std::nullopt;
    out.port = static_cast<std::uint16_t>(value);
  } else {
    out.port = out.tls ? 443 : 80;
  }
  out.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
  if (u.has_query()) out.target += "?" + std::string(u.encoded_query());
  return out;
}

std::optional<RequestTarget> parse_request_target(std::string_view target) {
  auto parsed = urls::parse_origin_form(target);
  if (!parsed) return std::nullopt;
  RequestTarget out;
  out.path = parsed->path();
  urls::encoding_opts form;  // HTML forms send spaces as '+'
  form.space_as_plus = true;
  for (auto param : parsed->params(form)) out.query.emplace_back(param.key, param.value);
  return out;
}

std::string join_url(std::string_view base, std::string_view path) {
  std::string out(base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  if (path.empty() || path.front() != '/') out += '/';
  out += path;
  return out;
}

std::string url_encode_component(std::string_view s) {
  return urls::encode(s, urls::unreserved_chars);
}

}  // namespace yimei::net
