// Internal to the Text2SQL compiler: the frame compilers of compiler_windows.cpp, called by
// compile_query(). Not part of the public interface; pure, thread-safe.
#pragma once

#include "core/text2sql/compiler_parts.hpp"

namespace yimei::text2sql::detail {

Outcome<CompiledQuery> compile_compare(const QuerySpec& spec);
Outcome<CompiledQuery> compile_grouped_compare(const QuerySpec& spec, const MeasureDef& m);
Outcome<CompiledQuery> compile_growth_rank(const QuerySpec& spec);
Outcome<CompiledQuery> compile_second_purchase(const QuerySpec& spec);
Outcome<CompiledQuery> compile_inactive(const QuerySpec& spec, const Date& as_of);

}  // namespace yimei::text2sql::detail
