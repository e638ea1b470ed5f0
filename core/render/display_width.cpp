// Terminal cell width of UTF-8 text from ICU's Unicode properties: East Asian Wide and
// Full-width characters take 2 cells, combining marks and format/control characters 0.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>

#include "core/render/table_render.hpp"

namespace yimei::render {
namespace {

std::size_t code_point_width(UChar32 c) {
  if (c < 0) return 1;  // malformed byte sequence: shown as one replacement character
  if (c >= 0x20 && c < 0x7f) return 1;
  const auto category = static_cast<UCharCategory>(u_charType(c));
  if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK || category == U_FORMAT_CHAR ||
      category == U_CONTROL_CHAR)
    return 0;
  if (c >= 0x1160 && c <= 0x11ff) return 0;  // Hangul medial vowels and final consonants
  const auto eaw = static_cast<UEastAsianWidth>(u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH));
  return (eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH) ? 2 : 1;
}

}  // namespace

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  const auto* s = reinterpret_cast<const std::uint8_t*>(utf8.data());
  const auto length = static_cast<std::int32_t>(utf8.size());
  std::int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    width += code_point_width(c);
  }
  return width;
}

}  // namespace yimei::render
