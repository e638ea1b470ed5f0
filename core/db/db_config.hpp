// Where and how to reach MariaDB/MySQL. Filled from the configuration (DB_* variables).
#pragma once

#include <cstddef>
#include <string>

namespace yimei::db {

struct DbConfig {
  std::string host = "127.0.0.1";
  int port = 3306;
  // When set, the connection goes through this unix socket of a server on the same host
  // (host and port unused): no TCP stack, the cheapest round trip.
  std::string socket;
  std::string database = "medical_cosmetics";
  std::string user = "root";
  std::string password;  // secret: never logged
  int connect_timeout_s = 5;
  int read_timeout_s = 30;
  int write_timeout_s = 30;
  std::size_t pool_size = 8;
  // Session settings re-applied on every (re)connect, e.g. read-only mode and time limits.
  std::string session_init_sql;
};

}  // namespace yimei::db
