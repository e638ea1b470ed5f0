// The live catalog Text2SQL links question words to: department, product, product type,
// consultant and customer names and ids, membership levels, payment methods and health tags,
// read from the clinic's database (never compiled in). An EntitySnapshot is immutable and
// thread-safe; EntityIndex hands out the current snapshot and reloads it when a cheap signature
// query (counts, checksums of the small tables, the newest customer id) changes, at most every
// check interval. Snapshots can also be built from in-memory lists (tests, benchmarks).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/db/pool.hpp"

namespace yimei::text2sql {

struct ConsultantEntry {
  std::string id, name, department;
};
struct ProductEntry {
  std::string id, name, department, type;
};
struct CustomerEntry {
  std::string id, name;
};

struct CatalogLists {
  std::vector<ConsultantEntry> consultants;
  std::vector<ProductEntry> products;
  std::vector<CustomerEntry> customers;
  std::vector<std::string> membership_levels;
  std::vector<std::string> payment_methods;
  std::vector<std::string> health_tags;  // single tags (the column is comma-separated)
  std::vector<std::string> vip_levels{"金卡", "钻石"};
};

// One thing a span of question text may name: a filter field and its database value.
struct EntityRef {
  std::string field;   // department | product | product_type | consultant | customer |
                       // customer_id | consultant_id | product_id | membership_level |
                       // payment_method | health_tag
  std::string value;   // the value as stored in the database
  bool alias = false;  // matched through a generated short form (皮肤 for 皮肤科)
};

class EntitySnapshot {
 public:
  explicit EntitySnapshot(CatalogLists lists);

  const CatalogLists& lists() const { return lists_; }
  // Entities whose normalized name or alias is exactly `key`; nullptr when none.
  const std::vector<EntityRef>* find(std::string_view key) const;
  // Longest key in characters (bounds the lexer's lookahead).
  std::size_t max_key_chars() const { return max_key_chars_; }

  // Names offered to fuzzy linking (products, consultants, departments, product types):
  // the normalized name as code points plus what it refers to.
  struct FuzzyName {
    std::u32string key;
    EntityRef ref;
  };
  const std::vector<FuzzyName>& fuzzy_names() const { return fuzzy_; }

 private:
  void add(const std::string& text, EntityRef ref);

  CatalogLists lists_;
  std::unordered_map<std::string, std::vector<EntityRef>> by_key_;
  std::vector<FuzzyName> fuzzy_;
  std::size_t max_key_chars_ = 0;
};

class EntityIndex {
 public:
  // Reads through `pool` (any account with SELECT on the contract tables).
  EntityIndex(db::ConnectionPool& pool, std::chrono::seconds check_interval);

  // The current snapshot; reloads when due and the signature changed. Throws DbError when the
  // first load fails; later failures keep serving the previous snapshot. Thread-safe.
  std::shared_ptr<const EntitySnapshot> snapshot();
  // Forces the next snapshot() to check the signature.
  void invalidate();

  static std::shared_ptr<const EntitySnapshot> from_lists(CatalogLists lists);
  // Loads the lists from the database (throws DbError).
  static CatalogLists load_lists(db::Connection& conn);

 private:
  std::string signature(db::Connection& conn);

  db::ConnectionPool& pool_;
  std::chrono::seconds interval_;
  std::mutex mu_;
  std::shared_ptr<const EntitySnapshot> current_;
  std::string signature_;
  std::chrono::steady_clock::time_point checked_{};
};

// UTF-8 <-> code points (invalid bytes are skipped).
std::u32string to_u32(std::string_view s);
std::string to_utf8(std::u32string_view s);

}  // namespace yimei::text2sql
