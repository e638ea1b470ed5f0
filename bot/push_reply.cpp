// Push replies per audience and their outbox rows.
#include "bot/push_reply.hpp"

#include "bot/outbox.hpp"
#include "bot/reply_format.hpp"
#include "core/entry/actor.hpp"
#include "core/render/table_render.hpp"

namespace yimei::bot {
namespace {

constexpr std::size_t kListRows = 50;

const char* const kListWithheld = "顾客名单仅私信发送给店长和管理员。";

// The narrative as markdown: the 【title】 line in bold, the rest as it is.
std::string markdown_of(const std::string& text) {
  const auto nl = text.find('\n');
  const std::string first = text.substr(0, nl);
  const std::string rest = nl == std::string::npos ? "" : text.substr(nl + 1);
  return "**" + first + "**\n\n" + rest;
}

}  // namespace

PushAudience audience_for(db::Connection& conn, const PushTarget& target,
                          const std::vector<std::string>& admins) {
  if (!target.is_user) return {};
  auto actor = entry::find_actor(conn, target.platform, target.user_id, admins);
  if (!actor) return {};
  const bool manager = actor->role == entry::Role::Admin || actor->role == entry::Role::Manager;
  return {manager, entry::may_see_phone(*actor)};
}

Reply push_reply(const report::Report& report, const PushAudience& audience) {
  Reply r;
  r.text = report.text_zh;
  r.markdown = markdown_of(report.text_zh);
  if (report.customer_list && !report.customer_list->rows.empty()) {
    if (audience.customer_list) {
      const Table shown =
          masked_for(*report.customer_list, Reader{audience.show_phone, false, kListRows});
      render::RenderOptions o{.show_phone = audience.show_phone, .max_rows = kListRows};
      const std::string title = report.customer_list_title_zh.empty()
                                    ? std::string("顾客名单")
                                    : report.customer_list_title_zh;
      r.text += "\n【" + title + "】\n" + render::to_text(shown, o);
      r.markdown += "\n**" + title + "**\n\n" + render::to_markdown(shown, o);
      r.table = shown;
    } else {
      r.text += kListWithheld;
      r.markdown += std::string("\n> ") + kListWithheld;
    }
  }
  r.chart_png = report.chart_png;
  return r;
}

std::vector<std::int64_t> enqueue_push(db::Connection& conn, const PushJob& job,
                                       const report::Report& report,
                                       std::optional<std::int64_t> slot_id,
                                       const std::vector<std::string>& admins) {
  std::vector<std::int64_t> ids;
  for (const PushTarget& t : job.targets) {
    const Reply reply = push_reply(report, audience_for(conn, t, admins));
    ids.push_back(enqueue_reply(conn, t.platform, t.target, std::nullopt, slot_id, reply));
  }
  return ids;
}

}  // namespace yimei::bot
