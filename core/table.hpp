// The typed result table every query, analysis and renderer shares: columns with a type,
// a Chinese label and a unit, rows of typed values. Plain value types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/date.hpp"
#include "core/decimal.hpp"
#include "core/text.hpp"

namespace yimei {

enum class ColumnType { Text, Integer, Decimal, Real, Date };

// What a column means for display: money is printed with 2 decimals and 元, ratios as %.
enum class ColumnUnit { None, Yuan, Percent, Days, Count };

struct Column {
  std::string name;   // stable machine name (JSON key, SQL alias)
  std::string label;  // Chinese header shown to people; empty = name
  ColumnType type = ColumnType::Text;
  ColumnUnit unit = ColumnUnit::None;
  // Holds phone numbers: renderers mask it unless the caller may see phones.
  bool is_phone = false;

  const std::string& display() const { return label.empty() ? name : label; }
};

struct Null {
  friend bool operator==(Null, Null) { return true; }
};

// Texts are Text, not std::string: every cell of a large result counts (see Text and Decimal).
using Value = std::variant<Null, std::int64_t, Decimal, double, Text, Date>;
static_assert(sizeof(Value) == 24);

inline bool is_null(const Value& v) {
  return std::holds_alternative<Null>(v);
}

using Row = std::vector<Value>;

struct Table {
  std::vector<Column> columns;
  std::vector<Row> rows;
  // True when a row cap cut the result; rows.size() rows are present.
  bool truncated = false;

  // Index of the named column, or -1.
  int column_index(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (columns[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

}  // namespace yimei
