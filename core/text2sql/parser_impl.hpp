// Internal to the rules parser (parser.cpp, parser_frames.cpp): the Parser state over one
// question's tokens and the helpers its frames share. Not part of the public interface.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/text2sql/parser.hpp"
#include "core/text2sql/semantic_model.hpp"

namespace yimei::text2sql::detail {

inline bool is_subject_field(const std::string& f) {
  return f == "customer" || f == "person" || f == "consultant" || f == "product";
}

inline bool is_dimension_field(const std::string& f) {
  return f == "department" || f == "consultant" || f == "product" || f == "product_type" ||
         f == "membership_level" || f == "payment_method" || f == "customer" || f == "day" ||
         f == "week" || f == "month" || f == "quarter" || f == "year";
}

// Attributes people ask about an entity, by entity.
inline bool is_attribute_of(const std::string& entity, const std::string& f) {
  if (entity == "customer")
    return f == "register_date" || f == "membership_level" || f == "health_tag" || f == "phone" ||
           f == "last_visit_date" || f == "consultant" || f == "id" || f == "name";
  if (entity == "consultant") return f == "department" || f == "id" || f == "name";
  if (entity == "product")
    return f == "standard_price" || f == "product_type" || f == "department" || f == "id" ||
           f == "name";
  return false;
}

inline std::string entity_of_value_field(const std::string& f) {
  if (f == "customer" || f == "customer_id") return "customer";
  if (f == "consultant" || f == "consultant_id") return "consultant";
  if (f == "product" || f == "product_id") return "product";
  return "";
}

// Filters that live on the subject entity itself (the rest describe its events).
inline bool is_subject_attribute_filter(const std::string& subject, const std::string& field) {
  if (subject == "customer")
    return field == "membership_level" || field == "health_tag" || field == "customer" ||
           field == "customer_id" || field == "customer_consultant";
  if (subject == "product")
    return field == "product" || field == "product_id" || field == "product_type" ||
           field == "department" || field == "standard_price";
  if (subject == "consultant")
    return field == "consultant" || field == "consultant_id" || field == "department";
  return false;
}

inline bool is_conjunction(const Token& t) {
  static const std::set<std::string> kConj = {"但是", "但",   "而",   "却", "可是", "然而",
                                              "并且", "而且", "同时", "可", "就是"};
  return t.kind == TokKind::Filler && kConj.count(t.text) > 0;
}

inline std::string number_text(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9)
    return std::to_string(static_cast<long long>(std::llround(v)));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

inline Date shift_year(const Date& d, int years) {
  return add_months(d, 12 * years);
}

inline bool whole_month(const Period& p) {
  return p.from == first_of_month(p.from) && p.to == last_of_month(p.from);
}

class Parser {
 public:
  Parser(std::vector<Token>& t, const Date& as_of, const ParseOptions& o)
      : t_(t), as_of_(as_of), opt_(o) {}

  ParseOutcome run();

 private:
  struct ValUse {
    std::size_t tok;
    std::string field;
    std::vector<std::string> values;
    bool exclude = false;
  };
  struct NumCmp {
    std::size_t num;
    std::string op;  // "" when no comparison word
    double value;
    std::string unit;
  };

  // ---- token helpers -------------------------------------------------------------------
  bool has(TokKind k) const {
    for (const auto& x : t_)
      if (x.kind == k) return true;
    return false;
  }
  bool has(TokKind k, const std::string& a) const {
    for (const auto& x : t_)
      if (x.kind == k && x.a == a) return true;
    return false;
  }
  int first(TokKind k, std::size_t from = 0) const {
    for (std::size_t i = from; i < t_.size(); ++i)
      if (t_[i].kind == k) return static_cast<int>(i);
    return -1;
  }
  void use(std::size_t i) { t_[i].used = true; }
  void use_all(TokKind k) {
    for (auto& x : t_)
      if (x.kind == k) x.used = true;
  }
  void use_all(TokKind k, const std::string& a) {
    for (auto& x : t_)
      if (x.kind == k && x.a == a) x.used = true;
  }
  // Next token that is not a filler or classifier, or -1.
  int next_content(std::size_t i) const {
    for (std::size_t j = i + 1; j < t_.size(); ++j)
      if (t_[j].kind != TokKind::Filler && t_[j].kind != TokKind::Classifier)
        return static_cast<int>(j);
    return -1;
  }
  int prev_content(std::size_t i) const {
    for (std::size_t j = i; j-- > 0;)
      if (t_[j].kind != TokKind::Filler && t_[j].kind != TokKind::Classifier)
        return static_cast<int>(j);
    return -1;
  }
  bool field_at(int i, const std::string& f) const {
    return i >= 0 && t_[static_cast<std::size_t>(i)].kind == TokKind::Field &&
           t_[static_cast<std::size_t>(i)].a == f;
  }

  // ---- preparation ---------------------------------------------------------------------
  void prepare();

  // "今年" + "1到4月": the narrower of two adjacent nested windows; "本月" + "截至" + "今天":
  // one window from the first start to the second end.
  void merge_times();

  void paren_group(std::size_t open, std::size_t close);

  void resolve_values();

  bool owned_after(std::size_t i) const {
    for (std::size_t j = i + 1; j < t_.size() && j <= i + 3; ++j) {
      if (t_[j].kind == TokKind::Own) return true;
      if (t_[j].kind != TokKind::Filler) break;
    }
    return false;
  }

  std::string pick_field(std::size_t i, const std::set<std::string>& fields) const;

  void pair_numbers();

  // ---- shared pieces ---------------------------------------------------------------------
  std::optional<Period> period_of(std::size_t tok) const {
    const Token& x = t_[tok];
    if (!x.range) return std::nullopt;
    return Period{x.range->from, x.range->to, x.range->label.empty() ? x.text : x.range->label};
  }

  std::optional<Period> first_time() {
    if (times_.empty()) return std::nullopt;
    use(times_[0]);
    return period_of(times_[0]);
  }

  // Filters from every value (and 新客/老客), for frames over one event table.
  std::vector<Filter> all_filters(bool include_new = true);

  void new_filter(std::vector<Filter>& fs) {
    if (has(TokKind::New) && has(TokKind::Old)) return;  // 新客和老客: a dimension instead
    if (has(TokKind::New)) {
      use_all(TokKind::New);
      add_filter(fs, "is_new", "=", {"1"});
    } else if (has(TokKind::Old)) {
      use_all(TokKind::Old);
      add_filter(fs, "is_new", "=", {"0"});
    }
  }

  static void add_filter(std::vector<Filter>& fs, const std::string& field, const std::string& op,
                         const std::vector<std::string>& values);

  // Numeric comparisons on attributes (标价5000以上, 单笔超过1万).
  void numeric_filters(std::vector<Filter>& fs, const std::string& subject);

  bool near_field(std::size_t num, const std::string& field) const {
    for (std::size_t j = num; j-- > 0 && num - j <= 4;)
      if (t_[j].kind == TokKind::Field && t_[j].a == field) return true;
    for (std::size_t j = num + 1; j < t_.size() && j - num <= 3; ++j)
      if (t_[j].kind == TokKind::Field && t_[j].a == field) return true;
    return false;
  }

  void use_field(const std::string& f) { use_all(TokKind::Field, f); }

  // The subject noun of an entity question: the last customer/consultant/product noun.
  std::string subject_noun(bool allow_values = true);

  bool person_is_consultant() const;

  // The count or amount measure the question asks for, given the event in context.
  std::string default_measure_for_event(const std::string& ev, const std::string& dflt) const {
    if (ev == "write_off") return "write_off_amount";
    if (ev == "balance") return "balance";
    if (ev == "consume") return dflt.empty() ? "revenue" : dflt;
    return "";
  }

  std::string money_measure() const {
    if (event_ == "write_off") return "write_off_amount";
    if (event_ == "balance") return "balance";
    return "revenue";
  }

  std::string people_measure() const {
    if (event_ == "write_off") return "write_off_customers";
    if (event_ == "balance") return "balance_customers";
    if (event_ == "consume") return "buyers";
    return "customer_count";
  }

  // 情况 / 统计: "how is X going" asks for the event's measure.
  bool asks_summary() const {
    for (const auto& x : t_)
      if (x.kind == TokKind::Filler &&
          (x.text == "情况" || x.text.find("统计") != std::string::npos ||
           x.text.find("情况") != std::string::npos))
        return true;
    return false;
  }

  // 卖了几个 / 卖出去多少个疗程卡: units sold.
  bool counts_units() const {
    for (const auto& x : t_)
      if (x.kind == TokKind::QCount && (x.text.find("个") != std::string::npos)) return true;
    return false;
  }

  // The noun a count word counts (see measures()); "" when none.
  std::string count_noun();

  // 平均 + the unit it divides by (每个客户, 一笔) turns a total into a per-unit measure.
  void average_per_unit(std::vector<std::string>& ms);
  // Explicit measure words, 金额, 次数, and counts of nouns.
  std::vector<std::string> measures(bool allow_default);

  // True when the Field token at i is a grouping dimension (每个科室, 按月).
  bool dimension_token(std::size_t i) const {
    if (t_[i].kind != TokKind::Field || !is_dimension_field(t_[i].a)) return false;
    // "每天" yields Each + Field on the same span.
    for (std::size_t j = i; j-- > 0;) {
      if (t_[j].kind == TokKind::Each) return true;
      if (t_[j].kind == TokKind::Filler || t_[j].kind == TokKind::Classifier) continue;
      break;
    }
    return false;
  }

  std::vector<std::string> dimensions(const std::vector<std::string>& ms);

  int limit_number(const std::string& subject);

  // ---- frames ----------------------------------------------------------------------------
  bool frame_second_purchase();

  bool frame_inactive();

  static std::string counted_entity(const Token& x) {
    if (x.kind != TokKind::Measure) return "";
    if (x.a == "customer_count") return "customer";
    if (x.a == "consultant_count") return "consultant";
    if (x.a == "product_count") return "product";
    return "";
  }

  std::string output_kind();

  // Entities lacking an event: 从没买过…的客户, 去年有卖、今年没卖的项目, 有余额但没划扣.
  bool frame_negation();

  bool is_event_token(const Token& x) const {
    if (x.kind == TokKind::Event) return x.a == "consume" || x.a == "visit" || x.a == "write_off";
    if (x.kind == TokKind::Remaining) return true;
    if (x.kind == TokKind::Measure && x.a == "balance") return true;
    if (x.kind == TokKind::Measure && (x.a == "orders" || x.a == "revenue")) return true;
    return false;
  }

  static std::string event_name(const Token& x) {
    if (x.kind == TokKind::Remaining || (x.kind == TokKind::Measure && x.a == "balance"))
      return "balance";
    if (x.kind == TokKind::Measure) return "consume";
    if (x.a == "visit") return "consume";
    return x.a;
  }

  // Two windows: 本月比去年6月差多少, 同比增长率, 哪位咨询师增长最多.
  bool frame_compare();

  static int overlap_days(const Period& x, const Period& y) {
    const Date lo = x.from > y.from ? x.from : y.from;
    const Date hi = x.to < y.to ? x.to : y.to;
    return hi < lo ? 0 : days_between(lo, hi) + 1;
  }

  Period same_period_last_year(const Period& p) const {
    Period q{shift_year(p.from, -1), shift_year(p.to, -1), "去年同期"};
    if (p.to == last_of_month(p.to)) q.to = last_of_month(q.to);
    return q;
  }

  Period previous_period(const Period& p) const;

  // Per-entity thresholds: 复购 / 买过2次以上 / 消费超过1万的客户.
  bool frame_having();

  // Top-N entities (or periods) by a measure; 最贵的项目 by price.
  bool frame_top();

  bool has_b(TokKind k, const std::string& b) const {
    for (const auto& x : t_)
      if (x.kind == k && x.b == b) return true;
    return false;
  }
  bool has_top_superlative() const {
    for (const auto& x : t_)
      if (x.kind == TokKind::Top && x.b.empty()) return true;
    return false;
  }

  // Attributes of one named entity: 郭思琪有什么健康标签, C000504 哪天注册的.
  bool frame_lookup();

  // Lists of entities: 皮肤科都有哪几位咨询师, 单次项目里标价5000以上的有哪些.
  bool frame_list();

  bool frame_aggregate();

  // ---- confidence ----------------------------------------------------------------------
  void score();

  std::vector<Token>& t_;
  Date as_of_;
  ParseOptions opt_;
  ParseOutcome out_;
  QuerySpec spec_;
  std::vector<std::size_t> times_;
  std::set<std::size_t> excluded_time_;
  std::vector<Period> minus_hint_;
  bool marker_yoy_ = false;
  bool marker_prev_ = false;
  std::vector<ValUse> vals_;
  std::vector<NumCmp> nums_;
  std::set<std::size_t> num_used_;
  std::vector<std::string> compared_fields_;
  std::string event_;
  std::string event_default_;
};

}  // namespace yimei::text2sql::detail
