// CSV text (see csv_writer.hpp).
#include "core/export/csv_writer.hpp"

#include <type_traits>
#include <variant>

#include "core/render/column_traits.hpp"
#include "core/render/number_text.hpp"
#include "core/render/table_render.hpp"

namespace yimei::exports {
namespace {

// Text a spreadsheet would evaluate: starts with = + - @ (or a tab / CR), unless it is simply
// a number such as "-5" or "+86".
bool looks_like_formula(const std::string& s) {
  if (s.empty()) return false;
  const char c = s.front();
  if (c == '=' || c == '@' || c == '\t' || c == '\r') return true;
  if (c == '+' || c == '-') return !Decimal::parse(s[0] == '+' ? s.substr(1) : s).has_value();
  return false;
}

std::string percent_text(double ratio) {
  return render::fixed_text(ratio * 100.0, 2) + "%";
}

}  // namespace

std::string csv_cell_text(const Value& v, const Column& c, bool show_phone) {
  const bool percent = c.unit == ColumnUnit::Percent;
  std::string text = std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Null>) {
          return "";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          if (percent && !c.is_phone) return percent_text(static_cast<double>(x));
          return std::to_string(x);
        } else if constexpr (std::is_same_v<T, Decimal>) {
          if (percent) return (x * 100).rounded(2).to_string() + "%";
          return render::is_money(c) ? x.rounded(2).to_string() : x.to_string();
        } else if constexpr (std::is_same_v<T, double>) {
          if (percent) return percent_text(x);
          if (render::is_money(c)) return render::fixed_text(x, 2);
          return render::shortest_text(x);
        } else if constexpr (std::is_same_v<T, Text>) {
          return x.str();
        } else {
          return format_date(x);
        }
      },
      v);
  if (c.is_phone && !show_phone && !is_null(v)) text = render::mask_phone(text);
  if (std::holds_alternative<Text>(v) && looks_like_formula(text)) text = "'" + text;
  return text;
}

std::string csv_quote(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char ch : field) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string to_csv(const Table& t, bool show_phone) {
  std::string out(kUtf8Bom);
  for (std::size_t j = 0; j < t.columns.size(); ++j)
    out += (j ? "," : "") + csv_quote(t.columns[j].display());
  out += "\r\n";
  for (const Row& row : t.rows) {
    for (std::size_t j = 0; j < t.columns.size(); ++j) {
      if (j) out += ',';
      if (j < row.size()) out += csv_quote(csv_cell_text(row[j], t.columns[j], show_phone));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace yimei::exports
