// unspent-balances (未划扣余额): balances with remaining > 0, their status (expired, expiring
// within expiring_days, dormant for dormant_days), and the remaining by department, product and
// consultant. Balances are a snapshot (remaining = total - spent as stored); the last write-off
// date is taken as of as_of: a stored date after as_of falls back to the latest write-off
// record on or before as_of.
#include <algorithm>

#include "core/analysis/analyses.hpp"

namespace yimei::analysis::detail {
namespace {

// Every balance with remaining > 0 of a customer registered by as_of, with the 0/1 flags
// is_expired, is_expiring, is_dormant (aliases usable by extra_where: x.*).
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
       " FROM (SELECT b.balance_id, b.customer_id, c.name, c.phone,"
       "   co.name AS consultant_name, b.product_id, p.product_name, p.department,"
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
       "  LEFT JOIN consultants co ON co.consultant_id = c.consultant_id"
       "  WHERE b.total_amount > b.spent_amount AND c.register_date <= "
    << arg(as_of) << scope_on_customer(scope, "c") << ") y";
  return q;
}

// Remaining, balances and customers per consultant (the customer's), largest first.
Table remaining_by_consultant(db::Connection& conn, const Sql& base) {
  Sql q;
  q << "SELECT COALESCE(x.consultant_name, '未分配') AS consultant_name,"
       " SUM(x.remaining) AS remaining, COUNT(*) AS balances,"
       " COUNT(DISTINCT x.customer_id) AS customers FROM ("
    << base << ") x GROUP BY x.consultant_name ORDER BY remaining DESC, consultant_name";
  Table t = run(conn, q);
  set_labels(t, {{"consultant_name", "咨询师"},
                 {"remaining", "剩余金额", ColumnUnit::Yuan},
                 {"balances", "余额笔数", ColumnUnit::Count},
                 {"customers", "顾客数", ColumnUnit::Count}});
  return t;
}

// One pass for the totals and the remaining by department and by product: GROUP BY department,
// product WITH ROLLUP (a product belongs to one department). Rows with product_name NULL are
// department subtotals, the row with both NULL the grand total.
Table rollup(db::Connection& conn, const Sql& base) {
  Sql q;
  q << "SELECT x.department, x.product_name, COALESCE(SUM(x.remaining), 0.00) AS remaining,"
       " COUNT(*) AS balances, COUNT(DISTINCT x.customer_id) AS customers,"
       " COALESCE(SUM(x.is_expiring), 0) AS expiring_count,"
       " COALESCE(SUM(IF(x.is_expiring = 1, x.remaining, 0)), 0.00) AS expiring_amount,"
       " COALESCE(SUM(x.is_dormant), 0) AS dormant_count,"
       " COALESCE(SUM(IF(x.is_dormant = 1, x.remaining, 0)), 0.00) AS dormant_amount,"
       " COALESCE(SUM(x.is_expired), 0) AS expired_count,"
       " COALESCE(SUM(IF(x.is_expired = 1, x.remaining, 0)), 0.00) AS expired_amount"
       " FROM ("
    << base << ") x GROUP BY x.department, x.product_name WITH ROLLUP";
  return run(conn, q);
}

// Rows of the rollup at one level, as a breakdown table sorted by remaining, then name.
Table rollup_level(const Table& all, bool products) {
  Table t;
  t.columns = {
      {products ? "product_name" : "department", products ? "品项" : "科室", ColumnType::Text},
      {"remaining", "剩余金额", ColumnType::Decimal, ColumnUnit::Yuan},
      {"balances", "余额笔数", ColumnType::Integer, ColumnUnit::Count},
      {"customers", "顾客数", ColumnType::Integer, ColumnUnit::Count}};
  if (products) t.columns.push_back({"department", "科室", ColumnType::Text});
  for (const Row& r : all.rows) {
    const bool dep_null = is_null(r[0]), prod_null = is_null(r[1]);
    if (products ? prod_null : (dep_null || !prod_null)) continue;
    Row row{products ? r[1] : r[0], dec_at(all, r, "remaining"), int_at(all, r, "balances"),
            int_at(all, r, "customers")};
    if (products) row.push_back(r[0]);
    t.rows.push_back(std::move(row));
  }
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const Row& a, const Row& b) {
    const auto& x = std::get<Decimal>(a[1]);
    const auto& y = std::get<Decimal>(b[1]);
    if (x != y) return x > y;
    return std::get<std::string>(a[0]) < std::get<std::string>(b[0]);
  });
  return t;
}

Table rows_with_status(const Table& t, const std::string& word) {
  Table out;
  out.columns = t.columns;
  for (const Row& row : t.rows)
    if (str_at(t, row, "status").find(word) != std::string::npos) out.rows.push_back(row);
  return out;
}

}  // namespace

Table query_balances(db::Connection& conn, const Date& as_of, std::int64_t expiring_days,
                     std::int64_t dormant_days, const Scope& scope, const Sql& extra_where) {
  Sql q;
  q << "SELECT x.balance_id, x.customer_id, x.name, x.phone, x.consultant_name,"
       " x.product_name, x.department, x.total_amount, x.spent_amount, x.remaining,"
       " x.last_write_off_date, x.expiration_date,"
       " CASE WHEN x.is_expired = 1 THEN '已过期'"
       "  WHEN x.is_expiring = 1 AND x.is_dormant = 1 THEN '即将到期、沉睡'"
       "  WHEN x.is_expiring = 1 THEN '即将到期' WHEN x.is_dormant = 1 THEN '沉睡'"
       "  ELSE '正常' END AS status"
       " FROM ("
    << balances_base(as_of, expiring_days, dormant_days, scope) << ") x WHERE 1 = 1" << extra_where
    << " ORDER BY x.remaining DESC, x.balance_id";
  Table t = run(conn, q);
  set_labels(t, {{"balance_id", "余额ID"},
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
  return t;
}

AnalysisResult unspent_balances(db::Connection& conn, const ResolvedRequest& req) {
  const std::int64_t expiring_days = req.params.get_int("expiring_days");
  const std::int64_t dormant_days = req.params.get_int("dormant_days");
  const Sql base = balances_base(req.as_of, expiring_days, dormant_days, req.scope);
  AnalysisResult r;
  r.table = query_balances(conn, req.as_of, expiring_days, dormant_days, req.scope);

  const Table all = rollup(conn, base);
  // The grand total is the last rollup row; an empty result has none.
  Table s;
  s.columns = all.columns;
  for (const Row& row : all.rows)
    if (is_null(row[0]) && is_null(row[1])) s.rows.push_back(row);
  const Decimal remaining = dec_of(s, "remaining");
  r.summary = {
      item("total_remaining", "未划扣余额合计", remaining, ColumnUnit::Yuan),
      item("balance_count", "余额笔数", int_of(s, "balances"), ColumnUnit::Count),
      item("customer_count", "持有余额顾客数", int_of(s, "customers"), ColumnUnit::Count),
      item("expiring_count", "即将到期笔数", int_of(s, "expiring_count"), ColumnUnit::Count),
      item("expiring_amount", "即将到期金额", dec_of(s, "expiring_amount"), ColumnUnit::Yuan),
      item("dormant_count", "沉睡余额笔数", int_of(s, "dormant_count"), ColumnUnit::Count),
      item("dormant_amount", "沉睡余额金额", dec_of(s, "dormant_amount"), ColumnUnit::Yuan),
      item("expired_count", "已过期笔数", int_of(s, "expired_count"), ColumnUnit::Count),
      item("expired_amount", "已过期金额", dec_of(s, "expired_amount"), ColumnUnit::Yuan)};

  Table departments = rollup_level(all, false);
  Table products = rollup_level(all, true);
  Table consultants = remaining_by_consultant(conn, base);
  r.chart = ChartSuggestion{render::ChartKind::Bar, "未划扣余额按科室", "department",
                            {"remaining"},          departments,        ColumnUnit::Yuan};

  r.narrative_zh = "截至 " + format_date(req.as_of) + "，共有 " +
                   std::to_string(int_of(s, "customers")) + " 位顾客持有未划扣余额，合计 " +
                   yuan(remaining) + "（" + std::to_string(int_of(s, "balances")) + " 笔）。";
  r.narrative_zh += "其中 " + std::to_string(int_of(s, "expiring_count")) + " 笔共 " +
                    yuan(dec_of(s, "expiring_amount")) + " 将在 " + std::to_string(expiring_days) +
                    " 天内到期，" + std::to_string(int_of(s, "dormant_count")) + " 笔共 " +
                    yuan(dec_of(s, "dormant_amount")) + " 已超过 " + std::to_string(dormant_days) +
                    " 天未划扣。";
  if (!departments.rows.empty())
    r.narrative_zh += "余额最多的科室是 " + str_at(departments, departments.rows[0], "department") +
                      "（" + yuan(dec_at(departments, departments.rows[0], "remaining")) +
                      "）。建议先提醒即将到期的顾客预约划扣，再逐一唤醒沉睡余额。";

  r.breakdowns.emplace_back("按科室", std::move(departments));
  r.breakdowns.emplace_back("按品项", std::move(products));
  r.breakdowns.emplace_back("按咨询师", std::move(consultants));
  r.breakdowns.emplace_back("即将到期", rows_with_status(r.table, "即将到期"));
  r.breakdowns.emplace_back("沉睡余额", rows_with_status(r.table, "沉睡"));
  return r;
}

}  // namespace yimei::analysis::detail
