// Text's shared block: the header and the characters in one allocation, freed by the last copy.
#include "core/text.hpp"

#include <limits>
#include <new>
#include <ostream>
#include <stdexcept>

namespace yimei {

Text::Text(std::string_view s) {
  if (s.size() < kTag + 1) {
    set_empty();
    std::memcpy(bytes_, s.data(), s.size());
    bytes_[kTag] = static_cast<unsigned char>(s.size());
    return;
  }
  if (s.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("text longer than 4 GiB");
  void* block = ::operator new(sizeof(Shared) + s.size());
  Shared* shared = ::new (block) Shared{1, static_cast<std::uint32_t>(s.size())};
  std::memcpy(shared->chars(), s.data(), s.size());
  std::memcpy(bytes_, &shared, sizeof shared);
  std::memset(bytes_ + sizeof shared, 0, kTag - sizeof shared);
  bytes_[kTag] = kShared;
}

void Text::release() noexcept {
  Shared* s = shared();
  if (s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    s->~Shared();
    ::operator delete(s);
  }
}

std::ostream& operator<<(std::ostream& os, const Text& t) {
  return os << t.view();
}

}  // namespace yimei
