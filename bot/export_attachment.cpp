// Export attachments (see export_attachment.hpp).
#include "bot/export_attachment.hpp"

namespace yimei::bot {

Outcome<Attachment> export_attachment(const exports::ExportDocument& doc,
                                      exports::ExportFormat format, const Date& as_of) {
  const std::string bytes = exports::render_export(doc, format);
  if (bytes.size() > kMaxAttachmentBytes)
    return bad_input("导出的文件太大（超过 10 MB），请缩小时间范围或条件后再导出。");
  Attachment a;
  a.file_name = exports::export_file_name(doc.title, as_of, format);
  a.mime_type = std::string(exports::mime_type_of(format));
  a.bytes.assign(bytes.begin(), bytes.end());
  return a;
}

exports::ExportRecord export_record(const exports::ExportDocument& doc, const Attachment& file,
                                    exports::ExportFormat format, const std::string& source_kind,
                                    const std::string& source, const std::string& chat_id) {
  exports::ExportRecord r;
  r.source_kind = source_kind;
  r.source = source;
  r.chat_id = chat_id;
  r.format = format;
  r.file_name = file.file_name;
  r.bytes = file.bytes.size();
  if (!doc.sheets.empty()) {
    r.rows = doc.sheets.front().table.rows.size();
    r.columns = doc.sheets.front().table.columns.size();
  }
  r.phones_masked = !doc.show_phone;
  return r;
}

}  // namespace yimei::bot
