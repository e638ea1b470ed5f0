// Chat replies from analysis results and Text2SQL answers.
#include "bot/reply_format.hpp"

#include <spdlog/spdlog.h>

#include "bot/export_attachment.hpp"
#include "core/export/documents.hpp"
#include "core/render/chart.hpp"
#include "core/render/table_render.hpp"

namespace yimei::bot {

const char* const kPrivateDetailsHint =
    "群聊中只显示汇总数据；如需顾客明细，请私聊我发送同样的问题。";

namespace {

bool is_customer_column(const Column& c) {
  if (c.is_phone) return true;
  for (const char* n : {"customer_id", "顾客编号", "顾客", "顾客姓名", "客户", "客户姓名", "phone",
                        "手机号", "联系电话"})
    if (c.name == n || c.label == n) return true;
  return false;
}

std::string summary_lines(const std::vector<analysis::SummaryItem>& items) {
  std::string out;
  for (const auto& s : items) {
    Column c{.name = s.key, .label = s.label_zh, .type = ColumnType::Text, .unit = s.unit};
    if (std::holds_alternative<Decimal>(s.value)) c.type = ColumnType::Decimal;
    if (std::holds_alternative<std::int64_t>(s.value)) c.type = ColumnType::Integer;
    if (std::holds_alternative<double>(s.value)) c.type = ColumnType::Real;
    std::string v = render::format_value(s.value, c, false);
    if (s.unit == ColumnUnit::Yuan) v += " 元";
    out += "· " + s.label_zh + "：" + v + "\n";
  }
  return out;
}

void attach_chart(Reply& r, const std::optional<render::ChartSpec>& spec) {
  if (!spec) return;
  try {
    r.chart_png = render::render_chart(*spec).png;
  } catch (const std::exception& e) {
    spdlog::warn("chart not drawn: {}", e.what());  // the text answer still goes out
  }
}

}  // namespace

Reader reader_for(const entry::Actor& actor, bool is_group, std::size_t max_rows) {
  return Reader{entry::may_see_phone(actor), is_group, max_rows};
}

Table masked_for(const Table& t, const Reader& reader) {
  Table out = t;
  if (reader.show_phone) return out;
  for (std::size_t i = 0; i < out.columns.size(); ++i) {
    if (!out.columns[i].is_phone) continue;
    for (Row& row : out.rows)
      if (auto* s = std::get_if<Text>(&row[i])) *s = render::mask_phone(*s);
  }
  return out;
}

bool names_customers(const Table& t) {
  for (const Column& c : t.columns)
    if (is_customer_column(c)) return true;
  return false;
}

bool names_customers(const text2sql::Answer& a) {
  if (a.spec) {
    const auto& s = *a.spec;
    const bool lists = s.output != "count" && s.frame != "aggregate" && s.frame != "compare";
    if (s.subject == "customer" && lists) return true;
    for (const auto& d : s.dimensions)
      if (d == "customer") return true;
    return false;
  }
  // LLM SQL without a spec: customer rows when it reads customers and lists more than a total.
  return names_customers(a.table) ||
         (a.sql.find("customers") != std::string::npos && a.table.rows.size() > 1);
}

Reply analysis_reply(const analysis::AnalysisResult& result, const Reader& reader) {
  Reply r;
  std::string text = "【" + result.title_zh + "】";
  if (result.from && result.to)
    text += " " + format_date(*result.from) + " 至 " + format_date(*result.to);
  else
    text += " 截至 " + format_date(result.as_of);
  text += "\n";
  if (!result.narrative_zh.empty()) text += result.narrative_zh + "\n";
  text += summary_lines(result.summary);
  const bool withhold = reader.is_group && names_customers(result.table);
  if (withhold) {
    text += kPrivateDetailsHint;
  } else if (!result.table.rows.empty()) {
    const Table shown = masked_for(result.table, reader);
    render::RenderOptions o{.show_phone = reader.show_phone, .max_rows = reader.max_rows};
    text += "\n" + render::to_text(shown, o);
    r.markdown = "**" + result.title_zh + "**\n\n" + summary_lines(result.summary) + "\n" +
                 render::to_markdown(shown, o);
    r.table = shown;
  }
  if (!withhold && result.table.rows.size() > reader.max_rows)
    text += "\n完整结果：发送 /导出 获取 Excel 文件（/导出 csv 为 CSV）。";
  r.text = text;
  auto chart = analysis::default_chart(result);
  // Group replies never carry a chart of customer-level rows (analysis charts are aggregates).
  if (chart && reader.is_group && names_customers(chart->table)) chart.reset();
  attach_chart(r, chart);
  return r;
}

Reply answer_reply(const text2sql::Answer& a, const Reader& reader,
                   const present::Steering& steering, const present::Comparison* comparison) {
  Reply r;
  if (a.clarification) {
    r.text = a.clarification->message;
    if (!a.clarification->suggestions.empty()) {
      r.text += "\n您可以这样问：";
      for (const auto& s : a.clarification->suggestions) r.text += "\n· " + s;
    }
    r.suggestions = a.clarification->suggestions;
    return r;
  }
  std::string text;
  if (reader.is_group && names_customers(a)) {
    text = std::string(kPrivateDetailsHint) + "\n共 " + std::to_string(a.table.rows.size()) +
           " 位顾客符合条件。";
  } else {
    const Table shown = masked_for(a.table, reader);
    present::PresentInput in;
    in.table = &shown;
    in.spec = a.spec ? &*a.spec : nullptr;
    in.title = a.question;
    in.subtitle = a.provenance;
    in.steering = steering;
    in.comparison = comparison;
    in.show_phone = reader.show_phone;
    present::PresentOptions po;
    po.max_text_rows = reader.max_rows;
    const present::Presentation p = present::choose_presentation(in, po);
    if (p.form == present::Form::Sentence || p.form == present::Form::Empty) {
      text = p.sentence;
      r.markdown = p.sentence + "\n\n> " + a.provenance;
    } else {
      render::RenderOptions o{.show_phone = reader.show_phone,
                              .max_rows = std::max<std::size_t>(p.text_rows, 1)};
      text = render::to_text(p.table, o);
      r.markdown = render::to_markdown(p.table, o) + "\n> " + a.provenance;
    }
    for (const auto& n : p.notes) text += "\n（" + n + "）";
    r.table = p.table;
    attach_chart(r, p.chart);
    if (p.attach_export) {
      text2sql::Answer masked = a;
      masked.table = p.table;
      try {
        auto file = export_attachment(exports::document_for(masked, reader.show_phone),
                                      exports::ExportFormat::Xlsx, reader.as_of);
        if (file) r.files.push_back(std::move(file.value()));
      } catch (const std::exception& e) {
        spdlog::warn("export attachment not made: {}", e.what());  // the text still goes out
      }
    }
  }
  for (const auto& n : a.notes) text += "\n（" + n + "）";
  text += "\n" + a.provenance;
  r.text = text;
  return r;
}

}  // namespace yimei::bot
