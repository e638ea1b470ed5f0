// A chat platform as `yimei serve` and `yimei push` see it: an adapter adds its HTTP routes
// (callbacks), hands incoming messages to the durable intake, and delivers outbox rows through
// its platform's API. The adapters live in adapters/<platform>/ and are wired in by the `yimei`
// executable (bot/main.cpp), so bot/ never depends on them.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "bot/channel.hpp"
#include "bot/outbox.hpp"
#include "core/error.hpp"

namespace yimei::net {
class Router;
}

namespace yimei::bot {

class App;
class Config;
class Metrics;

enum class IntakeResult {
  Recorded,   // new: durably in the inbox; it will be processed and answered
  Duplicate,  // (platform, msg_id) was already recorded: a platform retry, drop it
  Failed,     // not recorded (database down, shutting down): answer non-2xx so the platform
              // retries
};

// The durable intake of `yimei serve`: concurrent submissions are recorded in the inbox in one
// statement (group commit); `done` runs on the intake's thread once the row is durable (or
// failed) and must not block. A recorded message is then processed on a worker thread and
// its reply delivered through the outbox. Thread-safe.
class MessageIntake {
 public:
  virtual ~MessageIntake() = default;
  virtual void submit(IncomingMessage message, std::function<void(IntakeResult)> done) = 0;
};

struct PlatformContext {
  const Config& config;
  App& app;                         // pools, HTTP client, processor
  Metrics& metrics;                 // counters shown on /metrics
  MessageIntake* intake = nullptr;  // set by `serve`; null for `push` (delivery only)
};

class PlatformAdapter {
 public:
  virtual ~PlatformAdapter() = default;
  // The platform's name in the inbox and outbox ("wecom", "dingtalk").
  virtual const std::string& platform() const = 0;
  // Adds the callback routes (serve only). Handlers run on io threads and must not block.
  virtual void add_routes(net::Router& routes) = 0;
  // Sends one outbox row; blocking, called on worker threads. A UserError of kind Unavailable
  // means "retry later" (network, rate limit, 5xx); any other UserError means the platform
  // refused the row for good. Targets: "user:ID", "chat:ID" (replies), and for pushes
  // "party:ID", "robot:KEY" and whatever else the platform documents.
  virtual Outcome<bool> deliver(const OutboxRow& row) = 0;
  // Background work of the adapter (e.g. a Stream connection); called by serve.
  virtual void start() {}
  virtual void stop() {}
};

// Builds the adapter when its settings are present; nullptr when the platform is off. Throws
// ConfigErrors when the platform is half configured (e.g. WECOM_CORP_ID without WECOM_TOKEN).
using PlatformFactory = std::function<std::unique_ptr<PlatformAdapter>(PlatformContext&)>;

}  // namespace yimei::bot
