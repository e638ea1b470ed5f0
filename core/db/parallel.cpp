// run_parallel: a shared next-job counter, one sibling connection per extra thread, and each
// job's exception kept in its own slot so that the one rethrown does not depend on timing.
#include "core/db/parallel.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <system_error>
#include <thread>

namespace yimei::db {

void run_parallel(Connection& conn, const std::vector<ConnectionJob>& jobs, int workers) {
  const std::size_t n = jobs.size();
  std::vector<std::exception_ptr> errors(n);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  const auto work = [&](Connection& c) {
    while (!failed.load()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n) return;
      try {
        jobs[i](c);
      } catch (...) {
        errors[i] = std::current_exception();
        failed.store(true);
      }
    }
  };

  const std::size_t wanted = n == 0 ? 0 : std::min<std::size_t>(std::max(workers, 1), n) - 1;
  const std::size_t siblings = conn.in_transaction() ? 0 : wanted;
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < siblings; ++t) {
    try {
      threads.emplace_back([&] {
        thread_init();
        try {
          Connection sibling(conn.config());
          work(sibling);
        } catch (const std::exception& e) {
          // Only the connect can get here (jobs' own failures are kept): the others do its share.
          spdlog::warn("parallel jobs: a sibling connection failed, the others do its jobs: {}",
                       e.what());
        }
        thread_end();
      });
    } catch (const std::system_error& e) {
      spdlog::warn("parallel jobs: no thread for a sibling connection: {}", e.what());
      break;
    }
  }
  work(conn);
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace yimei::db
