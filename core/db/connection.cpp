// Connector/C++ 1.1 wrapped: prepared statements cached per connection, typed reads, DECIMAL
// as text, errors translated to DbError. See docs/spec/stack.md §5 for the driver's quirks.
#include "core/db/connection.hpp"

#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>

#include <algorithm>
#include <list>
#include <mutex>
#include <unordered_map>

namespace yimei::db {
namespace {

sql::Driver* driver() {
  static sql::Driver* d = [] {
    sql::Driver* drv = get_driver_instance();
    return drv;
  }();
  return d;
}

constexpr std::size_t kStatementCacheSize = 64;
// A cached statement keeps its last result buffered in the client library (mysql_stmt_store_result)
// until it runs again: 22 MB for the 140,601 balances, alive next to the Table made from it. A
// statement whose result had at least this many cells is therefore closed after the read, and
// prepared again next time (a round trip, small next to reading such a result).
constexpr std::size_t kLargeResultCells = 20000;

ColumnType column_type_of(int t) {
  switch (t) {
    case sql::DataType::BIT:
    case sql::DataType::TINYINT:
    case sql::DataType::SMALLINT:
    case sql::DataType::MEDIUMINT:
    case sql::DataType::INTEGER:
    case sql::DataType::BIGINT:
    case sql::DataType::YEAR:
      return ColumnType::Integer;
    case sql::DataType::DECIMAL:
    case sql::DataType::NUMERIC:
      return ColumnType::Decimal;
    case sql::DataType::REAL:
    case sql::DataType::DOUBLE:
      return ColumnType::Real;
    case sql::DataType::DATE:
      return ColumnType::Date;
    default:
      return ColumnType::Text;
  }
}

void bind(sql::PreparedStatement& ps, const Params& params) {
  unsigned i = 1;
  for (const Value& v : params) {
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Null>) {
            ps.setNull(i, sql::DataType::VARCHAR);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            ps.setInt64(i, x);
          } else if constexpr (std::is_same_v<T, Decimal>) {
            ps.setString(i, x.to_string());  // setDouble would lose digits
          } else if constexpr (std::is_same_v<T, double>) {
            ps.setDouble(i, x);
          } else if constexpr (std::is_same_v<T, std::string>) {
            ps.setString(i, x);
          } else {
            ps.setDateTime(i, format_date(x));
          }
        },
        v);
    ++i;
  }
}

}  // namespace

void init_driver() {
  (void)driver();
}

void thread_init() {
  driver()->threadInit();
}

void thread_end() {
  driver()->threadEnd();
}

struct Connection::Impl {
  std::unique_ptr<sql::Connection> conn;
  // Small LRU cache of prepared statements keyed by SQL text.
  std::list<std::string> lru;
  std::unordered_map<std::string, std::pair<std::unique_ptr<sql::PreparedStatement>,
                                            std::list<std::string>::iterator>>
      statements;

  sql::PreparedStatement& prepare(std::string_view sql_text) {
    std::string key(sql_text);
    if (auto it = statements.find(key); it != statements.end()) {
      lru.splice(lru.begin(), lru, it->second.second);
      return *it->second.first;
    }
    std::unique_ptr<sql::PreparedStatement> ps(conn->prepareStatement(key));
    if (statements.size() >= kStatementCacheSize) {
      statements.erase(lru.back());
      lru.pop_back();
    }
    lru.push_front(key);
    auto& slot = statements[key];
    slot = {std::move(ps), lru.begin()};
    return *slot.first;
  }

  // Closes a cached statement (it is prepared again when next used).
  void forget(std::string_view sql_text) {
    auto it = statements.find(std::string(sql_text));
    if (it == statements.end()) return;
    lru.erase(it->second.second);
    statements.erase(it);
  }
};

Connection::Connection(const DbConfig& c) : impl_(std::make_unique<Impl>()), config_(c) {
  sql::ConnectOptionsMap o;
  const std::string where =
      c.socket.empty() ? c.host + ":" + std::to_string(c.port) : "socket " + c.socket;
  o["hostName"] =
      c.socket.empty() ? "tcp://" + c.host + ":" + std::to_string(c.port) : "unix://" + c.socket;
  o["userName"] = c.user;
  o["password"] = c.password;
  o["schema"] = c.database;
  o["OPT_CHARSET_NAME"] = "utf8mb4";
  o["OPT_RECONNECT"] = false;  // reconnects silently drop prepared statements and session state
  o["OPT_CONNECT_TIMEOUT"] = c.connect_timeout_s;
  o["OPT_READ_TIMEOUT"] = c.read_timeout_s;
  o["OPT_WRITE_TIMEOUT"] = c.write_timeout_s;
  if (!c.session_init_sql.empty()) o["preInit"] = c.session_init_sql;
  try {
    impl_->conn.reset(driver()->connect(o));
  } catch (const sql::SQLException& e) {
    throw DbError("connect to " + where + " failed: " + e.what(), e.getErrorCode(),
                  e.getSQLStateCStr());
  }
}

Connection::~Connection() {
  // Statements must die before their connection.
  impl_->statements.clear();
}

void Connection::rethrow(const std::exception& e, std::string_view sql_text) {
  if (const auto* se = dynamic_cast<const sql::SQLException*>(&e)) {
    DbError err(std::string(se->what()) + " [" + std::to_string(se->getErrorCode()) +
                    "] in: " + std::string(sql_text.substr(0, 200)),
                se->getErrorCode(), se->getSQLStateCStr());
    if (err.is_connection_lost() || !impl_->conn || impl_->conn->isClosed()) broken_ = true;
    // A failed prepare may leave the cached statement unusable: drop the whole cache.
    if (err.code() == 2030) {
      impl_->statements.clear();
      impl_->lru.clear();
    }
    throw err;
  }
  throw;  // not a driver error: keep its type (called from inside a catch block)
}

namespace {

// Binds, executes and reads one prepared SELECT (at most max_rows rows).
Table run_prepared(sql::PreparedStatement& ps, const Params& params, std::size_t max_rows) {
  bind(ps, params);
  std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
  sql::ResultSetMetaData* md = rs->getMetaData();
  const unsigned n = md->getColumnCount();
  Table t;
  t.columns.reserve(n);
  for (unsigned i = 1; i <= n; ++i) {
    Column col;
    col.name = md->getColumnLabel(i);
    col.type = column_type_of(md->getColumnType(i));
    t.columns.push_back(std::move(col));
  }
  // A buffered result knows its size: the row vector is allocated once.
  t.rows.reserve(std::min<std::size_t>(rs->rowsCount(), max_rows));
  while (rs->next()) {
    if (t.rows.size() >= max_rows) {
      t.truncated = true;
      break;
    }
    Row row;
    row.reserve(n);
    for (unsigned i = 1; i <= n; ++i) {
      if (rs->isNull(i)) {
        row.emplace_back(Null{});
        continue;
      }
      switch (t.columns[i - 1].type) {
        case ColumnType::Integer:
          row.emplace_back(static_cast<std::int64_t>(rs->getInt64(i)));
          break;
        case ColumnType::Decimal:
          row.emplace_back(Decimal::from_db(rs->getString(i).asStdString()));
          break;
        case ColumnType::Real:
          row.emplace_back(static_cast<double>(rs->getDouble(i)));
          break;
        case ColumnType::Date: {
          auto d = parse_date(rs->getString(i).asStdString());
          if (d) {
            row.emplace_back(*d);
          } else {
            row.emplace_back(Null{});  // zero dates ('0000-00-00') read as NULL
          }
          break;
        }
        case ColumnType::Text: {
          // The connector returns its own string type by value; its text is moved out rather
          // than copied (a copy per cell was a tenth of reading a 140,000-row result).
          sql::SQLString text = rs->getString(i);
          row.emplace_back(std::move(const_cast<std::string&>(text.asStdString())));
          break;
        }
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

Table Connection::query(std::string_view sql_text, const Params& params, std::size_t max_rows) {
  try {
    Table t = run_prepared(impl_->prepare(sql_text), params, max_rows);
    if (t.rows.size() * t.columns.size() >= kLargeResultCells) impl_->forget(sql_text);
    return t;
  } catch (const std::exception& e) {
    rethrow(e, sql_text);
  }
}

Table Connection::query_uncached(std::string_view sql_text, const Params& params,
                                 std::size_t max_rows) {
  try {
    std::unique_ptr<sql::PreparedStatement> ps(
        impl_->conn->prepareStatement(std::string(sql_text)));
    return run_prepared(*ps, params, max_rows);
  } catch (const std::exception& e) {
    rethrow(e, sql_text);
  }
}

std::uint64_t Connection::execute(std::string_view sql_text, const Params& params) {
  try {
    sql::PreparedStatement& ps = impl_->prepare(sql_text);
    bind(ps, params);
    return static_cast<std::uint64_t>(ps.executeUpdate());
  } catch (const std::exception& e) {
    rethrow(e, sql_text);
  }
}

void Connection::execute_unprepared(std::string_view sql_text) {
  try {
    std::unique_ptr<sql::Statement> st(impl_->conn->createStatement());
    st->execute(std::string(sql_text));
  } catch (const std::exception& e) {
    rethrow(e, sql_text);
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
  try {
    return !broken_ && impl_->conn->isValid();
  } catch (const std::exception&) {
    broken_ = true;
    return false;
  }
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
