// PNG downscaling with cairo: decode from memory, paint scaled with a good filter onto a smaller
// RGB24 surface, encode to memory; repeat with a smaller factor until it fits.
#include "adapters/wecom/image_shrink.hpp"

#include <cairo.h>

#include <cmath>
#include <cstring>
#include <memory>

namespace yimei::wecom {

namespace {

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;

struct ReadCursor {
  const std::vector<std::uint8_t>* bytes;
  std::size_t pos = 0;
};

cairo_status_t read_chunk(void* closure, unsigned char* data, unsigned int length) {
  auto* c = static_cast<ReadCursor*>(closure);
  if (c->bytes->size() - c->pos < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, c->bytes->data() + c->pos, length);
  c->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t write_chunk(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

bool is_png(const std::vector<std::uint8_t>& b) {
  static constexpr std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  return b.size() > 8 && std::memcmp(b.data(), kSignature, 8) == 0;
}

std::optional<std::vector<std::uint8_t>> scaled(cairo_surface_t* source, int width, int height) {
  Surface target(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
  if (cairo_surface_status(target.get()) != CAIRO_STATUS_SUCCESS) return std::nullopt;
  cairo_t* cr = cairo_create(target.get());
  cairo_set_source_rgb(cr, 1, 1, 1);  // transparent areas become white, as in the chat
  cairo_paint(cr);
  cairo_scale(cr, static_cast<double>(width) / cairo_image_surface_get_width(source),
              static_cast<double>(height) / cairo_image_surface_get_height(source));
  cairo_set_source_surface(cr, source, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_paint(cr);
  const bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
  cairo_destroy(cr);
  if (!ok) return std::nullopt;
  std::vector<std::uint8_t> out;
  if (cairo_surface_write_to_png_stream(target.get(), write_chunk, &out) != CAIRO_STATUS_SUCCESS)
    return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> fit_png(const std::vector<std::uint8_t>& png,
                                                 std::size_t max_bytes, int min_width) {
  if (png.size() <= max_bytes) return png;
  if (!is_png(png)) return std::nullopt;
  ReadCursor cursor{&png};
  Surface source(cairo_image_surface_create_from_png_stream(read_chunk, &cursor));
  if (cairo_surface_status(source.get()) != CAIRO_STATUS_SUCCESS) return std::nullopt;
  const int w = cairo_image_surface_get_width(source.get());
  const int h = cairo_image_surface_get_height(source.get());
  // PNG size grows roughly with the pixel count: aim under the limit, then tighten.
  double factor = std::sqrt(static_cast<double>(max_bytes) / static_cast<double>(png.size())) * 0.9;
  for (int attempt = 0; attempt < 6; ++attempt) {
    const int nw = static_cast<int>(std::floor(w * factor));
    const int nh = std::max(1, static_cast<int>(std::floor(h * factor)));
    if (nw < min_width || nw < 1) return std::nullopt;
    auto out = scaled(source.get(), nw, nh);
    if (!out) return std::nullopt;
    if (out->size() <= max_bytes) return out;
    factor *= std::sqrt(static_cast<double>(max_bytes) / static_cast<double>(out->size())) * 0.9;
  }
  return std::nullopt;
}

}  // namespace yimei::wecom
