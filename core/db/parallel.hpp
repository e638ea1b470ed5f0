// Independent read jobs spread over a few connections at once: the caller's connection and
// siblings opened with its DbConfig, for work (growth-points' detectors) whose statements are
// long enough that the server's second core is worth a connection and a thread.
#pragma once

#include <functional>
#include <vector>

#include "core/db/connection.hpp"

namespace yimei::db {

using ConnectionJob = std::function<void(Connection&)>;

// Runs every job once and returns when all have finished, synchronously for the caller. Up to
// `workers` jobs run at a time: one on the calling thread with `conn`, the others each on a
// thread of its own with a sibling connection opened from conn.config() (outside any pool, as
// the caller's own lease stands for them; closed before returning). Jobs are started in index
// order by whichever worker is free, so put the longest first. A job must touch only the state
// it owns or guards itself.
//
// Failures: after a job throws, no further job starts; once the running ones finish, the
// exception of the lowest-indexed job that failed is rethrown. A sibling that cannot connect
// takes no jobs (the others do them). Inside a transaction (conn.in_transaction()) every job
// runs on `conn`: a sibling would see neither the transaction's snapshot nor its writes.
//
// Snapshots: outside a transaction each statement of the caller's connection already reads its
// own snapshot (autocommit), so jobs on siblings are no less consistent with each other than
// the same jobs run one after another on one connection.
void run_parallel(Connection& conn, const std::vector<ConnectionJob>& jobs, int workers);

}  // namespace yimei::db
