// Loading the live catalog, keying every name by its normalized text (the lexer sees normalized
// questions), generating short forms (皮肤 for 皮肤科, 钻石卡 for 钻石), and the cheap signature
// query that decides when to reload.
#include "core/text2sql/entity_index.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "core/text2sql/normalize.hpp"

namespace yimei::text2sql {

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

std::string to_utf8(std::u32string_view s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

namespace {

bool ends_with(const std::u32string& s, std::u32string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Short forms people type for a department: 皮肤科 -> 皮肤; 注射美容科 -> 注射科, 注射;
// 整形外科 -> 整形科, 整形; 激光脱毛科 -> 脱毛科, 激光科.
std::vector<std::string> department_aliases(const std::string& name) {
  std::vector<std::string> out;
  const std::u32string u = to_u32(name);
  if (!ends_with(u, U"科") || u.size() < 3) return out;
  std::u32string stem = u.substr(0, u.size() - 1);
  for (std::u32string_view tail : {std::u32string_view(U"美容"), std::u32string_view(U"外"),
                                   std::u32string_view(U"医学"), std::u32string_view(U"中心")}) {
    if (ends_with(stem, tail) && stem.size() - tail.size() >= 2) {
      std::u32string core = stem.substr(0, stem.size() - tail.size());
      out.push_back(to_utf8(core + U"科"));
      out.push_back(to_utf8(core));
    }
  }
  if (stem.size() >= 2) out.push_back(to_utf8(stem));
  // A four-character stem is two words, either of which names the department with 科:
  // 激光脱毛科 -> 脱毛科, 激光科; 体雕塑形科 -> 塑形科, 体雕科.
  if (stem.size() == 4) {
    out.push_back(to_utf8(stem.substr(2) + U"科"));
    out.push_back(to_utf8(stem.substr(0, 2) + U"科"));
  }
  return out;
}

}  // namespace

EntitySnapshot::EntitySnapshot(CatalogLists lists) : lists_(std::move(lists)) {
  std::set<std::string> departments, types;
  for (const auto& c : lists_.consultants) departments.insert(c.department);
  for (const auto& p : lists_.products) {
    departments.insert(p.department);
    types.insert(p.type);
  }
  // Names first (exact), short forms after: add() keeps exact refs ahead of aliases.
  for (const auto& d : departments) add(d, {"department", d});
  for (const auto& t : types) add(t, {"product_type", t});
  for (const auto& p : lists_.products) {
    add(p.name, {"product", p.name});
    add(p.id, {"product_id", p.id});
  }
  for (const auto& c : lists_.consultants) {
    add(c.name, {"consultant", c.name});
    add(c.id, {"consultant_id", c.id});
  }
  for (const auto& l : lists_.membership_levels) add(l, {"membership_level", l});
  for (const auto& m : lists_.payment_methods) add(m, {"payment_method", m});
  for (const auto& t : lists_.health_tags) add(t, {"health_tag", t});
  for (const auto& c : lists_.customers) {
    add(c.name, {"customer", c.name});
    add(c.id, {"customer_id", c.id});
  }
  // Generated short forms.
  for (const auto& d : departments)
    for (const auto& a : department_aliases(d)) add(a, {"department", d, true});
  for (const auto& l : lists_.membership_levels) {
    const std::u32string u = to_u32(l);
    if (!ends_with(u, U"卡")) add(l + "卡", {"membership_level", l, true});
    add(l + "会员", {"membership_level", l, true});
    if (u.size() == 2 && ends_with(u, U"卡"))
      add(to_utf8(u.substr(0, 1)) + "卡会员", {"membership_level", l, true});
  }
  for (const auto& m : lists_.payment_methods) {
    add(m + "支付", {"payment_method", m, true});
    add(m + "付款", {"payment_method", m, true});
  }
  for (const auto& v : lists_.vip_levels) {
    add("vip", {"membership_level", v, true});
    add("vip客户", {"membership_level", v, true});
  }
  for (const auto& d : departments)
    fuzzy_.push_back({to_u32(normalize_question(d)), {"department", d}});
  for (const auto& t : types)
    fuzzy_.push_back({to_u32(normalize_question(t)), {"product_type", t}});
  for (const auto& p : lists_.products)
    fuzzy_.push_back({to_u32(normalize_question(p.name)), {"product", p.name}});
  for (const auto& c : lists_.consultants)
    fuzzy_.push_back({to_u32(normalize_question(c.name)), {"consultant", c.name}});
}

void EntitySnapshot::add(const std::string& text, EntityRef ref) {
  if (text.empty()) return;
  std::string key = normalize_question(text);
  // Keys never hold spaces: the lexer matches on the question with spaces kept apart.
  key.erase(std::remove(key.begin(), key.end(), ' '), key.end());
  if (key.empty()) return;
  auto& refs = by_key_[key];
  for (const auto& r : refs)
    if (r.field == ref.field && r.value == ref.value) return;
  // An alias never shadows an exact name of another field (a product called 皮肤 stays one).
  if (ref.alias) {
    for (const auto& r : refs)
      if (!r.alias) return;
  }
  refs.push_back(std::move(ref));
  max_key_chars_ = std::max(max_key_chars_, to_u32(key).size());
}

const std::vector<EntityRef>* EntitySnapshot::find(std::string_view key) const {
  auto it = by_key_.find(std::string(key));
  return it == by_key_.end() ? nullptr : &it->second;
}

EntityIndex::EntityIndex(db::ConnectionPool& pool, std::chrono::seconds check_interval)
    : pool_(pool), interval_(check_interval) {}

std::shared_ptr<const EntitySnapshot> EntityIndex::from_lists(CatalogLists lists) {
  return std::make_shared<const EntitySnapshot>(std::move(lists));
}

namespace {
std::string cell_text(const Value& v) {
  if (const auto* s = std::get_if<Text>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<Decimal>(&v)) return d->to_string();
  if (const auto* dt = std::get_if<Date>(&v)) return format_date(*dt);
  if (const auto* x = std::get_if<double>(&v)) return std::to_string(*x);
  return "";
}
}  // namespace

CatalogLists EntityIndex::load_lists(db::Connection& conn) {
  CatalogLists out;
  for (const Row& r : conn.query("SELECT consultant_id, name, department FROM consultants").rows)
    out.consultants.push_back({cell_text(r[0]), cell_text(r[1]), cell_text(r[2])});
  for (const Row& r :
       conn.query("SELECT product_id, product_name, department, product_type FROM medical_products")
           .rows)
    out.products.push_back({cell_text(r[0]), cell_text(r[1]), cell_text(r[2]), cell_text(r[3])});
  for (const Row& r : conn.query("SELECT customer_id, name FROM customers").rows)
    out.customers.push_back({cell_text(r[0]), cell_text(r[1])});
  // The contract's levels and payment methods (schema.md) plus whatever the data holds.
  std::set<std::string> levels{"普通", "银卡", "金卡", "钻石"};
  for (const Row& r : conn.query("SELECT DISTINCT membership_level FROM customers").rows)
    levels.insert(cell_text(r[0]));
  out.membership_levels.assign(levels.begin(), levels.end());
  std::set<std::string> methods{"现金", "微信", "支付宝", "银行卡", "储值卡"};
  for (const Row& r : conn.query("SELECT DISTINCT payment_method FROM consumption_records").rows)
    methods.insert(cell_text(r[0]));
  out.payment_methods.assign(methods.begin(), methods.end());
  std::set<std::string> tags;
  for (const Row& r : conn.query("SELECT DISTINCT health_tags FROM customers WHERE health_tags "
                                 "IS NOT NULL AND health_tags <> ''")
                          .rows) {
    const std::string all = cell_text(r[0]);
    std::size_t start = 0;
    while (start <= all.size()) {
      std::size_t comma = all.find(',', start);
      if (comma == std::string::npos) comma = all.size();
      std::string tag = all.substr(start, comma - start);
      while (!tag.empty() && tag.front() == ' ') tag.erase(tag.begin());
      while (!tag.empty() && tag.back() == ' ') tag.pop_back();
      if (!tag.empty()) tags.insert(tag);
      start = comma + 1;
    }
  }
  out.health_tags.assign(tags.begin(), tags.end());
  return out;
}

std::string EntityIndex::signature(db::Connection& conn) {
  const Table t = conn.query(
      "SELECT (SELECT COUNT(*) FROM consultants), "
      "(SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', consultant_id, name, department))), 0) "
      "FROM consultants), (SELECT COUNT(*) FROM medical_products), "
      "(SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', product_id, product_name, department, "
      "product_type))), 0) FROM medical_products), (SELECT COUNT(*) FROM customers), "
      "(SELECT MAX(customer_id) FROM customers)");
  std::string sig;
  if (!t.rows.empty())
    for (const Value& v : t.rows[0]) sig += cell_text(v) + "|";
  return sig;
}

void EntityIndex::invalidate() {
  std::lock_guard lock(mu_);
  checked_ = {};
}

std::shared_ptr<const EntitySnapshot> EntityIndex::snapshot() {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (current_ && now - checked_ < interval_) return current_;
  try {
    auto conn = pool_.acquire();
    std::string sig = signature(*conn);
    if (!current_ || sig != signature_) {
      current_ = from_lists(load_lists(*conn));
      signature_ = std::move(sig);
      spdlog::info("text2sql: entity index loaded ({} consultants, {} products, {} customers)",
                   current_->lists().consultants.size(), current_->lists().products.size(),
                   current_->lists().customers.size());
    }
    checked_ = now;
  } catch (const std::exception& e) {
    if (!current_) throw;
    spdlog::warn("text2sql: entity index refresh failed, keeping the previous one: {}", e.what());
    checked_ = now;
  }
  return current_;
}

}  // namespace yimei::text2sql
