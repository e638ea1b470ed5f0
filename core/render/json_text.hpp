// JSON text for people and scripts: like boost::json::serialize, but doubles are printed in
// plain notation (12345.6, not Boost 1.81's 1.23456E4). Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace yimei::render {

// Compact JSON text of `v`; non-finite doubles become null. Never fails.
std::string json_text(const boost::json::value& v);

}  // namespace yimei::render
