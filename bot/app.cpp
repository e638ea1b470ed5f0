// App: wiring only. The order matters: pools first, then the network runtime, the LLM client
// and engine, the entity index and the Text2SQL engine, then the conversation core.
#include "bot/app.hpp"

#include <spdlog/spdlog.h>

#include "bot/net/http_client.hpp"
#include "bot/net/net_runtime.hpp"
#include "bot/net/openai_chat_client.hpp"
#include "core/db/readonly.hpp"
#include "core/text2sql/engine.hpp"

namespace yimei::bot {

App::App(const Config& config, std::optional<Date> as_of) : config_(config) {
  pool_ = std::make_unique<db::ConnectionPool>(config.db());
  net_ = std::make_unique<net::NetRuntime>(1);
  http_ = std::make_unique<net::HttpClient>(*net_);

  const std::chrono::milliseconds statement_timeout(config.get_int("YIMEI_STATEMENT_TIMEOUT_MS"));
  if (auto ro = config.readonly_db()) {
    ro->session_init_sql = db::read_only_session_sql(statement_timeout);
    readonly_pool_ = std::make_unique<db::ConnectionPool>(*ro);
    if (config.is_set("OPENAI_API_KEY")) {
      net::OpenAiOptions o;
      o.api_key = config.get("OPENAI_API_KEY");
      o.base_url = config.get("OPENAI_BASE_URL");
      o.model = config.get("OPENAI_MODEL");
      chat_client_ = std::make_unique<net::OpenAiChatClient>(*http_, o);
      text2sql::LlmConfig lc;
      lc.model = o.model;
      lc.timeout = std::chrono::milliseconds(config.get_int("OPENAI_TIMEOUT_MS"));
      auto conn = readonly_pool_->acquire();
      llm_ = std::make_unique<text2sql::LlmEngine>(*chat_client_, lc,
                                                   text2sql::load_schema_comments(*conn));
    }
    index_ = std::make_unique<text2sql::EntityIndex>(*readonly_pool_, std::chrono::seconds(30));
    text2sql::EngineConfig ec;
    ec.limits.max_rows = static_cast<std::size_t>(config.get_int("YIMEI_ROW_CAP"));
    ec.limits.statement_timeout = statement_timeout;
    ec.database = config.get("DB_NAME");
    engine_ = std::make_unique<text2sql::Engine>(*readonly_pool_, *index_, ec, llm_.get());
  } else {
    spdlog::warn("DB_READONLY_USER is not set: Text2SQL questions are off");
  }

  limiter_ = std::make_unique<RateLimiter>(config.get_int("YIMEI_RATE_LIMIT_PER_MIN"),
                                           config.get_int("YIMEI_RATE_LIMIT_BURST"));
  ConversationPolicy policy;
  policy.preview_ttl = std::chrono::seconds(config.get_int("YIMEI_PREVIEW_TTL_S"));
  policy.undo_window = std::chrono::seconds(config.get_int("YIMEI_UNDO_WINDOW_S"));
  policy.write_at_once_roles = config.get_list("YIMEI_WRITE_AT_ONCE_ROLES");
  policy.admin_contact = config.get("YIMEI_ADMIN_CONTACT");
  const std::string zone = config.timezone();
  services_ = std::unique_ptr<AppServices>(
      new AppServices{config,
                      *pool_,
                      engine_.get(),
                      as_of ? std::function<Date()>([d = *as_of] { return d; })
                            : std::function<Date()>([zone] { return today_in(zone); }),
                      *limiter_,
                      policy,
                      config.get_list("YIMEI_ADMINS"),
                      {}});
  router_ = std::make_unique<Router>(*services_);
  processor_ = std::make_unique<MessageProcessor>(*services_, *router_);
}

App::~App() {
  processor_.reset();
  router_.reset();
  engine_.reset();
  llm_.reset();
  chat_client_.reset();
  http_.reset();
  net_.reset();
}

text2sql::Engine* App::engine() {
  return engine_.get();
}
net::NetRuntime& App::net() {
  return *net_;
}
net::HttpClient& App::http() {
  return *http_;
}

}  // namespace yimei::bot
