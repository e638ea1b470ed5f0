// The composition root for `chat`, `ask`, `serve` and `push`: builds the database pools, the
// Text2SQL engine (with the LLM engine when OPENAI_API_KEY is set), the router and the message
// processor from the configuration, and owns them. One per process; everything else gets
// references. Not copyable.
#pragma once

#include <memory>
#include <optional>

#include "bot/app_services.hpp"
#include "bot/processor.hpp"
#include "bot/router.hpp"
#include "core/date.hpp"

namespace yimei::net {
class NetRuntime;
class HttpClient;
}  // namespace yimei::net

namespace yimei::text2sql {
class EntityIndex;
class LlmEngine;
class ChatClient;
}  // namespace yimei::text2sql

namespace yimei::bot {

class App {
 public:
  // `as_of` fixes the reference date (tests, --as-of); otherwise today in YIMEI_TIMEZONE.
  // Throws db::DbError when the database cannot be reached for the first load.
  App(const Config& config, std::optional<Date> as_of);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  AppServices& services() { return *services_; }
  db::ConnectionPool& pool() { return *pool_; }
  Router& router() { return *router_; }
  MessageProcessor& processor() { return *processor_; }
  text2sql::Engine* engine();
  net::NetRuntime& net();
  net::HttpClient& http();

 private:
  const Config& config_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<db::ConnectionPool> readonly_pool_;
  std::unique_ptr<net::NetRuntime> net_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<text2sql::ChatClient> chat_client_;
  std::unique_ptr<text2sql::LlmEngine> llm_;
  std::unique_ptr<text2sql::EntityIndex> index_;
  std::unique_ptr<text2sql::Engine> engine_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<AppServices> services_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<MessageProcessor> processor_;
};

}  // namespace yimei::bot
