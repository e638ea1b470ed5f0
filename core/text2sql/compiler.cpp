// The compiler: one function per frame over the shared parts (compiler_parts.hpp); the two-window
// frames, 二开率 and inactive customers live in compiler_windows.cpp.
#include "core/text2sql/compiler.hpp"

#include <algorithm>
#include <set>

#include "core/text2sql/compiler_frames.hpp"

namespace yimei::text2sql {

namespace detail {

// 业绩和划扣金额: measures of different tables as one row of scalar subqueries.
Outcome<CompiledQuery> compile_side_by_side(const QuerySpec& spec,
                                            const std::vector<const MeasureDef*>& ms) {
  if (!spec.dimensions.empty()) return bad_input("这些指标来自不同的数据，分组时请分开提问。");
  CompiledQuery out;
  Sql sql;
  sql << "SELECT ";
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const MeasureDef& m = *ms[i];
    QuerySpec one = spec;
    // Filters a table does not have are left to the measures that have them (新客 is a
    // consumption notion).
    std::erase_if(one.filters, [&](const Filter& f) {
      Joins probe{m.source, ""};
      return field_expr(f.field, probe).empty() ||
             (f.field == "is_new" && m.source != Source::Consume);
    });
    Sql sub;
    const bool dated = m.source == Source::Consume || m.source == Source::WriteOff;
    if (spec.time && dated) {
      auto s = scalar_subquery(m, one, *spec.time);
      if (!s) return s.error();
      sub = *s;
    } else {
      Joins j{m.source, ""};
      auto where = filters_sql(one.filters, j);
      if (!where) return where.error();
      sub << "(SELECT " << measure_sql(m) << " FROM " << source_table(m.source) << " "
          << source_alias(m.source) << j.sql();
      if (!where->text.empty()) sub << " WHERE " << *where;
      sub << ")";
    }
    const std::string label = measure_label(m, one.filters);
    sql << (i ? ", " : "") << sub << " AS " << quote_label(label);
    out.columns.push_back(money_or_count(m, label));
  }
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

Outcome<CompiledQuery> compile_aggregate(const QuerySpec& spec) {
  if (spec.measures.empty()) return bad_input("没有识别出要统计的指标。");
  std::vector<const MeasureDef*> ms;
  bool mixed = false;
  for (const auto& id : spec.measures) {
    const MeasureDef* m = find_measure(id);
    if (!m) return bad_input("未知的指标：" + id);
    if (!ms.empty() && m->source != ms.front()->source) mixed = true;
    ms.push_back(m);
  }
  if (mixed) return compile_side_by_side(spec, ms);
  const Source src = ms.front()->source;
  Joins j{src, ""};
  CompiledQuery out;
  std::vector<DimSql> dims;
  const std::string dcol = date_column(spec, src);
  for (const auto& d : spec.dimensions) {
    auto ds = dimension_sql(d, j, dcol);
    if (!ds) return ds.error();
    dims.push_back(*ds);
  }
  auto where = filters_sql(spec.filters, j);
  if (!where) return where.error();
  Sql cond = *where;
  if (spec.time) {
    if (dcol.empty()) return bad_input("这类数据没有日期，不能按时间筛选。");
    if (dcol == "c.register_date") j.need_c();
    if (!cond.text.empty()) cond << " AND ";
    cond << between(dcol, *spec.time);
  }
  for (const auto* m : ms) {
    if (m->id == "balance_customers") {
      if (!cond.text.empty()) cond << " AND ";
      cond << "b.total_amount > b.spent_amount";
    }
  }
  Sql sql;
  sql << "SELECT ";
  bool firstcol = true;
  for (const auto& d : dims) {
    sql << (firstcol ? "" : ", ") << d.select << " AS " << quote_label(d.label);
    out.columns.push_back({d.label, ColumnUnit::None, false});
    firstcol = false;
  }
  for (const auto* m : ms) {
    const std::string label = measure_label(*m, spec.filters);
    if (spec.output == "share") {
      // Each group's share of the total under the same filters and window.
      if (m->agg != "SUM" && m->agg != "COUNT" && m->agg != "COUNT_DISTINCT")
        return bad_input("“" + label + "”不能计算占比。");
      Joins tj{src, ""};
      auto twhere = filters_sql(spec.filters, tj);
      if (!twhere) return twhere.error();
      Sql total;
      total << "(SELECT " << measure_sql(*m) << " FROM " << source_table(src) << " "
            << source_alias(src);
      Sql tcond = *twhere;
      if (spec.time) {
        if (!tcond.text.empty()) tcond << " AND ";
        tcond << between(dcol, *spec.time);
      }
      if (dcol == "c.register_date") tj.need_c();
      total << tj.sql();
      if (!tcond.text.empty()) total << " WHERE " << tcond;
      total << ")";
      const std::string share_label = label + "占比";
      sql << (firstcol ? "" : ", ") << measure_sql(*m) << " / " << total << " AS "
          << quote_label(share_label);
      out.columns.push_back({share_label, ColumnUnit::Percent, false});
      firstcol = false;
      continue;
    }
    sql << (firstcol ? "" : ", ") << measure_sql(*m) << " AS " << quote_label(label);
    out.columns.push_back(money_or_count(*m, label));
    firstcol = false;
  }
  sql << " FROM " << source_table(src) << " " << source_alias(src) << j.sql();
  if (!cond.text.empty()) sql << " WHERE " << cond;
  if (!dims.empty()) {
    sql << " GROUP BY ";
    for (std::size_t i = 0; i < dims.size(); ++i) sql << (i ? ", " : "") << dims[i].group;
    bool time_dim = false;
    for (const auto& d : dims) time_dim = time_dim || d.time;
    if (time_dim && spec.order_by.empty()) {
      sql << " ORDER BY 1";
    } else {
      sql << " ORDER BY " << std::to_string(dims.size() + 1) << (spec.order_desc ? " DESC" : "");
    }
    if (spec.limit > 0) sql << " LIMIT " << std::to_string(spec.limit);
  }
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

Outcome<CompiledQuery> compile_top(const QuerySpec& spec) {
  if (spec.measures.empty()) return bad_input("没有识别出排名依据的指标。");
  const MeasureDef* m = find_measure(spec.order_by.empty() ? spec.measures.front() : spec.order_by);
  if (!m) m = find_measure(spec.measures.front());
  if (!m) return bad_input("未知的指标。");
  const Source src = m->source;
  Joins j{src, ""};
  const std::string dcol = date_column(spec, src);
  auto ds = dimension_sql(spec.subject, j, dcol);
  if (!ds) return ds.error();
  auto where = filters_sql(spec.filters, j);
  if (!where) return where.error();
  Sql cond = *where;
  if (spec.time) {
    if (dcol.empty()) return bad_input("这类数据没有日期，不能按时间筛选。");
    if (!cond.text.empty()) cond << " AND ";
    cond << between(dcol, *spec.time);
  }
  if (m->id == "balance_customers") {
    if (!cond.text.empty()) cond << " AND ";
    cond << "b.total_amount > b.spent_amount";
  }
  CompiledQuery out;
  Sql sql;
  sql << "SELECT " << ds->select << " AS " << quote_label(ds->label);
  out.columns.push_back({ds->label, ColumnUnit::None, false});
  sql << " FROM " << source_table(src) << " " << source_alias(src) << j.sql();
  if (!cond.text.empty()) sql << " WHERE " << cond;
  sql << " GROUP BY " << ds->group << " ORDER BY " << measure_sql(*m)
      << (spec.order_desc ? " DESC" : " ASC");
  if (spec.limit > 0) sql << " LIMIT " << std::to_string(spec.limit);
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

std::string attribute_expr(const std::string& subject, const std::string& attr, bool& join_s,
                           OutputColumn& col) {
  col.label = field_label(attr);
  if (subject == "customer") {
    if (attr == "register_date") return "c.register_date";
    if (attr == "membership_level") return "c.membership_level";
    if (attr == "health_tag") return "c.health_tags";
    if (attr == "phone") {
      col.is_phone = true;
      return "c.phone";
    }
    if (attr == "last_visit_date") return "c.last_visit_date";
    if (attr == "customer_id") return "c.customer_id";
    if (attr == "customer_name") {
      col.label = "顾客姓名";
      return "c.name";
    }
    if (attr == "consultant") {
      join_s = true;
      col.label = "专属咨询师";
      return "ls.name";
    }
  }
  if (subject == "consultant") {
    if (attr == "department") return "s.department";
    if (attr == "consultant_id") return "s.consultant_id";
    if (attr == "consultant_name") {
      col.label = "咨询师姓名";
      return "s.name";
    }
  }
  if (subject == "product") {
    if (attr == "standard_price") {
      col.unit = ColumnUnit::Yuan;
      return "p.standard_price";
    }
    if (attr == "product_type") return "p.product_type";
    if (attr == "department") return "p.department";
    if (attr == "product_id") return "p.product_id";
    if (attr == "product_name") {
      col.label = "品项名称";
      return "p.product_name";
    }
  }
  return "";
}

Outcome<CompiledQuery> compile_list(const QuerySpec& spec, bool lookup) {
  const std::string table = subject_table(spec.subject);
  if (table.empty()) return bad_input("不支持列出这类对象：" + spec.subject);
  Joins j{subject_source(spec.subject), ""};
  CompiledQuery out;
  Sql sql;
  sql << "SELECT ";
  bool join_s = false;
  std::vector<std::string> cols;
  if (!lookup) {
    cols.push_back(subject_name(spec.subject) + " AS " + quote_label(subject_label(spec.subject)));
    out.columns.push_back({subject_label(spec.subject), ColumnUnit::None, false});
  }
  for (const auto& a : spec.attributes) {
    OutputColumn col;
    const std::string expr = attribute_expr(spec.subject, a, join_s, col);
    if (expr.empty()) return bad_input("没有这项信息：" + field_label(a));
    cols.push_back(expr + " AS " + quote_label(col.label));
    out.columns.push_back(col);
  }
  if (cols.empty()) return bad_input("没有识别出要查询的信息。");
  for (std::size_t i = 0; i < cols.size(); ++i) sql << (i ? ", " : "") << cols[i];
  auto where = filters_sql(spec.filters, j);
  if (!where) return where.error();
  Sql cond = *where;
  if (spec.time && spec.subject == "customer") {
    if (!cond.text.empty()) cond << " AND ";
    cond << between(spec.time_field == "last_visit_date" ? "c.last_visit_date" : "c.register_date",
                    *spec.time);
  }
  sql << " FROM " << table << j.sql();
  if (join_s) sql << " LEFT JOIN consultants ls ON ls.consultant_id = c.consultant_id";
  if (!cond.text.empty()) sql << " WHERE " << cond;
  if (!spec.order_by.empty()) {
    OutputColumn col;
    const std::string expr = attribute_expr(spec.subject, spec.order_by, join_s, col);
    if (expr.empty()) return bad_input("不能按这项排序：" + spec.order_by);
    sql << " ORDER BY " << expr << (spec.order_desc ? " DESC" : " ASC");
  }
  if (spec.limit > 0) sql << " LIMIT " << std::to_string(spec.limit);
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

Outcome<Sql> condition_sql(const QuerySpec& spec, const Condition& c) {
  Source src;
  if (c.event == "consume" || c.event == "visit")
    src = Source::Consume;
  else if (c.event == "write_off")
    src = Source::WriteOff;
  else if (c.event == "balance")
    src = Source::Balance;
  else
    return bad_input("未知的事件：" + c.event);
  const std::string outer = std::string(source_alias(subject_source(spec.subject)));
  Joins j{src, outer};
  const std::string a(source_alias(src));
  std::string key;
  if (spec.subject == "customer")
    key = a + ".customer_id = c.customer_id";
  else if (spec.subject == "product")
    key = a + ".product_id = p.product_id";
  else if (spec.subject == "consultant" && src != Source::Balance)
    key = a + ".consultant_id = s.consultant_id";
  else
    return bad_input("不支持这种条件组合。");
  auto fs = filters_sql(c.filters, j);
  if (!fs) return fs.error();
  Sql s;
  s << (c.negated ? "NOT EXISTS (SELECT 1 FROM " : "EXISTS (SELECT 1 FROM ") << source_table(src)
    << " " << a << j.sql() << " WHERE " << key;
  if (!fs->text.empty()) s << " AND " << *fs;
  if (src == Source::Balance) s << " AND b.total_amount > b.spent_amount";
  if (c.time) s << " AND " << between(std::string(source_date_column(src)), *c.time);
  s << ")";
  return s;
}

Outcome<CompiledQuery> compile_entity_set(const QuerySpec& spec) {
  const std::string table = subject_table(spec.subject);
  if (table.empty()) return bad_input("不支持这类对象：" + spec.subject);
  Joins j{subject_source(spec.subject), ""};
  auto where = filters_sql(spec.filters, j);
  if (!where) return where.error();
  Sql cond = *where;
  for (const auto& c : spec.conditions) {
    auto cs = condition_sql(spec, c);
    if (!cs) return cs.error();
    if (!cond.text.empty()) cond << " AND ";
    cond << *cs;
  }
  CompiledQuery out;
  Sql sql;
  if (spec.output == "count") {
    sql << "SELECT COUNT(*) AS " << quote_label(count_label(spec.subject));
    out.columns.push_back({count_label(spec.subject), ColumnUnit::Count, false});
  } else {
    sql << "SELECT " << subject_name(spec.subject) << " AS "
        << quote_label(subject_label(spec.subject));
    out.columns.push_back({subject_label(spec.subject), ColumnUnit::None, false});
  }
  sql << " FROM " << table << j.sql();
  if (!cond.text.empty()) sql << " WHERE " << cond;
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

Outcome<CompiledQuery> compile_having(const QuerySpec& spec) {
  if (!spec.having) return bad_input("缺少阈值条件。");
  const Having& h = *spec.having;
  const Source src = h.metric == "balance" ? Source::Balance : Source::Consume;
  Joins j{src, ""};
  const std::string a(source_alias(src));
  std::string metric;
  if (h.metric == "visit_days")
    metric = "COUNT(DISTINCT r.consume_date)";
  else if (h.metric == "amount")
    metric = "SUM(r.amount)";
  else if (h.metric == "orders")
    metric = "COUNT(*)";
  else if (h.metric == "balance")
    metric = "SUM(b.total_amount - b.spent_amount)";
  else
    return bad_input("未知的阈值指标：" + h.metric);
  static const std::set<std::string> kOps = {"=", ">", ">=", "<", "<="};
  if (!kOps.count(h.op)) return bad_input("不支持的比较：" + h.op);
  auto threshold = Decimal::parse(h.value);
  if (!threshold) return bad_input("阈值不是数字：" + h.value);
  std::string key, name_expr, group;
  if (spec.subject == "customer") {
    key = a + ".customer_id";
    name_expr = "c.name";
    group = "c.customer_id, c.name";
  } else if (spec.subject == "consultant" && src == Source::Consume) {
    key = "r.consultant_id";
    name_expr = "s.name";
    group = "s.consultant_id, s.name";
  } else if (spec.subject == "product") {
    key = a + ".product_id";
    name_expr = "p.product_name";
    group = "p.product_id, p.product_name";
  } else {
    return bad_input("不支持这类对象的阈值统计：" + spec.subject);
  }
  auto where = filters_sql(spec.filters, j);
  if (!where) return where.error();
  Sql cond = *where;
  if (spec.time && src != Source::Balance) {
    if (!cond.text.empty()) cond << " AND ";
    cond << between(std::string(source_date_column(src)), *spec.time);
  }
  if (spec.subject == "consultant") {
    if (!cond.text.empty()) cond << " AND ";
    cond << "r.consultant_id IS NOT NULL";
  }
  CompiledQuery out;
  Sql sql;
  if (spec.output == "rate") {
    sql << "SELECT SUM(t.n >= ";
    sql.bind(*threshold);
    sql << ") / COUNT(*) AS " << quote_label("复购率") << " FROM (SELECT " << key << ", " << metric
        << " AS n FROM " << source_table(src) << " " << a << j.sql();
    if (!cond.text.empty()) sql << " WHERE " << cond;
    sql << " GROUP BY " << key << ") t";
    out.columns.push_back({"复购率", ColumnUnit::Percent, false});
  } else if (spec.output == "count") {
    sql << "SELECT COUNT(*) AS " << quote_label(count_label(spec.subject)) << " FROM (SELECT "
        << key << " FROM " << source_table(src) << " " << a << j.sql();
    if (!cond.text.empty()) sql << " WHERE " << cond;
    sql << " GROUP BY " << key << " HAVING " << metric << " " << h.op << " ";
    sql.bind(*threshold);
    sql << ") t";
    out.columns.push_back({count_label(spec.subject), ColumnUnit::Count, false});
  } else {
    if (spec.subject == "customer") j.need_c();
    if (spec.subject == "consultant") j.s = true;
    if (spec.subject == "product") j.need_p();
    sql << "SELECT " << name_expr << " AS " << quote_label(subject_label(spec.subject)) << " FROM "
        << source_table(src) << " " << a << j.sql();
    if (!cond.text.empty()) sql << " WHERE " << cond;
    sql << " GROUP BY " << group << " HAVING " << metric << " " << h.op << " ";
    sql.bind(*threshold);
    out.columns.push_back({subject_label(spec.subject), ColumnUnit::None, false});
  }
  out.sql = std::move(sql.text);
  out.params = std::move(sql.params);
  return out;
}

}  // namespace detail

Outcome<CompiledQuery> compile_query(const QuerySpec& spec, const Date& as_of) {
  if (spec.frame == "aggregate") return detail::compile_aggregate(spec);
  if (spec.frame == "top") return detail::compile_top(spec);
  if (spec.frame == "list") return detail::compile_list(spec, false);
  if (spec.frame == "lookup") return detail::compile_list(spec, true);
  if (spec.frame == "entity_set") return detail::compile_entity_set(spec);
  if (spec.frame == "having") return detail::compile_having(spec);
  if (spec.frame == "compare") return detail::compile_compare(spec);
  if (spec.frame == "growth_rank") return detail::compile_growth_rank(spec);
  if (spec.frame == "second_purchase") return detail::compile_second_purchase(spec);
  if (spec.frame == "inactive") return detail::compile_inactive(spec, as_of);
  return bad_input("未知的查询类型：" + spec.frame);
}

void label_columns(Table& table, const std::vector<OutputColumn>& columns) {
  for (std::size_t i = 0; i < table.columns.size() && i < columns.size(); ++i) {
    table.columns[i].label = columns[i].label;
    table.columns[i].unit = columns[i].unit;
    table.columns[i].is_phone = columns[i].is_phone;
  }
}

}  // namespace yimei::text2sql
