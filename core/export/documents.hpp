// Export documents from the two kinds of results: an analysis (main table, its breakdowns, a
// growth opportunity's target lists, and the summary, period and parameters as notes) and a
// Text2SQL answer (the result table, the question, the provenance line and the SQL as notes).
// Pure; thread-safe.
#pragma once

#include "core/analysis/analysis.hpp"
#include "core/export/export_document.hpp"
#include "core/text2sql/answer.hpp"

namespace yimei::exports {

ExportDocument document_for(const analysis::AnalysisResult& result, bool show_phone);
ExportDocument document_for(const text2sql::Answer& answer, bool show_phone);

}  // namespace yimei::exports
