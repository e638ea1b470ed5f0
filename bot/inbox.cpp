// Inbox rows: INSERT IGNORE on the unique (platform, msg_id); the batch form tags its rows with
// a random token so that, when some were duplicates, it can tell which of them it inserted.
#include "bot/inbox.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>
#include <tuple>

namespace yimei::bot {

namespace json = boost::json;

std::string message_to_json(const IncomingMessage& m) {
  json::object o{
      {"platform", m.platform},
      {"msg_id", m.msg_id},
      {"user_id", m.user_id},
      {"user_name", m.user_name},
      {"chat_id", m.chat_id},
      {"is_group", m.is_group},
      {"text", m.text},
      {"time_ms",
       std::chrono::duration_cast<std::chrono::milliseconds>(m.time.time_since_epoch()).count()}};
  if (!m.unsupported_type.empty()) o["unsupported_type"] = m.unsupported_type;
  return json::serialize(o);
}

IncomingMessage message_from_json(const std::string& text) {
  const json::object o = json::parse(text).as_object();
  IncomingMessage m;
  m.platform = json::value_to<std::string>(o.at("platform"));
  m.msg_id = json::value_to<std::string>(o.at("msg_id"));
  m.user_id = json::value_to<std::string>(o.at("user_id"));
  m.user_name = json::value_to<std::string>(o.at("user_name"));
  m.chat_id = json::value_to<std::string>(o.at("chat_id"));
  m.is_group = o.at("is_group").as_bool();
  m.text = json::value_to<std::string>(o.at("text"));
  m.time = std::chrono::system_clock::time_point(
      std::chrono::milliseconds(o.at("time_ms").to_number<std::int64_t>()));
  if (const auto* t = o.if_contains("unsupported_type"))
    m.unsupported_type = json::value_to<std::string>(*t);
  return m;
}

namespace {
db::Params row_params(const IncomingMessage& m) {
  return {m.platform,
          m.msg_id,
          m.user_id,
          m.chat_id,
          std::string(m.is_group ? "group" : "single"),
          message_to_json(m)};
}
}  // namespace

bool record_incoming(db::Connection& c, const IncomingMessage& m) {
  return c.execute(
             "INSERT IGNORE INTO bot_inbox (platform, msg_id, user_id, chat_id, chat_type, body) "
             "VALUES (?, ?, ?, ?, ?, ?)",
             row_params(m)) == 1;
}

std::vector<bool> record_incoming_batch(db::Connection& c, const std::vector<IncomingMessage>& ms) {
  std::vector<bool> fresh(ms.size(), false);
  if (ms.empty()) return fresh;
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::string token = std::to_string(rng());
  std::string sql =
      "INSERT IGNORE INTO bot_inbox (platform, msg_id, user_id, chat_id, chat_type, body, "
      "batch_token) VALUES ";
  // Rows in key order: concurrent batches then take their duplicate-key locks in the same
  // order and cannot deadlock on each other (stable, so the first of equal keys stays first).
  std::vector<std::size_t> order(ms.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(ms[a].platform, ms[a].msg_id) < std::tie(ms[b].platform, ms[b].msg_id);
  });
  db::Params params;
  for (std::size_t i = 0; i < order.size(); ++i) {
    sql += i ? ",(?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?)";
    for (auto& p : row_params(ms[order[i]])) params.push_back(std::move(p));
    params.emplace_back(token);
  }
  // INSERT IGNORE counts only the rows it inserted: all of them (the usual case) needs no look
  // at which — one round trip less on the acknowledgement's path.
  if (c.execute(sql, params) == ms.size()) {
    fresh.assign(ms.size(), true);
    return fresh;
  }
  // Which rows are ours: looked up by their keys (the unique index), told apart by the token.
  std::string mine_sql = "SELECT platform, msg_id FROM bot_inbox WHERE batch_token = ? AND (";
  db::Params keys{token};
  for (std::size_t i = 0; i < ms.size(); ++i) {
    mine_sql += i ? " OR (platform = ? AND msg_id = ?)" : "(platform = ? AND msg_id = ?)";
    keys.emplace_back(ms[i].platform);
    keys.emplace_back(ms[i].msg_id);
  }
  mine_sql += ")";
  Table mine = c.query(mine_sql, keys);
  std::set<std::pair<std::string, std::string>> inserted;
  for (const Row& r : mine.rows) inserted.emplace(std::get<Text>(r[0]), std::get<Text>(r[1]));
  for (std::size_t i = 0; i < ms.size(); ++i) {
    // The first occurrence in the batch owns the insert.
    fresh[i] = inserted.erase({ms[i].platform, ms[i].msg_id}) > 0;
  }
  return fresh;
}

std::optional<InboxEntry> lock_for_processing(db::Connection& c, const std::string& platform,
                                              const std::string& msg_id) {
  Table t = c.query(
      "SELECT inbox_id, body, status, attempts FROM bot_inbox WHERE platform = ? AND msg_id = ? "
      "FOR UPDATE SKIP LOCKED",
      {platform, msg_id});
  if (t.rows.empty()) return std::nullopt;
  InboxEntry e;
  e.inbox_id = std::get<std::int64_t>(t.rows[0][0]);
  e.message = message_from_json(std::get<Text>(t.rows[0][1]).str());
  e.status = std::get<Text>(t.rows[0][2]);
  e.attempts = static_cast<int>(std::get<std::int64_t>(t.rows[0][3]));
  if (e.status == "done" || e.status == "failed") return std::nullopt;
  return e;
}

void mark_inbox(db::Connection& c, std::int64_t inbox_id, const std::string& status) {
  // attempts counts the processing that finished (a failed one rolls back with its transaction).
  c.execute(
      "UPDATE bot_inbox SET status = ?, attempts = attempts + 1, processed_at = NOW(3) "
      "WHERE inbox_id = ?",
      {status, inbox_id});
}

std::vector<std::pair<std::string, std::string>> unfinished_messages(
    db::Connection& c, std::size_t limit, std::chrono::milliseconds min_age) {
  Table t = c.query(
      "SELECT platform, msg_id FROM bot_inbox WHERE status = 'received' AND "
      "received_at <= NOW(3) - INTERVAL ? MICROSECOND ORDER BY received_at, inbox_id LIMIT ?",
      {static_cast<std::int64_t>(min_age.count()) * 1000, static_cast<std::int64_t>(limit)});
  std::vector<std::pair<std::string, std::string>> out;
  for (const Row& r : t.rows) out.emplace_back(std::get<Text>(r[0]), std::get<Text>(r[1]));
  return out;
}

}  // namespace yimei::bot
