// Feedback export and parameter inlining (placeholders found with the SQL guard's tokenizer).
#include "bot/feedback_export.hpp"

#include <boost/json.hpp>

#include "core/text2sql/sql_guard.hpp"

namespace yimei::bot {

namespace {

std::string literal(const Value& v) {
  if (is_null(v)) return "NULL";
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<Decimal>(&v)) return d->to_string();
  if (const auto* r = std::get_if<double>(&v)) return std::to_string(*r);
  if (const auto* date = std::get_if<Date>(&v)) return "'" + format_date(*date) + "'";
  std::string out = "'";
  for (char c : std::get<Text>(v).view()) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

}  // namespace

std::string inline_params(const std::string& sql, const db::Params& params) {
  auto tokens = text2sql::tokenize_sql(sql);
  if (!tokens || params.empty()) return sql;
  std::string out;
  std::size_t pos = 0, next = 0;
  for (const auto& t : *tokens) {
    if (t.text != "?" || next >= params.size()) continue;
    out += sql.substr(pos, t.offset - pos) + literal(params[next++]);
    pos = t.offset + 1;
  }
  return out + sql.substr(pos);
}

std::size_t export_feedback(db::Connection& conn, const std::string& verdict, std::ostream& out) {
  Table t = conn.query(
      "SELECT feedback_id, question, sql_text, verdict, COALESCE(note, ''), spec_json FROM "
      "bot_feedback WHERE ? = 'all' OR verdict = ? ORDER BY feedback_id",
      {verdict, verdict});
  for (const Row& r : t.rows) {
    std::string category = "feedback";
    const std::string spec = is_null(r[5]) ? "" : std::get<Text>(r[5]).str();
    if (!spec.empty()) {
      try {
        const auto o = boost::json::parse(spec).as_object();
        if (const auto* f = o.if_contains("frame")) category = std::string(f->as_string());
      } catch (const std::exception&) {
        // keep the generic category
      }
    }
    boost::json::object line{{"id", "fb-" + std::to_string(std::get<std::int64_t>(r[0]))},
                             {"question", std::get<Text>(r[1])},
                             {"gold_sql", is_null(r[2]) ? "" : std::get<Text>(r[2])},
                             {"order_matters", false},
                             {"category", category},
                             {"verdict", std::get<Text>(r[3])},
                             {"note", std::get<Text>(r[4])}};
    out << boost::json::serialize(line) << "\n";
  }
  return t.rows.size();
}

}  // namespace yimei::bot
