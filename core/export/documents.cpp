// Export documents of analyses and answers (see documents.hpp).
#include "core/export/documents.hpp"

#include "core/render/table_render.hpp"

namespace yimei::exports {
namespace {

std::string summary_text(const analysis::SummaryItem& s) {
  Column c{.name = s.key, .label = s.label_zh, .type = ColumnType::Text, .unit = s.unit};
  if (std::holds_alternative<Decimal>(s.value)) c.type = ColumnType::Decimal;
  if (std::holds_alternative<std::int64_t>(s.value)) c.type = ColumnType::Integer;
  if (std::holds_alternative<double>(s.value)) c.type = ColumnType::Real;
  std::string v = render::format_value(s.value, c, false);
  if (!is_null(s.value) && s.unit == ColumnUnit::Yuan) v += " 元";
  if (!is_null(s.value) && s.unit == ColumnUnit::Days) v += " 天";
  return v;
}

bool has_phone(const Table& t) {
  for (const Column& c : t.columns)
    if (c.is_phone) return true;
  return false;
}

void phone_note(ExportDocument& doc) {
  bool any = false;
  for (const auto& s : doc.sheets) any = any || has_phone(s.table);
  if (any) doc.notes.emplace_back("手机号", doc.show_phone ? "完整显示" : "已脱敏（138****5678）");
}

}  // namespace

ExportDocument document_for(const analysis::AnalysisResult& r, bool show_phone) {
  ExportDocument doc;
  doc.title = r.title_zh;
  doc.show_phone = show_phone;
  doc.sheets.push_back({r.title_zh, r.table});
  for (const auto& [name, table] : r.breakdowns) doc.sheets.push_back({name, table});
  for (const auto& subset : r.row_subsets)
    doc.sheets.push_back({subset.name, analysis::subset_table(r.table, subset)});
  for (const auto& o : r.opportunities)
    if (!o.targets.columns.empty())
      doc.sheets.push_back({std::to_string(o.rank) + "." + o.title_zh, o.targets});
  doc.notes.emplace_back("分析", r.title_zh + "（" + r.name + "）");
  doc.notes.emplace_back("截至", format_date(r.as_of));
  if (r.from && r.to)
    doc.notes.emplace_back("统计区间", format_date(*r.from) + " 至 " + format_date(*r.to));
  if (r.previous_from && r.previous_to)
    doc.notes.emplace_back("对比区间",
                           format_date(*r.previous_from) + " 至 " + format_date(*r.previous_to));
  std::string params;
  for (const auto& [k, v] : r.params) params += (params.empty() ? "" : "  ") + k + "=" + v;
  if (!params.empty()) doc.notes.emplace_back("参数", params);
  for (const auto& s : r.summary) doc.notes.emplace_back(s.label_zh, summary_text(s));
  if (!r.narrative_zh.empty()) doc.notes.emplace_back("结论", r.narrative_zh);
  doc.notes.emplace_back("行数", std::to_string(r.table.rows.size()));
  phone_note(doc);
  return doc;
}

ExportDocument document_for(const text2sql::Answer& a, bool show_phone) {
  ExportDocument doc;
  doc.title = a.question;
  doc.show_phone = show_phone;
  doc.sheets.push_back({"查询结果", a.table});
  doc.notes.emplace_back("问题", a.question);
  if (!a.provenance.empty()) doc.notes.emplace_back("口径", a.provenance);
  for (const auto& n : a.notes) doc.notes.emplace_back("注", n);
  doc.notes.emplace_back("行数", std::to_string(a.table.rows.size()));
  if (a.table.truncated)
    doc.notes.emplace_back("提示", "结果超过行数上限，只导出了前 " +
                                       std::to_string(a.table.rows.size()) +
                                       " 行；请缩小条件后再导出。");
  if (!a.sql.empty()) doc.notes.emplace_back("查询语句", a.sql);
  phone_note(doc);
  return doc;
}

}  // namespace yimei::exports
