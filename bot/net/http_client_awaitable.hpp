// The coroutine face of HttpClient for code running on an io_context (adapters' coroutines).
// Only Asio's awaitable is included here, never Beast.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "bot/net/http_client.hpp"

namespace yimei::net {

// Sends `request` on the client's runtime and resumes the calling coroutine on its own
// executor with the result. Never throws for transport failures (HttpError values).
boost::asio::awaitable<HttpResult> co_send(HttpClient& client, HttpRequest request);

}  // namespace yimei::net
