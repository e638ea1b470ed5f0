// The route table of the HTTP server: {method, path, exact or prefix match, handler}. Lookup
// tells "no such path" (404) from "path exists, method not allowed" (405 with the Allow list).
// Build it before the server starts; lookups are const and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bot/net/handler.hpp"

namespace yimei::net {

enum class PathMatch {
  Exact,   // the path equals the route's path
  Prefix,  // the path starts with the route's path (longest prefix wins)
};

class Router {
 public:
  // Adds a route answered inline on the io_context (must not block).
  Router& handle(std::string method, std::string path, SyncHandler handler,
                 PathMatch match = PathMatch::Exact);
  // Adds a route whose handler completes a Responder later (from any thread).
  Router& handle_async(std::string method, std::string path, AsyncHandler handler,
                       PathMatch match = PathMatch::Exact);

  struct Match {
    const AsyncHandler* handler = nullptr;  // set when a route matches path and method
    bool path_known = false;                // some route matches the path
    std::string allow;                      // "GET, POST" when path_known and no handler
  };
  // Exact routes win over prefix routes; among prefixes the longest wins. The method is
  // compared case-sensitively (HTTP methods are case-sensitive).
  Match find(std::string_view method, std::string_view path) const;

  std::size_t size() const { return routes_.size(); }

 private:
  struct Route {
    std::string method;
    std::string path;
    PathMatch match;
    AsyncHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace yimei::net
