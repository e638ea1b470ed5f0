// How a route answers: a synchronous handler returns a Response at once (it must not block:
// it runs on an io_context thread); an asynchronous handler receives a Responder and completes
// it later from any thread, e.g. after a WorkerPool job. No Asio in this header.
#pragma once

#include <exception>
#include <functional>
#include <memory>

#include "bot/net/http_message.hpp"

namespace yimei::net {

namespace detail {
struct PendingResponse;  // defined by the server (http_server.cpp)
}

// Completes one request. Copyable; only the first completion counts, later ones are ignored
// (as are completions after the server gave up on the request: handler budget, shutdown).
// Thread-safe: may be called from any thread; the response is posted back to the connection
// without blocking the caller. A Responder that is destroyed without being completed leaves
// the request to the handler budget (503). A Responder must not outlive the NetRuntime of its
// server (keep worker pools declared after the runtime, so they are joined first).
class Responder {
 public:
  explicit Responder(std::shared_ptr<detail::PendingResponse> state) : state_(std::move(state)) {}
  void operator()(Response response) const;
  // Completes with an exception: logged once with the request id, answered 500 (generic body).
  void fail(std::exception_ptr error) const;

 private:
  std::shared_ptr<detail::PendingResponse> state_;
};

using SyncHandler = std::function<Response(const Request&)>;
using AsyncHandler = std::function<void(Request, Responder)>;

}  // namespace yimei::net
