// Database failures as one exception type carrying MariaDB's error code and SQLSTATE, with the
// few classifications the service acts on (lost connection, duplicate key, time limit).
#pragma once

#include <string>

#include "core/error.hpp"

namespace yimei::db {

class DbError : public DependencyError {
 public:
  DbError(const std::string& what, int code, std::string sqlstate)
      : DependencyError(what), code_(code), sqlstate_(std::move(sqlstate)) {}
  int code() const { return code_; }
  const std::string& sqlstate() const { return sqlstate_; }

  // The connection is unusable (server gone, restarted, network): discard and reconnect.
  bool is_connection_lost() const {
    return code_ == 2002 || code_ == 2003 || code_ == 2006 || code_ == 2013 || code_ == 2055 ||
           code_ == 1927 /* connection killed */;
  }
  bool is_duplicate_key() const { return code_ == 1062; }
  // Deadlock victim (1213) or lock wait timeout (1205): the transaction was rolled back and
  // running it again is the documented remedy.
  bool is_transient() const { return code_ == 1213 || code_ == 1205; }
  // max_statement_time exceeded (MariaDB 1969).
  bool is_statement_timeout() const { return code_ == 1969; }
  // The account or a read-only transaction refused a write or a table.
  bool is_permission_denied() const {
    return code_ == 1142 || code_ == 1143 || code_ == 1044 || code_ == 1792;
  }

 private:
  int code_;
  std::string sqlstate_;
};

}  // namespace yimei::db
