// The compiler: one function per frame, sharing field resolution (which alias and join a field
// needs from a given table) and filter rendering. SQL text and its parameters are appended
// together so the '?' order always matches.
#include "core/text2sql/compiler.hpp"

#include <algorithm>
#include <set>

#include "core/text2sql/semantic_model.hpp"

namespace yimei::text2sql {

namespace {

// SQL text with its parameters, appended in step.
struct Sql {
  std::string text;
  db::Params params;
  Sql& operator<<(std::string_view s) {
    text += s;
    return *this;
  }
  Sql& operator<<(const Sql& o) {
    text += o.text;
    params.insert(params.end(), o.params.begin(), o.params.end());
    return *this;
  }
  Sql& bind(Value v) {
    text += "?";
    params.push_back(std::move(v));
    return *this;
  }
};

std::string quote_label(const std::string& label) {
  std::string out = "`";
  for (char c : label) {
    if (c == '`')
      out += "``";
    else
      out += c;
  }
  return out + "`";
}

// Which joins a query over one table needs; `outer` names an entity alias provided by an
// enclosing query (correlated subqueries), which then needs no join.
struct Joins {
  Source src;
  std::string outer;  // "" | "c" | "p" | "s"
  bool p = false, c = false, s = false, cs = false;

  bool provides(char alias) const {
    const char own = source_alias(src)[0];
    return own == alias || (!outer.empty() && outer[0] == alias);
  }
  void need_p() {
    if (!provides('p')) p = true;
  }
  void need_c() {
    if (!provides('c')) c = true;
  }
  std::string sql() const {
    std::string out;
    const std::string a(source_alias(src));
    if (p) out += " JOIN medical_products p ON p.product_id = " + a + ".product_id";
    if (c) out += " JOIN customers c ON c.customer_id = " + a + ".customer_id";
    if (s) {
      if (src == Source::Consume || src == Source::WriteOff)
        out += " JOIN consultants s ON s.consultant_id = " + a + ".consultant_id";
      else
        out += " JOIN consultants s ON s.consultant_id = c.consultant_id";
    }
    if (cs) out += " JOIN consultants cs ON cs.consultant_id = c.consultant_id";
    return out;
  }
};

// The SQL expression of a field seen from `j.src`; empty when the table has no such field.
std::string field_expr(const std::string& field, Joins& j) {
  const Source src = j.src;
  const std::string a(source_alias(src));
  const bool event = src == Source::Consume || src == Source::WriteOff;
  if (field == "department") {
    if (event) return a + ".department";
    if (src == Source::Balance || src == Source::Product) {
      j.need_p();
      return "p.department";
    }
    if (src == Source::Consultant) return "s.department";
    return "";
  }
  if (field == "product" || field == "product_type" || field == "standard_price") {
    if (src == Source::Customer || src == Source::Consultant) return "";
    j.need_p();
    if (field == "product") return "p.product_name";
    if (field == "product_type") return "p.product_type";
    return "p.standard_price";
  }
  if (field == "product_id") {
    if (src == Source::Customer || src == Source::Consultant) return "";
    return (src == Source::Product ? std::string("p") : a) + ".product_id";
  }
  if (field == "consultant" || field == "consultant_id") {
    if (src == Source::Product) return "";
    if (src == Source::Consultant || (j.outer == "s")) {
      return field == "consultant" ? "s.name" : "s.consultant_id";
    }
    if (event) {
      if (field == "consultant_id") return a + ".consultant_id";
      j.s = true;
      return "s.name";
    }
    // Balances and customers: the customer's own consultant.
    if (src == Source::Balance) j.need_c();
    if (field == "consultant_id") return "c.consultant_id";
    j.s = true;
    return "s.name";
  }
  if (field == "customer_consultant") {
    if (src == Source::Product || src == Source::Consultant) return "";
    if (src == Source::Customer || j.outer == "c") {
      j.need_c();
      j.cs = true;
      return "cs.name";
    }
    j.need_c();
    j.cs = true;
    return "cs.name";
  }
  if (field == "customer" || field == "membership_level" || field == "health_tag") {
    if (src == Source::Product || src == Source::Consultant) return "";
    j.need_c();
    if (field == "customer") return "c.name";
    if (field == "membership_level") return "c.membership_level";
    return "c.health_tags";
  }
  if (field == "customer_id") {
    if (src == Source::Product || src == Source::Consultant) return "";
    return (src == Source::Customer ? std::string("c") : a) + ".customer_id";
  }
  if (field == "payment_method") return src == Source::Consume ? "r.payment_method" : "";
  if (field == "is_new") return src == Source::Consume ? "r.is_new_customer" : "";
  if (field == "amount") return event ? a + ".amount" : "";
  return "";
}

Outcome<Sql> filter_sql(const Filter& f, Joins& j) {
  const std::string expr = field_expr(f.field, j);
  if (expr.empty())
    return bad_input("无法按“" + field_label(f.field) + "”筛选这类数据，请换个问法。");
  if (f.values.empty()) return bad_input("筛选条件缺少取值：" + field_label(f.field));
  Sql s;
  const bool negate = f.op == "!=";
  if (f.field == "health_tag") {
    s << (negate ? "NOT (" : "(");
    for (std::size_t i = 0; i < f.values.size(); ++i) {
      if (i) s << " OR ";
      s << "FIND_IN_SET(";
      s.bind(f.values[i]);
      s << ", COALESCE(" << expr << ", '')) > 0";
    }
    s << ")";
    return s;
  }
  if (f.field == "is_new") {
    s << expr << (negate ? " <> " : " = ") << (f.values.front() == "0" ? "0" : "1");
    return s;
  }
  if (f.field == "standard_price" || f.field == "amount") {
    static const std::set<std::string> kOps = {"=", "!=", ">", ">=", "<", "<="};
    if (!kOps.count(f.op)) return bad_input("不支持的比较：" + f.op);
    auto d = Decimal::parse(f.values.front());
    if (!d) return bad_input("比较的数值不正确：" + f.values.front());
    s << expr << " " << (f.op == "!=" ? "<>" : f.op) << " ";
    s.bind(*d);
    return s;
  }
  if (f.op != "=" && f.op != "!=") return bad_input("不支持的比较：" + f.op);
  if (f.values.size() == 1) {
    s << expr << (negate ? " <> " : " = ");
    s.bind(f.values.front());
  } else {
    s << expr << (negate ? " NOT IN (" : " IN (");
    for (std::size_t i = 0; i < f.values.size(); ++i) {
      if (i) s << ", ";
      s.bind(f.values[i]);
    }
    s << ")";
  }
  return s;
}

// " AND "-joined conditions; UserError on the first bad filter.
Outcome<Sql> filters_sql(const std::vector<Filter>& fs, Joins& j) {
  Sql out;
  for (const auto& f : fs) {
    auto one = filter_sql(f, j);
    if (!one) return one.error();
    if (!out.text.empty()) out << " AND ";
    out << *one;
  }
  return out;
}

Sql between(const std::string& col, const Period& p) {
  Sql s;
  s << col << " BETWEEN ";
  s.bind(p.from);
  s << " AND ";
  s.bind(p.to);
  return s;
}

std::string measure_label(const MeasureDef& m, const std::vector<Filter>& fs) {
  for (const auto& f : fs) {
    if (f.field == "is_new" && f.op == "=") {
      const bool is_new = f.values.front() != "0";
      const std::string who = is_new ? "新客" : "老客";
      if (m.id == "buyers") return who + "数";
      if (m.id == "revenue") return who + "业绩";
      return who + std::string(m.label);
    }
  }
  return std::string(m.label);
}

// The date column of a spec's time window.
std::string date_column(const QuerySpec& spec, Source src) {
  if (spec.time_field == "register_date") return "c.register_date";
  if (spec.time_field == "expiration_date") return "b.expiration_date";
  return std::string(source_date_column(src));
}

struct DimSql {
  std::string select, group, label;
  bool time = false;
};

Outcome<DimSql> dimension_sql(const std::string& dim, Joins& j, const std::string& date_col) {
  const DimensionDef* d = find_dimension(dim);
  if (!d) return bad_input("未知的分组维度：" + dim);
  DimSql out{"", "", std::string(d->label), d->is_time};
  if (d->is_time) {
    if (date_col.empty()) return bad_input("这类数据不能按时间分组。");
    if (dim == "day") out.select = date_col;
    if (dim == "week")
      out.select = "DATE_SUB(" + date_col + ", INTERVAL WEEKDAY(" + date_col + ") DAY)";
    if (dim == "month") out.select = "DATE_FORMAT(" + date_col + ", '%Y-%m')";
    if (dim == "quarter")
      out.select = "CONCAT(YEAR(" + date_col + "), '-Q', QUARTER(" + date_col + "))";
    if (dim == "year") out.select = "YEAR(" + date_col + ")";
    out.group = out.select;
    return out;
  }
  if (dim == "is_new") {
    if (j.src != Source::Consume) return bad_input("只有消费记录能区分新老客。");
    out.select = "CASE WHEN r.is_new_customer = 1 THEN '新客' ELSE '老客' END";
    out.group = out.select;
    return out;
  }
  const std::string expr = field_expr(dim, j);
  if (expr.empty()) return bad_input("这类数据不能按“" + out.label + "”分组。");
  out.select = expr;
  out.group = expr;
  if (dim == "consultant") out.group = (expr == "s.name" ? "s.consultant_id, s.name" : expr);
  if (dim == "product") out.group = "p.product_id, p.product_name";
  if (dim == "customer") out.group = "c.customer_id, c.name";
  return out;
}

std::string subject_table(const std::string& subject) {
  if (subject == "customer") return "customers c";
  if (subject == "consultant") return "consultants s";
  if (subject == "product") return "medical_products p";
  return "";
}
std::string subject_name(const std::string& subject) {
  if (subject == "customer") return "c.name";
  if (subject == "consultant") return "s.name";
  if (subject == "product") return "p.product_name";
  return "";
}
std::string subject_label(const std::string& subject) {
  if (subject == "customer") return "顾客";
  if (subject == "consultant") return "咨询师";
  if (subject == "product") return "品项";
  return field_label(subject);
}
Source subject_source(const std::string& subject) {
  if (subject == "customer") return Source::Customer;
  if (subject == "consultant") return Source::Consultant;
  return Source::Product;
}
std::string count_label(const std::string& subject) {
  if (subject == "customer") return "顾客数";
  if (subject == "consultant") return "咨询师人数";
  if (subject == "product") return "品项数";
  return "数量";
}

OutputColumn money_or_count(const MeasureDef& m, const std::string& label) {
  return {label, m.unit, false};
}

// ---- frames --------------------------------------------------------------------------------

Outcome<Sql> scalar_subquery(const MeasureDef& m, const QuerySpec& spec, const Period& p);

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

Outcome<Sql> scalar_subquery(const MeasureDef& m, const QuerySpec& spec, const Period& p) {
  Joins j{m.source, ""};
  auto where = filters_sql(spec.filters, j);
  if (!where) return where.error();
  const std::string dcol = date_column(spec, m.source);
  if (dcol.empty()) return bad_input("这个指标没有日期，不能比较两个时间段。");
  Sql s;
  s << "(SELECT " << measure_sql(m) << " FROM " << source_table(m.source) << " "
    << source_alias(m.source) << j.sql() << " WHERE ";
  if (!where->text.empty()) s << *where << " AND ";
  s << between(dcol, p) << ")";
  return s;
}

Outcome<CompiledQuery> compile_compare(const QuerySpec& spec) {
  if (!spec.time || !spec.compare_time) return bad_input("比较需要两个时间段。");
  if (spec.measures.empty()) return bad_input("没有识别出要比较的指标。");
  const MeasureDef* m = find_measure(spec.measures.front());
  if (!m) return bad_input("未知的指标：" + spec.measures.front());
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

}  // namespace

Outcome<CompiledQuery> compile_query(const QuerySpec& spec, const Date& as_of) {
  if (spec.frame == "aggregate") return compile_aggregate(spec);
  if (spec.frame == "top") return compile_top(spec);
  if (spec.frame == "list") return compile_list(spec, false);
  if (spec.frame == "lookup") return compile_list(spec, true);
  if (spec.frame == "entity_set") return compile_entity_set(spec);
  if (spec.frame == "having") return compile_having(spec);
  if (spec.frame == "compare") return compile_compare(spec);
  if (spec.frame == "growth_rank") return compile_growth_rank(spec);
  if (spec.frame == "second_purchase") return compile_second_purchase(spec);
  if (spec.frame == "inactive") return compile_inactive(spec, as_of);
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
