// unspent-balances (未划扣余额): balances with remaining > 0, their status (expired, expiring
// within expiring_days, dormant for dormant_days), and the remaining by department, product and
// consultant. Balances are a snapshot (remaining = total - spent as stored); the last write-off
// date is taken as of as_of: a stored date after as_of falls back to the latest write-off
// record on or before as_of.
#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "core/analysis/analyses.hpp"
#include "core/analysis/balance_rows.hpp"

namespace yimei::analysis::detail {
namespace {

// Collation keys (HEX of WEIGHT_STRING: equal exactly when MariaDB's collation calls the texts
// equal, ordered as it orders them) of the few department and consultant names, so that grouping
// the fetched rows gives the groups a GROUP BY would.
std::map<std::string, std::string> collation_keys(db::Connection& conn, const char* select) {
  std::map<std::string, std::string> keys;
  const Table t = run(conn, Sql(select));
  for (const Row& r : t.rows)
    if (const auto* name = std::get_if<Text>(&r[0])) keys.emplace(*name, std::get<Text>(r[1]));
  return keys;
}

const std::string kUnassigned = "未分配";

// Remaining, balances and distinct customers of one group of balances.
struct BalanceGroup {
  std::string name;  // shown: the first name seen
  std::string sort_key;
  std::string department;  // products only
  Decimal remaining;
  std::int64_t balances = 0;
  std::vector<bool> customer_seen;  // by customer number
  std::int64_t customers = 0;
};

struct BalanceTotals {
  Decimal remaining, expiring_amount, dormant_amount, expired_amount;
  std::int64_t balances = 0, expiring = 0, dormant = 0, expired = 0, customers = 0;
  std::vector<BalanceGroup> departments, products, consultants;
};

// Groups by a key; each row adds its remaining amount and (once per group) its customer.
class Grouper {
 public:
  explicit Grouper(std::vector<BalanceGroup>& groups) : groups_(groups) {}
  // The index of the group of `key`, made (named `name`) when new.
  std::size_t at(std::string_view key, const std::string& name, const std::string& sort_key) {
    auto it = index_.find(key);
    if (it == index_.end()) {
      it = index_.emplace(std::string(key), groups_.size()).first;
      groups_.push_back({name, sort_key, "", {}, 0, {}, 0});
    }
    return it->second;
  }
  void add(std::size_t group, const Decimal& remaining, std::size_t customer) {
    BalanceGroup& g = groups_[group];
    g.remaining += remaining;
    ++g.balances;
    if (g.customer_seen.size() <= customer)
      g.customer_seen.resize(std::max(customer + 1, 2 * g.customer_seen.size()), false);
    if (!g.customer_seen[customer]) {
      g.customer_seen[customer] = true;
      ++g.customers;
    }
  }

 private:
  std::vector<BalanceGroup>& groups_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

// The totals and the remaining by department, product and consultant of the balance rows (the
// analysis's own result, read once): what three GROUP BY passes over the joined balances gave.
BalanceTotals totals_of(db::Connection& conn, const BalanceRows& read) {
  const auto departments = collation_keys(
      conn, "SELECT DISTINCT department, HEX(WEIGHT_STRING(department)) FROM medical_products");
  const auto consultants =
      collation_keys(conn,
                     "SELECT name, HEX(WEIGHT_STRING(name)) FROM consultants UNION"
                     " SELECT '未分配', HEX(WEIGHT_STRING(CONVERT('未分配' USING utf8mb4) COLLATE"
                     " utf8mb4_unicode_ci))");
  const Table& t = read.table;
  const int remaining_col = t.column_index("remaining");
  const int department_col = t.column_index("department");
  const int product_col = t.column_index("product_name");
  const int consultant_col = t.column_index("consultant_name");
  BalanceTotals out;
  Grouper by_department(out.departments), by_product(out.products), by_consultant(out.consultants);
  // A row's department and product groups follow from its product, its consultant group from its
  // customer: each is looked up once, on the first row that needs it.
  constexpr std::size_t kUnknown = static_cast<std::size_t>(-1);
  std::vector<std::pair<std::size_t, std::size_t>> product_groups;  // by product number
  std::vector<std::size_t> consultant_group;                        // by customer number
  std::vector<bool> customer_seen;
  std::string key;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const Row& row = t.rows[i];
    const Decimal& remaining = std::get<Decimal>(row[remaining_col]);
    const std::uint8_t state = read.state[i];
    const std::size_t customer = read.customer[i];
    const std::size_t product = read.product[i];
    if (customer_seen.size() <= customer) {
      customer_seen.resize(customer + 1, false);
      consultant_group.resize(customer + 1, kUnknown);
    }
    if (!customer_seen[customer]) {
      customer_seen[customer] = true;
      ++out.customers;
    }
    out.remaining += remaining;
    ++out.balances;
    if (state & kExpired) {
      ++out.expired;
      out.expired_amount += remaining;
    }
    if (state & kExpiring) {
      ++out.expiring;
      out.expiring_amount += remaining;
    }
    if (state & kDormant) {
      ++out.dormant;
      out.dormant_amount += remaining;
    }
    if (product_groups.size() <= product) product_groups.resize(product + 1, {kUnknown, 0});
    auto& [dep_group, product_group] = product_groups[product];
    if (dep_group == kUnknown) {
      const std::string& department = std::get<Text>(row[department_col]);
      const auto dep_key = departments.find(department);
      const std::string& dep = dep_key == departments.end() ? department : dep_key->second;
      dep_group = by_department.at(dep, department, "");
      const std::string& name = std::get<Text>(row[product_col]);
      key.assign(dep).append(1, '\n').append(name);
      product_group = by_product.at(key, name, "");
      if (out.products[product_group].department.empty())
        out.products[product_group].department = department;
    }
    by_department.add(dep_group, remaining, customer);
    by_product.add(product_group, remaining, customer);
    if (consultant_group[customer] == kUnknown) {
      // A customer without a consultant (NULL) is a group of its own, shown and sorted as 未分配.
      const auto* name = std::get_if<Text>(&row[consultant_col]);
      const std::string shown = name ? name->str() : kUnassigned;
      const auto weight = consultants.find(shown);
      const std::string& sort_key = weight == consultants.end() ? shown : weight->second;
      key.assign(name ? "1" : "0").append(sort_key);
      consultant_group[customer] = by_consultant.at(key, shown, sort_key);
    }
    by_consultant.add(consultant_group[customer], remaining, customer);
  }
  return out;
}

// One breakdown table (department, product or consultant), largest remaining first; ties by
// name (departments, products: as before, by byte order) or by collation (consultants, as the
// SQL ORDER BY did).
Table breakdown_table(std::vector<BalanceGroup> groups, const char* key, const char* label,
                      bool with_department, bool collation_ties) {
  std::stable_sort(groups.begin(), groups.end(), [&](const BalanceGroup& a, const BalanceGroup& b) {
    if (a.remaining != b.remaining) return a.remaining > b.remaining;
    return collation_ties ? a.sort_key < b.sort_key : a.name < b.name;
  });
  Table t;
  t.columns = {{key, label, ColumnType::Text},
               {"remaining", "剩余金额", ColumnType::Decimal, ColumnUnit::Yuan},
               {"balances", "余额笔数", ColumnType::Integer, ColumnUnit::Count},
               {"customers", "顾客数", ColumnType::Integer, ColumnUnit::Count}};
  if (with_department) t.columns.push_back({"department", "科室", ColumnType::Text});
  for (auto& g : groups) {
    Row& row = t.rows.emplace_back();
    row.reserve(t.columns.size());
    row.emplace_back(std::in_place_type<Text>, g.name);
    row.emplace_back(g.remaining);
    row.emplace_back(g.balances);
    row.emplace_back(g.customers);
    if (with_department) row.emplace_back(std::in_place_type<Text>, g.department);
  }
  return t;
}

// The rows whose state has the bit.
RowSubset rows_with_state(const std::vector<std::uint8_t>& states, std::string name,
                          BalanceState bit) {
  RowSubset out{std::move(name), {}};
  for (std::size_t i = 0; i < states.size(); ++i)
    if (states[i] & bit) out.rows.push_back(static_cast<std::uint32_t>(i));
  return out;
}

}  // namespace

AnalysisResult unspent_balances(db::Connection& conn, const ResolvedRequest& req) {
  const std::int64_t expiring_days = req.params.get_int("expiring_days");
  const std::int64_t dormant_days = req.params.get_int("dormant_days");
  AnalysisResult r;
  // One pass over the joined balances; the totals and breakdowns are summed from its rows.
  BalanceRows read = balance_list(conn, req.as_of, expiring_days, dormant_days, req.scope);
  BalanceTotals s = totals_of(conn, read);
  r.table = std::move(read.table);

  const Decimal remaining = s.remaining.rounded(2);
  const std::int64_t customers = s.customers;
  r.summary = {
      item("total_remaining", "未划扣余额合计", remaining, ColumnUnit::Yuan),
      item("balance_count", "余额笔数", s.balances, ColumnUnit::Count),
      item("customer_count", "持有余额顾客数", customers, ColumnUnit::Count),
      item("expiring_count", "即将到期笔数", s.expiring, ColumnUnit::Count),
      item("expiring_amount", "即将到期金额", s.expiring_amount.rounded(2), ColumnUnit::Yuan),
      item("dormant_count", "沉睡余额笔数", s.dormant, ColumnUnit::Count),
      item("dormant_amount", "沉睡余额金额", s.dormant_amount.rounded(2), ColumnUnit::Yuan),
      item("expired_count", "已过期笔数", s.expired, ColumnUnit::Count),
      item("expired_amount", "已过期金额", s.expired_amount.rounded(2), ColumnUnit::Yuan)};

  Table departments = breakdown_table(std::move(s.departments), "department", "科室", false, false);
  Table products = breakdown_table(std::move(s.products), "product_name", "品项", true, false);
  Table consultants =
      breakdown_table(std::move(s.consultants), "consultant_name", "咨询师", false, true);
  r.chart = ChartSuggestion{render::ChartKind::Bar, "未划扣余额按科室", "department",
                            {"remaining"},          departments,        ColumnUnit::Yuan};
  const std::int64_t balances = s.balances;
  const Decimal expiring_amount = s.expiring_amount.rounded(2);
  const Decimal dormant_amount = s.dormant_amount.rounded(2);

  r.narrative_zh = "截至 " + format_date(req.as_of) + "，共有 " + std::to_string(customers) +
                   " 位顾客持有未划扣余额，合计 " + yuan(remaining) + "（" +
                   std::to_string(balances) + " 笔）。";
  r.narrative_zh += "其中 " + std::to_string(s.expiring) + " 笔共 " + yuan(expiring_amount) +
                    " 将在 " + std::to_string(expiring_days) + " 天内到期，" +
                    std::to_string(s.dormant) + " 笔共 " + yuan(dormant_amount) + " 已超过 " +
                    std::to_string(dormant_days) + " 天未划扣。";
  if (!departments.rows.empty())
    r.narrative_zh += "余额最多的科室是 " + str_at(departments, departments.rows[0], "department") +
                      "（" + yuan(dec_at(departments, departments.rows[0], "remaining")) +
                      "）。建议先提醒即将到期的顾客预约划扣，再逐一唤醒沉睡余额。";

  r.breakdowns.emplace_back("按科室", std::move(departments));
  r.breakdowns.emplace_back("按品项", std::move(products));
  r.breakdowns.emplace_back("按咨询师", std::move(consultants));
  r.row_subsets.push_back(rows_with_state(read.state, "即将到期", kExpiring));
  r.row_subsets.push_back(rows_with_state(read.state, "沉睡余额", kDormant));
  return r;
}

}  // namespace yimei::analysis::detail
