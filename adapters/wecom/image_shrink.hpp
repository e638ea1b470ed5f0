// Makes a PNG fit a byte limit (WeCom images: 2 MB) by drawing it smaller with cairo and
// re-encoding it. Pure; thread-safe (each call has its own surfaces).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace yimei::wecom {

constexpr std::size_t kMaxImageBytes = 2 * 1024 * 1024;

// `png` itself when it already fits; else a downscaled PNG of at most `max_bytes` (keeping the
// aspect ratio, never narrower than `min_width` pixels). nullopt when the bytes are not a PNG
// cairo can read or no acceptable size fits.
std::optional<std::vector<std::uint8_t>> fit_png(const std::vector<std::uint8_t>& png,
                                                 std::size_t max_bytes = kMaxImageBytes,
                                                 int min_width = 320);

}  // namespace yimei::wecom
