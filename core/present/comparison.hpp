// Two-period answers (环比 / 同比): a spec with a comparison window (frame compare, or any spec
// with compare_time) is split into plain aggregates of the current and the comparison window,
// which the caller runs (through the same guarded read-only path as the question), and the two
// results are merged into a Comparison for the presentation. Pure apart from the runner;
// thread-safe when the runner is.
#pragma once

#include <functional>
#include <optional>

#include "core/error.hpp"
#include "core/present/presentation.hpp"
#include "core/text2sql/query_spec.hpp"

namespace yimei::text2sql {
class Engine;
struct Answer;
}  // namespace yimei::text2sql

namespace yimei::present {

// Runs one spec and returns its result table (e.g. text2sql::Engine::run_spec).
using SpecRunner = std::function<Outcome<Table>(const text2sql::QuerySpec&)>;

// 环比 when `previous` ends the day before `current` starts, 同比 when it is the same dates one
// year earlier, 对比 otherwise.
std::string comparison_kind(const text2sql::Period& current, const text2sql::Period& previous);

// The two plain aggregate specs of a two-period spec (frame "compare" with measures, without a
// time dimension); nullopt when the spec has no comparison or cannot be split.
struct PeriodSpecs {
  text2sql::QuerySpec current;
  text2sql::QuerySpec previous;
};
std::optional<PeriodSpecs> split_periods(const text2sql::QuerySpec& spec);

// Merges the two results by their label columns (rows of either side kept; a missing side
// is NULL). Both tables must have the same columns.
Comparison merge_periods(const text2sql::QuerySpec& spec, const Table& current,
                         const Table& previous);

// split_periods + the runner + merge_periods; nullopt when the spec has no comparison or either
// run fails (the caller then shows the answer as it is).
std::optional<Comparison> compare_periods(const text2sql::QuerySpec& spec, const SpecRunner& run);

// compare_periods for an answer of `engine`: both periods run through Engine::run_spec with the
// same scope; a statement timeout counts as a failed run. Throws db::DbError otherwise.
std::optional<Comparison> compare_answer(text2sql::Engine& engine, const text2sql::Answer& answer,
                                         const Date& as_of,
                                         const std::optional<std::string>& consultant_scope);

}  // namespace yimei::present
