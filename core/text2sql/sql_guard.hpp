// The SQL guard every generated query passes, from either engine, built on a real MariaDB
// tokenizer (strings, quoted identifiers, comments understood): exactly one SELECT or
// WITH ... SELECT over the contract tables only; no system schemas, INTO OUTFILE/DUMPFILE,
// LOAD_FILE, SLEEP, BENCHMARK, GET_LOCK, user variables, locking reads; a row cap applied.
// Scoping is deterministic: for a consultant the query is wrapped so it reads only their own
// customers' rows, and SQL the scoping cannot prove safe is refused. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/table.hpp"

namespace yimei::text2sql {

enum class TokenKind { Word, QuotedIdent, String, Number, Operator, Punct, Variable, End };

struct SqlToken {
  TokenKind kind;
  std::string text;        // the exact source text of the token (quotes included)
  std::string upper;       // Word: ASCII upper-cased; QuotedIdent / Variable: the name upper-cased
  std::size_t offset = 0;  // byte offset of `text` in the SQL
  std::string value;       // String / QuotedIdent / Variable: the content without quotes or escapes
};

// Throws nothing: an unterminated string, comment or backtick name, or a control character,
// yields a UserError (BadInput); an executable comment /*! ... */ or /*M! ... */ is refused
// (Forbidden) because it hides code. Comments produce no token; the last token is End.
Outcome<std::vector<SqlToken>> tokenize_sql(std::string_view sql);

struct GuardOptions {
  // The answer is cut at row_cap rows: the SQL returns at most row_cap + 1, so that a reader
  // taking row_cap rows (db::ReadOnlyLimits::max_rows = row_cap) can tell it was truncated.
  std::size_t row_cap = 200;
  // When set, the caller is a consultant: only rows of customers whose
  // customers.consultant_id equals this id may be read.
  std::optional<std::string> consultant_scope;
  // Values of the `?` placeholders in the SQL, in order (the compiler binds its literals).
  std::vector<Value> params;
  // The database the read-only account works in: `db.table` is accepted for this name only
  // (and never under consultant scope); empty = no qualified table names at all.
  std::string database;
};

struct GuardedSql {
  std::string sql;                  // safe to run on the read-only path (comments removed)
  std::vector<std::string> tables;  // contract tables the query reads, lower-case
  std::vector<std::string> params;  // the values the guard added (the consultant id), in order
  // Every value the rewritten SQL binds, in placeholder order: GuardOptions::params with the
  // guard's own values interleaved. Pass this to db::run_read_only.
  std::vector<Value> bound;
};

// Checks and rewrites; the UserError (kind Forbidden or BadInput) says why in Chinese.
// Rules: one statement (a trailing ";" allowed) starting with SELECT or WITH ... SELECT; tables
// are the six contract tables, CTEs defined in the query and DUAL; no system schemas
// (information_schema, mysql, performance_schema, sys), other databases, INTO, PROCEDURE,
// locking reads (FOR UPDATE / LOCK IN SHARE MODE), variables, executable comments, or
// functions outside a list of pure built-ins (so no SLEEP, BENCHMARK, GET_LOCK, LOAD_FILE...).
// Under consultant scope each reference to customers, consumption_records, write_off_records
// or unspent_balances becomes a derived table restricted to the consultant's customers, under
// the same alias; forms that cannot be rewritten safely are refused.
Outcome<GuardedSql> guard_sql(std::string_view sql, const GuardOptions& options);

}  // namespace yimei::text2sql
