// WecomAdapter: configuration, target parsing, and the multi-part delivery with resume.
#include "adapters/wecom/wecom_adapter.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <stdexcept>

#include "adapters/wecom/msg_crypt.hpp"
#include "bot/app.hpp"
#include "bot/config.hpp"
#include "bot/metrics.hpp"

namespace yimei::wecom {

namespace {

const std::string kPlatform = "wecom";
constexpr const char* kSendMetric = "yimei_wecom_sends_total";
constexpr std::chrono::hours kProgressTtl{1};

UserError busy_recipient() {
  return {ErrorKind::Unavailable,
          "发给该企业微信成员的消息太频繁（每分钟最多 30 条），稍后会自动重试。"};
}

// The app quota key: one per user, department or chat.
std::string recipient_key(const WecomTarget& t) {
  const char* kind = t.kind == WecomTarget::Kind::Party  ? "party:"
                     : t.kind == WecomTarget::Kind::Chat ? "chat:"
                                                         : "user:";
  return kind + t.id;
}

}  // namespace

std::optional<WecomAdapterOptions> wecom_options(const bot::Config& config) {
  if (!config.is_set("WECOM_CORP_ID")) return std::nullopt;
  std::vector<bot::ConfigProblem> problems;
  for (const char* key : {"WECOM_TOKEN", "WECOM_AES_KEY", "WECOM_AGENT_ID", "WECOM_SECRET"})
    if (!config.is_set(key))
      problems.push_back(
          {"configuration", key, "设置了 WECOM_CORP_ID（企业微信已启用），但缺少此项"});
  WecomAdapterOptions o;
  o.app.api_base = config.get("WECOM_API_BASE");
  o.app.corp_id = config.get("WECOM_CORP_ID");
  o.app.secret = config.get("WECOM_SECRET");
  const std::string& agent = config.get("WECOM_AGENT_ID");
  if (!agent.empty()) {
    auto [end, ec] = std::from_chars(agent.data(), agent.data() + agent.size(), o.app.agent_id);
    if (ec != std::errc() || end != agent.data() + agent.size() || o.app.agent_id <= 0)
      problems.push_back(
          {"configuration", "WECOM_AGENT_ID", "应为正整数（应用的 AgentId）: \"" + agent + "\""});
  }
  o.callback.corp_id = o.app.corp_id;
  o.callback.token = config.get("WECOM_TOKEN");
  o.callback.aes_key = config.get("WECOM_AES_KEY");
  o.callback.timestamp_window = std::chrono::seconds(config.get_int("WECOM_TIMESTAMP_WINDOW"));
  if (!o.callback.token.empty() && !o.callback.aes_key.empty() &&
      !MsgCrypt::create(o.callback.token, o.callback.aes_key, o.callback.corp_id))
    problems.push_back({"configuration", "WECOM_AES_KEY",
                        "EncodingAESKey 无效（应为 43 个字符，解码后 32 字节）"});
  o.robot.api_base = o.app.api_base;
  o.robot_markdown_v2 = config.get_bool("WECOM_ROBOT_MARKDOWN_V2");
  if (!problems.empty()) throw bot::ConfigErrors(std::move(problems));
  return o;
}

std::optional<WecomTarget> parse_target(const std::string& target) {
  std::string_view t = target;
  if (t.rfind("wecom-", 0) == 0) t.remove_prefix(6);
  const auto colon = t.find(':');
  if (colon == std::string_view::npos || colon + 1 >= t.size()) return std::nullopt;
  const std::string_view kind = t.substr(0, colon);
  WecomTarget out;
  out.id = std::string(t.substr(colon + 1));
  if (kind == "user")
    out.kind = WecomTarget::Kind::User;
  else if (kind == "party")
    out.kind = WecomTarget::Kind::Party;
  else if (kind == "chat")
    out.kind = WecomTarget::Kind::Chat;
  else if (kind == "robot")
    out.kind = WecomTarget::Kind::Robot;
  else
    return std::nullopt;
  return out;
}

WecomAdapter::WecomAdapter(net::HttpClient& http, WecomAdapterOptions options,
                           bot::Metrics& metrics, bot::MessageIntake* intake)
    : options_(std::move(options)),
      metrics_(metrics),
      intake_(intake),
      api_(http, options_.app),
      robot_(http, options_.robot),
      recipients_(options_.per_recipient_per_minute, std::chrono::minutes(1)) {}

const std::string& WecomAdapter::platform() const {
  return kPlatform;
}

void WecomAdapter::add_routes(net::Router& routes) {
  if (!intake_) throw std::logic_error("wecom: callback routes need the message intake (serve)");
  auto callbacks = CallbackRoutes::create(options_.callback, *intake_, metrics_);
  if (!callbacks) throw std::invalid_argument("wecom: " + callbacks.error().message);
  callbacks->add_to(routes);
}

std::size_t WecomAdapter::resume_point(std::int64_t outbox_id) {
  std::lock_guard lock(progress_mu_);
  const auto now = std::chrono::steady_clock::now();
  for (auto it = progress_.begin(); it != progress_.end();)
    it = now - it->second.updated > kProgressTtl ? progress_.erase(it) : std::next(it);
  auto it = progress_.find(outbox_id);
  return it == progress_.end() ? 0 : it->second.next_part;
}

void WecomAdapter::remember(std::int64_t outbox_id, std::size_t next_part) {
  if (outbox_id == 0) return;
  std::lock_guard lock(progress_mu_);
  progress_[outbox_id] = {next_part, std::chrono::steady_clock::now()};
}

void WecomAdapter::forget(std::int64_t outbox_id) {
  std::lock_guard lock(progress_mu_);
  progress_.erase(outbox_id);
}

Outcome<bool> WecomAdapter::send_part(const WecomTarget& target, const MessagePart& part) {
  if (target.kind == WecomTarget::Kind::Robot) return robot_.send(target.id, part);
  AppRecipient to;
  to.id = target.id;
  to.kind = target.kind == WecomTarget::Kind::Party  ? AppRecipient::Kind::Party
            : target.kind == WecomTarget::Kind::Chat ? AppRecipient::Kind::Chat
                                                     : AppRecipient::Kind::User;
  if (!recipients_.try_acquire(recipient_key(target))) return busy_recipient();
  return api_.send(to, part);
}

Outcome<bool> WecomAdapter::deliver(const bot::OutboxRow& row) {
  auto target = parse_target(row.target);
  if (!target) {
    metrics_.add(kSendMetric, "result=\"refused\"");
    return bad_input("无法识别的企业微信发送目标（应为 user:、party:、chat: 或 robot: 开头）。");
  }
  const bool robot = target->kind == WecomTarget::Kind::Robot;
  PayloadOptions po;
  po.channel = robot ? Channel::Robot : Channel::App;
  po.markdown_v2 = robot && options_.robot_markdown_v2;
  const std::vector<MessagePart> parts = reply_payloads(row.reply, po);

  const std::size_t start = row.outbox_id == 0 ? 0 : resume_point(row.outbox_id);
  const std::size_t remaining = parts.size() > start ? parts.size() - start : 0;
  // Keep a reply together: wait until the whole rest fits in this minute's quota.
  const std::size_t available =
      robot ? robot_.available(target->id) : recipients_.available(recipient_key(*target));
  const std::size_t quota = robot ? options_.robot.per_minute : options_.per_recipient_per_minute;
  if (remaining > 0 && remaining <= quota && available < remaining) {
    metrics_.add(kSendMetric, "result=\"rate_limited\"");
    return robot ? UserError{ErrorKind::Unavailable,
                             "企业微信群机器人每分钟的发送额度已用完，稍后会自动重试。"}
                 : busy_recipient();
  }

  for (std::size_t i = start; i < parts.size(); ++i) {
    auto sent = send_part(*target, parts[i]);
    if (!sent) {
      if (sent.error().kind == ErrorKind::Unavailable) {
        remember(row.outbox_id, i);
        metrics_.add(kSendMetric, "result=\"unavailable\"");
        if (i > start)
          spdlog::info("wecom outbox {}: parts {}..{} of {} sent; the rest waits for the retry",
                       row.outbox_id, start + 1, i, parts.size());
      } else {
        forget(row.outbox_id);
        metrics_.add(kSendMetric, "result=\"refused\"");
      }
      return sent.error();
    }
    metrics_.add(kSendMetric,
                 std::string("result=\"ok\",kind=\"") + to_string(parts[i].kind) + "\"", 1,
                 "WeCom messages sent by outcome");
  }
  forget(row.outbox_id);
  return true;
}

std::unique_ptr<bot::PlatformAdapter> make_wecom_adapter(bot::PlatformContext& ctx) {
  auto options = wecom_options(ctx.config);
  if (!options) return nullptr;
  spdlog::info("wecom: app {} of corp {}, API {}", options->app.agent_id, options->app.corp_id,
               options->app.api_base);
  return std::make_unique<WecomAdapter>(ctx.app.http(), std::move(*options), ctx.metrics,
                                        ctx.intake);
}

}  // namespace yimei::wecom
