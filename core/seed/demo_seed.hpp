// Deterministic, realistic demo data for one clinic: consultants, customers across membership
// levels and tags, about three years of consumption with seasonality and repeat behaviour,
// card purchases feeding unspent balances, write-offs, expiring and dormant balances. Every
// invariant of schema.md holds. The same options give the same rows, byte for byte.
#pragma once

#include <cstdint>
#include <string>

#include "core/date.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace yimei::seed {

struct SeedOptions {
  std::uint64_t seed = 2026;
  int customers = 3000;
  Date end_date;  // the last day with data (normally today)
  int years = 3;  // history length
  int balance_validity_days = 365;
  bool replace = false;  // delete existing contract rows first
};

struct SeedReport {
  std::int64_t consultants = 0;
  std::int64_t products = 0;
  std::int64_t customers = 0;
  std::int64_t consumption_records = 0;
  std::int64_t write_off_records = 0;
  std::int64_t balances = 0;
  double seconds = 0;
};

// Refuses (UserError) when the contract tables hold data and replace is false, or when the
// options are out of range. Throws DbError when the database fails; on failure nothing is
// left half-written (each table is loaded in one transaction after a clean start).
Outcome<SeedReport> seed_demo_data(db::Connection& conn, const SeedOptions& options);

}  // namespace yimei::seed
