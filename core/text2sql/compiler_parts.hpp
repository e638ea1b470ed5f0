// Internal to the Text2SQL compiler (compiler.cpp, compiler_windows.cpp): SQL text built
// together with its bound parameters, the joins a table needs for a field, and the rendering of
// filters, windows and dimensions. Not part of the public interface; pure, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/text2sql/compiler.hpp"
#include "core/text2sql/semantic_model.hpp"

namespace yimei::text2sql::detail {

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

std::string quote_label(const std::string& label);

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
std::string field_expr(const std::string& field, Joins& j);

Outcome<Sql> filter_sql(const Filter& f, Joins& j);

// " AND "-joined conditions; UserError on the first bad filter.
Outcome<Sql> filters_sql(const std::vector<Filter>& fs, Joins& j);

Sql between(const std::string& col, const Period& p);

std::string measure_label(const MeasureDef& m, const std::vector<Filter>& fs);

// The date column of a spec's time window.
std::string date_column(const QuerySpec& spec, Source src);

struct DimSql {
  std::string select, group, label;
  bool time = false;
};

Outcome<DimSql> dimension_sql(const std::string& dim, Joins& j, const std::string& date_col);

std::string subject_table(const std::string& subject);

std::string subject_name(const std::string& subject);

std::string subject_label(const std::string& subject);

Source subject_source(const std::string& subject);

std::string count_label(const std::string& subject);

OutputColumn money_or_count(const MeasureDef& m, const std::string& label);

// The measure over one window as a scalar subquery "(SELECT ... WHERE ... BETWEEN ? AND ?)".
Outcome<Sql> scalar_subquery(const MeasureDef& m, const QuerySpec& spec, const Period& p);

}  // namespace yimei::text2sql::detail
