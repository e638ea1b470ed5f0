// spdlog set-up: text lines or JSON lines on stderr, level from the configuration.
// Never log secrets or message bodies at info.
#pragma once

#include <string>

namespace yimei::bot {

// level: trace|debug|info|warn|error; format: text|json.
void setup_logging(const std::string& level, const std::string& format);

// Escapes a string for a JSON string literal (used by the JSON log formatter).
std::string json_escape(const std::string& s);

}  // namespace yimei::bot
