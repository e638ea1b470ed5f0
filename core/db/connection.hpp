// One database connection (MariaDB Connector/C behind a pimpl: its headers stay out of callers).
// Every user-supplied value is bound as a parameter; DECIMAL travels as text both ways.
// Not thread-safe: one thread at a time, normally through a ConnectionPool lease.
// All methods throw DbError on failure; after a lost connection broken() is true.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/db_config.hpp"
#include "core/db/db_error.hpp"
#include "core/table.hpp"

namespace yimei::db {

using Params = std::vector<Value>;

class Connection {
 public:
  explicit Connection(const DbConfig& config);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs a SELECT (prepared, parameters bound in order). At most max_rows rows are read;
  // Table::truncated tells whether more were there.
  Table query(std::string_view sql, const Params& params = {},
              std::size_t max_rows = std::numeric_limits<std::size_t>::max());
  // Like query(), but with a statement prepared for this call alone and closed after it,
  // bypassing the cache: for generated SQL (Text2SQL), since MariaDB 10.11 can return wrong
  // rows on the second execution of a prepared statement with a correlated [NOT] EXISTS
  // (MDEV-30073).
  Table query_uncached(std::string_view sql, const Params& params = {},
                       std::size_t max_rows = std::numeric_limits<std::size_t>::max());
  // Runs INSERT/UPDATE/DELETE/DDL; returns the affected row count.
  std::uint64_t execute(std::string_view sql, const Params& params = {});
  // Runs a statement without preparing it (for statements MariaDB cannot prepare).
  void execute_unprepared(std::string_view sql);
  std::int64_t last_insert_id();

  void begin(bool read_only = false);
  void commit();
  void rollback() noexcept;

  // True when the server answers within the connect timeout.
  bool ping() noexcept;
  // Set after an error that lost the connection; the pool then discards it.
  bool broken() const { return broken_; }
  // Between begin() and commit()/rollback(): work meant to see this session's snapshot and
  // uncommitted writes must then stay on this connection.
  bool in_transaction() const { return in_transaction_; }
  // What this connection was opened with: a sibling for parallel work opens with the same.
  const DbConfig& config() const { return config_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  DbConfig config_;
  bool broken_ = false;
  bool in_transaction_ = false;
  // Rethrows the exception being handled, first marking the connection broken when it was lost;
  // must be called inside a catch block.
  [[noreturn]] void rethrow(const std::exception& e);
};

// Rolls back on scope exit unless commit() ran. Not copyable.
class Transaction {
 public:
  explicit Transaction(Connection& c, bool read_only = false) : c_(c) { c_.begin(read_only); }
  ~Transaction() {
    if (!done_) c_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    c_.commit();
    done_ = true;
  }

 private:
  Connection& c_;
  bool done_ = false;
};

// Loads the driver once; call from main before any thread touches the database.
void init_driver();
// Per-thread set-up and tear-down of the client library (mysql_thread_init/end): call on each
// long-lived thread that uses connections (worker pools do it through their hooks).
void thread_init();
void thread_end();

// Splits a SQL script into statements at ';' outside strings, identifiers and comments.
std::vector<std::string> split_sql_script(std::string_view script);

}  // namespace yimei::db
