// MessageProcessor: one transaction per message; the router's own writes sit behind a
// savepoint so an unexpected failure rolls them back and still answers the user.
#include "bot/processor.hpp"

#include <spdlog/spdlog.h>

#include "bot/inbox.hpp"
#include "bot/outbox.hpp"

namespace yimei::bot {

std::string reply_target(const IncomingMessage& m) {
  return m.is_group && !m.chat_id.empty() ? "chat:" + m.chat_id : "user:" + m.user_id;
}

bool MessageProcessor::process(const std::string& platform, const std::string& msg_id) {
  auto conn = services_.pool.acquire();
  db::Transaction tx(*conn);
  auto entry = lock_for_processing(*conn, platform, msg_id);
  if (!entry) return false;
  conn->execute_unprepared("SAVEPOINT routed");
  Reply reply;
  try {
    reply = router_.handle(*conn, entry->message);
  } catch (const db::DbError& e) {
    // Nothing committed: retried when the database is back, or at once after a deadlock (InnoDB
    // has rolled the whole transaction back, savepoint included).
    if (e.is_connection_lost() || e.is_transient()) throw;
    conn->execute_unprepared("ROLLBACK TO SAVEPOINT routed");
    spdlog::error("message {}:{} failed in the database: {}", platform, msg_id, e.what());
    reply = error_reply("数据库暂时不可用，请稍后再试。");
  } catch (const std::exception& e) {
    conn->execute_unprepared("ROLLBACK TO SAVEPOINT routed");
    spdlog::error("message {}:{} failed: {}", platform, msg_id, e.what());
    reply = error_reply("处理这条消息时出错了，请稍后再试。");
  }
  enqueue_reply(*conn, platform, reply_target(entry->message), entry->inbox_id, std::nullopt,
                reply);
  mark_inbox(*conn, entry->inbox_id, "done");
  tx.commit();
  spdlog::info("message {}:{} processed ({})", platform, msg_id,
               reply.is_error ? "refused" : "answered");
  return true;
}

std::size_t MessageProcessor::recover(std::chrono::milliseconds min_age) {
  std::vector<std::pair<std::string, std::string>> waiting;
  {
    auto conn = services_.pool.acquire();
    waiting = unfinished_messages(*conn, 1000, min_age);
  }
  std::size_t n = 0;
  for (const auto& [platform, msg_id] : waiting) n += process(platform, msg_id) ? 1 : 0;
  if (n) spdlog::info("recovered {} waiting messages", n);
  return n;
}

}  // namespace yimei::bot
