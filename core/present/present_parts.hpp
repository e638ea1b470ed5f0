// Internal to core/present: the shape of a result (which columns name things, which are
// measures, which is a time axis), ordering for 按X排序, the chart builders and the sentence
// pieces that presentation.cpp combines. Not part of the module's interface. Pure; thread-safe.
#pragma once

#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/present/presentation.hpp"

namespace yimei::present::detail {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr std::size_t kMaxLineSeries = 6;
inline constexpr std::size_t kMaxGroupedCategories = 15;
inline constexpr std::size_t kMaxGroupedSeries = 4;

// ---- shape (shape.cpp)

struct Shape {
  std::vector<std::size_t> labels;   // columns that name things (text, dates, dimension values)
  std::vector<std::size_t> numbers;  // measures
  int time = -1;                     // the label column that is a time axis
};

// A number for geometry and ordering; NaN for anything else.
double number_of(const Value& v);
Shape shape_of(const Table& t, const text2sql::QuerySpec* spec);
bool has_any(std::string_view text, std::initializer_list<std::string_view> words);
// Whether the values of column j (the k-th of n_numbers measures) may be summed across rows.
bool additive(const Table& t, std::size_t j, std::size_t k, const text2sql::QuerySpec* spec,
              std::size_t n_numbers);
std::string cell_text(const Value& v, const Column& c, bool show_phone);
std::string label_text(const Row& r, const Table& t, const std::vector<std::size_t>& labels,
                       bool show_phone);
// The column 按<word>排序 names (see presentation.hpp), or the first measure; -1 for none.
int sort_column(const Table& t, const Shape& s, const std::string& word);
// Stable; NULLs last either way.
void sort_table(Table& t, int col, bool ascending);

// ---- charts (charts.cpp)

std::vector<std::size_t> same_unit_numbers(const Table& t, const Shape& s, std::size_t max);
render::ChartSpec line_chart(const PresentInput& in, const Table& t, const Shape& s,
                             std::vector<std::string>& notes);
render::ChartSpec bar_chart(const PresentInput& in, const Table& t, const Shape& s,
                            const PresentOptions& o, bool keep_order,
                            std::vector<std::string>& notes);
render::ChartSpec grouped_chart(const PresentInput& in, const Table& t, const Shape& s,
                                const std::vector<std::size_t>& values,
                                std::vector<std::string>& notes);
std::optional<render::ChartSpec> pivot_chart(const PresentInput& in, const Table& t,
                                             const Shape& s);
render::ChartSpec donut_chart(const PresentInput& in, const Table& t, const Shape& s);
bool has_negative(const render::ChartSpec& c);

// ---- sentences (sentences.cpp)

// A money amount without the exact figure: "12.35万元" / "8,456.00 元".
std::string short_value(const Value& v, const Column& c);
std::string measures_sentence(const Table& t, const Row& r, const Shape& s, const PresentInput& in);
// "+8.2%，增加 9,356.78 元" from the current and the previous value.
std::string change_text(const Value& cur, const Value& prev, const Column& c);

}  // namespace yimei::present::detail
