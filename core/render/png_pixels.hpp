// Decodes a PNG (such as ChartImage::png) into pixels, so tests and sanity checks can look at
// a chart without linking cairo themselves. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace yimei::render {

struct Pixels {
  int width = 0, height = 0;
  std::vector<std::uint32_t> rgb;  // 0xRRGGBB per pixel, row by row (alpha dropped)

  std::uint32_t at(int x, int y) const { return rgb[static_cast<std::size_t>(y) * width + x]; }
};

// nullopt when the bytes are not a PNG cairo can read.
std::optional<Pixels> decode_png(const std::vector<std::uint8_t>& png);

}  // namespace yimei::render
