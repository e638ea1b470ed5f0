// The balance rows: the balances table read alone, joined to customers and products in the
// client by collation weights, sorted here. See select_balances for why.
#include "core/analysis/balance_rows.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "core/analysis/analyses.hpp"
#include "core/analysis/facts.hpp"
#include "core/db/parallel.hpp"

namespace yimei::analysis::detail {
namespace {

// Every balance with remaining > 0 (of the scope's customers), with the 0/1 flags is_expired,
// is_expiring, is_dormant (aliases usable by extra_where: x.*). Joined in the server, with the
// customer's name, phone and consultant id and the product's name and department, of customers
// registered by as_of; else the balances table alone (see select_balances).
Sql balances_base(const Date& as_of, std::int64_t expiring_days, std::int64_t dormant_days,
                  const Scope& scope, BalanceJoin join) {
  const bool in_server = join == BalanceJoin::InServer;
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
    << (in_server ? " c.name, c.phone, c.consultant_id AS consultant_name, p.product_name,"
                    " p.department,"
                  : "")
    << "   b.total_amount, b.spent_amount, b.total_amount - b.spent_amount AS remaining,"
       "   CASE WHEN b.last_write_off_date IS NULL OR b.last_write_off_date <= "
    << arg(as_of)
    << "   THEN b.last_write_off_date ELSE (SELECT MAX(w.write_off_date) FROM write_off_records w"
       "     WHERE w.customer_id = b.customer_id AND w.product_id = b.product_id"
       "     AND w.write_off_date <= "
    << arg(as_of)
    << ") END AS last_write_off_date,"
       "   b.expiration_date"
       "  FROM unspent_balances b";
  if (in_server) {
    q << "  JOIN customers c ON c.customer_id = b.customer_id"
         "  JOIN medical_products p ON p.product_id = b.product_id"
         "  WHERE b.total_amount > b.spent_amount AND c.register_date <= "
      << arg(as_of) << scope_on_customer(scope, "c") << ") y";
  } else {
    q << "  WHERE b.total_amount > b.spent_amount" << scope_on_customer_id(scope, "b.customer_id")
      << ") y";
  }
  return q;
}

// The cells a balance row takes from its customer, and the customer's number (0, 1, ... in the
// order read) for counting distinct customers.
struct CustomerCells {
  Value name, phone, consultant;
  std::uint32_t number = 0;
};

// The customers registered by as_of (of the scope), keyed by the collation weight of their id:
// equal weights are exactly the ids the collation calls equal, so the client join below matches
// what `JOIN customers c ON c.customer_id = b.customer_id` matched. Name, phone and consultant
// id are the customer facts' copies; the consultant is given by name.
std::unordered_map<std::string, CustomerCells> customers_by_weight(db::Connection& conn,
                                                                   const Date& as_of,
                                                                   const Scope& scope) {
  Sql q;
  q << "SELECT WEIGHT_STRING(f.customer_id), f.name, f.phone, f.consultant_id"
       " FROM analysis_customer_facts f WHERE 1 = 1"
    << registered_in_scope(as_of, scope, "f");
  Table t = run(conn, q);
  name_consultants(conn, t, "consultant_id");
  std::unordered_map<std::string, CustomerCells> out;
  out.reserve(t.rows.size());
  for (Row& r : t.rows) {
    const auto number = static_cast<std::uint32_t>(out.size());
    out.emplace(std::move(std::get<std::string>(r[0])),
                CustomerCells{std::move(r[1]), std::move(r[2]), std::move(r[3]), number});
  }
  return out;
}

// A product's cells of a balance row, and its number.
struct ProductCells {
  Value name, department;
  std::uint32_t number = 0;
};

// Product name and department by the collation weight of the product id (a few dozen rows).
std::unordered_map<std::string, ProductCells> products_by_weight(db::Connection& conn) {
  std::unordered_map<std::string, ProductCells> out;
  Table t = run(conn, Sql("SELECT WEIGHT_STRING(product_id), product_name, department"
                          " FROM medical_products"));
  for (Row& r : t.rows) {
    const auto number = static_cast<std::uint32_t>(out.size());
    out.emplace(std::move(std::get<std::string>(r[0])),
                ProductCells{std::move(r[1]), std::move(r[2]), number});
  }
  return out;
}

// The start of the balance rows' SELECT, up to the amounts.
const char* select_head(BalanceJoin join, const Scope& scope) {
  if (join == BalanceJoin::InClient)
    return "SELECT x.balance_id, x.customer_id, WEIGHT_STRING(x.customer_id) AS name,"
           " NULL AS phone, NULL AS consultant_name,"
           " WEIGHT_STRING(x.product_id) AS product_name, NULL AS department,";
  // The whole clinic: the balances drive, each row's customer and product by primary key (MariaDB
  // would otherwise look the balances up per customer, about 4x slower); a consultant's
  // customers are few, so they drive.
  return scope.consultant_id ? "SELECT x.balance_id, x.customer_id, x.name, x.phone,"
                               " x.consultant_name, x.product_name, x.department,"
                             : "SELECT STRAIGHT_JOIN x.balance_id, x.customer_id, x.name,"
                               " x.phone, x.consultant_name, x.product_name, x.department,";
}

}  // namespace

BalanceRows select_balances(db::Connection& conn, const Date& as_of, std::int64_t expiring_days,
                            std::int64_t dormant_days, const Scope& scope, const Sql& extra_where,
                            BalanceJoin join) {
  // InClient: the balances are read alone and joined to their customer and product here: a
  // lookup per balance into customers and into medical_products (by utf8mb4_unicode_ci keys) cost
  // the server 0.45 s at 140,000 balances, reading both tables whole about 0.05 s. The cells
  // `name` and `product_name` carry the customer's and the product's collation weight until the
  // join replaces them (raw weights: short ones fit a string's inline buffer); phone, consultant
  // and department are NULL until then. Either way the order is made here: the server's sort of
  // the joined rows cost 0.5 s.
  const bool in_client = join == BalanceJoin::InClient;
  Sql q;
  q << select_head(join, scope)
    << " x.total_amount, x.spent_amount, x.remaining,"
       " x.last_write_off_date, x.expiration_date,"
       " CASE WHEN x.is_expired = 1 THEN '已过期'"
       "  WHEN x.is_expiring = 1 AND x.is_dormant = 1 THEN '即将到期、沉睡'"
       "  WHEN x.is_expiring = 1 THEN '即将到期' WHEN x.is_dormant = 1 THEN '沉睡'"
       "  ELSE '正常' END AS status"
       " FROM ("
    << balances_base(as_of, expiring_days, dormant_days, scope, join) << ") x WHERE 1 = 1"
    << extra_where;
  Table t;
  std::unordered_map<std::string, CustomerCells> customers;
  std::unordered_map<std::string, ProductCells> products;
  if (in_client) {
    // The customers and products are read meanwhile on a second connection: the server and the
    // client each have a core to spare while the balances stream in.
    db::run_parallel(conn,
                     {[&](db::Connection& c) { t = run(c, q); },
                      [&](db::Connection& c) {
                        customers = customers_by_weight(c, as_of, scope);
                        products = products_by_weight(c);
                      }},
                     2);
  } else {
    t = run(conn, q);
    name_consultants(conn, t, "consultant_name");
  }

  const auto name = static_cast<std::size_t>(t.column_index("name"));
  const auto product = static_cast<std::size_t>(t.column_index("product_name"));
  const auto remaining = static_cast<std::size_t>(t.column_index("remaining"));
  // The sort keys apart from the rows: comparing them in one contiguous array is several times
  // faster than reaching into 140,000 scattered rows.
  struct SortKey {
    Decimal remaining;
    std::int64_t balance_id;
    std::uint32_t row, customer, product;
  };
  std::vector<SortKey> keys;
  keys.reserve(t.rows.size());
  std::size_t kept = 0;
  for (Row& row : t.rows) {
    std::uint32_t customer = 0, product_number = 0;
    if (in_client) {
      // An inner join: a customer registered after as_of (or outside the scope) drops the row.
      const auto c = customers.find(std::get<std::string>(row[name]));
      const auto p = products.find(std::get<std::string>(row[product]));
      if (c == customers.end() || p == products.end()) continue;
      row[name] = c->second.name;
      row[name + 1] = c->second.phone;
      row[name + 2] = c->second.consultant;
      row[product] = p->second.name;
      row[product + 1] = p->second.department;
      customer = c->second.number;
      product_number = p->second.number;
    }
    keys.push_back({std::get<Decimal>(row[remaining]), std::get<std::int64_t>(row[0]),
                    static_cast<std::uint32_t>(kept), customer, product_number});
    if (&row != &t.rows[kept]) t.rows[kept] = std::move(row);
    ++kept;
  }
  t.rows.resize(kept);
  std::sort(keys.begin(), keys.end(), [](const SortKey& a, const SortKey& b) {
    if (a.remaining != b.remaining) return a.remaining > b.remaining;
    return a.balance_id < b.balance_id;
  });
  BalanceRows out;
  out.table.columns = std::move(t.columns);
  out.table.rows.reserve(kept);
  if (in_client) {
    out.customer.reserve(kept);
    out.product.reserve(kept);
  }
  for (const SortKey& k : keys) {
    out.table.rows.push_back(std::move(t.rows[k.row]));
    if (!in_client) continue;
    out.customer.push_back(k.customer);
    out.product.push_back(k.product);
  }
  t.rows = {};
  set_labels(out.table, {{"balance_id", "余额ID"},
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
                         {"status", "状态"}});
  return out;
}

Table query_balances(db::Connection& conn, const Date& as_of, std::int64_t expiring_days,
                     std::int64_t dormant_days, const Scope& scope, const Sql& extra_where) {
  // Growth-points' detectors (already on two connections) want the few dormant or expiring
  // balances: joined in the server, without the whole customer list in memory.
  return select_balances(conn, as_of, expiring_days, dormant_days, scope, extra_where,
                         BalanceJoin::InServer)
      .table;
}

}  // namespace yimei::analysis::detail
