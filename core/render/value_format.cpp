// One cell as people read it (money 12,345.60, ratios 12.5%, dates YYYY-MM-DD, NULL "-") and
// phone masking. Pure functions; thread-safe.
#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <variant>

#include "core/render/column_traits.hpp"
#include "core/render/number_text.hpp"
#include "core/render/table_render.hpp"

namespace yimei::render {
namespace {

// Byte length of the UTF-8 sequence that starts with `lead` (1 for stray bytes).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

std::string format_integer(std::int64_t v, const Column& c) {
  if (c.unit == ColumnUnit::Percent) return fixed_text(static_cast<double>(v) * 100.0, 1) + "%";
  if (is_money(c)) return with_thousands(std::to_string(v) + ".00");
  if (c.unit == ColumnUnit::Count) return with_thousands(std::to_string(v));
  return std::to_string(v);
}

std::string format_decimal(const Decimal& d, const Column& c) {
  if (c.unit == ColumnUnit::Percent) return (d * 100).rounded(1).to_string() + "%";
  return with_thousands(d.rounded(2).to_string());
}

std::string format_real(double v, const Column& c) {
  if (!std::isfinite(v)) return "-";
  if (c.unit == ColumnUnit::Percent) return fixed_text(v * 100.0, 1) + "%";
  if (is_money(c) || c.unit == ColumnUnit::Count) return with_thousands(fixed_text(v, 2));
  return fixed_text(v, 2);
}

}  // namespace

std::string mask_phone(std::string_view phone) {
  // Two passes over the UTF-8 characters (count, then copy): no list of them to allocate.
  const auto next = [&](std::size_t i) {
    return i + std::min(utf8_length(static_cast<unsigned char>(phone[i])), phone.size() - i);
  };
  std::size_t count = 0;
  for (std::size_t i = 0; i < phone.size(); i = next(i)) ++count;
  // Long enough: first 3 and last 4 stay. Short values keep only their last third.
  const std::size_t head = count > 7 ? 3 : 0;
  const std::size_t tail = count > 7 ? 4 : count / 3;
  std::string out;
  out.reserve(phone.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < phone.size(); ++k) {
    const std::size_t end = next(i);
    if (k < head || k >= count - tail)
      out.append(phone, i, end - i);
    else
      out.push_back('*');
    i = end;
  }
  return out;
}

std::string format_value(const Value& v, const Column& c, bool show_phone) {
  std::string text = std::visit(
      [&c](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Null>) {
          return "-";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return c.is_phone ? std::to_string(x) : format_integer(x, c);
        } else if constexpr (std::is_same_v<T, Decimal>) {
          return format_decimal(x, c);
        } else if constexpr (std::is_same_v<T, double>) {
          return format_real(x, c);
        } else if constexpr (std::is_same_v<T, Text>) {
          return x.str();
        } else {
          return format_date(x);
        }
      },
      v);
  if (c.is_phone && !show_phone && !is_null(v)) return mask_phone(text);
  return text;
}

}  // namespace yimei::render
