// Checks an AnalysisRequest against an analysis's ParamSpecs: unknown keys, malformed or
// out-of-range values and bad periods become one Chinese sentence; the rest becomes typed,
// defaulted values. Pure functions and value types; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/analysis.hpp"

namespace yimei::analysis {

// Validated parameters: every key of the analysis's ParamSpecs, defaults filled.
class ParamValues {
 public:
  ParamValues() = default;
  explicit ParamValues(std::map<std::string, std::string> values) : values_(std::move(values)) {}

  // The getters throw std::logic_error for a key the analysis does not declare (a bug, not
  // a user error): values were validated by resolve_request.
  std::int64_t get_int(const std::string& key) const;
  Decimal get_decimal(const std::string& key) const;
  Date get_date(const std::string& key) const;
  std::vector<std::string> get_list(const std::string& key) const;
  // The normalized text of every parameter (the result's effective params).
  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  const std::string& raw(const std::string& key) const;
  std::map<std::string, std::string> values_;
};

struct ResolvedRequest {
  const AnalysisInfo* info = nullptr;
  Date as_of;
  // The caller's period, checked (from <= to, from <= as_of) and clamped to end at as_of;
  // nullopt when the caller gave none (each analysis then applies its default).
  std::optional<Date> from, to;
  ParamValues params;
  Scope scope;
};

// Returns a UserError (BadInput) with a Chinese sentence for an unknown parameter, a value
// that does not parse or is out of range, an incomplete or reversed period, or a period given
// to an analysis without one.
Outcome<ResolvedRequest> resolve_request(const AnalysisInfo& info, const AnalysisRequest& request);

// Splits a list parameter at ',', '，' or '、', trimming spaces and dropping empty items.
std::vector<std::string> split_list(const std::string& text);

}  // namespace yimei::analysis
