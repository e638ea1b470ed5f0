// MariaDB Connector/C (libmariadb) wrapped: prepared statements cached per connection, rows read
// as the server sends them (unbuffered) into typed cells, DECIMAL as text both ways, errors
// translated to DbError. Connector/C++ 1.1, used before, wraps this same library but buffers
// every result and spends about 165 ns a cell in its accessors: 0.3 s of reading the 140,601
// unspent balances, which now take about 0.12 s in all (docs/benchmarks.md). The server
// behaviour relied on is in docs/spec/stack.md §5.
#include "core/db/connection.hpp"

#include <mysql.h>

#include <charconv>
#include <cstdio>
#include <list>
#include <unordered_map>

namespace yimei::db {
namespace {

struct HandleCloser {
  void operator()(MYSQL* h) const { mysql_close(h); }
};
struct StatementCloser {
  void operator()(MYSQL_STMT* s) const { mysql_stmt_close(s); }
};
struct ResultFreer {
  void operator()(MYSQL_RES* r) const { mysql_free_result(r); }
};
using StatementPtr = std::unique_ptr<MYSQL_STMT, StatementCloser>;
using MetadataPtr = std::unique_ptr<MYSQL_RES, ResultFreer>;

constexpr std::size_t kStatementCacheSize = 64;
// A text cell is fetched into a buffer this large; a longer one is fetched again, whole.
constexpr unsigned long kTextBuffer = 256;

std::string shortened(std::string_view sql_text) {
  return std::string(sql_text.substr(0, 200));
}

DbError handle_error(MYSQL* h, std::string_view sql_text) {
  const unsigned code = mysql_errno(h);
  return DbError(
      std::string(mysql_error(h)) + " [" + std::to_string(code) + "] in: " + shortened(sql_text),
      static_cast<int>(code), mysql_sqlstate(h));
}

DbError statement_error(MYSQL_STMT* s, std::string_view sql_text) {
  // An error packet met while fetching unbuffered rows (a statement time limit, a lost
  // connection) is recorded on the connection, not on the statement.
  if (mysql_stmt_errno(s) == 0 && s->mysql && mysql_errno(s->mysql) != 0)
    return handle_error(s->mysql, sql_text);
  const unsigned code = mysql_stmt_errno(s);
  return DbError(std::string(mysql_stmt_error(s)) + " [" + std::to_string(code) +
                     "] in: " + shortened(sql_text),
                 static_cast<int>(code), mysql_stmt_sqlstate(s));
}

// The parameter buffers of one execution: the MYSQL_BINDs point into them (and into the
// caller's strings), so they must live until mysql_stmt_execute returns.
class BoundParams {
 public:
  explicit BoundParams(const Params& params)
      : binds_(params.size()),
        lengths_(params.size()),
        texts_(params.size()),
        integers_(params.size()),
        reals_(params.size()) {
    for (std::size_t i = 0; i < params.size(); ++i) bind(i, params[i]);
  }
  MYSQL_BIND* data() { return binds_.empty() ? nullptr : binds_.data(); }

 private:
  void bind_text(std::size_t i, std::string_view text) {
    binds_[i].buffer_type = MYSQL_TYPE_STRING;
    binds_[i].buffer = const_cast<char*>(text.data());
    binds_[i].buffer_length = static_cast<unsigned long>(text.size());
    lengths_[i] = binds_[i].buffer_length;
    binds_[i].length = &lengths_[i];
  }
  void bind(std::size_t i, const Value& v) {
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          MYSQL_BIND& b = binds_[i];
          if constexpr (std::is_same_v<T, Null>) {
            b.buffer_type = MYSQL_TYPE_NULL;
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            integers_[i] = x;
            b.buffer_type = MYSQL_TYPE_LONGLONG;
            b.buffer = &integers_[i];
          } else if constexpr (std::is_same_v<T, Decimal>) {
            texts_[i] = x.to_string();  // a double would lose digits
            bind_text(i, texts_[i]);
          } else if constexpr (std::is_same_v<T, double>) {
            reals_[i] = x;
            b.buffer_type = MYSQL_TYPE_DOUBLE;
            b.buffer = &reals_[i];
          } else if constexpr (std::is_same_v<T, Text>) {
            bind_text(i, x);
          } else {
            texts_[i] = format_date(x);
            bind_text(i, texts_[i]);
          }
        },
        v);
  }

  std::vector<MYSQL_BIND> binds_;  // value-initialized: all fields zero
  std::vector<unsigned long> lengths_;
  std::vector<std::string> texts_;
  std::vector<long long> integers_;
  std::vector<double> reals_;
};

// How a result column is fetched, and the cell it becomes.
enum class Fetch { Integer, Bits, Decimal, Real, Date, DateTime, Time, Text };

Fetch fetch_of(const MYSQL_FIELD& f) {
  switch (f.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
      return Fetch::Integer;
    case MYSQL_TYPE_BIT:
      return Fetch::Bits;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      return Fetch::Decimal;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
      return Fetch::Real;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
      return Fetch::Date;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
      return Fetch::DateTime;
    case MYSQL_TYPE_TIME:
      return Fetch::Time;
    default:
      return Fetch::Text;
  }
}

ColumnType column_type_of(Fetch f) {
  switch (f) {
    case Fetch::Integer:
    case Fetch::Bits:
      return ColumnType::Integer;
    case Fetch::Decimal:
      return ColumnType::Decimal;
    case Fetch::Real:
      return ColumnType::Real;
    case Fetch::Date:
      return ColumnType::Date;
    default:
      return ColumnType::Text;  // date-times and times as text, as Connector/C++ gave them
  }
}

// "2024-02-29 12:34:56", with ".789000" only when there is a fraction (the text Connector/C++
// gave for prepared results, which callers and stored texts follow).
std::string format_time(const MYSQL_TIME& t, bool with_date) {
  char buf[48];
  int n = with_date ? std::snprintf(buf, sizeof buf, "%04u-%02u-%02u %02u:%02u:%02u", t.year,
                                    t.month, t.day, t.hour, t.minute, t.second)
                    : std::snprintf(buf, sizeof buf, "%s%02u:%02u:%02u", t.neg ? "-" : "", t.hour,
                                    t.minute, t.second);
  if (t.second_part != 0)
    n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%06lu", t.second_part);
  return std::string(buf, static_cast<std::size_t>(n));
}

// The result buffers of one statement execution, bound once and refilled by every fetch.
class ResultReader {
 public:
  ResultReader(MYSQL_STMT* stmt, const MYSQL_FIELD* fields, unsigned n)
      : stmt_(stmt),
        fetch_(n),
        binds_(n),
        lengths_(n),
        nulls_(n),
        integers_(n),
        reals_(n),
        times_(n),
        text_(static_cast<std::size_t>(n) * kTextBuffer) {
    for (unsigned i = 0; i < n; ++i) {
      fetch_[i] = fetch_of(fields[i]);
      MYSQL_BIND& b = binds_[i];
      b.length = &lengths_[i];
      b.is_null = &nulls_[i];
      switch (fetch_[i]) {
        case Fetch::Integer:
          b.buffer_type = MYSQL_TYPE_LONGLONG;
          b.buffer = &integers_[i];
          b.is_unsigned = (fields[i].flags & UNSIGNED_FLAG) != 0;
          break;
        case Fetch::Real:
          b.buffer_type = MYSQL_TYPE_DOUBLE;
          b.buffer = &reals_[i];
          break;
        case Fetch::Date:
        case Fetch::DateTime:
        case Fetch::Time:
          b.buffer_type = fetch_[i] == Fetch::Date       ? MYSQL_TYPE_DATE
                          : fetch_[i] == Fetch::DateTime ? MYSQL_TYPE_DATETIME
                                                         : MYSQL_TYPE_TIME;
          b.buffer = &times_[i];
          break;
        default:  // bits, decimals and text arrive as text
          b.buffer_type = MYSQL_TYPE_STRING;
          b.buffer = &text_[i * kTextBuffer];
          b.buffer_length = kTextBuffer;
      }
    }
  }

  MYSQL_BIND* binds() { return binds_.data(); }

  // The cell of column i of the row just fetched.
  Value cell(unsigned i) {
    if (nulls_[i]) return Null{};
    switch (fetch_[i]) {
      case Fetch::Integer:
        return static_cast<std::int64_t>(integers_[i]);
      case Fetch::Real:
        return reals_[i];
      case Fetch::Date: {
        const MYSQL_TIME& t = times_[i];
        const Date d{std::chrono::year(static_cast<int>(t.year)), std::chrono::month(t.month),
                     std::chrono::day(t.day)};
        if (t.month == 0 || t.day == 0 || !d.ok()) return Null{};  // zero dates read as NULL
        return d;
      }
      case Fetch::DateTime:
        return format_time(times_[i], true);
      case Fetch::Time:
        return format_time(times_[i], false);
      case Fetch::Decimal:
        return Decimal::from_db(bytes(i));
      case Fetch::Bits: {
        // Fetched as text, the library gives a BIT value's number in decimal digits (a bound
        // integer would stay 0).
        const std::string_view digits = bytes(i);
        std::uint64_t bits = 0;
        std::from_chars(digits.data(), digits.data() + digits.size(), bits);
        return static_cast<std::int64_t>(bits);
      }
      case Fetch::Text:
        return Text(bytes(i));
    }
    return Null{};
  }

 private:
  // The bytes of column i: from the bound buffer, or fetched again whole when longer.
  std::string_view bytes(unsigned i) {
    if (lengths_[i] <= kTextBuffer) return {&text_[i * kTextBuffer], lengths_[i]};
    long_text_.assign(lengths_[i], '\0');
    MYSQL_BIND b{};
    unsigned long got = 0;
    b.buffer_type = MYSQL_TYPE_STRING;
    b.buffer = long_text_.data();
    b.buffer_length = lengths_[i];
    b.length = &got;
    if (mysql_stmt_fetch_column(stmt_, &b, i, 0) != 0) throw statement_error(stmt_, "fetch");
    return long_text_;
  }

  MYSQL_STMT* stmt_;
  std::vector<Fetch> fetch_;
  std::vector<MYSQL_BIND> binds_;
  std::vector<unsigned long> lengths_;
  std::vector<my_bool> nulls_;
  std::vector<long long> integers_;
  std::vector<double> reals_;
  std::vector<MYSQL_TIME> times_;
  std::vector<char> text_;
  std::string long_text_;
};

// Frees a statement's result on scope exit; an unbuffered result not read to its end is read
// and dropped, so the connection is ready for the next statement.
class ResultGuard {
 public:
  explicit ResultGuard(MYSQL_STMT* s) : s_(s) {}
  ~ResultGuard() { mysql_stmt_free_result(s_); }
  ResultGuard(const ResultGuard&) = delete;
  ResultGuard& operator=(const ResultGuard&) = delete;

 private:
  MYSQL_STMT* s_;
};

void execute_statement(MYSQL_STMT* s, const Params& params, std::string_view sql_text) {
  if (mysql_stmt_param_count(s) != params.size())
    throw DbError("statement takes " + std::to_string(mysql_stmt_param_count(s)) + " parameters, " +
                      std::to_string(params.size()) + " given in: " + shortened(sql_text),
                  0, "HY000");
  BoundParams bound(params);
  if ((bound.data() && mysql_stmt_bind_param(s, bound.data())) || mysql_stmt_execute(s))
    throw statement_error(s, sql_text);
}

// Binds, executes and reads one prepared SELECT (at most max_rows rows), row by row as the
// server sends them: no copy of the whole result is held next to the Table.
Table run_prepared(MYSQL_STMT* s, const Params& params, std::size_t max_rows,
                   std::string_view sql_text) {
  execute_statement(s, params, sql_text);
  ResultGuard guard(s);
  Table t;
  const unsigned n = mysql_stmt_field_count(s);
  if (n == 0) return t;
  const MetadataPtr metadata(mysql_stmt_result_metadata(s));
  if (!metadata) throw statement_error(s, sql_text);
  const MYSQL_FIELD* fields = mysql_fetch_fields(metadata.get());
  ResultReader reader(s, fields, n);
  t.columns.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    Column col;
    col.name.assign(fields[i].name, fields[i].name_length);
    col.type = column_type_of(fetch_of(fields[i]));
    t.columns.push_back(std::move(col));
  }
  if (mysql_stmt_bind_result(s, reader.binds())) throw statement_error(s, sql_text);
  for (;;) {
    const int rc = mysql_stmt_fetch(s);
    if (rc == MYSQL_NO_DATA) break;
    if (rc == 1) throw statement_error(s, sql_text);
    // MYSQL_DATA_TRUNCATED only says a text was longer than its buffer: cell() refetches it.
    if (t.rows.size() >= max_rows) {
      t.truncated = true;
      break;
    }
    Row row;
    row.reserve(n);
    for (unsigned i = 0; i < n; ++i) row.push_back(reader.cell(i));
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

void init_driver() {
  static const bool initialized = mysql_library_init(0, nullptr, nullptr) == 0;
  if (!initialized) throw DbError("the MariaDB client library failed to initialise", 0, "HY000");
}

void thread_init() {
  mysql_thread_init();
}

void thread_end() {
  mysql_thread_end();
}

struct Connection::Impl {
  std::unique_ptr<MYSQL, HandleCloser> handle;
  // Small LRU cache of prepared statements keyed by SQL text.
  std::list<std::string> lru;
  std::unordered_map<std::string, std::pair<StatementPtr, std::list<std::string>::iterator>>
      statements;

  StatementPtr prepare_new(std::string_view sql_text) {
    StatementPtr s(mysql_stmt_init(handle.get()));
    if (!s) throw handle_error(handle.get(), sql_text);
    if (mysql_stmt_prepare(s.get(), sql_text.data(), static_cast<unsigned long>(sql_text.size())))
      throw statement_error(s.get(), sql_text);
    return s;
  }

  MYSQL_STMT* prepare(std::string_view sql_text) {
    std::string key(sql_text);
    if (auto it = statements.find(key); it != statements.end()) {
      lru.splice(lru.begin(), lru, it->second.second);
      return it->second.first.get();
    }
    StatementPtr s = prepare_new(sql_text);
    if (statements.size() >= kStatementCacheSize) {
      statements.erase(lru.back());
      lru.pop_back();
    }
    lru.push_front(key);
    auto& slot = statements[key];
    slot = {std::move(s), lru.begin()};
    return slot.first.get();
  }
};

Connection::Connection(const DbConfig& c) : impl_(std::make_unique<Impl>()), config_(c) {
  const std::string where =
      c.socket.empty() ? c.host + ":" + std::to_string(c.port) : "socket " + c.socket;
  MYSQL* h = mysql_init(nullptr);
  if (!h) throw DbError("connect to " + where + " failed: out of memory", 2008, "HY000");
  impl_->handle.reset(h);
  const unsigned connect_timeout = static_cast<unsigned>(c.connect_timeout_s);
  const unsigned read_timeout = static_cast<unsigned>(c.read_timeout_s);
  const unsigned write_timeout = static_cast<unsigned>(c.write_timeout_s);
  const my_bool reconnect = 0;  // reconnects silently drop prepared statements and session state
  const unsigned protocol = c.socket.empty() ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
  mysql_options(h, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  mysql_options(h, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(h, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_options(h, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout);
  mysql_options(h, MYSQL_OPT_RECONNECT, &reconnect);
  mysql_options(h, MYSQL_OPT_PROTOCOL, &protocol);
  if (!c.session_init_sql.empty()) mysql_options(h, MYSQL_INIT_COMMAND, c.session_init_sql.c_str());
  const bool by_socket = !c.socket.empty();
  if (!mysql_real_connect(h, by_socket ? "localhost" : c.host.c_str(), c.user.c_str(),
                          c.password.c_str(), c.database.empty() ? nullptr : c.database.c_str(),
                          by_socket ? 0 : static_cast<unsigned>(c.port),
                          by_socket ? c.socket.c_str() : nullptr, CLIENT_MULTI_RESULTS)) {
    const unsigned code = mysql_errno(h);
    throw DbError(
        "connect to " + where + " failed: " + mysql_error(h) + " [" + std::to_string(code) + "]",
        static_cast<int>(code), mysql_sqlstate(h));
  }
}

Connection::~Connection() {
  // Statements must be closed before their connection.
  impl_->statements.clear();
}

void Connection::rethrow(const std::exception& e) {
  if (const auto* de = dynamic_cast<const DbError*>(&e)) {
    if (de->is_connection_lost()) {
      broken_ = true;
      // The statements died with the connection.
      impl_->statements.clear();
      impl_->lru.clear();
    }
  }
  throw;  // keeps the type (called from inside a catch block)
}

Table Connection::query(std::string_view sql_text, const Params& params, std::size_t max_rows) {
  try {
    return run_prepared(impl_->prepare(sql_text), params, max_rows, sql_text);
  } catch (const std::exception& e) {
    rethrow(e);
  }
}

Table Connection::query_uncached(std::string_view sql_text, const Params& params,
                                 std::size_t max_rows) {
  try {
    const StatementPtr s = impl_->prepare_new(sql_text);
    return run_prepared(s.get(), params, max_rows, sql_text);
  } catch (const std::exception& e) {
    rethrow(e);
  }
}

std::uint64_t Connection::execute(std::string_view sql_text, const Params& params) {
  try {
    MYSQL_STMT* s = impl_->prepare(sql_text);
    execute_statement(s, params, sql_text);
    const ResultGuard guard(s);  // a statement that returned rows: they are dropped
    return mysql_stmt_affected_rows(s);
  } catch (const std::exception& e) {
    rethrow(e);
  }
}

void Connection::execute_unprepared(std::string_view sql_text) {
  try {
    MYSQL* h = impl_->handle.get();
    if (mysql_real_query(h, sql_text.data(), static_cast<unsigned long>(sql_text.size())))
      throw handle_error(h, sql_text);
    // Every result (a statement may return rows, a procedure several) is read and dropped.
    for (;;) {
      if (MYSQL_RES* r = mysql_store_result(h)) {
        mysql_free_result(r);
      } else if (mysql_field_count(h) != 0) {
        throw handle_error(h, sql_text);
      }
      const int next = mysql_next_result(h);
      if (next > 0) throw handle_error(h, sql_text);
      if (next < 0) break;
    }
  } catch (const std::exception& e) {
    rethrow(e);
  }
}

std::int64_t Connection::last_insert_id() {
  Table t = query("SELECT LAST_INSERT_ID()");
  return std::get<std::int64_t>(t.rows.at(0).at(0));
}

void Connection::begin(bool read_only) {
  execute_unprepared(read_only ? "START TRANSACTION READ ONLY" : "START TRANSACTION");
  in_transaction_ = true;
}

void Connection::commit() {
  execute_unprepared("COMMIT");
  in_transaction_ = false;
}

void Connection::rollback() noexcept {
  in_transaction_ = false;
  try {
    if (!broken_) execute_unprepared("ROLLBACK");
  } catch (const std::exception&) {
    broken_ = true;  // state unknown: let the pool discard it
  }
}

bool Connection::ping() noexcept {
  return !broken_ && mysql_ping(impl_->handle.get()) == 0;
}

std::vector<std::string> split_sql_script(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {  // line comment
      while (i < s.size() && s[i] != '\n') ++i;
      cur.push_back('\n');
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {  // block comment
      const auto end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 1;
      cur.push_back(' ');
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {  // quoted: copy through the closing quote
      cur.push_back(c);
      for (++i; i < s.size(); ++i) {
        cur.push_back(s[i]);
        if (s[i] == '\\' && c != '`' && i + 1 < s.size()) {
          cur.push_back(s[++i]);
        } else if (s[i] == c) {
          break;
        }
      }
      continue;
    }
    if (c == ';') {
      if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
      cur.clear();
      continue;
    }
    cur.push_back(c);
  }
  if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
  return out;
}

}  // namespace yimei::db
