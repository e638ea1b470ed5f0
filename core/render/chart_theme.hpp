// Internal to the chart renderers: sizes (designed at 1080 px, scaled to the chart width),
// text styles and colours chosen for reading on a phone. Value type; thread-safe.
#pragma once

#include <algorithm>
#include <array>

#include "core/render/chart_canvas.hpp"

namespace yimei::render {

inline constexpr int kMinChartWidth = 480;
inline constexpr int kMaxChartWidth = 4096;

struct Theme {
  int width;
  double s;  // scale against the 1080 px design
  double margin;
  TextStyle title, subtitle, label, value, small_value, tick, legend, note, axis_title;
  Rgb ink = rgb(0x1f2329), muted = rgb(0x646a73), faint = rgb(0x8f959e);
  Rgb grid = rgb(0xe8eaed), axis = rgb(0xa8adb4), header_fill = rgb(0xe9eef6),
      zebra = rgb(0xf6f7f9), panel = rgb(0xf4f5f7), negative = rgb(0xe15759), other = rgb(0xbab0ac);

  explicit Theme(int requested_width)
      : width(std::clamp(requested_width, kMinChartWidth, kMaxChartWidth)),
        s(width / 1080.0),
        margin(48 * s) {
    title = {46 * s, true, width - 2 * margin, 2};
    subtitle = {30 * s, false, width - 2 * margin, 2};
    label = {30 * s};
    value = {28 * s};
    small_value = {25 * s};
    tick = {25 * s};
    legend = {28 * s};
    note = {25 * s, false, width - 2 * margin, 2};
    axis_title = {26 * s};
  }
  double px(double design_pixels) const { return design_pixels * s; }
  double content_left() const { return margin; }
  double content_right() const { return width - margin; }
  double content_width() const { return width - 2 * margin; }
};

// Tableau 10: distinct on a phone screen and for most colour-blind readers.
inline Rgb series_color(std::size_t i) {
  static constexpr std::array<std::uint32_t, 10> kPalette = {0x4e79a7, 0xf28e2b, 0x59a14f, 0xe15759,
                                                             0x76b7b2, 0xedc948, 0xb07aa1, 0xff9da7,
                                                             0x9c755f, 0x6b6ecf};
  return rgb(kPalette[i % kPalette.size()]);
}

}  // namespace yimei::render
