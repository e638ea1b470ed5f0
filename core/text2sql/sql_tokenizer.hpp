// The MariaDB lexer under the SQL guard, with the one server setting that changes how text
// splits into tokens: whether a backslash escapes inside quotes (off under
// NO_BACKSLASH_ESCAPES, and for "..." under ANSI_QUOTES). Pure; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "core/text2sql/sql_guard.hpp"

namespace yimei::text2sql {

struct LexOptions {
  bool backslash_escapes = true;  // MariaDB's default sql_mode
};

// As tokenize_sql(sql), with the given lexing options.
Outcome<std::vector<SqlToken>> tokenize_sql(std::string_view sql, const LexOptions& options);

}  // namespace yimei::text2sql
