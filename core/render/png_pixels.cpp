// PNG decoding through cairo_image_surface_create_from_png_stream (see png_pixels.hpp).
#include "core/render/png_pixels.hpp"

#include <cairo.h>

#include <cstring>

namespace yimei::render {
namespace {

struct Reader {
  const std::vector<std::uint8_t>* bytes;
  std::size_t pos = 0;
};

cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<Reader*>(closure);
  if (r->bytes->size() - r->pos < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes->data() + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::optional<Pixels> decode_png(const std::vector<std::uint8_t>& png) {
  Reader reader{&png};
  cairo_surface_t* surface = cairo_image_surface_create_from_png_stream(read_png, &reader);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return std::nullopt;
  }
  cairo_surface_t* rgb =
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, cairo_image_surface_get_width(surface),
                                 cairo_image_surface_get_height(surface));
  cairo_t* cr = cairo_create(rgb);
  cairo_set_source_rgb(cr, 1, 1, 1);  // transparent pixels read as white
  cairo_paint(cr);
  cairo_set_source_surface(cr, surface, 0, 0);
  cairo_paint(cr);
  cairo_destroy(cr);
  cairo_surface_flush(rgb);
  Pixels p;
  p.width = cairo_image_surface_get_width(rgb);
  p.height = cairo_image_surface_get_height(rgb);
  const int stride = cairo_image_surface_get_stride(rgb);
  const unsigned char* data = cairo_image_surface_get_data(rgb);
  p.rgb.resize(static_cast<std::size_t>(p.width) * p.height);
  for (int y = 0; y < p.height; ++y) {
    const auto* row =
        reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
    for (int x = 0; x < p.width; ++x)
      p.rgb[static_cast<std::size_t>(y) * p.width + x] = row[x] & 0xffffff;
  }
  cairo_surface_destroy(rgb);
  cairo_surface_destroy(surface);
  return p;
}

}  // namespace yimei::render
