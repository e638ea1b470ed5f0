// The clinic analyses of docs/spec/analyses.md (inactive customers, 二开率, VIP, balances,
// departments, products, growth points), computed in MariaDB, for the CLI, chat, REST and
// scheduler alike. Thread-safe as long as each thread uses its own db::Connection.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/db/connection.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/render/chart.hpp"
#include "core/table.hpp"

namespace yimei::analysis {

enum class ParamType { Int, Decimal, Date, List };

struct ParamSpec {
  std::string key;
  ParamType type = ParamType::Int;
  std::string default_value;
  std::string description_zh;
  // Inclusive bounds for Int and Decimal values (as decimal text; empty = unbounded).
  std::string min_value;
  std::string max_value;
};

struct AnalysisInfo {
  std::string name;      // inactive-customers, …, growth-points
  std::string title_zh;  // 不活跃顾客, …
  std::vector<std::string> aliases_zh;
  std::vector<ParamSpec> params;
  bool has_period = false;        // accepts from/to
  std::string period_default_zh;  // how the default period is chosen, for help texts
};

// Every analysis, in the order of analyses.md.
const std::vector<AnalysisInfo>& catalog();
// By name (inactive-customers), title (不活跃顾客) or alias (沉睡, 二开率…); nullptr when none.
const AnalysisInfo* find_analysis(std::string_view name_or_alias);
// "inactive-customers、new-customer-repurchase、…" for error messages.
std::string analysis_names_zh();

// What the caller may see: a consultant sees only the customers whose
// customers.consultant_id is theirs (every figure, totals included).
struct Scope {
  std::optional<std::string> consultant_id;
};

struct AnalysisRequest {
  Date as_of;
  // A closed interval; both or neither (analyses with has_period only). The params map may
  // also carry "from" and "to" (YYYY-MM-DD) for callers that only pass key=value pairs.
  std::optional<Date> from, to;
  std::map<std::string, std::string> params;
  Scope scope;
};

struct SummaryItem {
  std::string key;
  std::string label_zh;
  Value value;
  ColumnUnit unit = ColumnUnit::None;
};

struct ChartSuggestion {
  render::ChartKind kind = render::ChartKind::Bar;
  std::string title;
  std::string label_column;
  std::vector<std::string> value_columns;
  // The data to draw; when empty the result's main table is used.
  std::optional<Table> table;
  ColumnUnit unit = ColumnUnit::None;
};

// One growth opportunity (growth-points only).
struct Opportunity {
  int rank = 0;          // 1 = highest score
  std::string key;       // stable machine name, e.g. "dormant-high-value"
  std::string title_zh;  // 沉睡高价值顾客唤醒
  std::vector<SummaryItem> evidence;
  Decimal opportunity_amount;           // 元
  std::string formula_zh;               // how opportunity_amount was computed, with the figures
  double score = 0;                     // 0..100
  std::string priority_zh;              // 高 / 中 / 低
  std::vector<std::string> actions_zh;  // two or three concrete actions
  Table targets;                        // the full target list
  std::string target_kind_zh;           // 顾客 / 品项 / 咨询师 / 科室 / 余额
};

// A breakdown made of some of the main table's rows (e.g. the expiring balances): their indexes,
// in table order, instead of copies (on 140,000 balances the copies were 31 MB).
struct RowSubset {
  std::string name;
  std::vector<std::uint32_t> rows;
};

struct AnalysisResult {
  std::string name;
  std::string title_zh;
  Date as_of;
  std::optional<Date> from, to;
  std::optional<Date> previous_from, previous_to;  // the comparison period, when there is one
  std::map<std::string, std::string> params;       // effective: defaults filled
  std::vector<SummaryItem> summary;
  Table table;
  std::vector<std::pair<std::string, Table>> breakdowns;  // e.g. 按咨询师, 按科室
  std::vector<RowSubset> row_subsets;                     // listed after the breakdowns
  std::optional<ChartSuggestion> chart;
  std::string narrative_zh;                // a 2-4 sentence Chinese summary
  std::vector<Opportunity> opportunities;  // growth-points, ranked
};

// The first max_rows rows of a subset of `table` as a table of its columns.
Table subset_table(const Table& table, const RowSubset& subset,
                   std::size_t max_rows = std::numeric_limits<std::size_t>::max());

// Runs one analysis. Unknown names and bad parameters give a UserError with one Chinese
// sentence; database failures throw db::DbError. Every query is a SELECT with bound values (a
// SELECT-only account works), reading the contract tables and the summaries that the triggers of
// migrations 0004 and 0005 keep exact; results do not depend on whether records after as_of exist.
// Synchronous; growth-points runs its detectors on two connections at once, `conn` and a sibling
// opened with conn.config() for the call (all on `conn` inside a transaction), with the same
// results and order as one after another.
Outcome<AnalysisResult> run_analysis(db::Connection& conn, const std::string& name,
                                     const AnalysisRequest& request);

// Recomputes every summary the analyses read (the tables of sql/migrations/0004 with the copies
// of 0005, which the database's triggers keep exact) from the contract tables: after a bulk load
// that deferred the triggers (DeferSummaries), after a TRUNCATE of a contract table, or to repair a
// database loaded with the triggers absent. Runs in the caller's transaction, if any; throws
// db::DbError.
void rebuild_summaries(db::Connection& conn);

// While alive, the summary triggers on `conn`'s session do nothing (a bulk loader's speed-up:
// per-row upkeep costs about 5x the plain insert); the loader must call rebuild_summaries on the
// same connection before committing. Throws db::DbError. Not thread-safe (one connection).
class DeferSummaries {
 public:
  explicit DeferSummaries(db::Connection& conn);
  ~DeferSummaries();
  DeferSummaries(const DeferSummaries&) = delete;
  DeferSummaries& operator=(const DeferSummaries&) = delete;

 private:
  db::Connection& conn_;
};

// The default chart of a result as a chart spec (values converted to double for drawing);
// nullopt when the result suggests no chart or has no rows to draw.
std::optional<render::ChartSpec> default_chart(const AnalysisResult& result);

}  // namespace yimei::analysis
