// JSON text for people and scripts: like boost::json::serialize, but doubles are printed in
// plain notation (12345.6, not Boost 1.81's 1.23456E4). Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace yimei::render {

// Compact JSON text of `v`; non-finite doubles become null. Never fails.
std::string json_text(const boost::json::value& v);
// Appends `s` as a JSON string, escaped as boost::json::serialize escapes it; the bytes are
// written as they are (no UTF-8 check, as Boost's).
void append_json_string(std::string& out, std::string_view s);
// Appends `x` as json_text writes a double: shortest plain text, null when not finite.
void append_json_number(std::string& out, double x);

}  // namespace yimei::render
