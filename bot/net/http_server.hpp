// The HTTP/1.1 server of `yimei serve` (Beast coroutines behind a pimpl): a route table,
// request limits and deadlines, a budget for each handler, request ids, one exception
// boundary per request, and graceful shutdown. Plain HTTP; TLS is left to a reverse proxy.
//
// Wiring (declaration order matters: each object must outlive the ones after it):
//   NetRuntime runtime(io_threads);
//   SignalWatch signals(runtime);                  // before start(): SIGTERM no longer kills
//   WorkerPool pool(pool_options);                 // blocking work; results are posted back
//   HttpServer server(runtime, options, routes);   // routes may use on_workers(pool, ...)
//   server.start();
//   signals.wait();
//   server.shutdown(std::chrono::seconds(8));      // then pool.shutdown(); runtime.stop();
//   return 0;                                      // SIGTERM → exit 0 well within 10 s
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "bot/net/net_runtime.hpp"
#include "bot/net/router.hpp"

namespace yimei::net {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;                        // 0: an ephemeral port (see HttpServer::port())
  std::size_t max_header_bytes = 16 * 1024;         // over: 431, connection closed
  std::size_t max_body_bytes = 1024 * 1024;         // over: 413, connection closed
  std::chrono::milliseconds read_timeout{10000};    // whole request (header + body) after its
                                                    // first byte; over: the connection is closed
  std::chrono::milliseconds write_timeout{10000};   // whole response
  std::chrono::milliseconds idle_timeout{30000};    // keep-alive wait for the next request
  std::chrono::milliseconds handler_budget{15000};  // handler until its response; over: 503
  std::size_t max_connections = 1024;               // over: new connections are closed at once
};

// Parses "host:port" (YIMEI_LISTEN, "[::1]:8080" for IPv6) into address and port; throws
// std::invalid_argument when malformed.
void parse_listen_address(const std::string& listen, HttpServerOptions& options);

class HttpServer {
 public:
  // The router is copied into the server; handlers run on `runtime`'s io threads. The runtime
  // must outlive the server.
  HttpServer(NetRuntime& runtime, HttpServerOptions options, Router router);
  // Calls shutdown(0 ms) when still running.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting. Throws std::runtime_error when the address cannot be bound.
  void start();
  // The bound port (after start()).
  std::uint16_t port() const;

  // Graceful stop: stops accepting, closes idle keep-alive connections, lets requests in
  // flight finish (their responses carry Connection: close) for up to `grace`, then closes
  // what is left. Returns true when every connection ended within `grace`. Blocks; call from
  // a non-io thread. Idempotent.
  bool shutdown(std::chrono::milliseconds grace);

  struct Stats {
    std::uint64_t requests = 0;       // requests read completely
    std::uint64_t server_errors = 0;  // 5xx answered
    std::uint64_t active_connections = 0;
  };
  Stats stats() const;  // thread-safe

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace yimei::net
