// Internal to the chart renderers: one cairo ARGB image surface plus a pango context with the
// CJK font WenQuanYi Micro Hei, text shaped once (measure, then draw), and the bookkeeping the
// caller reports (resolved font family, unknown glyphs). One Canvas per chart; not shared
// between threads. cairo failures throw std::runtime_error.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/render/chart.hpp"

namespace yimei::render {

inline constexpr const char* kChartFontFamily = "WenQuanYi Micro Hei";

struct Rgb {
  double r = 0, g = 0, b = 0;
};
constexpr Rgb rgb(std::uint32_t hex) {
  return {((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0};
}

enum class HAlign { Left, Center, Right };
enum class VAlign { Top, Middle, Bottom };

struct TextStyle {
  double size = 28;  // pixels
  bool bold = false;
  double max_width = 0;  // 0: unlimited; else wrapped / ellipsized at this width
  int max_lines = 1;     // lines before the ellipsis when max_width is set
};

// A shaped piece of text: measure it, then draw it (any number of times) with Canvas::draw.
class TextBox {
 public:
  TextBox() = default;
  double width() const { return width_; }
  double height() const { return height_; }
  bool empty() const { return !layout_; }

 private:
  friend class Canvas;
  std::shared_ptr<PangoLayout> layout_;
  double width_ = 0, height_ = 0;
  double offset_x_ = 0, offset_y_ = 0;  // logical rectangle origin inside the layout
};

class Canvas {
 public:
  // A canvas `width` pixels wide; text can be shaped at once, drawing starts with begin().
  explicit Canvas(int width);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }

  // Shapes UTF-8 text (invalid bytes and control characters are replaced).
  TextBox text(std::string_view utf8, const TextStyle& style);
  // Creates the surface (white background); call once, before any drawing.
  void begin(int height);
  cairo_t* cr() { return cr_; }

  // Draws `t` with its (h, v) anchor at (x, y); counts its unknown glyphs and notes the font.
  void draw(const TextBox& t, double x, double y, Rgb color, HAlign h = HAlign::Left,
            VAlign v = VAlign::Top);
  void fill_rect(double x, double y, double w, double h, Rgb color);
  void line(double x0, double y0, double x1, double y1, double width, Rgb color);
  void set_color(Rgb c) { cairo_set_source_rgb(cr_, c.r, c.g, c.b); }

  // Encodes the PNG and fills every field of ChartImage.
  ChartImage finish();

 private:
  void note_font(PangoLayout* layout, std::string_view text);

  int width_ = 0, height_ = 0;
  PangoContext* context_ = nullptr;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  int unknown_glyphs_ = 0;
  std::string cjk_family_;    // family pango chose for CJK text
  std::string first_family_;  // family of the first text drawn (when no CJK at all)
};

}  // namespace yimei::render
