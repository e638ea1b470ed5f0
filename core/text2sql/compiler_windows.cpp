// The compiler's frames over time: two-window comparisons (scalar, per group, growth ranking),
// 二开率 (new-customer repurchase within a window) and inactive customers.
#include "core/text2sql/compiler_frames.hpp"

#include <algorithm>

namespace yimei::text2sql::detail {

Outcome<CompiledQuery> compile_compare(const QuerySpec& spec) {
  if (!spec.time || !spec.compare_time) return bad_input("比较需要两个时间段。");
  if (spec.measures.empty()) return bad_input("没有识别出要比较的指标。");
  const MeasureDef* m = find_measure(spec.measures.front());
  if (!m) return bad_input("未知的指标：" + spec.measures.front());
  if (!spec.dimensions.empty()) return compile_grouped_compare(spec, *m);
  auto a1 = scalar_subquery(*m, spec, *spec.time);
  if (!a1) return a1.error();
  auto b1 = scalar_subquery(*m, spec, *spec.compare_time);
  if (!b1) return b1.error();
  CompiledQuery out;
  Sql sql;
  const std::string base = measure_label(*m, spec.filters);
  if (spec.compare_mode == "ratio") {
    auto b2 = scalar_subquery(*m, spec, *spec.compare_time);
    const std::string label = base + "增长率";
    sql << "SELECT (" << *a1 << " - " << *b1 << ") / " << *b2 << " AS " << quote_label(label);
    out.columns.push_back({label, ColumnUnit::Percent, false});
  } else {
    const std::string label = base + "差额";
    sql << "SELECT " << *a1 << " - " << *b1 << " AS " << quote_label(label);
    out.columns.push_back({label, m->unit, false});
  }
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

Outcome<CompiledQuery> compile_growth_rank(const QuerySpec& spec) {
  if (!spec.time || !spec.compare_time) return bad_input("比较需要两个时间段。");
  const MeasureDef* m = find_measure(spec.measures.empty() ? "revenue" : spec.measures.front());
  if (!m) return bad_input("未知的指标。");
  Joins j{m->source, ""};
  const std::string dcol = date_column(spec, m->source);
  if (dcol.empty()) return bad_input("这个指标没有日期，不能比较两个时间段。");
  auto ds = dimension_sql(spec.subject, j, dcol);
  if (!ds) return ds.error();
  auto where = filters_sql(spec.filters, j);
  if (!where) return where.error();
  Sql in_a = between(dcol, *spec.time);
  Sql in_b = between(dcol, *spec.compare_time);
  const std::string ma = measure_sql_when(*m, in_a.text);
  const std::string mb = measure_sql_when(*m, in_b.text);
  if (ma.empty()) return bad_input("这个指标不支持两期比较排名。");
  // The conditional measures repeat the window placeholders: count them to bind in order.
  auto count_q = [](const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '?'));
  };
  CompiledQuery out;
  Sql sql;
  sql << "SELECT " << ds->select << " AS " << quote_label(ds->label) << " FROM "
      << source_table(m->source) << " " << source_alias(m->source) << j.sql() << " WHERE ";
  if (!where->text.empty()) sql << *where << " AND ";
  sql << "(" << in_a << " OR " << in_b << ")";
  sql << " GROUP BY " << ds->group << " ORDER BY ";
  auto append_measure = [&](const std::string& text, const Sql& window) {
    sql << text;
    const std::size_t reps = count_q(text) / 2;
    for (std::size_t r = 0; r < reps; ++r)
      sql.params.insert(sql.params.end(), window.params.begin(), window.params.end());
  };
  if (spec.compare_mode == "ratio") {
    sql << "(";
    append_measure(ma, in_a);
    sql << " - ";
    append_measure(mb, in_b);
    sql << ") / NULLIF(";
    append_measure(mb, in_b);
    sql << ", 0)";
  } else {
    append_measure(ma, in_a);
    sql << " - ";
    append_measure(mb, in_b);
  }
  sql << (spec.order_desc ? " DESC" : " ASC");
  if (spec.limit > 0) sql << " LIMIT " << std::to_string(spec.limit);
  out.columns.push_back({ds->label, ColumnUnit::None, false});
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

// 各科室业绩同比: per group, the measure in window A minus (or over) window B.
Outcome<CompiledQuery> compile_grouped_compare(const QuerySpec& spec, const MeasureDef& m) {
  Joins j{m.source, ""};
  const std::string dcol = date_column(spec, m.source);
  if (dcol.empty()) return bad_input("这个指标没有日期，不能比较两个时间段。");
  std::vector<DimSql> dims;
  for (const auto& d : spec.dimensions) {
    auto ds = dimension_sql(d, j, dcol);
    if (!ds) return ds.error();
    if (ds->time) return bad_input("两期比较不能再按时间分组。");
    dims.push_back(*ds);
  }
  auto where = filters_sql(spec.filters, j);
  if (!where) return where.error();
  Sql in_a = between(dcol, *spec.time);
  Sql in_b = between(dcol, *spec.compare_time);
  const std::string ma = measure_sql_when(m, in_a.text);
  const std::string mb = measure_sql_when(m, in_b.text);
  if (ma.empty()) return bad_input("这个指标不支持两期比较。");
  auto append = [](Sql& sql, const std::string& text, const Sql& window) {
    sql << text;
    const std::size_t reps =
        static_cast<std::size_t>(std::count(text.begin(), text.end(), '?')) / 2;
    for (std::size_t r = 0; r < reps; ++r)
      sql.params.insert(sql.params.end(), window.params.begin(), window.params.end());
  };
  CompiledQuery out;
  Sql sql;
  sql << "SELECT ";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    sql << (i ? ", " : "") << dims[i].select << " AS " << quote_label(dims[i].label);
    out.columns.push_back({dims[i].label, ColumnUnit::None, false});
  }
  const std::string base = measure_label(m, spec.filters);
  sql << ", ";
  if (spec.compare_mode == "ratio") {
    sql << "(";
    append(sql, ma, in_a);
    sql << " - ";
    append(sql, mb, in_b);
    sql << ") / NULLIF(";
    append(sql, mb, in_b);
    sql << ", 0) AS " << quote_label(base + "增长率");
    out.columns.push_back({base + "增长率", ColumnUnit::Percent, false});
  } else {
    append(sql, ma, in_a);
    sql << " - ";
    append(sql, mb, in_b);
    sql << " AS " << quote_label(base + "差额");
    out.columns.push_back({base + "差额", m.unit, false});
  }
  sql << " FROM " << source_table(m.source) << " " << source_alias(m.source) << j.sql()
      << " WHERE ";
  if (!where->text.empty()) sql << *where << " AND ";
  sql << "(" << in_a << " OR " << in_b << ") GROUP BY ";
  for (std::size_t i = 0; i < dims.size(); ++i) sql << (i ? ", " : "") << dims[i].group;
  sql << " ORDER BY " << std::to_string(dims.size() + 1) << " DESC";
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

Outcome<CompiledQuery> compile_second_purchase(const QuerySpec& spec) {
  if (!spec.time) return bad_input("二开率需要新客的首购时间段。");
  const int window = spec.window_days > 0 ? spec.window_days : 90;
  const std::string w = std::to_string(window);
  std::string dim = spec.dimensions.empty() ? "" : spec.dimensions.front();
  CompiledQuery out;
  // Written with joins rather than a correlated EXISTS on the derived table: MariaDB 10.11
  // fails to re-execute such a prepared statement ("Unknown column f.customer_id").
  Sql inner;
  inner << "SELECT f.customer_id, f.F, MAX(CASE WHEN r.consume_date > f.F AND r.consume_date <= "
           "DATE_ADD(f.F, INTERVAL "
        << w << " DAY) THEN 1 ELSE 0 END) AS rep";
  if (dim == "consultant" || dim == "department") {
    const std::string col = dim == "consultant" ? "consultant_id" : "department";
    inner << ", MAX(r0." << col << ") AS k";
  }
  inner << " FROM (SELECT customer_id, MIN(consume_date) AS F FROM consumption_records GROUP BY "
           "customer_id) f JOIN consumption_records r ON r.customer_id = f.customer_id";
  if (dim == "consultant" || dim == "department") {
    // The first record of the first day (lowest record_id) names the consultant/department.
    inner << " JOIN (SELECT customer_id, consume_date, MIN(record_id) AS rid FROM "
             "consumption_records GROUP BY customer_id, consume_date) fr ON fr.customer_id = "
             "f.customer_id AND fr.consume_date = f.F JOIN consumption_records r0 ON r0.record_id "
             "= fr.rid";
  }
  inner << " WHERE " << between("f.F", *spec.time) << " GROUP BY f.customer_id, f.F";
  Sql sql;
  const std::string label = "二开率";
  if (dim.empty()) {
    sql << "SELECT SUM(t.rep) / COUNT(*) AS " << quote_label(label) << " FROM (" << inner << ") t";
  } else if (dim == "month") {
    sql << "SELECT DATE_FORMAT(t.F, '%Y-%m') AS " << quote_label("月份")
        << ", SUM(t.rep) / COUNT(*) AS " << quote_label(label) << " FROM (" << inner
        << ") t GROUP BY 1 ORDER BY 1";
    out.columns.push_back({"月份", ColumnUnit::None, false});
  } else if (dim == "consultant") {
    sql << "SELECT s.name AS " << quote_label("咨询师") << ", SUM(t.rep) / COUNT(*) AS "
        << quote_label(label) << " FROM (" << inner
        << ") t JOIN consultants s ON s.consultant_id = t.k GROUP BY s.consultant_id, s.name "
           "ORDER BY 2 DESC";
    out.columns.push_back({"咨询师", ColumnUnit::None, false});
  } else if (dim == "department") {
    sql << "SELECT t.k AS " << quote_label("科室") << ", SUM(t.rep) / COUNT(*) AS "
        << quote_label(label) << " FROM (" << inner << ") t GROUP BY t.k ORDER BY 2 DESC";
    out.columns.push_back({"科室", ColumnUnit::None, false});
  } else {
    return bad_input("二开率不支持按这个维度拆分。");
  }
  out.columns.push_back({label, ColumnUnit::Percent, false});
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

Outcome<CompiledQuery> compile_inactive(const QuerySpec& spec, const Date& as_of) {
  const int days = spec.window_days > 0 ? spec.window_days : 180;
  Sql sql;
  sql << "WITH lc AS (SELECT customer_id, MAX(consume_date) AS d FROM consumption_records WHERE "
         "consume_date <= ";
  sql.bind(as_of);
  sql << " GROUP BY customer_id), lw AS (SELECT customer_id, MAX(write_off_date) AS d FROM "
         "write_off_records WHERE write_off_date <= ";
  sql.bind(as_of);
  sql << " GROUP BY customer_id), la AS (SELECT c.customer_id, c.name, c.membership_level, "
         "c.consultant_id, c.health_tags, COALESCE(NULLIF(GREATEST(COALESCE(lc.d, DATE "
         "'1000-01-01'), COALESCE(lw.d, DATE '1000-01-01'), COALESCE(CASE WHEN c.last_visit_date "
         "<= ";
  sql.bind(as_of);
  sql << " THEN c.last_visit_date END, DATE '1000-01-01')), DATE '1000-01-01'), "
         "c.register_date) AS last_activity FROM customers c LEFT JOIN lc ON lc.customer_id = "
         "c.customer_id LEFT JOIN lw ON lw.customer_id = c.customer_id WHERE c.register_date <= ";
  sql.bind(as_of);
  sql << ") SELECT ";
  CompiledQuery out;
  if (spec.output == "count") {
    sql << "COUNT(*) AS " << quote_label("不活跃顾客数");
    out.columns.push_back({"不活跃顾客数", ColumnUnit::Count, false});
  } else {
    sql << "la.name AS " << quote_label("顾客");
    out.columns.push_back({"顾客", ColumnUnit::None, false});
  }
  sql << " FROM la WHERE DATEDIFF(";
  sql.bind(as_of);
  sql << ", la.last_activity) >= " << std::to_string(days);
  for (const auto& f : spec.filters) {
    const bool neg = f.op == "!=";
    sql << " AND ";
    if (f.field == "membership_level" || f.field == "customer") {
      const std::string col = f.field == "customer" ? "la.name" : "la.membership_level";
      sql << col << (neg ? " NOT IN (" : " IN (");
      for (std::size_t i = 0; i < f.values.size(); ++i) {
        if (i) sql << ", ";
        sql.bind(f.values[i]);
      }
      sql << ")";
    } else if (f.field == "customer_consultant" || f.field == "consultant") {
      sql << "la.consultant_id" << (neg ? " NOT IN" : " IN")
          << " (SELECT consultant_id FROM consultants WHERE name IN (";
      for (std::size_t i = 0; i < f.values.size(); ++i) {
        if (i) sql << ", ";
        sql.bind(f.values[i]);
      }
      sql << "))";
    } else if (f.field == "health_tag") {
      sql << (neg ? "NOT " : "") << "FIND_IN_SET(";
      sql.bind(f.values.front());
      sql << ", COALESCE(la.health_tags, '')) > 0";
    } else if (f.field == "customer_id") {
      sql << "la.customer_id = ";
      sql.bind(f.values.front());
    } else {
      return bad_input("不活跃顾客不支持按“" + field_label(f.field) + "”筛选。");
    }
  }
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

}  // namespace yimei::text2sql::detail
