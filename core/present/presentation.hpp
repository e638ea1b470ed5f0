// How an answer is shown: THE one place that picks the presentation of a Text2SQL result from
// its query spec (when there is one) and the result's shape, honouring the user's steering
// words. The rules, first match wins (L = label columns, N = numeric columns, R = rows):
//
//   rule            | when                                              | shown as
//   ----------------|---------------------------------------------------|------------------------
//   empty           | R = 0                                             | one sentence: no data
//   comparison      | two periods, no group (Comparison given)          | sentence: value,
//   环比/同比 single-value    | R = 1, every column numeric                       | sentence with
//   unit record          | R = 1, some text (a lookup)                       | table text
//   period-compare  | two periods per group (Comparison with labels)    | grouped bar 本期/对比期
//   time-series     | first label is time (spec dimension day…year, a    | line; a second label
//                   | Date column or YYYY-MM text), R >= 2              | becomes the series
//   share           | spec output "share", or a 占比 percent column     | donut
//   two-measures    | L = 1, N >= 2 of one unit                         | grouped bar
//   by-category     | L = 1, N >= 1                                     | bar sorted by value, top
//                   |                                                   | N + 其他 when additive
//   two-labels      | L = 2, N = 1, small (<= 15 x 6)                   | grouped bar (pivot)
//   list            | no numeric column                                 | table text
// After the rule: a long (R > max_text_rows) or wide (> wide_columns columns, or rows wider
// than wide_width cells) result also gets its first rows as text, a table image (when no other
// chart was chosen) and an export file. Steering: 不要图 drops the chart; 只要表格 drops every
// chart but keeps the text and the export file; 折线图 / 柱状图 / 饼图 replace the chosen chart
// when the data can be drawn that way (otherwise a note says why not); 按X排序 sorts the table
// (and the bar chart) by the column whose label contains X (金额 → the money column, 人数 /
// 单数 / 次数 → counts), descending unless 从低到高 / 升序.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/present/steering.hpp"
#include "core/render/chart.hpp"
#include "core/table.hpp"
#include "core/text2sql/query_spec.hpp"

namespace yimei::present {

enum class Form { Empty, Sentence, Table, Chart, LongTable };

// A measure in two periods, filled in by compare_periods() (comparison.hpp).
struct Comparison {
  std::string kind_zh;         // 环比 | 同比 | 对比
  std::string current_label;   // e.g. 2026-06-01至2026-06-30, or the user's words (上个月)
  std::string previous_label;  // the comparison window
  // Columns: the group labels (none for a single value), then for each measure its current
  // and previous value (labels "<measure>" and "<measure>（对比期）").
  Table table;
  std::size_t label_columns = 0;
};

struct PresentInput {
  const Table* table = nullptr;  // the result, already masked for the reader
  const text2sql::QuerySpec* spec = nullptr;
  std::string title;     // the question (steering removed)
  std::string subtitle;  // the provenance line
  Steering steering;
  const Comparison* comparison = nullptr;
  bool show_phone = false;  // the reader may see phones (the table holds them unmasked)
};

struct PresentOptions {
  std::size_t max_text_rows = 20;   // a longer result is "long"
  std::size_t long_text_rows = 10;  // rows shown as text for a long or wide result
  std::size_t top_n = 10;           // bars before 其他
  std::size_t wide_columns = 6;
  std::size_t wide_width = 90;  // display cells of one text row
};

struct Presentation {
  Form form = Form::Table;
  std::string rule;           // which rule chose it (the names of the table above)
  std::string sentence;       // Empty / Sentence: the answer in one sentence
  Table table;                // the table to show as text (sorted, or the comparison table)
  std::size_t text_rows = 0;  // how many of its rows to show as text
  std::optional<render::ChartSpec> chart;  // the chart to draw, if any
  bool attach_export = false;              // long or wide: send the table as a file too
  std::vector<std::string> notes;          // what steering could not do, rows left out, ...
};

// Never fails: data that fits no chart is shown as a table.
Presentation choose_presentation(const PresentInput& in, const PresentOptions& o = {});

// "12.35万元（123,456.78 元）", "8,456.00 元", "12.3%", "1,234", "30 天": one value with its
// unit as a sentence shows it. Money stays Decimal (万元 is an exact decimal shift).
std::string value_with_unit(const Value& v, const Column& c);

}  // namespace yimei::present
