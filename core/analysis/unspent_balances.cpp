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
  std::string name;  // shown: the name on the group's first row
  std::string sort_key;
  std::string department;  // products only
  Decimal remaining;
  std::int64_t balances = 0;
  std::int64_t customers = 0;
  std::uint32_t last_customer = kNoCustomer;  // the customer counted last
  static constexpr std::uint32_t kNoCustomer = static_cast<std::uint32_t>(-1);
};

struct BalanceTotals {
  Decimal remaining, expiring_amount, dormant_amount, expired_amount;
  std::int64_t balances = 0, expiring = 0, dormant = 0, expired = 0, customers = 0;
  std::vector<BalanceGroup> departments, products, consultants;
};

// Groups by a key; each balance adds its remaining amount and, when its customer differs from the
// one counted last, its customer: balances come grouped by customer (see by_customer).
class Grouper {
 public:
  explicit Grouper(std::vector<BalanceGroup>& groups) : groups_(groups) {}
  // The index of the group of `key`, made (named `name`) when new.
  std::uint32_t at(std::string_view key, const std::string& name, const std::string& sort_key) {
    auto it = index_.find(key);
    if (it == index_.end()) {
      it = index_.emplace(std::string(key), static_cast<std::uint32_t>(groups_.size())).first;
      groups_.push_back({name, sort_key, "", {}, 0, 0});
    }
    return it->second;
  }
  void add(std::uint32_t group, const Decimal& remaining, std::uint32_t customer) {
    BalanceGroup& g = groups_[group];
    g.remaining += remaining;
    ++g.balances;
    if (g.last_customer != customer) {
      g.last_customer = customer;
      ++g.customers;
    }
  }

 private:
  std::vector<BalanceGroup>& groups_;
  std::map<std::string, std::uint32_t, std::less<>> index_;
};

// The balances ordered by customer number (a counting sort): each customer's balances adjacent,
// for counting distinct customers without a set per group, and read in one sequential pass
// instead of in the table's order, which scatters them across memory.
std::vector<BalanceFact> by_customer(const std::vector<BalanceFact>& facts) {
  std::vector<std::uint32_t> start;
  for (const BalanceFact& f : facts) {
    if (start.size() <= f.customer + 1u) start.resize(f.customer + 2u, 0);
    ++start[f.customer + 1u];
  }
  for (std::size_t c = 1; c < start.size(); ++c) start[c] += start[c - 1];
  std::vector<BalanceFact> out(facts.size());
  for (const BalanceFact& f : facts) out[start[f.customer]++] = f;
  return out;
}

// The numbers that have a first row (not kNoRow), in the order of their first rows.
std::vector<std::uint32_t> numbers_by_first_row(const std::vector<std::uint32_t>& first_row) {
  std::vector<std::uint32_t> numbers;
  for (std::uint32_t n = 0; n < first_row.size(); ++n)
    if (first_row[n] != static_cast<std::uint32_t>(-1)) numbers.push_back(n);
  std::sort(numbers.begin(), numbers.end(),
            [&](std::uint32_t a, std::uint32_t b) { return first_row[a] < first_row[b]; });
  return numbers;
}

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
  const int department_col = t.column_index("department");
  const int product_col = t.column_index("product_name");
  const int consultant_col = t.column_index("consultant_name");
  BalanceTotals out;
  Grouper by_department(out.departments), by_product(out.products), by_consultant(out.consultants);
  // A balance's department and product groups follow from its product, its consultant group from
  // its consultant: each is looked up on the first row (in the table's order) of its product or
  // consultant, so that groups are made and named in the order of their first rows.
  constexpr std::uint32_t kNoRow = static_cast<std::uint32_t>(-1);
  std::vector<std::uint32_t> product_first, consultant_first;  // by number: the first row
  for (const BalanceFact& f : read.facts) {
    if (product_first.size() <= f.product) product_first.resize(f.product + 1u, kNoRow);
    if (consultant_first.size() <= f.consultant) consultant_first.resize(f.consultant + 1u, kNoRow);
    product_first[f.product] = std::min(product_first[f.product], f.row);
    consultant_first[f.consultant] = std::min(consultant_first[f.consultant], f.row);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> product_groups(product_first.size());
  std::vector<std::uint32_t> consultant_groups(consultant_first.size());
  std::string key;
  for (const std::uint32_t product : numbers_by_first_row(product_first)) {
    const Row& row = t.rows[product_first[product]];
    const std::string department = std::get<Text>(row[department_col]);
    const auto dep_key = departments.find(department);
    const std::string& dep = dep_key == departments.end() ? department : dep_key->second;
    const std::string name = std::get<Text>(row[product_col]);
    key.assign(dep).append(1, '\n').append(name);
    product_groups[product] = {by_department.at(dep, department, ""), by_product.at(key, name, "")};
    if (out.products[product_groups[product].second].department.empty())
      out.products[product_groups[product].second].department = department;
  }
  for (const std::uint32_t consultant : numbers_by_first_row(consultant_first)) {
    // A customer without a consultant (NULL) is a group of its own, shown and sorted as 未分配.
    const auto* name = std::get_if<Text>(&t.rows[consultant_first[consultant]][consultant_col]);
    const std::string shown = name ? name->str() : kUnassigned;
    const auto weight = consultants.find(shown);
    const std::string& sort_key = weight == consultants.end() ? shown : weight->second;
    key.assign(name ? "1" : "0").append(sort_key);
    consultant_groups[consultant] = by_consultant.at(key, shown, sort_key);
  }
  std::uint32_t last_customer = BalanceGroup::kNoCustomer;
  for (const BalanceFact& f : by_customer(read.facts)) {
    if (f.customer != last_customer) {
      last_customer = f.customer;
      ++out.customers;
    }
    out.remaining += f.remaining;
    ++out.balances;
    if (f.state & kExpired) {
      ++out.expired;
      out.expired_amount += f.remaining;
    }
    if (f.state & kExpiring) {
      ++out.expiring;
      out.expiring_amount += f.remaining;
    }
    if (f.state & kDormant) {
      ++out.dormant;
      out.dormant_amount += f.remaining;
    }
    const auto [dep_group, product_group] = product_groups[f.product];
    by_department.add(dep_group, f.remaining, f.customer);
    by_product.add(product_group, f.remaining, f.customer);
    by_consultant.add(consultant_groups[f.consultant], f.remaining, f.customer);
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

// The rows (in the table's order) whose balance's state has the bit.
RowSubset rows_with_state(const std::vector<BalanceFact>& facts, std::string name,
                          BalanceState bit) {
  RowSubset out{std::move(name), {}};
  for (const BalanceFact& f : facts)
    if (f.state & bit) out.rows.push_back(f.row);
  std::sort(out.rows.begin(), out.rows.end());
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
  r.row_subsets.push_back(rows_with_state(read.facts, "即将到期", kExpiring));
  r.row_subsets.push_back(rows_with_state(read.facts, "沉睡余额", kDormant));
  return r;
}

}  // namespace yimei::analysis::detail
