#pragma once
// Runs a unit of database work again when InnoDB picked it as a deadlock victim or its lock wait
// timed out. The work must be a whole transaction (or one autocommit statement): InnoDB has
// already rolled it back, so running it again from the start is safe.
#include <chrono>
#include <thread>

#include "core/db/db_error.hpp"

namespace yimei::db {

template <class Work>
auto retry_transient(Work&& work, int attempts = 4) -> decltype(work()) {
  for (int attempt = 1;; ++attempt) {
    try {
      return work();
    } catch (const DbError& e) {
      if (!e.is_transient() || attempt >= attempts) throw;
      // A short, growing pause lets the other transaction finish first.
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
    }
  }
}

}  // namespace yimei::db
