// The compiler's shared parts: field resolution per table, filters, windows, dimensions.
#include "core/text2sql/compiler_parts.hpp"

#include <set>

namespace yimei::text2sql::detail {

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

std::string date_column(const QuerySpec& spec, Source src) {
  if (spec.time_field == "register_date") return "c.register_date";
  if (spec.time_field == "expiration_date") return "b.expiration_date";
  return std::string(source_date_column(src));
}

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

}  // namespace yimei::text2sql::detail
