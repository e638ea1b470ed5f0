// cairo surface + pango text for the chart renderers (see chart_canvas.hpp).
#include "core/render/chart_canvas.hpp"

#include <stdexcept>

#include "core/render/png_encode.hpp"

namespace yimei::render {
namespace {

// Text pango can shape as one line: valid UTF-8, control characters as spaces.
std::string clean_text(std::string_view utf8) {
  gchar* valid = g_utf8_make_valid(utf8.data(), static_cast<gssize>(utf8.size()));
  std::string s(valid);
  g_free(valid);
  for (char& ch : s)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
  return s;
}

bool is_cjk(gunichar c) {
  return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
         (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) || c >= 0x20000;
}

bool has_cjk(const char* text, int length) {
  for (const char* p = text; p < text + length; p = g_utf8_next_char(p))
    if (is_cjk(g_utf8_get_char(p))) return true;
  return false;
}

void check(cairo_status_t status, const char* what) {
  if (status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string(what) + ": " + cairo_status_to_string(status));
}

}  // namespace

Canvas::Canvas(int width) : width_(width) {
  // The default cairo font map is per thread (pango >= 1.32.6), so canvases on several
  // worker threads do not share font state.
  context_ = pango_font_map_create_context(pango_cairo_font_map_get_default());
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(context_, options);
  cairo_font_options_destroy(options);
  pango_context_set_language(context_, pango_language_from_string("zh-cn"));
  // Unrounded glyph advances: text width then scales linearly with the font size, which the
  // table image relies on when it picks a size.
  pango_context_set_round_glyph_positions(context_, FALSE);
}

Canvas::~Canvas() {
  if (cr_) cairo_destroy(cr_);
  if (surface_) cairo_surface_destroy(surface_);
  g_object_unref(context_);
}

TextBox Canvas::text(std::string_view utf8, const TextStyle& style) {
  const std::string clean = clean_text(utf8);
  PangoLayout* layout = pango_layout_new(context_);
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, kChartFontFamily);
  pango_font_description_set_absolute_size(font, style.size * PANGO_SCALE);
  pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);
  pango_layout_set_text(layout, clean.data(), static_cast<int>(clean.size()));
  if (style.max_width > 0) {
    pango_layout_set_width(layout, static_cast<int>(style.max_width * PANGO_SCALE));
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    if (style.max_lines > 1) {
      pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_height(layout, -style.max_lines);
    }
  }
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  TextBox box;
  box.layout_ = std::shared_ptr<PangoLayout>(layout, [](PangoLayout* p) { g_object_unref(p); });
  box.width_ = static_cast<double>(logical.width) / PANGO_SCALE;
  box.height_ = static_cast<double>(logical.height) / PANGO_SCALE;
  box.offset_x_ = static_cast<double>(logical.x) / PANGO_SCALE;
  box.offset_y_ = static_cast<double>(logical.y) / PANGO_SCALE;
  return box;
}

void Canvas::begin(int height) {
  height_ = height;
  surface_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_, height_);
  check(cairo_surface_status(surface_), "cairo_image_surface_create");
  cr_ = cairo_create(surface_);
  check(cairo_status(cr_), "cairo_create");
  cairo_set_source_rgb(cr_, 1, 1, 1);
  cairo_paint(cr_);
}

void Canvas::draw(const TextBox& t, double x, double y, Rgb color, HAlign h, VAlign v) {
  if (t.empty()) return;
  const double left = h == HAlign::Left     ? x
                      : h == HAlign::Center ? x - t.width() / 2
                                            : x - t.width();
  const double top = v == VAlign::Top      ? y
                     : v == VAlign::Middle ? y - t.height() / 2
                                           : y - t.height();
  set_color(color);
  cairo_move_to(cr_, left - t.offset_x_, top - t.offset_y_);
  PangoLayout* layout = t.layout_.get();
  pango_cairo_show_layout(cr_, layout);
  unknown_glyphs_ += pango_layout_get_unknown_glyphs_count(layout);
  if (cjk_family_.empty()) note_font(layout, pango_layout_get_text(layout));
}

void Canvas::note_font(PangoLayout* layout, std::string_view text) {
  PangoLayoutIter* it = pango_layout_get_iter(layout);
  do {
    PangoLayoutRun* run = pango_layout_iter_get_run_readonly(it);
    if (!run || !run->item->analysis.font) continue;
    PangoFontDescription* d = pango_font_describe(run->item->analysis.font);
    const char* family = pango_font_description_get_family(d);
    const std::string name = family ? family : "";
    pango_font_description_free(d);
    if (first_family_.empty()) first_family_ = name;
    const int offset = run->item->offset;
    const int length = run->item->length;
    if (offset >= 0 && offset + length <= static_cast<int>(text.size()) &&
        has_cjk(text.data() + offset, length)) {
      cjk_family_ = name;
      break;
    }
  } while (pango_layout_iter_next_run(it));
  pango_layout_iter_free(it);
}

void Canvas::fill_rect(double x, double y, double w, double h, Rgb color) {
  set_color(color);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_fill(cr_);
}

void Canvas::line(double x0, double y0, double x1, double y1, double width, Rgb color) {
  set_color(color);
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, x0, y0);
  cairo_line_to(cr_, x1, y1);
  cairo_stroke(cr_);
}

ChartImage Canvas::finish() {
  if (!surface_) throw std::logic_error("Canvas::finish before begin");
  ChartImage image;
  image.width = width_;
  image.height = height_;
  image.png = encode_png(surface_);
  image.font_family = cjk_family_.empty() ? first_family_ : cjk_family_;
  image.unknown_glyphs = unknown_glyphs_;
  return image;
}

}  // namespace yimei::render
