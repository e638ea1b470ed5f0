// Fast PNG encoding of chart surfaces (see png_encode.hpp).
#include "core/render/png_encode.hpp"

#include <png.h>

#include <new>
#include <stdexcept>
#include <string>

namespace yimei::render {
namespace {

void on_png_error(png_structp png, png_const_charp) {
  png_longjmp(png, 1);
}
void on_png_warning(png_structp, png_const_charp) {}

void on_png_write(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
  try {
    out->insert(out->end(), data, data + length);
  } catch (const std::bad_alloc&) {
    png_error(png, "out of memory");
  }
}
void on_png_flush(png_structp) {}

// libpng reports errors by longjmp: no object with a destructor lives in this frame, and
// everything it needs (rows, output) is prepared by the caller.
bool write_with_libpng(const std::vector<std::uint8_t>& rgb, int width, int height,
                       std::vector<std::uint8_t>& out) {
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, on_png_error, on_png_warning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, &out, on_png_write, on_png_flush);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
               PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(png, 1);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_write_info(png, info);
  const std::size_t row_bytes = static_cast<std::size_t>(width) * 3;
  for (int y = 0; y < height; ++y)
    png_write_row(png, const_cast<png_bytep>(rgb.data() + static_cast<std::size_t>(y) * row_bytes));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::vector<std::uint8_t> encode_png(cairo_surface_t* surface) {
  cairo_surface_flush(surface);
  const int width = cairo_image_surface_get_width(surface);
  const int height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  std::vector<std::uint8_t> out;
  if (data && cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24) {
    std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width) * height * 3);
    std::uint8_t* dst = rgb.data();
    for (int y = 0; y < height; ++y) {
      const auto* row =
          reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
      for (int x = 0; x < width; ++x) {
        *dst++ = static_cast<std::uint8_t>(row[x] >> 16);
        *dst++ = static_cast<std::uint8_t>(row[x] >> 8);
        *dst++ = static_cast<std::uint8_t>(row[x]);
      }
    }
    out.reserve(rgb.size() / 8);
    if (write_with_libpng(rgb, width, height, out)) return out;
    out.clear();
  }
  const cairo_status_t status = cairo_surface_write_to_png_stream(surface, append_png, &out);
  if (status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("cairo_surface_write_to_png_stream: ") +
                             cairo_status_to_string(status));
  return out;
}

}  // namespace yimei::render
