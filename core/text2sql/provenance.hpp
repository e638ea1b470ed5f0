// The provenance line printed under every answer, built from the QuerySpec that ran (so it is
// always true to the query): the definition used, the time window with its dates, the filters
// and the engine, e.g.
// "口径：业绩=消费记录实收金额合计；时间：上个月（2026-05-01至2026-05-31）；筛选：科室=皮肤科；引擎：规则引擎".
// Pure; thread-safe.
#pragma once

#include <string>

#include "core/text2sql/query_spec.hpp"

namespace yimei::text2sql {

// engine: "rules" | "llm".
std::string provenance_line(const QuerySpec& spec, const std::string& engine);

// For answers without a spec (the LLM answered with SQL): the engine and the SQL's nature.
std::string provenance_line_for_sql(const std::string& engine);

}  // namespace yimei::text2sql
