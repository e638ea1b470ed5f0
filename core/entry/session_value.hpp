// The value of N sessions of a prepaid card (疗程卡 / 套餐), the amount a 划扣 writes off.
// The rule (docs in core/entry/README.md): the balance is drawn first-in first-out over the
// customer's purchase lines of that product; a session is worth the line's paid amount divided
// by its sessions (quantity × sessions per card), cut to the cent, and the last session of a
// line takes what is left of it, so a card is written off to the cent. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"

namespace yimei::entry {

struct CardPurchase {
  std::optional<std::int64_t> record_id;  // consumption_records.record_id
  Decimal amount;                         // paid for the line
  int quantity = 1;                       // cards bought on the line
  std::optional<std::string> consultant_id;
};

struct SessionValue {
  Decimal amount;       // value of the sessions asked for (may exceed what is left)
  Decimal per_session;  // of the purchase line the write-off starts on
  std::optional<std::int64_t> consume_record_id;  // that line; nullopt for value older than
                                                  // every recorded line
  std::optional<std::string> consultant_id;       // that line's consultant
  int sessions_left = 0;                          // sessions the balance holds now
};

// `purchases` oldest first; `total`/`spent` from the balance row. Value the balance holds beyond
// the recorded lines (imports) is drawn first, at the oldest line's price per session, or at
// standard_price / sessions_per_card when no line is recorded. nullopt when sessions_per_card
// < 1 or nothing is left to price.
std::optional<SessionValue> value_of_sessions(const std::vector<CardPurchase>& purchases,
                                              const Decimal& total, const Decimal& spent,
                                              int sessions_per_card, const Decimal& standard_price,
                                              int quantity);

// The session count a product's name states: "水光补水针6次卡" → 6, "祛痘十次卡" → 10;
// nullopt when the name states none.
std::optional<int> sessions_in_name(std::string_view product_name);

}  // namespace yimei::entry
