// The export audit row (see export_audit.hpp); same columns as core/entry's audit rows.
#include "core/export/export_audit.hpp"

#include <boost/json.hpp>

namespace yimei::exports {
namespace {

std::string cut_utf8(const std::string& s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // no split character
  return s.substr(0, n);
}

}  // namespace

std::int64_t record_export(db::Connection& conn, const entry::Actor& actor, const ExportRecord& r) {
  boost::json::object params;
  for (const auto& [k, v] : r.params) params[k] = v;
  const boost::json::object after{
      {"source_kind", r.source_kind},
      {"source", r.source},
      {"params", std::move(params)},
      {"chat_id", r.chat_id},
      {"format", std::string(extension_of(r.format))},
      {"file_name", r.file_name},
      {"rows", r.rows},
      {"columns", r.columns},
      {"bytes", r.bytes},
      {"phones_masked", r.phones_masked},
  };
  conn.execute(
      "INSERT INTO bot_audit_log (platform, user_id, msg_id, action, entity, entity_id, "
      "before_json, after_json) VALUES (?, ?, ?, 'export', ?, ?, NULL, ?)",
      {actor.platform, actor.user_id, actor.msg_id.empty() ? Value(Null{}) : Value(actor.msg_id),
       r.source_kind, cut_utf8(r.source, 64), boost::json::serialize(after)});
  return conn.last_insert_id();
}

}  // namespace yimei::exports
