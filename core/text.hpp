// Text: the immutable UTF-8 text of a table cell, in 16 bytes. Up to 15 bytes live inline; a
// longer text lives in one heap block that its copies share (counted atomically, so cells may be
// copied on any thread). A std::string takes 32 bytes, and with it every cell of every result
// (Value) 40 instead of 24: 29 MB more for a 140,000-row balance list. Copying a product name
// into each of those rows shares one block instead of allocating one a row.
#pragma once

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

namespace yimei {

class Text {
 public:
  Text() noexcept { set_empty(); }
  Text(std::string_view s);  // NOLINT: implicit, as std::string converts from texts
  Text(const std::string& s) : Text(std::string_view(s)) {}  // NOLINT
  Text(const char* s) : Text(std::string_view(s)) {}         // NOLINT
  Text(const Text& o) noexcept {
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    if (is_shared()) retain();
  }
  Text(Text&& o) noexcept {
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    o.set_empty();
  }
  Text& operator=(const Text& o) noexcept {
    Text copy(o);
    swap(copy);
    return *this;
  }
  Text& operator=(Text&& o) noexcept {
    Text moved(std::move(o));
    swap(moved);
    return *this;
  }
  ~Text() {
    if (is_shared()) release();
  }

  std::string_view view() const noexcept {
    if (!is_shared()) return {reinterpret_cast<const char*>(bytes_), bytes_[kTag]};
    const Shared* s = shared();
    return {s->chars(), s->size};
  }
  operator std::string_view() const noexcept { return view(); }  // NOLINT: reads as a text
  // A copy, for the many callers that keep or build a std::string.
  operator std::string() const { return str(); }  // NOLINT
  std::string str() const { return std::string(view()); }
  const char* data() const noexcept { return view().data(); }  // not NUL-terminated
  std::size_t size() const noexcept { return view().size(); }
  bool empty() const noexcept { return size() == 0; }

  void swap(Text& o) noexcept {
    unsigned char tmp[sizeof bytes_];
    std::memcpy(tmp, bytes_, sizeof bytes_);
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    std::memcpy(o.bytes_, tmp, sizeof bytes_);
  }

  friend bool operator==(const Text& a, const Text& b) noexcept { return a.view() == b.view(); }
  friend bool operator==(const Text& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const Text& a, const std::string& b) noexcept { return a.view() == b; }
  friend bool operator==(const Text& a, const char* b) noexcept {
    return a.view() == std::string_view(b);
  }
  friend std::strong_ordering operator<=>(const Text& a, const Text& b) noexcept {
    return a.view() <=> b.view();
  }
  friend std::strong_ordering operator<=>(const Text& a, std::string_view b) noexcept {
    return a.view() <=> b;
  }

 private:
  static constexpr std::size_t kTag = 15;  // inline length, or kShared
  static constexpr unsigned char kShared = 0xff;
  struct Shared {
    std::atomic<std::uint32_t> refs;
    std::uint32_t size;
    char* chars() { return reinterpret_cast<char*>(this + 1); }
    const char* chars() const { return reinterpret_cast<const char*>(this + 1); }
  };
  bool is_shared() const noexcept { return bytes_[kTag] == kShared; }
  Shared* shared() const noexcept {
    Shared* s;
    std::memcpy(&s, bytes_, sizeof s);
    return s;
  }
  void set_empty() noexcept { std::memset(bytes_, 0, sizeof bytes_); }
  void retain() const noexcept { shared()->refs.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept;

  alignas(8) unsigned char bytes_[16];
};

static_assert(sizeof(Text) == 16);

std::ostream& operator<<(std::ostream& os, const Text& t);

}  // namespace yimei

template <>
struct std::hash<yimei::Text> {
  std::size_t operator()(const yimei::Text& t) const noexcept {
    return std::hash<std::string_view>{}(t.view());
  }
};
