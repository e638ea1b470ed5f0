// The balance rows: for the whole list the balances table read alone, joined to customers and
// products in the client by collation weights and given their status here (see balance_list);
// for a filtered part joined in the server (query_balances). Both sorted here.
#include "core/analysis/balance_rows.hpp"

#include <algorithm>
#include <future>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/unordered/unordered_flat_map.hpp>

#include "core/analysis/analyses.hpp"
#include "core/analysis/descending_order.hpp"
#include "core/analysis/facts.hpp"
#include "core/db/parallel.hpp"

namespace yimei::analysis::detail {
namespace {

// Every balance with remaining > 0 (of the scope's customers), with the 0/1 flags is_expired,
// is_expiring, is_dormant (aliases usable by extra_where: x.*), joined in the server to the
// customer's name, phone and consultant id and the product's name and department, of customers
// registered by as_of.
Sql balances_base(const Date& as_of, std::int64_t expiring_days, std::int64_t dormant_days,
                  const Scope& scope) {
  Sql q;
  q << "SELECT y.*,"
       " IF(y.expiration_date < "
    << arg(as_of)
    << ", 1, 0) AS is_expired,"
       " IF(y.expiration_date BETWEEN "
    << arg(as_of) << " AND " << arg(add_days(as_of, static_cast<int>(expiring_days)))
    << ", 1, 0) AS is_expiring,"
       " IF((y.last_write_off_date IS NULL OR y.last_write_off_date <= "
    << arg(add_days(as_of, static_cast<int>(-dormant_days)))
    << ") AND (y.expiration_date IS NULL OR y.expiration_date >= " << arg(as_of)
    << "), 1, 0) AS is_dormant"
       " FROM (SELECT b.balance_id, b.customer_id, b.product_id,"
       "   c.name, c.phone, c.consultant_id AS consultant_name, p.product_name, p.department,"
       "   b.total_amount, b.spent_amount, b.total_amount - b.spent_amount AS remaining,"
       "   CASE WHEN b.last_write_off_date IS NULL OR b.last_write_off_date <= "
    << arg(as_of)
    << "   THEN b.last_write_off_date ELSE (SELECT MAX(w.write_off_date) FROM write_off_records w"
       "     WHERE w.customer_id = b.customer_id AND w.product_id = b.product_id"
       "     AND w.write_off_date <= "
    << arg(as_of)
    << ") END AS last_write_off_date,"
       "   b.expiration_date"
       "  FROM unspent_balances b"
       "  JOIN customers c ON c.customer_id = b.customer_id"
       "  JOIN medical_products p ON p.product_id = b.product_id"
       "  WHERE b.total_amount > b.spent_amount AND c.register_date <= "
    << arg(as_of) << scope_on_customer(scope, "c") << ") y";
  return q;
}

const std::vector<ColumnLabel>& balance_labels() {
  static const std::vector<ColumnLabel> labels = {{"balance_id", "余额ID"},
                                                  {"customer_id", "顾客编号"},
                                                  {"name", "顾客姓名"},
                                                  {"phone", "联系电话", ColumnUnit::None, true},
                                                  {"consultant_name", "咨询师"},
                                                  {"product_name", "品项"},
                                                  {"department", "科室"},
                                                  {"total_amount", "购买金额", ColumnUnit::Yuan},
                                                  {"spent_amount", "已划扣", ColumnUnit::Yuan},
                                                  {"remaining", "剩余金额", ColumnUnit::Yuan},
                                                  {"last_write_off_date", "最后划扣日期"},
                                                  {"expiration_date", "有效期至"},
                                                  {"status", "状态"}};
  return labels;
}

// A balance's state bits, as the CASE of the server-joined statement decides them: expired,
// else expiring and/or dormant.
class BalanceStates {
 public:
  BalanceStates(const Date& as_of, std::int64_t expiring_days, std::int64_t dormant_days)
      : as_of_(as_of),
        expiring_until_(add_days(as_of, static_cast<int>(expiring_days))),
        dormant_since_(add_days(as_of, static_cast<int>(-dormant_days))) {}

  std::uint8_t of(const Value& last_write_off, const Value& expiration) const {
    const Date* expires = std::get_if<Date>(&expiration);
    const Date* written_off = std::get_if<Date>(&last_write_off);
    if (expires && *expires < as_of_) return kExpired;
    const bool expiring = expires && *expires <= expiring_until_;
    const bool dormant = !written_off || *written_off <= dormant_since_;
    return static_cast<std::uint8_t>((expiring ? kExpiring : 0) | (dormant ? kDormant : 0));
  }

  // The status text of the bits, as the CASE words it (shared by every row: no copy each).
  static const Text& text(std::uint8_t state) {
    static const Text kExpiredText = "已过期", kExpiringDormant = "即将到期、沉睡",
                      kExpiringText = "即将到期", kDormantText = "沉睡", kNormal = "正常";
    if (state & kExpired) return kExpiredText;
    if (state & kExpiring) return state & kDormant ? kExpiringDormant : kExpiringText;
    return state & kDormant ? kDormantText : kNormal;
  }

 private:
  Date as_of_, expiring_until_, dormant_since_;
};

// How balances are matched to their customers and products in the client. Exact: by the ids'
// bytes, which place every balance of a clinic whose ids are spelled alike in every table, and
// cost the server nothing (the weights of 140,000 balances' ids are a sixth of its work for the
// list). Collation: by the collation weights of the ids, equal exactly when MariaDB's collation
// calls them equal, so that the join matches what `JOIN customers c ON c.customer_id =
// b.customer_id` matched; needed when an id is spelled differently in two tables ('c1', 'C1').
enum class JoinKey { Exact, Collation };

// The key expression of an id column.
std::string key_of(JoinKey key, std::string_view column) {
  return key == JoinKey::Exact ? std::string(column) : "WEIGHT_STRING(" + std::string(column) + ")";
}

// The cells a balance row takes from its customer, the customer's number (0, 1, ... in the
// order read) for counting distinct customers, and the number of its consultant cell (0 for
// none, 1, 2, ... for each name) for grouping by consultant. A customer registered after as_of
// is kept too, marked, so that its balances are dropped without being looked up again.
struct CustomerCells {
  Value name, phone, consultant;
  std::uint32_t number = 0, consultant_number = 0;
  bool registered = true;
};

// Customers by the key of their id (see JoinKey). Open addressing (one probe, no node per
// customer to allocate and free): the join looks up each of 140,000 balances.
class CustomerIndex {
 public:
  using Map = boost::unordered_flat_map<Text, CustomerCells, std::hash<Text>>;

  // Adds the customers of the scope that `which` (a condition on analysis_customer_facts f)
  // selects. Name, phone and consultant id are the customer facts' copies; the consultant is
  // given by name.
  void add(db::Connection& conn, JoinKey key, const Date& as_of, const Scope& scope,
           const Sql& which) {
    Sql q;
    q << "SELECT " << key_of(key, "f.customer_id")
      << ", f.name, f.phone, f.consultant_id,"
         " f.register_date <= "
      << arg(as_of) << " FROM analysis_customer_facts f WHERE 1 = 1" << which;
    if (scope.consultant_id) q << " AND f.consultant_id = " << arg(*scope.consultant_id);
    Table t = run(conn, q);
    name_consultants(conn, t, "consultant_id");
    map_.reserve(map_.size() + t.rows.size());
    for (Row& r : t.rows) {
      const auto number = static_cast<std::uint32_t>(map_.size());
      std::uint32_t consultant = 0;
      if (const Text* name = std::get_if<Text>(&r[3]))
        consultant = consultants_.try_emplace(*name, consultants_.size() + 1).first->second;
      map_.emplace(std::move(std::get<Text>(r[0])),
                   CustomerCells{std::move(r[1]), std::move(r[2]), std::move(r[3]), number,
                                 consultant, int_at(r[4]) == 1});
    }
  }
  const Map& map() const { return map_; }

 private:
  static std::int64_t int_at(const Value& v) {
    const auto* i = std::get_if<std::int64_t>(&v);
    return i ? *i : 0;
  }
  Map map_;
  boost::unordered_flat_map<Text, std::uint32_t, std::hash<Text>> consultants_;
};

// A product's cells of a balance row, and its number.
struct ProductCells {
  Value name, department;
  std::uint32_t number = 0;
};

using ProductMap = boost::unordered_flat_map<Text, ProductCells, std::hash<Text>>;

// Product name and department by the key of the product id (a few dozen rows).
ProductMap products_by_key(db::Connection& conn, JoinKey key) {
  ProductMap out;
  Sql q;
  q << "SELECT " << key_of(key, "product_id") << ", product_name, department FROM medical_products";
  Table t = run(conn, q);
  for (Row& r : t.rows) {
    const auto number = static_cast<std::uint32_t>(out.size());
    out.emplace(std::move(std::get<Text>(r[0])),
                ProductCells{std::move(r[1]), std::move(r[2]), number});
  }
  return out;
}

// The balances table alone, in the columns of the list: `name` and `product_name` carry the
// keys of the customer's and the product's ids until the join replaces them (ids or weights: short
// ones fit a Text's inline bytes); phone, consultant, department, remaining and status are
// NULL until then (remaining is subtracted here: cheaper than parsing a third decimal text), and
// last_write_off_date is the stored one (see late_write_offs).
Sql balances_alone(const Scope& scope, JoinKey key) {
  Sql q;
  q << "SELECT b.balance_id, b.customer_id, " << key_of(key, "b.customer_id")
    << " AS name, NULL AS phone, NULL AS consultant_name, " << key_of(key, "b.product_id")
    << " AS product_name,"
       " NULL AS department, b.total_amount, b.spent_amount, NULL AS remaining,"
       " b.last_write_off_date,"
       " b.expiration_date, NULL AS status"
       " FROM unspent_balances b WHERE b.total_amount > b.spent_amount"
    << scope_on_customer_id(scope, "b.customer_id");
  return q;
}

// A stored last write-off date after as_of (as_of in the past) becomes the latest write-off
// record on or before as_of, or NULL: by balance_id, the balances with such a date, looked up in
// one statement. It needs no row of the list, so it runs beside the list's read; with
// ix_balances_last_write_off (migration 0011) it reads nothing when as_of is the newest date.
using LateWriteOffs = std::unordered_map<std::int64_t, Value>;

LateWriteOffs late_write_offs(db::Connection& conn, const Date& as_of) {
  Sql q;
  q << "SELECT b.balance_id, (SELECT MAX(w.write_off_date) FROM write_off_records w"
       " WHERE w.customer_id = b.customer_id AND w.product_id = b.product_id"
       " AND w.write_off_date <= "
    << arg(as_of) << ") FROM unspent_balances b WHERE b.last_write_off_date > " << arg(as_of)
    << " AND b.total_amount > b.spent_amount";
  LateWriteOffs settled;
  for (Row& r : run(conn, q).rows) settled.emplace(std::get<std::int64_t>(r[0]), std::move(r[1]));
  return settled;
}

// Gives the rows with a stored date after as_of their date as of as_of. A balance changed
// between the two statements keeps its stored date.
void settle_late_write_offs(Table& t, const LateWriteOffs& settled, const Date& as_of) {
  if (settled.empty()) return;
  const auto col = static_cast<std::size_t>(t.column_index("last_write_off_date"));
  for (Row& row : t.rows) {
    const Date* d = std::get_if<Date>(&row[col]);
    if (!d || *d <= as_of) continue;
    if (const auto it = settled.find(std::get<std::int64_t>(row[0])); it != settled.end())
      row[col] = it->second;
  }
}

// The order of a table of balance rows (columns "remaining" and, first, "balance_id").
std::vector<std::uint32_t> order_by_remaining(const Table& t) {
  const auto remaining = static_cast<std::size_t>(t.column_index("remaining"));
  DescendingOrder order;
  order.reserve(t.rows.size());
  for (const Row& row : t.rows)
    order.add(std::get<Decimal>(row[remaining]), std::get<std::int64_t>(row[0]));
  return order.sorted();
}

// The cells of a balance row from its customer and product, its remaining and status; its facts
// into `fact`.
class BalanceJoin {
 public:
  BalanceJoin(const Table& t, const BalanceStates& states)
      : name_(index_of(t, "name")),
        product_(index_of(t, "product_name")),
        total_(index_of(t, "total_amount")),
        remaining_(index_of(t, "remaining")),
        last_write_off_(index_of(t, "last_write_off_date")),
        expiration_(index_of(t, "expiration_date")),
        status_(index_of(t, "status")),
        states_(states) {}

  // Joined; Dropped (the inner join drops a row whose customer was registered after as_of);
  // CustomerUnknown, for the caller to look the customer up; or ProductUnknown.
  enum class Outcome { Joined, Dropped, CustomerUnknown, ProductUnknown };

  Outcome fill(Row& row, const CustomerIndex::Map& customers, const ProductMap& products,
               BalanceFact& fact) const {
    const auto c = customers.find(std::get<Text>(row[name_]));
    if (c == customers.end()) return Outcome::CustomerUnknown;
    const auto p = products.find(std::get<Text>(row[product_]));
    if (p == products.end()) return Outcome::ProductUnknown;
    if (!c->second.registered) return Outcome::Dropped;
    row[name_] = c->second.name;
    row[name_ + 1] = c->second.phone;
    row[name_ + 2] = c->second.consultant;
    row[product_] = p->second.name;
    row[product_ + 1] = p->second.department;
    const Decimal remaining = std::get<Decimal>(row[total_]) - std::get<Decimal>(row[total_ + 1]);
    row[remaining_] = remaining;
    const std::uint8_t state = states_.of(row[last_write_off_], row[expiration_]);
    row[status_] = BalanceStates::text(state);
    fact = {remaining, c->second.number, p->second.number, c->second.consultant_number, 0, state};
    return Outcome::Joined;
  }

 private:
  static std::size_t index_of(const Table& t, const char* name) {
    return static_cast<std::size_t>(t.column_index(name));
  }
  std::size_t name_, product_, total_, remaining_, last_write_off_, expiration_, status_;
  const BalanceStates& states_;
};

}  // namespace

namespace {

// The list joined by `key`; nullopt when exact keys leave a balance without its customer or
// product (see JoinKey).
std::optional<BalanceRows> balance_list_by(db::Connection& conn, JoinKey key, const Date& as_of,
                                           std::int64_t expiring_days, std::int64_t dormant_days,
                                           const Scope& scope) {
  // The server's work is the plainest read it can do: a lookup per balance into customers and
  // into medical_products (by utf8mb4_unicode_ci keys) cost it 0.45 s at 140,000 balances,
  // reading both tables whole about 0.05 s; the status flags and the sort of the joined rows
  // cost more in SQL than here. The customers and products are read meanwhile on a second
  // connection: the server and the client each have a core to spare while the balances stream
  // in.
  Table t;
  std::vector<BalanceFact> facts;
  std::vector<std::int64_t> ids;  // balance_id of each row
  {
    CustomerIndex customers;
    ProductMap products;
    LateWriteOffs late;
    db::run_parallel(conn,
                     {[&](db::Connection& c) { t = run(c, balances_alone(scope, key)); },
                      [&](db::Connection& c) {
                        // Those holding a balance, by the facts' sum of them: a third fewer
                        // customers to read and to look balances up among.
                        customers.add(c, key, as_of, scope, Sql(" AND f.unspent_amount > 0"));
                        products = products_by_key(c, key);
                        late = late_write_offs(c, as_of);
                      }},
                     2);
    settle_late_write_offs(t, late, as_of);
    // Joined in place, the two halves of the rows at once: the maps are only read, each half
    // writes its own rows, facts and flags, and the second core would be idle otherwise.
    const BalanceStates states(as_of, expiring_days, dormant_days);
    const BalanceJoin join(t, states);
    facts.resize(t.rows.size());
    ids.resize(t.rows.size());
    std::vector<char> keep(t.rows.size(), 0);  // not vector<bool>: its bits share words
    std::vector<std::uint32_t> unknown_part[2];
    bool product_unknown[2] = {false, false};
    const auto join_part = [&](int part, std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) {
        const auto outcome = join.fill(t.rows[i], customers.map(), products, facts[i]);
        ids[i] = std::get<std::int64_t>(t.rows[i][0]);  // read while the row is at hand
        keep[i] = outcome == BalanceJoin::Outcome::Joined;
        if (outcome == BalanceJoin::Outcome::CustomerUnknown)
          unknown_part[part].push_back(static_cast<std::uint32_t>(i));
        else if (outcome == BalanceJoin::Outcome::ProductUnknown)
          product_unknown[part] = true;
      }
    };
    const std::size_t half = t.rows.size() / 2;
    auto second = std::async(std::launch::async, join_part, 1, half, t.rows.size());
    join_part(0, 0, half);
    second.get();
    if (key == JoinKey::Exact && (product_unknown[0] || product_unknown[1])) return std::nullopt;
    std::vector<std::uint32_t> unknown = std::move(unknown_part[0]);
    unknown.insert(unknown.end(), unknown_part[1].begin(), unknown_part[1].end());
    if (!unknown.empty()) {
      // Customers whose balances the facts' sum missed (it counts negative remainders too), or
      // that do not exist: looked up by id, a few hundred at a time.
      const auto id = static_cast<std::size_t>(t.column_index("customer_id"));
      std::vector<std::string> ids_unknown;
      for (const std::uint32_t i : unknown) ids_unknown.push_back(std::get<Text>(t.rows[i][id]));
      std::sort(ids_unknown.begin(), ids_unknown.end());
      ids_unknown.erase(std::unique(ids_unknown.begin(), ids_unknown.end()), ids_unknown.end());
      for (std::size_t from = 0; from < ids_unknown.size(); from += 500) {
        Sql which;
        which << " AND f.customer_id IN (";
        const std::size_t to = std::min(ids_unknown.size(), from + 500);
        for (std::size_t k = from; k < to; ++k)
          which << (k == from ? "" : ", ") << arg(ids_unknown[k]);
        which << ")";
        customers.add(conn, key, as_of, scope, which);
      }
      for (const std::uint32_t i : unknown) {
        const auto outcome = join.fill(t.rows[i], customers.map(), products, facts[i]);
        if (key == JoinKey::Exact && (outcome == BalanceJoin::Outcome::CustomerUnknown ||
                                      outcome == BalanceJoin::Outcome::ProductUnknown))
          return std::nullopt;
        keep[i] = outcome == BalanceJoin::Outcome::Joined;
      }
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      if (!keep[i]) continue;
      if (i != kept) {
        t.rows[kept] = std::move(t.rows[i]);
        facts[kept] = facts[i];
        ids[kept] = ids[i];
      }
      ++kept;
    }
    t.rows.resize(kept);
    facts.resize(kept);
    ids.resize(kept);
  }
  // Ordered once the customers are let go: the keys need memory of their own.
  DescendingOrder order;
  order.reserve(t.rows.size());
  for (std::size_t i = 0; i < t.rows.size(); ++i) order.add(facts[i].remaining, ids[i]);
  const std::vector<std::uint32_t> sorted = order.sorted();
  BalanceRows out;
  out.table.columns = std::move(t.columns);
  out.table.columns[static_cast<std::size_t>(out.table.column_index("remaining"))].type =
      ColumnType::Decimal;
  out.table.columns[static_cast<std::size_t>(out.table.column_index("status"))].type =
      ColumnType::Text;
  out.table.rows.reserve(sorted.size());
  for (const std::uint32_t i : sorted) {
    facts[i].row = static_cast<std::uint32_t>(out.table.rows.size());
    out.table.rows.push_back(std::move(t.rows[i]));
  }
  out.facts = std::move(facts);
  set_labels(out.table, balance_labels());
  return out;
}

}  // namespace

BalanceRows balance_list(db::Connection& conn, const Date& as_of, std::int64_t expiring_days,
                         std::int64_t dormant_days, const Scope& scope) {
  if (auto exact = balance_list_by(conn, JoinKey::Exact, as_of, expiring_days, dormant_days, scope))
    return std::move(*exact);
  // Read again, matched as the server's collation matches: rare, and only as slow as before.
  return *balance_list_by(conn, JoinKey::Collation, as_of, expiring_days, dormant_days, scope);
}

Table query_balances(db::Connection& conn, const Date& as_of, std::int64_t expiring_days,
                     std::int64_t dormant_days, const Scope& scope, const Sql& extra_where) {
  // Growth-points' detectors (already on two connections) want the few dormant or expiring
  // balances: joined in the server, without the whole customer list in memory. The balances
  // drive for the whole clinic, each row's customer and product by primary key (MariaDB would
  // otherwise look the balances up per customer, about 4x slower); a consultant's customers are
  // few, so they drive.
  Sql q;
  q << (scope.consultant_id ? "SELECT" : "SELECT STRAIGHT_JOIN")
    << " x.balance_id, x.customer_id, x.name, x.phone, x.consultant_name, x.product_name,"
       " x.department, x.total_amount, x.spent_amount, x.remaining,"
       " x.last_write_off_date, x.expiration_date,"
       " CASE WHEN x.is_expired = 1 THEN '已过期'"
       "  WHEN x.is_expiring = 1 AND x.is_dormant = 1 THEN '即将到期、沉睡'"
       "  WHEN x.is_expiring = 1 THEN '即将到期' WHEN x.is_dormant = 1 THEN '沉睡'"
       "  ELSE '正常' END AS status"
       " FROM ("
    << balances_base(as_of, expiring_days, dormant_days, scope) << ") x WHERE 1 = 1" << extra_where;
  Table t = run(conn, q);
  name_consultants(conn, t, "consultant_name");
  const std::vector<std::uint32_t> order = order_by_remaining(t);
  Table out;
  out.columns = std::move(t.columns);
  out.rows.reserve(t.rows.size());
  for (const std::uint32_t i : order) out.rows.push_back(std::move(t.rows[i]));
  set_labels(out, balance_labels());
  return out;
}

}  // namespace yimei::analysis::detail
