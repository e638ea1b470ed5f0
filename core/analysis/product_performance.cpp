// product-performance (产品表现): per product the revenue, quantity, orders, buyers, repeat
// buyers (>= 2 distinct purchase days in the period), write-offs, and the previous period's
// revenue; sorted by revenue descending.
#include "core/analysis/analyses.hpp"

namespace yimei::analysis::detail {

namespace {

// The whole clinic (no scope): revenue, quantity and orders from the daily sums; buyers and
// repeat buyers (>= 2 purchase days in the period) from the per-product customer facts: a buyer
// whose last purchase of the product lies in the period repeated when the purchase day before
// it does too; only buyers who bought again after the period have their records of the product
// read (from ix_consumption_customer_product_date, migration 0010).
// `products` lists every product id: the per-product facts are then read as one date range per
// product of (product_id, last_date, ...), in product order, without a temporary table.
Sql products_from_summaries(const Date& from, const Date& to, const Date& prev_from,
                            const Date& prev_to, const std::vector<std::string>& products) {
  Sql in_products;
  in_products.in_list(products);
  Sql q;
  q << " LEFT JOIN (SELECT d.product_id, SUM(d.revenue) AS revenue,"
       "   CAST(SUM(d.quantity) AS SIGNED) AS quantity, CAST(SUM(d.orders) AS SIGNED) AS orders"
       "  FROM analysis_daily_sales d WHERE d.orders > 0 AND d.consume_date BETWEEN "
    << arg(from) << " AND " << arg(to)
    << "  GROUP BY d.product_id) cur ON cur.product_id = p.product_id"
       " LEFT JOIN (SELECT b.product_id, CAST(SUM(b.buyers) AS SIGNED) AS buyers,"
       "   CAST(SUM(b.repeat_buyers) AS SIGNED) AS repeat_buyers"
       "  FROM (SELECT x.product_id, COUNT(*) AS buyers,"
       "     SUM(x.prev_date >= "
    << arg(from)
    << ") AS repeat_buyers"
       "    FROM analysis_customer_product_facts x WHERE x.product_id IN "
    << in_products << " AND x.last_date BETWEEN " << arg(from) << " AND " << arg(to)
    << "    GROUP BY x.product_id"
       "   UNION ALL SELECT y.product_id, SUM(y.days >= 1), SUM(y.days >= 2)"
       "    FROM (SELECT x.product_id, (SELECT COUNT(DISTINCT r.consume_date)"
       "       FROM consumption_records r WHERE r.customer_id = x.customer_id"
       "       AND r.product_id = x.product_id AND r.consume_date BETWEEN "
    << arg(from) << " AND " << arg(to)
    << ") AS days"
       "     FROM analysis_customer_product_facts x WHERE x.product_id IN "
    << in_products << " AND x.last_date > " << arg(to) << " AND x.first_date <= " << arg(to)
    << ") y GROUP BY y.product_id) b"
       "  GROUP BY b.product_id) buy ON buy.product_id = p.product_id"
       " LEFT JOIN (SELECT d.product_id, SUM(d.revenue) AS revenue FROM analysis_daily_sales d"
       "   WHERE d.orders > 0 AND d.consume_date BETWEEN "
    << arg(prev_from) << " AND " << arg(prev_to)
    << "   GROUP BY d.product_id) prev ON prev.product_id = p.product_id"
       " LEFT JOIN (SELECT w.product_id, SUM(w.amount) AS write_off"
       "   FROM analysis_daily_write_offs w WHERE w.write_offs > 0 AND w.write_off_date BETWEEN "
    << arg(from) << " AND " << arg(to)
    << "   GROUP BY w.product_id) wo ON wo.product_id = p.product_id";
  return q;
}

// A consultant's customers only: the period grouped first per (product, customer) to count
// purchase days, then per product; the previous period and the write-offs apart.
Sql products_from_records(const Date& from, const Date& to, const Date& prev_from,
                          const Date& prev_to, const Scope& scope) {
  Sql q;
  q << " LEFT JOIN (SELECT x.product_id, SUM(x.revenue) AS revenue,"
       "   CAST(SUM(x.quantity) AS SIGNED) AS quantity, CAST(SUM(x.orders) AS SIGNED) AS orders,"
       "   COUNT(*) AS buyers, CAST(SUM(x.days >= 2) AS SIGNED) AS repeat_buyers"
       "  FROM (SELECT r.product_id, r.customer_id, SUM(r.amount) AS revenue,"
       "     SUM(r.quantity) AS quantity, COUNT(*) AS orders,"
       "     COUNT(DISTINCT r.consume_date) AS days"
       "    FROM consumption_records r WHERE r.consume_date BETWEEN "
    << arg(from) << " AND " << arg(to) << scope_on_customer_id(scope, "r.customer_id")
    << "    GROUP BY r.product_id, r.customer_id) x"
       "  GROUP BY x.product_id) cur ON cur.product_id = p.product_id"
       " LEFT JOIN (SELECT r.product_id, SUM(r.amount) AS revenue FROM consumption_records r"
       "   WHERE r.consume_date BETWEEN "
    << arg(prev_from) << " AND " << arg(prev_to) << scope_on_customer_id(scope, "r.customer_id")
    << "   GROUP BY r.product_id) prev ON prev.product_id = p.product_id"
       " LEFT JOIN (SELECT w.product_id, SUM(w.amount) AS write_off FROM write_off_records w"
       "   WHERE w.write_off_date BETWEEN "
    << arg(from) << " AND " << arg(to) << scope_on_customer_id(scope, "w.customer_id")
    << "   GROUP BY w.product_id) wo ON wo.product_id = p.product_id";
  return q;
}

std::vector<std::string> product_ids(db::Connection& conn) {
  std::vector<std::string> ids;
  for (const Row& r : run(conn, Sql("SELECT product_id FROM medical_products")).rows)
    ids.push_back(std::get<Text>(r[0]));
  if (ids.empty()) ids.emplace_back();  // IN () is not SQL; no product matches ''
  return ids;
}

}  // namespace

Table query_products(db::Connection& conn, const Date& from, const Date& to, const Date& prev_from,
                     const Date& prev_to, const Scope& scope) {
  const bool scoped = scope.consultant_id.has_value();
  Sql q;
  q << "SELECT p.product_id, p.product_name, p.department, p.product_type,"
       " COALESCE(cur.revenue, 0.00) AS revenue, COALESCE(cur.quantity, 0) AS quantity,"
       " COALESCE(cur.orders, 0) AS orders, COALESCE("
    << (scoped ? "cur" : "buy") << ".buyers, 0) AS buyers, COALESCE(" << (scoped ? "cur" : "buy")
    << ".repeat_buyers, 0) AS repeat_buyers,"
       " COALESCE(wo.write_off, 0.00) AS write_off,"
       " COALESCE(prev.revenue, 0.00) AS previous_revenue"
       " FROM medical_products p"
    << (scoped ? products_from_records(from, to, prev_from, prev_to, scope)
               : products_from_summaries(from, to, prev_from, prev_to, product_ids(conn)))
    << " WHERE cur.product_id IS NOT NULL OR prev.product_id IS NOT NULL"
       "  OR wo.product_id IS NOT NULL"
       " ORDER BY revenue DESC, p.product_id";
  Table t = run(conn, q);
  set_labels(t, {{"product_id", "品项编号"},
                 {"product_name", "品项"},
                 {"department", "科室"},
                 {"product_type", "品项类型"},
                 {"revenue", "业绩", ColumnUnit::Yuan},
                 {"quantity", "数量", ColumnUnit::Count},
                 {"orders", "订单数", ColumnUnit::Count},
                 {"buyers", "购买人数", ColumnUnit::Count},
                 {"repeat_buyers", "复购人数", ColumnUnit::Count},
                 {"write_off", "划扣金额", ColumnUnit::Yuan},
                 {"previous_revenue", "上期业绩", ColumnUnit::Yuan}});
  const int buyers = t.column_index("buyers");
  const int repeat = t.column_index("repeat_buyers");
  const int revenue = t.column_index("revenue");
  const int previous = t.column_index("previous_revenue");
  add_column(t, Column{"repeat_rate", "复购率", ColumnType::Real, ColumnUnit::Percent},
             [&](const Row& row) {
               return share(std::get<std::int64_t>(row[repeat]),
                            std::get<std::int64_t>(row[buyers]));
             });
  add_column(t, Column{"change_ratio", "环比", ColumnType::Real, ColumnUnit::Percent},
             [&](const Row& row) {
               return change_ratio(std::get<Decimal>(row[revenue]),
                                   std::get<Decimal>(row[previous]));
             });
  return t;
}

AnalysisResult product_performance(db::Connection& conn, const ResolvedRequest& req) {
  AnalysisResult r;
  r.to = req.to.value_or(req.as_of);
  r.from = req.from.value_or(add_days(req.as_of, -89));
  const auto [prev_from, prev_to] = previous_period(*r.from, *r.to);
  r.previous_from = prev_from;
  r.previous_to = prev_to;
  r.table = query_products(conn, *r.from, *r.to, prev_from, prev_to, req.scope);

  Decimal revenue, previous, write_off;
  std::int64_t selling = 0;
  for (const Row& row : r.table.rows) {
    const Decimal v = dec_at(r.table, row, "revenue");
    revenue += v;
    previous += dec_at(r.table, row, "previous_revenue");
    write_off += dec_at(r.table, row, "write_off");
    if (!v.is_zero()) ++selling;
  }
  r.summary = {item("product_count", "有业绩品项数", selling, ColumnUnit::Count),
               item("revenue", "业绩", revenue, ColumnUnit::Yuan),
               item("previous_revenue", "上期业绩", previous, ColumnUnit::Yuan),
               item("change_ratio", "环比", change_ratio(revenue, previous), ColumnUnit::Percent),
               item("write_off", "划扣金额", write_off, ColumnUnit::Yuan)};
  Table top;
  top.columns = r.table.columns;
  for (std::size_t i = 0; i < r.table.rows.size() && i < 10; ++i)
    top.rows.push_back(r.table.rows[i]);
  r.chart = ChartSuggestion{render::ChartKind::Bar, "品项业绩 Top 10", "product_name", {"revenue"},
                            std::move(top),         ColumnUnit::Yuan};

  r.narrative_zh = period_zh(*r.from, *r.to) + " 共有 " + std::to_string(selling) +
                   " 个品项产生业绩，合计 " + yuan(revenue) + "（上期 " + yuan(previous) +
                   "，环比 " + percent(change_ratio(revenue, previous)) + "）。";
  if (selling > 0) {
    std::string names;
    Decimal top3;
    for (std::size_t i = 0; i < r.table.rows.size() && i < 3; ++i) {
      const Row& row = r.table.rows[i];
      if (dec_at(r.table, row, "revenue").is_zero()) break;
      names += (names.empty() ? "" : "、") + str_at(r.table, row, "product_name") + "（" +
               yuan(dec_at(r.table, row, "revenue")) + "）";
      top3 += dec_at(r.table, row, "revenue");
    }
    r.narrative_zh += "业绩前列：" + names + "，合计占 " + percent(share(top3, revenue)) + "。";
    const Row* best = nullptr;
    for (const Row& row : r.table.rows)
      if (int_at(r.table, row, "buyers") >= 5 &&
          (!best || real_at(r.table, row, "repeat_rate") > real_at(r.table, *best, "repeat_rate")))
        best = &row;
    if (best)
      r.narrative_zh += "购买人数不少于 5 人的品项中，复购率最高的是 " +
                        str_at(r.table, *best, "product_name") + "（" +
                        percent(real_at(r.table, *best, "repeat_rate")) + "）。";
  }
  return r;
}

}  // namespace yimei::analysis::detail
