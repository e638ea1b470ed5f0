// Reply serialization for the outbox: Boost.JSON with base64 for PNG and file bytes; tables are
// stored as display text so a delivered reply never depends on live data.
#include "bot/channel.hpp"

#include <boost/json.hpp>

#include <stdexcept>

#include "core/render/table_render.hpp"

namespace yimei::bot {

namespace json = boost::json;

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(const std::vector<std::uint8_t>& in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], kB64[(v >> 6) & 63], kB64[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = in[i] << 16;
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v = (in[i] << 16) | (in[i + 1] << 8);
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], kB64[(v >> 6) & 63], '='};
  }
  return out;
}

std::vector<std::uint8_t> unbase64(std::string_view in) {
  std::vector<std::uint8_t> out;
  unsigned buf = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const char* p = std::char_traits<char>::find(kB64, 64, c);
    if (!p) throw std::invalid_argument("bad base64 in outbox payload");
    buf = (buf << 6) | static_cast<unsigned>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((buf >> bits) & 0xff));
    }
  }
  return out;
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::vector<std::string> strings_from(const json::value* v) {
  std::vector<std::string> out;
  if (v && v->is_array())
    for (const auto& e : v->as_array()) out.emplace_back(e.as_string());
  return out;
}

}  // namespace

std::string reply_to_json(const Reply& r) {
  json::object o;
  o["text"] = r.text;
  if (!r.markdown.empty()) o["markdown"] = r.markdown;
  if (r.table) {
    // Cells as display strings: the outbox must deliver what the user was shown.
    json::array cols, rows;
    for (const auto& c : r.table->columns) cols.emplace_back(c.display());
    for (const auto& row : r.table->rows) {
      json::array cells;
      for (std::size_t i = 0; i < row.size(); ++i)
        cells.emplace_back(render::format_value(row[i], r.table->columns[i], true));
      rows.push_back(std::move(cells));
    }
    o["table"] = json::object{{"columns", cols}, {"rows", rows}};
  }
  if (!r.chart_png.empty()) o["chart_png"] = base64(r.chart_png);
  if (!r.files.empty()) {
    json::array files;
    for (const auto& f : r.files)
      files.push_back(
          json::object{{"name", f.file_name}, {"mime", f.mime_type}, {"bytes", base64(f.bytes)}});
    o["files"] = std::move(files);
  }
  if (!r.mentions.empty()) o["mentions"] = strings(r.mentions);
  if (!r.suggestions.empty()) o["suggestions"] = strings(r.suggestions);
  if (r.is_error) o["is_error"] = true;
  return json::serialize(o);
}

Reply reply_from_json(const std::string& text) {
  json::value v;
  try {
    v = json::parse(text);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("bad outbox payload: ") + e.what());
  }
  const json::object& o = v.as_object();
  Reply r;
  r.text = json::value_to<std::string>(o.at("text"));
  if (auto* m = o.if_contains("markdown")) r.markdown = json::value_to<std::string>(*m);
  if (auto* t = o.if_contains("table")) {
    Table table;
    const json::object& to = t->as_object();
    for (const auto& c : to.at("columns").as_array()) {
      Column col;
      col.name = std::string(c.as_string());
      table.columns.push_back(std::move(col));
    }
    for (const auto& row : to.at("rows").as_array()) {
      Row cells;
      for (const auto& c : row.as_array()) cells.emplace_back(std::string(c.as_string()));
      table.rows.push_back(std::move(cells));
    }
    r.table = std::move(table);
  }
  if (auto* p = o.if_contains("chart_png")) r.chart_png = unbase64(p->as_string());
  if (auto* f = o.if_contains("files")) {
    for (const auto& e : f->as_array()) {
      const auto& fo = e.as_object();
      r.files.push_back({json::value_to<std::string>(fo.at("name")),
                         json::value_to<std::string>(fo.at("mime")),
                         unbase64(fo.at("bytes").as_string())});
    }
  }
  r.mentions = strings_from(o.if_contains("mentions"));
  r.suggestions = strings_from(o.if_contains("suggestions"));
  if (auto* e = o.if_contains("is_error")) r.is_error = e->as_bool();
  return r;
}

}  // namespace yimei::bot
