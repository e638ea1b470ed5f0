// QuerySpec: the contract between the Text2SQL engines and the compiler. Every name refers to
// the semantic model (semantic_model.hpp), never to raw SQL; it serializes to JSON (Boost.JSON)
// so the LLM engine can produce it and follow-ups can patch it. Plain value type.
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"

namespace yimei::text2sql {

struct Filter {
  std::string field;     // semantic field: department, product, membership_level, ...
  std::string op = "=";  // = | != | > | >= | < | <=
  std::vector<std::string> values;
  friend bool operator==(const Filter&, const Filter&) = default;
};

struct Period {
  Date from;
  Date to;
  std::string label;  // the words the user used ("上个月")
  friend bool operator==(const Period&, const Period&) = default;
};

// An event a subject entity has (or, negated, lacks): used by the entity_set frame.
struct Condition {
  std::string event;  // consume | write_off | balance
  bool negated = false;
  std::optional<Period> time;
  std::vector<Filter> filters;
  friend bool operator==(const Condition&, const Condition&) = default;
};

// A threshold on a per-entity aggregate (having frame): visit_days | amount | orders | balance.
struct Having {
  std::string metric;
  std::string op = ">=";
  std::string value;  // a decimal number as text
  friend bool operator==(const Having&, const Having&) = default;
};

struct QuerySpec {
  // aggregate | top | list | lookup | entity_set | compare | growth_rank | having |
  // second_purchase | inactive
  std::string frame;
  std::string subject;  // customer | consultant | product | department | ... (entity frames)
  std::vector<std::string> measures;
  std::vector<std::string> dimensions;
  std::vector<Filter> filters;
  std::optional<Period> time;
  std::string time_field;  // "" = the measure's event date; register_date | expiration_date
  std::optional<Period> compare_time;  // the second window of compare / growth_rank
  std::string compare_mode;            // diff | ratio
  std::vector<Condition> conditions;
  std::vector<std::string> attributes;  // lookup / list output fields
  std::optional<Having> having;
  std::string order_by;  // a measure id or an attribute (standard_price)
  bool order_desc = true;
  int limit = 0;        // 0 = none
  std::string output;   // list | count (entity frames)
  int window_days = 0;  // second_purchase window, inactive days
  friend bool operator==(const QuerySpec&, const QuerySpec&) = default;
};

boost::json::value to_json(const QuerySpec& spec);
// A UserError (BadInput) names the first malformed member.
Outcome<QuerySpec> query_spec_from_json(const boost::json::value& v);

}  // namespace yimei::text2sql
