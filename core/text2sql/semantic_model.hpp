// The semantic model of Text2SQL: the measures, dimensions and filter fields a question may
// name, each with the table it lives on, its SQL, its Chinese label and the definition printed
// in the provenance line. Generic over clinics (no catalog names). Immutable static data;
// every function is pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/table.hpp"

namespace yimei::text2sql {

// The table a measure aggregates over; each has a fixed alias in generated SQL.
enum class Source {
  Consume,     // consumption_records r
  WriteOff,    // write_off_records w
  Balance,     // unspent_balances b
  Customer,    // customers c
  Consultant,  // consultants s
  Product,     // medical_products p
};

std::string_view source_table(Source s);
std::string_view source_alias(Source s);
// The date column of an event source ("r.consume_date"); empty for entity tables.
std::string_view source_date_column(Source s);

struct MeasureDef {
  std::string_view id;
  Source source;
  std::string_view agg;  // SUM | COUNT | COUNT_DISTINCT | RATIO_ORDER | RATIO_CUSTOMER | AVG
  std::string_view arg;  // the aggregated expression ("r.amount", "*")
  std::string_view label;
  ColumnUnit unit;
  std::string_view definition;  // for the provenance line, e.g. "业绩=消费记录实收金额合计"
};

// nullptr when the id is unknown.
const MeasureDef* find_measure(std::string_view id);
const std::vector<MeasureDef>& all_measures();
// The aggregate SQL of a measure, e.g. "SUM(r.amount)".
std::string measure_sql(const MeasureDef& m);
// The same aggregate counted only where `condition` holds (for two-window comparisons);
// empty when the measure cannot be made conditional.
std::string measure_sql_when(const MeasureDef& m, const std::string& condition);

// Dimensions and filter fields share one vocabulary of field names:
// department, consultant, product, product_type, customer, customer_id, membership_level,
// payment_method, health_tag, is_new, standard_price, amount, day, week, month, quarter, year.
struct DimensionDef {
  std::string_view id;
  std::string_view label;
  bool is_time = false;
};
const DimensionDef* find_dimension(std::string_view id);

// Chinese name of a field for provenance and clarifications ("科室").
std::string field_label(std::string_view field);

// The entity a field value belongs to ("consultant" for consultant names, ...).
bool is_time_dimension(std::string_view id);

}  // namespace yimei::text2sql
