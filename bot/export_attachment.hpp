// Export files as chat attachments: an ExportDocument rendered in the chosen format and named
// after its title and date, within the size the platforms accept; and the audit row every
// attachment leaves. Thread-safe (rendering is; the audit runs on the caller's connection).
#pragma once

#include <cstddef>

#include "bot/channel.hpp"
#include "core/entry/actor.hpp"
#include "core/error.hpp"
#include "core/export/export_audit.hpp"
#include "core/export/export_document.hpp"

namespace yimei::bot {

// WeCom file messages take up to 20 MB; the outbox row holds the file base64-encoded in a
// MEDIUMTEXT (16 MB), so files stay under 10 MB.
inline constexpr std::size_t kMaxAttachmentBytes = 10u * 1024u * 1024u;

// The rendered file; a UserError (BadInput) when it is larger than kMaxAttachmentBytes.
// Throws std::runtime_error when the XLSX library fails.
Outcome<Attachment> export_attachment(const exports::ExportDocument& doc,
                                      exports::ExportFormat format, const Date& as_of);

// The audit record of an attachment made from `doc` (rows and columns of its first sheet).
exports::ExportRecord export_record(const exports::ExportDocument& doc, const Attachment& file,
                                    exports::ExportFormat format, const std::string& source_kind,
                                    const std::string& source, const std::string& chat_id);

}  // namespace yimei::bot
