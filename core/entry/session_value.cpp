// First-in first-out valuation of card sessions, in whole cents.
#include "core/entry/session_value.hpp"

#include <algorithm>

#include "core/entry/text.hpp"

namespace yimei::entry {
namespace {

struct Segment {
  std::optional<std::int64_t> record_id;
  std::optional<std::string> consultant_id;
  std::int64_t value = 0;     // cents
  std::int64_t per = 0;       // cents per session
  std::int64_t sessions = 0;  // 0: unknown (value older than the recorded lines)
};

std::int64_t rounded_div(std::int64_t a, std::int64_t b) {
  return (2 * a + b) / (2 * b);
}

}  // namespace

std::optional<SessionValue> value_of_sessions(const std::vector<CardPurchase>& purchases,
                                              const Decimal& total, const Decimal& spent,
                                              int sessions_per_card, const Decimal& standard_price,
                                              int quantity) {
  if (sessions_per_card < 1 || quantity < 1) return std::nullopt;
  std::vector<Segment> segments;
  std::int64_t recorded = 0;
  for (const CardPurchase& p : purchases) {
    const std::int64_t value = to_cents(p.amount);
    if (value <= 0 || p.quantity < 1) continue;
    const std::int64_t sessions = static_cast<std::int64_t>(p.quantity) * sessions_per_card;
    segments.push_back({p.record_id, p.consultant_id, value,
                        std::max<std::int64_t>(1, value / sessions), sessions});
    recorded += value;
  }
  const std::int64_t total_cents = to_cents(total);
  if (total_cents > recorded) {
    const std::int64_t per =
        segments.empty() ? to_cents(standard_price) / sessions_per_card : segments.front().per;
    if (per <= 0) return std::nullopt;
    segments.insert(segments.begin(),
                    Segment{std::nullopt, std::nullopt, total_cents - recorded, per, 0});
  }
  if (segments.empty()) return std::nullopt;

  std::int64_t consumed = std::max<std::int64_t>(0, to_cents(spent));
  std::int64_t wanted = quantity;
  std::int64_t amount = 0;
  std::int64_t sessions_left = 0;
  const Segment* first = nullptr;
  const Segment* last_open = nullptr;
  for (const Segment& s : segments) {
    const std::int64_t used = std::min(consumed, s.value);
    consumed -= used;
    const std::int64_t left = s.value - used;
    if (left <= 0) continue;
    std::int64_t left_sessions =
        s.sessions > 0
            ? std::clamp<std::int64_t>(s.sessions - rounded_div(used, s.per), 1, s.sessions)
            : std::max<std::int64_t>(1, rounded_div(left, s.per));
    sessions_left += left_sessions;
    last_open = &s;
    if (!first) first = &s;
    if (wanted == 0) continue;
    const std::int64_t take = std::min(wanted, left_sessions);
    amount += take == left_sessions ? left : take * s.per;
    wanted -= take;
  }
  // Asked for more than is left: price the rest at the last line's rate (the caller refuses).
  const Segment& rate = last_open ? *last_open : segments.back();
  amount += wanted * rate.per;
  const Segment& start = first ? *first : segments.back();

  SessionValue v;
  v.amount = from_cents(amount);
  v.per_session = from_cents(start.per);
  v.consume_record_id = start.record_id;
  v.consultant_id = start.consultant_id;
  v.sessions_left = static_cast<int>(sessions_left);
  return v;
}

std::optional<int> sessions_in_name(std::string_view name) {
  const std::vector<std::string> chars = utf8_chars(name);
  auto digit_of = [](const std::string& c) -> int {
    static const std::vector<std::string> zh{"零", "一", "二", "三", "四",
                                             "五", "六", "七", "八", "九"};
    if (c.size() == 1 && c[0] >= '0' && c[0] <= '9') return c[0] - '0';
    for (std::size_t i = 0; i < zh.size(); ++i)
      if (c == zh[i]) return static_cast<int>(i);
    if (c == "两") return 2;
    if (c == "十") return 10;
    return -1;
  };
  for (std::size_t i = 0; i < chars.size(); ++i) {
    if (chars[i] != "次" || i == 0) continue;
    std::size_t start = i;
    while (start > 0 && digit_of(chars[start - 1]) >= 0) --start;
    if (start == i) continue;
    // ASCII digits read as a number; Chinese numerals as 十 / 十二 / 二十 / 二十四.
    int value = 0;
    bool ascii = true;
    for (std::size_t k = start; k < i; ++k) ascii = ascii && chars[k].size() == 1;
    if (ascii) {
      if (i - start > 3) continue;
      for (std::size_t k = start; k < i; ++k) value = value * 10 + digit_of(chars[k]);
    } else {
      int current = 0;
      for (std::size_t k = start; k < i; ++k) {
        const int d = digit_of(chars[k]);
        if (d == 10) {
          value += (current == 0 ? 1 : current) * 10;
          current = 0;
        } else {
          current = d;
        }
      }
      value += current;
    }
    if (value > 0 && value <= 999) return value;
  }
  return std::nullopt;
}

}  // namespace yimei::entry
