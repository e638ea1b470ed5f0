// The scheduled reports and threshold alerts of `[[push]]` jobs (docs/spec/interfaces.md):
// each builds, for one reference date, a short Chinese narrative with the figures and their
// comparison, an aggregate table, a chart PNG and, where it names customers, a private customer
// list. Computed by the analysis core plus bound-parameter SQL, so a report for a date is
// reproducible. Thread-safe as long as each thread uses its own db::Connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/analysis.hpp"
#include "core/date.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "core/table.hpp"

namespace yimei::report {

struct ReportInfo {
  std::string name;      // daily-summary, …, alert-expiring-amount
  std::string title_zh;  // 每日经营摘要, …
  bool is_alert = false;
  std::string description_zh;  // one line: what it reports and for which days
  std::vector<analysis::ParamSpec> params;
};

// Every report, summaries first, then alerts (the order of interfaces.md).
const std::vector<ReportInfo>& report_catalog();
const ReportInfo* find_report(std::string_view name);
// "daily-summary（每日经营摘要）、…" for error messages.
std::string report_names_zh();

// Checks job parameters: unknown keys and malformed or out-of-range values give one Chinese
// sentence (BadInput); otherwise every declared key with its default filled in.
Outcome<std::map<std::string, std::string>> resolve_params(
    const ReportInfo& info, const std::map<std::string, std::string>& params);

struct ReportRequest {
  // The slot's local date. Summaries read the records up to the day before (the last complete
  // day); balances expiring are counted from this date on.
  Date as_of;
  std::map<std::string, std::string> params;
  // Alerts: cause keys still inside their quiet period; they are left out of the message.
  std::set<std::string> quiet_causes;
};

// One reason an alert fired, e.g. key "department-drop:皮肤科". `sentence_zh` says why in one
// sentence and never names a customer (it may go to group chats).
struct AlertCause {
  std::string key;
  std::string sentence_zh;
};

struct Report {
  std::string name;
  std::string title_zh;
  Date as_of;
  Date data_through;  // the last day whose records were read
  // Title line, then the narrative with figures and comparisons: aggregates only, safe for
  // group chats.
  std::string text_zh;
  Table figures;  // the aggregate table behind the narrative (departments, products …)
  std::vector<std::uint8_t> chart_png;  // empty when there was nothing to draw
  // Rows naming customers (phones unmasked, flagged is_phone): only for readers allowed to see
  // them. nullopt when the report names no customer.
  std::optional<Table> customer_list;
  std::string customer_list_title_zh;

  // Alerts only.
  bool is_alert = false;
  std::vector<AlertCause> causes;    // fired and not quiet: the message is sent when non-empty
  std::vector<std::string> quieted;  // fired but still inside the quiet period
  std::string not_fired_zh;          // why nothing is sent (when causes is empty)
  bool fired() const { return !causes.empty(); }
};

// Builds one report. Unknown names and bad parameters give a UserError (BadInput / NotFound);
// database failures throw db::DbError; a chart that cannot be drawn is left empty (logged).
Outcome<Report> build_report(db::Connection& conn, const std::string& name,
                             const ReportRequest& request);

}  // namespace yimei::report
