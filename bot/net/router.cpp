// Route lookup: the most specific matching path decides 404 / 405 / handler.
#include "bot/net/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace yimei::net {

Router& Router::handle(std::string method, std::string path, SyncHandler handler, PathMatch match) {
  if (!handler) throw std::invalid_argument("Router::handle: empty handler for " + path);
  return handle_async(
      std::move(method), std::move(path),
      [h = std::move(handler)](Request request, Responder done) { done(h(request)); }, match);
}

Router& Router::handle_async(std::string method, std::string path, AsyncHandler handler,
                             PathMatch match) {
  if (!handler) throw std::invalid_argument("Router::handle_async: empty handler for " + path);
  if (path.empty() || path.front() != '/')
    throw std::invalid_argument("Router: path must start with '/': " + path);
  routes_.push_back(Route{std::move(method), std::move(path), match, std::move(handler)});
  return *this;
}

Router::Match Router::find(std::string_view method, std::string_view path) const {
  // Specificity: an exact match beats every prefix; a longer prefix beats a shorter one.
  const Route* best_path = nullptr;
  auto specificity = [](const Route& r) {
    return r.match == PathMatch::Exact ? std::string::npos : r.path.size();
  };
  for (const Route& r : routes_) {
    const bool hit = r.match == PathMatch::Exact ? path == r.path : path.starts_with(r.path);
    if (hit && (!best_path || specificity(r) > specificity(*best_path))) best_path = &r;
  }
  Match m;
  if (!best_path) return m;
  m.path_known = true;
  std::vector<std::string_view> allowed;
  for (const Route& r : routes_) {
    if (r.path != best_path->path || r.match != best_path->match) continue;
    if (r.method == method) {
      m.handler = &r.handler;
      return m;
    }
    if (std::find(allowed.begin(), allowed.end(), r.method) == allowed.end())
      allowed.push_back(r.method);
  }
  for (std::string_view a : allowed) {
    if (!m.allow.empty()) m.allow += ", ";
    m.allow += a;
  }
  return m;
}

}  // namespace yimei::net
