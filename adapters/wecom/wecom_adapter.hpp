// The WeCom platform adapter for `yimei serve` and `yimei push`: the callback routes, and the
// delivery of outbox rows through the app API (targets "user:ID", "party:ID", "chat:ID") or a
// group robot ("robot:KEY"; the push forms "wecom-user:ID", "wecom-party:ID", "wecom-robot:KEY"
// are accepted too). A reply becomes several sends (reply_payloads.hpp); when one fails with
// Unavailable the parts already sent are remembered per outbox_id in memory, so the retry sends
// only the rest (a restart forgets this and may resend earlier parts). App recipients get at
// most 30 messages a minute (client-side, per process), robots 20. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "adapters/wecom/api_client.hpp"
#include "adapters/wecom/callback_routes.hpp"
#include "adapters/wecom/reply_payloads.hpp"
#include "adapters/wecom/robot_sender.hpp"
#include "adapters/wecom/send_limiter.hpp"
#include "bot/platform.hpp"

namespace yimei::wecom {

struct WecomAdapterOptions {
  AppSettings app;
  CallbackSettings callback;
  RobotSettings robot;
  bool robot_markdown_v2 = false;             // WECOM_ROBOT_MARKDOWN_V2
  std::size_t per_recipient_per_minute = 30;  // app messages a minute per target
};

// The options from the configuration (WECOM_*): nullopt when WECOM_CORP_ID is unset; throws
// bot::ConfigErrors naming every missing or invalid WECOM_* setting when it is set.
std::optional<WecomAdapterOptions> wecom_options(const bot::Config& config);

// A delivery target split into its kind and id; nullopt when it is not a WeCom target.
struct WecomTarget {
  enum class Kind { User, Party, Chat, Robot };
  Kind kind = Kind::User;
  std::string id;
};
std::optional<WecomTarget> parse_target(const std::string& target);

class WecomAdapter : public bot::PlatformAdapter {
 public:
  // `http` and `metrics` (and `intake`, when given) must outlive the adapter.
  WecomAdapter(net::HttpClient& http, WecomAdapterOptions options, bot::Metrics& metrics,
               bot::MessageIntake* intake);

  const std::string& platform() const override;
  // Throws std::logic_error without an intake (push-only adapters have no routes).
  void add_routes(net::Router& routes) override;
  Outcome<bool> deliver(const bot::OutboxRow& row) override;

  ApiClient& api() { return api_; }
  RobotSender& robot() { return robot_; }

 private:
  Outcome<bool> send_part(const WecomTarget& target, const MessagePart& part);
  std::size_t resume_point(std::int64_t outbox_id);
  void remember(std::int64_t outbox_id, std::size_t next_part);
  void forget(std::int64_t outbox_id);

  WecomAdapterOptions options_;
  bot::Metrics& metrics_;
  bot::MessageIntake* intake_;
  ApiClient api_;
  RobotSender robot_;
  SendLimiter recipients_;

  struct Progress {
    std::size_t next_part = 0;
    std::chrono::steady_clock::time_point updated;
  };
  std::mutex progress_mu_;
  std::map<std::int64_t, Progress> progress_;  // outbox_id → first part not yet sent
};

// The PlatformFactory for WeCom: nullptr when WECOM_CORP_ID is unset; throws bot::ConfigErrors
// when WeCom is half configured. Uses ctx.app.http() and ctx.intake (null for push).
std::unique_ptr<bot::PlatformAdapter> make_wecom_adapter(bot::PlatformContext& ctx);

}  // namespace yimei::wecom
