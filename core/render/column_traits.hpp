// What a column is for display purposes, shared by the text, JSON and chart renderers.
// Pure; thread-safe.
#pragma once

#include "core/table.hpp"

namespace yimei::render {

// Money: 元 columns and every Decimal column that is not a ratio (2 decimals, separators).
inline bool is_money(const Column& c) {
  return c.unit == ColumnUnit::Yuan ||
         (c.type == ColumnType::Decimal && c.unit != ColumnUnit::Percent);
}

// Numbers are right-aligned; phone numbers are text.
inline bool is_numeric(const Column& c) {
  return !c.is_phone && (c.type == ColumnType::Integer || c.type == ColumnType::Decimal ||
                         c.type == ColumnType::Real);
}

}  // namespace yimei::render
