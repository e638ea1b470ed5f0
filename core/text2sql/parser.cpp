// Frames over typed tokens. The order of the frame checks matters: the specific frames (二开,
// inactive, negation, comparison, thresholds, top-N, lookups) are tried before the general
// measure-over-filters frame.
#include "core/text2sql/parser.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "core/text2sql/semantic_model.hpp"

namespace yimei::text2sql {

namespace {

bool is_subject_field(const std::string& f) {
  return f == "customer" || f == "person" || f == "consultant" || f == "product";
}

bool is_dimension_field(const std::string& f) {
  return f == "department" || f == "consultant" || f == "product" || f == "product_type" ||
         f == "membership_level" || f == "payment_method" || f == "customer" || f == "day" ||
         f == "week" || f == "month" || f == "quarter" || f == "year";
}

// Attributes people ask about an entity, by entity.
bool is_attribute_of(const std::string& entity, const std::string& f) {
  if (entity == "customer")
    return f == "register_date" || f == "membership_level" || f == "health_tag" || f == "phone" ||
           f == "last_visit_date" || f == "consultant" || f == "id" || f == "name";
  if (entity == "consultant") return f == "department" || f == "id" || f == "name";
  if (entity == "product")
    return f == "standard_price" || f == "product_type" || f == "department" || f == "id" ||
           f == "name";
  return false;
}

std::string entity_of_value_field(const std::string& f) {
  if (f == "customer" || f == "customer_id") return "customer";
  if (f == "consultant" || f == "consultant_id") return "consultant";
  if (f == "product" || f == "product_id") return "product";
  return "";
}

// Filters that live on the subject entity itself (the rest describe its events).
bool is_subject_attribute_filter(const std::string& subject, const std::string& field) {
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

bool is_conjunction(const Token& t) {
  static const std::set<std::string> kConj = {"但是", "但",   "而",   "却", "可是", "然而",
                                              "并且", "而且", "同时", "可", "就是"};
  return t.kind == TokKind::Filler && kConj.count(t.text) > 0;
}

std::string number_text(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9)
    return std::to_string(static_cast<long long>(std::llround(v)));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

Date shift_year(const Date& d, int years) {
  return add_months(d, 12 * years);
}

bool whole_month(const Period& p) {
  return p.from == first_of_month(p.from) && p.to == last_of_month(p.from);
}

}  // namespace

class Parser {
 public:
  Parser(std::vector<Token>& t, const Date& as_of, const ParseOptions& o)
      : t_(t), as_of_(as_of), opt_(o) {}

  ParseOutcome run() {
    prepare();
    // Each frame either builds the spec or leaves no trace (used marks and spec restored).
    const std::vector<bool (Parser::*)()> frames = {
        &Parser::frame_second_purchase, &Parser::frame_inactive, &Parser::frame_negation,
        &Parser::frame_compare,         &Parser::frame_having,   &Parser::frame_top,
        &Parser::frame_lookup,          &Parser::frame_list,     &Parser::frame_aggregate};
    bool built = false;
    for (auto frame : frames) {
      std::vector<bool> used;
      for (const auto& x : t_) used.push_back(x.used);
      const QuerySpec spec = spec_;
      const auto num_used = num_used_;
      const auto compared = compared_fields_;
      if ((this->*frame)()) {
        built = true;
        break;
      }
      for (std::size_t i = 0; i < t_.size(); ++i) t_[i].used = used[i];
      spec_ = spec;
      num_used_ = num_used;
      compared_fields_ = compared;
    }
    if (built) out_.spec = spec_;
    score();
    return out_;
  }

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
  void prepare() {
    // Parenthesized remarks: "(今年减去年)" says which window is subtracted.
    int depth = 0;
    std::size_t open = 0;
    for (std::size_t i = 0; i < t_.size(); ++i) {
      if (t_[i].kind == TokKind::ParenOpen) {
        if (depth++ == 0) open = i;
        use(i);
      } else if (t_[i].kind == TokKind::ParenClose) {
        use(i);
        if (depth > 0 && --depth == 0) paren_group(open, i);
      }
    }
    merge_times();
    for (std::size_t i = 0; i < t_.size(); ++i)
      if (t_[i].kind == TokKind::Time && !excluded_time_.count(i)) times_.push_back(i);
    for (const auto& x : t_) {
      if (x.kind == TokKind::Marker) {
        if (x.a == "prev")
          marker_prev_ = true;
        else
          marker_yoy_ = true;
      }
    }
    // 余额没划扣 / 金额还没划扣: the balance itself, not customers lacking a write-off.
    for (std::size_t i = 0; i + 1 < t_.size(); ++i) {
      if (t_[i].kind != TokKind::Neg) continue;
      const int pv = prev_content(i);
      const int nx = next_content(i);
      if (pv < 0 || nx < 0) continue;
      const Token& before = t_[static_cast<std::size_t>(pv)];
      const Token& after = t_[static_cast<std::size_t>(nx)];
      const bool balance_word = (before.kind == TokKind::Measure && before.a == "balance") ||
                                before.kind == TokKind::Money;
      if (balance_word && after.kind == TokKind::Event && after.a == "write_off") {
        const int nn = next_content(static_cast<std::size_t>(nx));
        const bool then_subject =
            nn >= 0 && t_[static_cast<std::size_t>(nn)].kind == TokKind::Field;
        if (!then_subject) {
          t_[i].kind = TokKind::Filler;
          t_[static_cast<std::size_t>(nx)].kind = TokKind::Filler;
          t_[i].used = t_[static_cast<std::size_t>(nx)].used = true;
        }
      }
    }
    resolve_values();
    pair_numbers();
    // The event the question is about (first by position).
    for (const auto& x : t_) {
      if (x.kind == TokKind::Event && (x.a == "consume" || x.a == "visit" || x.a == "write_off")) {
        if (event_.empty()) {
          event_ = x.a == "visit" ? "consume" : x.a;
          event_default_ = x.b;
        }
      } else if (x.kind == TokKind::Measure && event_.empty() &&
                 (x.a == "visits" || x.a == "orders" || x.a == "buyers" || x.a == "revenue")) {
        event_ = "consume";
        event_default_ = x.a;
      } else if ((x.kind == TokKind::Event && x.a == "expire") || x.kind == TokKind::Remaining ||
                 (x.kind == TokKind::Measure && (x.a == "balance" || x.a == "balance_total"))) {
        if (event_.empty()) {
          event_ = "balance";
          event_default_ = "balance";
        }
      }
    }
  }

  // "今年" + "1到4月": the narrower of two adjacent nested windows; "本月" + "截至" + "今天":
  // one window from the first start to the second end.
  void merge_times() {
    static const std::set<std::string> kUntil = {"截至", "截止", "至", "到", "截至到", "直到"};
    for (std::size_t i = 0; i + 1 < t_.size(); ++i) {
      if (t_[i].kind != TokKind::Time || !t_[i].range || excluded_time_.count(i)) continue;
      std::size_t j = i + 1;
      bool until = false;
      while (j < t_.size() && t_[j].kind == TokKind::Filler) {
        if (kUntil.count(t_[j].text)) until = true;
        ++j;
      }
      if (j >= t_.size() || t_[j].kind != TokKind::Time || !t_[j].range) continue;
      DateRange& a = *t_[i].range;
      const DateRange& b = *t_[j].range;
      if (until && b.to >= a.from) {
        a.to = b.to;
      } else if (j == i + 1 && a.from <= b.from && b.to <= a.to) {
        a.from = b.from;
        a.to = b.to;
      } else if (j == i + 1 && b.from <= a.from && a.to <= b.to) {
        // a is already the narrower one
      } else {
        continue;
      }
      t_[i].text += t_[j].text;
      a.label = t_[i].text;
      excluded_time_.insert(j);
      for (std::size_t k = i + 1; k <= j; ++k) use(k);
    }
  }

  void paren_group(std::size_t open, std::size_t close) {
    bool minus = false;
    for (std::size_t i = open + 1; i < close; ++i)
      if (t_[i].kind == TokKind::Minus) minus = true;
    if (!minus) return;
    for (std::size_t i = open + 1; i < close; ++i) {
      use(i);
      if (t_[i].kind == TokKind::Time && t_[i].range) {
        excluded_time_.insert(i);
        minus_hint_.push_back(Period{t_[i].range->from, t_[i].range->to, t_[i].text});
      }
    }
  }

  void resolve_values() {
    bool other_product_noun = false;
    for (const auto& x : t_)
      if (x.kind == TokKind::Field && x.a == "product") other_product_noun = true;
    for (std::size_t i = 0; i < t_.size(); ++i) {
      Token& x = t_[i];
      if (x.kind != TokKind::Value) continue;
      // A catalog value that is also a domain noun (a product type called 产品).
      bool alt_noun = false;
      for (const auto& s : x.alt)
        if (s.kind == TokKind::Field) alt_noun = true;
      if (alt_noun) {
        const int nx = static_cast<int>(i) + 1;
        const bool type_marked =
            nx < static_cast<int>(t_.size()) && (t_[static_cast<std::size_t>(nx)].text == "类" ||
                                                 t_[static_cast<std::size_t>(nx)].text == "型");
        if (!type_marked && !other_product_noun) {
          x.kind = TokKind::Field;
          x.a = x.alt.front().a;
          continue;
        }
      }
      std::set<std::string> fields;
      for (const auto& r : x.refs) fields.insert(r.field);
      std::string field = pick_field(i, fields);
      ValUse v{i, field, {}, false};
      for (const auto& r : x.refs)
        if (r.field == field) v.values.push_back(r.value);
      if (field == "consultant" && owned_after(i)) v.field = "customer_consultant";
      // Exclusion: 除了/不是/非 before, 以外/之外 after.
      const int pv = static_cast<int>(i) - 1;
      if (pv >= 0 && t_[static_cast<std::size_t>(pv)].kind == TokKind::Exclude) {
        v.exclude = true;
        use(static_cast<std::size_t>(pv));
      }
      if (i + 1 < t_.size() && t_[i + 1].kind == TokKind::Exclude) {
        v.exclude = true;
        use(i + 1);
      }
      // 产品类: the classifier belongs to the value.
      if (i + 1 < t_.size() && t_[i + 1].kind == TokKind::Classifier) use(i + 1);
      // 产品类商品 / 金卡客户: the head noun after a value is explained by it.
      const int nx = next_content(i);
      if (nx >= 0 && t_[static_cast<std::size_t>(nx)].kind == TokKind::Field) {
        const std::string& head = t_[static_cast<std::size_t>(nx)].a;
        const bool product_head =
            head == "product" &&
            (v.field == "product_type" || v.field == "product" || v.field == "department");
        const bool customer_head =
            (head == "customer" || head == "person") &&
            (v.field == "membership_level" || v.field == "health_tag" || v.field == "customer");
        if (product_head || customer_head) use(static_cast<std::size_t>(nx));
      }
      vals_.push_back(std::move(v));
    }
  }

  bool owned_after(std::size_t i) const {
    for (std::size_t j = i + 1; j < t_.size() && j <= i + 3; ++j) {
      if (t_[j].kind == TokKind::Own) return true;
      if (t_[j].kind != TokKind::Filler) break;
    }
    return false;
  }

  std::string pick_field(std::size_t i, const std::set<std::string>& fields) const {
    if (fields.size() == 1) return *fields.begin();
    if (fields.count("consultant") && fields.count("customer")) {
      // A customer when the question asks customer things of the name.
      bool customer_ctx = false;
      for (const auto& x : t_) {
        if (x.kind == TokKind::Field &&
            (x.a == "health_tag" || x.a == "membership_level" || x.a == "phone" ||
             x.a == "register_date" || x.a == "last_visit_date"))
          customer_ctx = true;
        if (x.kind == TokKind::Event && (x.a == "consume" || x.a == "visit") && x.b == "revenue")
          customer_ctx = true;
        if (x.kind == TokKind::Remaining) customer_ctx = true;
      }
      const int pv = prev_content(i);
      if (field_at(pv, "customer")) customer_ctx = true;
      if (owned_after(i)) customer_ctx = false;
      return customer_ctx ? "customer" : "consultant";
    }
    for (const char* f :
         {"product", "consultant", "department", "product_type", "membership_level",
          "payment_method", "health_tag", "customer_id", "consultant_id", "product_id", "customer"})
      if (fields.count(f)) return f;
    return *fields.begin();
  }

  void pair_numbers() {
    for (std::size_t i = 0; i < t_.size(); ++i) {
      if (t_[i].kind != TokKind::Num) continue;
      NumCmp n{i, "", t_[i].number, t_[i].a};
      const int nx = next_content(i);
      const int pv = prev_content(i);
      if (nx >= 0 && t_[static_cast<std::size_t>(nx)].kind == TokKind::Cmp) {
        n.op = t_[static_cast<std::size_t>(nx)].a;
        use(static_cast<std::size_t>(nx));
      } else if (pv >= 0 && t_[static_cast<std::size_t>(pv)].kind == TokKind::Cmp) {
        n.op = t_[static_cast<std::size_t>(pv)].a;
        use(static_cast<std::size_t>(pv));
      }
      nums_.push_back(n);
    }
  }

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
  std::vector<Filter> all_filters(bool include_new = true) {
    std::vector<Filter> fs;
    for (const auto& v : vals_) {
      use(v.tok);
      add_filter(fs, v.field, v.exclude ? "!=" : "=", v.values);
      // 敏感肌标签 / 除了皮肤科其他科室: the value's own noun is explained by it.
      use_field(v.field == "customer_consultant" ? "consultant" : v.field);
    }
    if (include_new) new_filter(fs);
    return fs;
  }

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
                         const std::vector<std::string>& values) {
    for (auto& f : fs) {
      if (f.field == field && f.op == op && (op == "=" || op == "!=")) {
        for (const auto& v : values)
          if (std::find(f.values.begin(), f.values.end(), v) == f.values.end())
            f.values.push_back(v);
        return;
      }
    }
    fs.push_back(Filter{field, op, values});
  }

  // Numeric comparisons on attributes (标价5000以上, 单笔超过1万).
  void numeric_filters(std::vector<Filter>& fs, const std::string& subject) {
    for (auto& n : nums_) {
      if (n.op.empty() || num_used_.count(n.num)) continue;
      if (n.unit == "次" || n.unit == "回" || n.unit == "天" || n.unit == "个" || n.unit == "人")
        continue;
      const bool price = near_field(n.num, "standard_price") ||
                         (subject == "product" && event_.empty() && !has(TokKind::Money));
      const bool single = has(TokKind::Single);
      if (price) {
        add_filter(fs, "standard_price", n.op, {number_text(n.value)});
        use_field("standard_price");
      } else if (single) {
        add_filter(fs, "amount", n.op, {number_text(n.value)});
        use_all(TokKind::Single);
        use_all(TokKind::Money);
      } else {
        continue;
      }
      use(n.num);
      num_used_.insert(n.num);
      compared_fields_.push_back(price ? "standard_price" : "amount");
    }
  }

  bool near_field(std::size_t num, const std::string& field) const {
    for (std::size_t j = num; j-- > 0 && num - j <= 4;)
      if (t_[j].kind == TokKind::Field && t_[j].a == field) return true;
    for (std::size_t j = num + 1; j < t_.size() && j - num <= 3; ++j)
      if (t_[j].kind == TokKind::Field && t_[j].a == field) return true;
    return false;
  }

  void use_field(const std::string& f) { use_all(TokKind::Field, f); }

  // The subject noun of an entity question: the last customer/consultant/product noun.
  std::string subject_noun(bool allow_values = true) {
    std::string s;
    int idx = -1;
    for (std::size_t i = 0; i < t_.size(); ++i) {
      if (t_[i].kind == TokKind::Field && is_subject_field(t_[i].a)) {
        s = t_[i].a;
        idx = static_cast<int>(i);
      }
      // 顾客数 / 客户数量 at the end of an entity question names the subject and asks a count.
      const std::string counted = counted_entity(t_[i]);
      if (!counted.empty()) {
        s = counted;
        idx = static_cast<int>(i);
      }
    }
    if (s == "person") s = person_is_consultant() ? "consultant" : "customer";
    if (idx >= 0) use(static_cast<std::size_t>(idx));
    if (!s.empty() || !allow_values) return s;
    // No noun: the last value that implies one (从未购买过套餐的钻石会员 -> customers).
    for (auto it = vals_.rbegin(); it != vals_.rend(); ++it) {
      if (it->field == "product_type") return "product";
      if (it->field == "membership_level" || it->field == "health_tag") return "customer";
    }
    return s;
  }

  bool person_is_consultant() const {
    bool consultant_noun = false, customer_noun = false, dept = false;
    for (const auto& x : t_) {
      if (x.kind == TokKind::Field && x.a == "consultant") consultant_noun = true;
      if (x.kind == TokKind::Field && x.a == "customer") customer_noun = true;
    }
    for (const auto& v : vals_)
      if (v.field == "department") dept = true;
    if (customer_noun) return false;
    if (consultant_noun) return true;
    return dept && event_.empty() && !has(TokKind::New) && !has(TokKind::Old);
  }

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

  // 卖了几个 / 卖出去多少个疗程卡: units sold.
  bool counts_units() const {
    for (const auto& x : t_)
      if (x.kind == TokKind::QCount && (x.text.find("个") != std::string::npos)) return true;
    return false;
  }

  // The noun a count word counts (see measures()); "" when none.
  std::string count_noun() {
    const int qc = first(TokKind::QCount) >= 0 ? first(TokKind::QCount) : first(TokKind::QWhat);
    if (qc < 0) return "";
    const std::size_t q = static_cast<std::size_t>(qc);
    // The QCount token may carry its own noun (多少人 = QCount + Field person on one span).
    for (std::size_t i = q; i < t_.size() && i <= q + 4; ++i) {
      const Token& x = t_[i];
      if (x.kind == TokKind::Field && is_subject_field(x.a) && !dimension_token(i)) {
        use(i);
        return x.a;
      }
      if (x.kind == TokKind::Event || x.kind == TokKind::Punct) break;
    }
    for (std::size_t i = q; i-- > 0;) {
      const Token& x = t_[i];
      if (x.kind == TokKind::Event || x.kind == TokKind::Punct || x.kind == TokKind::Measure) break;
      if (x.kind == TokKind::Field && is_subject_field(x.a) && !dimension_token(i)) {
        use(i);
        return x.a;
      }
    }
    return "";
  }

  // Explicit measure words, 金额, 次数, and counts of nouns.
  std::vector<std::string> measures(bool allow_default) {
    std::vector<std::string> ms;
    auto add = [&](const std::string& m) {
      if (!m.empty() && std::find(ms.begin(), ms.end(), m) == ms.end()) ms.push_back(m);
    };
    for (std::size_t i = 0; i < t_.size(); ++i) {
      const Token& x = t_[i];
      if (x.kind == TokKind::Measure) {
        std::string m = x.a;
        if (m == "customer_count" && !event_.empty()) m = people_measure();
        // 平均 + 标价 is the average price.
        add(m);
        use(i);
      }
    }
    if (ms.empty() && has(TokKind::Avg) && has(TokKind::Field, "standard_price")) {
      use_all(TokKind::Avg);
      use_field("standard_price");
      add("avg_price");
    }
    if (has(TokKind::Money)) {
      use_all(TokKind::Money);
      if (ms.empty()) add(money_measure());
    }
    if (ms.empty() && has(TokKind::QTimes)) {
      use_all(TokKind::QTimes);
      if (event_ == "write_off")
        add("write_off_count");
      else if (has(TokKind::Event, "visit"))
        add("visits");
      else
        add("orders");
    }
    if (ms.empty() && (has(TokKind::QCount) || has(TokKind::QWhat))) {
      // A count of the noun the question asks about: the noun right after the count word
      // (几个咨询师, 多少个客户), else the noun before it when no verb stands between
      // (客户有多少; but 客户分别消费了多少 asks for an amount).
      std::string noun = count_noun();
      if (noun == "person") noun = person_is_consultant() ? "consultant" : "customer";
      if (noun == "customer")
        add(people_measure());
      else if (noun == "consultant")
        add("consultant_count");
      else if (noun == "product" && event_.empty())
        add("product_count");
      else if (event_ == "consume" && counts_units())
        add("quantity");
      else if (!event_.empty())
        add(default_measure_for_event(event_, event_default_));
      else if (has(TokKind::Remaining))
        add("balance_customers");
    }
    if (ms.empty() && allow_default && !event_.empty())
      add(default_measure_for_event(event_, event_default_));
    if (!ms.empty()) {
      use_all(TokKind::QCount);
      use_all(TokKind::QWhat);
      use_all(TokKind::Event);
      use_all(TokKind::Remaining);
    }
    return ms;
  }

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

  std::vector<std::string> dimensions(const std::vector<std::string>& ms) {
    std::vector<std::string> dims;
    for (std::size_t i = 0; i < t_.size(); ++i) {
      if (!dimension_token(i)) continue;
      std::string f = t_[i].a;
      if (std::find(dims.begin(), dims.end(), f) == dims.end()) dims.push_back(f);
      use(i);
      for (std::size_t j = i; j-- > 0;) {
        if (t_[j].kind == TokKind::Each) {
          use(j);
          continue;
        }
        if (t_[j].kind == TokKind::Filler || t_[j].kind == TokKind::Classifier) continue;
        break;
      }
    }
    // 新客和老客分别: one row each.
    if (has(TokKind::New) && has(TokKind::Old) && !ms.empty()) {
      const MeasureDef* m = find_measure(ms.front());
      if (m && m->source == Source::Consume) {
        dims.push_back("is_new");
        use_all(TokKind::New);
        use_all(TokKind::Old);
        use_all(TokKind::Compare);
      }
    }
    // 分别 with several values of one field: one row per value.
    if (dims.empty() && has(TokKind::Each)) {
      std::map<std::string, int> count;
      for (const auto& v : vals_) count[v.field] += static_cast<int>(v.values.size());
      for (const auto& [f, n] : count)
        if (n >= 2 && is_dimension_field(f)) dims.push_back(f);
    }
    // A dimension noun next to a measure with no value of its own (咨询师业绩).
    if (dims.empty() && !ms.empty()) {
      for (std::size_t i = 0; i < t_.size(); ++i) {
        const Token& x = t_[i];
        if (x.kind != TokKind::Field || x.used) continue;
        if (x.a != "department" && x.a != "consultant" && x.a != "product" &&
            x.a != "product_type" && x.a != "payment_method" && x.a != "membership_level")
          continue;
        bool has_value = false;
        for (const auto& v : vals_)
          if (v.field == x.a) has_value = true;
        if (has_value) continue;
        // 套餐类项目 / 皮肤科咨询师: a noun after a value is that value's head, not a grouping.
        const int pv = prev_content(i);
        if (pv >= 0 && t_[static_cast<std::size_t>(pv)].kind == TokKind::Value) continue;
        const MeasureDef* m = find_measure(ms.front());
        if (m && (m->source == Source::Consultant || m->source == Source::Product ||
                  m->source == Source::Customer))
          continue;
        dims.push_back(x.a);
        use(i);
        break;
      }
    }
    if (!dims.empty()) use_all(TokKind::Each);
    return dims;
  }

  int limit_number(const std::string& subject) {
    // 前3 / 前3名 / 3个客户 / top5
    for (auto& n : nums_) {
      if (num_used_.count(n.num) || !n.op.empty()) continue;
      const int pv = prev_content(n.num);
      const int nx = next_content(n.num);
      bool ok = false;
      if (pv >= 0 && t_[static_cast<std::size_t>(pv)].kind == TokKind::Top) ok = true;
      if (nx >= 0) {
        const Token& y = t_[static_cast<std::size_t>(nx)];
        if (y.kind == TokKind::Field && (is_subject_field(y.a) || y.a == subject)) ok = true;
        if (y.kind == TokKind::Value) ok = true;
        if (y.kind == TokKind::Field && is_dimension_field(y.a)) ok = true;
      }
      if (n.unit == "名" || n.unit == "个" || n.unit == "位" || n.unit == "款" || n.unit == "家" ||
          n.unit == "项" || n.unit == "种")
        ok = ok || (pv >= 0 && t_[static_cast<std::size_t>(pv)].kind == TokKind::Top);
      if (!ok) continue;
      use(n.num);
      num_used_.insert(n.num);
      if (n.value >= 1 && n.value <= 1000) return static_cast<int>(n.value);
    }
    return 0;
  }

  // ---- frames ----------------------------------------------------------------------------
  bool frame_second_purchase() {
    const int so = first(TokKind::SecondOpen);
    if (so < 0) return false;
    use_all(TokKind::SecondOpen);
    spec_.frame = "second_purchase";
    spec_.window_days = opt_.second_purchase_window;
    // "(90天内)": the repurchase window, not the cohort period.
    for (std::size_t i : times_) {
      const Token& x = t_[i];
      const std::u32string u = to_u32(x.text);
      if (u.size() >= 2 &&
          (u.find(U"天内") != std::u32string::npos || u.find(U"天之内") != std::u32string::npos ||
           u.find(U"天以内") != std::u32string::npos)) {
        int n = std::atoi(x.text.c_str());
        if (n > 0) spec_.window_days = n;
        use(i);
        continue;
      }
      if (!spec_.time) {
        spec_.time = period_of(i);
        use(i);
      }
    }
    for (auto& n : nums_)
      if (n.unit == "天" && n.value > 0) {
        spec_.window_days = static_cast<int>(n.value);
        use(n.num);
        num_used_.insert(n.num);
      }
    if (!spec_.time) {
      const Date to = add_days(as_of_, -spec_.window_days);
      spec_.time = Period{add_days(to, -179), to, "默认新客区间"};
    }
    spec_.measures = {"second_purchase_rate"};
    for (std::size_t i = 0; i < t_.size(); ++i)
      if (dimension_token(i) &&
          (t_[i].a == "month" || t_[i].a == "consultant" || t_[i].a == "department")) {
        spec_.dimensions.push_back(t_[i].a);
        use(i);
      }
    use_all(TokKind::Each);
    use_all(TokKind::New);
    use_all(TokKind::QCount);
    use_all(TokKind::QWhat);
    use_field("customer");
    return true;
  }

  bool frame_inactive() {
    if (!has(TokKind::Inactive)) return false;
    use_all(TokKind::Inactive);
    spec_.frame = "inactive";
    spec_.subject = "customer";
    spec_.window_days = opt_.inactive_days;
    for (auto& n : nums_)
      if (n.unit == "天" && n.value > 0) {
        spec_.window_days = static_cast<int>(n.value);
        use(n.num);
        num_used_.insert(n.num);
      }
    for (const auto& v : vals_) {
      std::string f = v.field == "consultant" ? "customer_consultant" : v.field;
      add_filter(spec_.filters, f, v.exclude ? "!=" : "=", v.values);
      use(v.tok);
    }
    use_all(TokKind::Own);
    subject_noun(false);
    spec_.output = output_kind();
    return true;
  }

  static std::string counted_entity(const Token& x) {
    if (x.kind != TokKind::Measure) return "";
    if (x.a == "customer_count") return "customer";
    if (x.a == "consultant_count") return "consultant";
    if (x.a == "product_count") return "product";
    return "";
  }

  std::string output_kind() {
    for (auto& x : t_)
      if (!counted_entity(x).empty()) {
        x.used = true;
        use_all(TokKind::QCount);
        return "count";
      }
    if (has(TokKind::QList)) {
      use_all(TokKind::QList);
      return "list";
    }
    if (has(TokKind::QCount)) {
      use_all(TokKind::QCount);
      return "count";
    }
    return "list";
  }

  // Entities lacking an event: 从没买过…的客户, 去年有卖、今年没卖的项目, 有余额但没划扣.
  bool frame_negation() {
    bool negated_event = false;
    for (std::size_t i = 0; i < t_.size() && !negated_event; ++i) {
      if (t_[i].kind != TokKind::Neg) continue;
      for (std::size_t j = i + 1; j < t_.size() && j <= i + 5; ++j) {
        const Token& y = t_[j];
        if (is_event_token(y)) {
          negated_event = true;
          break;
        }
        if (y.kind == TokKind::Punct || y.kind == TokKind::Field) break;
      }
    }
    if (!negated_event) return false;
    std::string subject = subject_noun();
    if (subject.empty()) subject = "customer";
    if (subject != "customer" && subject != "product" && subject != "consultant") return false;
    spec_.frame = "entity_set";
    spec_.subject = subject;
    // Events in order, each with its polarity, time and filters.
    std::vector<std::size_t> evs;
    for (std::size_t i = 0; i < t_.size(); ++i)
      if (is_event_token(t_[i])) evs.push_back(i);
    std::vector<Condition> conds(evs.size());
    for (std::size_t k = 0; k < evs.size(); ++k) {
      const std::size_t e = evs[k];
      const std::size_t lo = k == 0 ? 0 : evs[k - 1] + 1;
      conds[k].event = event_name(t_[e]);
      use(e);
      for (std::size_t j = lo; j < e; ++j) {
        if (t_[j].kind == TokKind::Neg) {
          conds[k].negated = true;
          use(j);
        }
      }
      // The time of this event: the nearest time before it since the previous event, else
      // one right after it in the same clause.
      for (std::size_t j = e; j-- > lo;)
        if (t_[j].kind == TokKind::Time && !excluded_time_.count(j)) {
          conds[k].time = period_of(j);
          use(j);
          break;
        }
      if (!conds[k].time) {
        for (std::size_t j = e + 1; j < t_.size(); ++j) {
          if (t_[j].kind == TokKind::Punct || is_conjunction(t_[j]) || is_event_token(t_[j])) break;
          if (t_[j].kind == TokKind::Time) {
            conds[k].time = period_of(j);
            use(j);
            break;
          }
        }
      }
    }
    // Values: subject attributes go to the subject; event filters to the nearest event.
    for (const auto& v : vals_) {
      use(v.tok);
      std::string field = v.field;
      if (subject == "customer" && field == "consultant" && !has(TokKind::Event, "consume"))
        field = "customer_consultant";
      if (is_subject_attribute_filter(subject, field) || evs.empty()) {
        add_filter(spec_.filters, field, v.exclude ? "!=" : "=", v.values);
        continue;
      }
      std::size_t best = 0;
      std::size_t best_d = SIZE_MAX;
      for (std::size_t k = 0; k < evs.size(); ++k) {
        const std::size_t d = evs[k] > v.tok ? evs[k] - v.tok : v.tok - evs[k];
        if (d < best_d || (d == best_d && evs[k] < v.tok)) {
          best_d = d;
          best = k;
        }
      }
      add_filter(conds[best].filters, field, v.exclude ? "!=" : "=", v.values);
    }
    if (has(TokKind::New) || has(TokKind::Old)) {
      // 新客 in an entity question: customers whose first visit is in the window.
      std::vector<Filter> fs;
      new_filter(fs);
      for (auto& c : conds)
        if (!c.negated && c.event == "consume")
          c.filters.insert(c.filters.end(), fs.begin(), fs.end());
    }
    numeric_filters(spec_.filters, subject);
    use_all(TokKind::Own);
    use_all(TokKind::Event);
    spec_.conditions = conds;
    spec_.output = output_kind();
    return true;
  }

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
  bool frame_compare() {
    const bool diff_words = has(TokKind::Diff) || has(TokKind::Minus);
    const bool compare_words = has(TokKind::Compare);
    const bool marker = marker_yoy_ || marker_prev_;
    std::optional<Period> a, b;
    const bool ranking = (has(TokKind::Top) || has(TokKind::QWhich)) && has(TokKind::Diff, "grow");
    if (marker && !times_.empty()) {
      // 同比 / 环比: the second window follows from the first ("同比去年" names it again).
      a = period_of(times_[0]);
      for (std::size_t t : times_) use(t);
      b = marker_yoy_ ? same_period_last_year(*a) : previous_period(*a);
    } else if (times_.size() >= 2 && (diff_words || compare_words)) {
      a = period_of(times_[0]);
      b = period_of(times_[1]);
      use(times_[0]);
      use(times_[1]);
    } else if (marker) {
      a = Period{first_of_month(as_of_), as_of_, "本月"};
      b = marker_yoy_ ? same_period_last_year(*a) : previous_period(*a);
    } else if (times_.size() == 1 && has(TokKind::Diff) &&
               (ranking || (!has(TokKind::Top) &&
                            (has(TokKind::Diff, "diff") || has(TokKind::Diff, "rate"))))) {
      // One window: a year is compared with the year before, anything else with the period
      // before it.
      a = period_of(times_[0]);
      use(times_[0]);
      const bool year_like = a->from == first_of_month(a->from) && unsigned(a->from.month()) == 1 &&
                             days_between(a->from, a->to) > 62;
      b = year_like ? same_period_last_year(*a) : previous_period(*a);
    } else {
      return false;
    }
    use_all(TokKind::Marker);
    use_all(TokKind::Compare);
    use_all(TokKind::Minus);
    // Which window is subtracted: the first named minus the second, unless the remark says
    // otherwise or the question asks for a decrease.
    bool swap = false;
    if (minus_hint_.size() >= 2) {
      const int first_overlaps_a = overlap_days(minus_hint_[0], *a);
      const int first_overlaps_b = overlap_days(minus_hint_[0], *b);
      swap = first_overlaps_b > first_overlaps_a;
    }
    bool rate = false;
    bool decrease = false;
    for (auto& x : t_) {
      if (x.kind != TokKind::Diff) continue;
      x.used = true;
      if (x.a == "rate") rate = true;
      if (x.b == "neg") decrease = true;
    }
    if (marker && !has(TokKind::Diff, "diff") && !has(TokKind::Diff, "grow")) rate = true;
    if (marker && has(TokKind::Diff, "grow") && !has(TokKind::QCount))
      rate = rate || !has(TokKind::Top);
    if (decrease) swap = !swap;
    if (swap) std::swap(a, b);
    spec_.time = a;
    spec_.compare_time = b;
    spec_.compare_mode = rate ? "ratio" : "diff";
    // A ranking by growth when the question asks which entity.
    std::string subj;
    if (has(TokKind::Top) || has(TokKind::QWhich) || has(TokKind::QList)) {
      for (std::size_t i = 0; i < t_.size(); ++i) {
        if (t_[i].kind == TokKind::Field &&
            (is_subject_field(t_[i].a) || t_[i].a == "department" || t_[i].a == "product_type")) {
          subj = t_[i].a == "person" ? "consultant" : t_[i].a;
          use(i);
        }
      }
    }
    std::vector<std::string> ms = measures(true);
    if (ms.empty() && (has(TokKind::Field, "customer") || has(TokKind::Field, "person"))) {
      ms = {"buyers"};  // 新客比上个月多几个
      use_field("customer");
      use_field("person");
    }
    if (ms.empty()) ms = {"revenue"};
    spec_.measures = {ms.front()};
    spec_.filters = all_filters();
    if (!subj.empty()) {
      spec_.frame = "growth_rank";
      spec_.subject = subj;
      int lim = limit_number(subj);
      spec_.limit = lim > 0 ? lim : (has(TokKind::QList) ? 10 : 1);
      spec_.order_desc = !(has(TokKind::Top, "asc"));
      use_all(TokKind::Top);
      use_all(TokKind::QWhich);
      use_all(TokKind::QList);
    } else {
      spec_.frame = "compare";
    }
    use_all(TokKind::QCount);
    use_all(TokKind::QWhat);
    return true;
  }

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

  Period previous_period(const Period& p) const {
    if (whole_month(p)) {
      const Date f = add_months(p.from, -1);
      return {f, last_of_month(f), "上期"};
    }
    if (p.from == first_of_month(p.from) && p.to < last_of_month(p.from)) {
      return {add_months(p.from, -1), add_months(p.to, -1), "上期"};
    }
    const int len = days_between(p.from, p.to) + 1;
    return {add_days(p.from, -len), add_days(p.from, -1), "上期"};
  }

  // Per-entity thresholds: 复购 / 买过2次以上 / 消费超过1万的客户.
  bool frame_having() {
    const bool repurchase = has(TokKind::Repurchase);
    const bool rate = has(TokKind::Repurchase, "rate");
    std::optional<NumCmp> times_cmp, money_cmp;
    for (auto& n : nums_) {
      if (n.unit == "次" || n.unit == "回") {
        if (!n.op.empty() || repurchase || has(TokKind::Event)) times_cmp = n;
      } else if (!n.op.empty() && n.unit != "天" && n.unit != "个" && n.unit != "人" &&
                 !near_field(n.num, "standard_price") && !has(TokKind::Single)) {
        money_cmp = n;
      }
    }
    if (!repurchase && !times_cmp && !money_cmp) return false;
    std::string subject = subject_noun();
    if (subject.empty()) subject = "customer";
    if (money_cmp && !times_cmp && !repurchase) {
      // 业绩超过10万的咨询师 / 余额超过5000的客户 / 消费满1万的客户
      const bool money_ctx = has(TokKind::Money) || has(TokKind::Measure) ||
                             has(TokKind::Event, "consume") || event_ == "balance";
      if (!money_ctx) return false;
    }
    if (times_cmp && !repurchase && event_ != "consume") return false;
    spec_.frame = "having";
    spec_.subject = subject;
    Having h;
    if (times_cmp || repurchase) {
      h.metric = "visit_days";
      h.op = times_cmp && !times_cmp->op.empty() ? times_cmp->op : ">=";
      h.value = times_cmp ? number_text(times_cmp->value) : "2";
      if (times_cmp) {
        use(times_cmp->num);
        num_used_.insert(times_cmp->num);
      }
    } else {
      h.metric =
          event_ == "balance" ? "balance" : (has(TokKind::Measure, "orders") ? "orders" : "amount");
      h.op = money_cmp->op;
      h.value = number_text(money_cmp->value);
      use(money_cmp->num);
      num_used_.insert(money_cmp->num);
      use_all(TokKind::Money);
      use_all(TokKind::Measure);
    }
    spec_.having = h;
    use_all(TokKind::Repurchase);
    use_all(TokKind::Event);
    use_all(TokKind::QTimes);
    spec_.time = first_time();
    spec_.filters = all_filters();
    for (auto& f : spec_.filters)
      if (f.field == "consultant" && subject == "customer" && has(TokKind::Own))
        f.field = "customer_consultant";
    use_all(TokKind::Own);
    spec_.output = rate ? "rate" : output_kind();
    if (rate) use_all(TokKind::QCount);
    return true;
  }

  // Top-N entities (or periods) by a measure; 最贵的项目 by price.
  bool frame_top() {
    const bool top = has(TokKind::Top);
    const bool which = has(TokKind::QWhich) || has(TokKind::QWhen);
    if (!top) return false;
    const bool by_price = has(TokKind::Top, "desc") && has_b(TokKind::Top, "price");
    const bool by_price_asc = has(TokKind::Top, "asc") && has_b(TokKind::Top, "price");
    const bool rank_only =
        has_b(TokKind::Top, "rank") && !has(TokKind::Top, "asc") && !has_top_superlative();
    // The subject: what is ranked.
    std::string subject;
    for (std::size_t i = 0; i < t_.size(); ++i) {
      const Token& x = t_[i];
      if (x.kind == TokKind::Field &&
          (is_subject_field(x.a) || (is_dimension_field(x.a) && x.a != "customer"))) {
        if (x.a == "membership_level" || x.a == "payment_method" || x.a == "department" ||
            x.a == "product_type" || x.a == "month" || x.a == "day" || x.a == "week" ||
            x.a == "quarter" || x.a == "year" || is_subject_field(x.a)) {
          // A noun right before a value is a modifier (疗程卡项目 keeps 项目).
          subject = x.a;
          use(i);
        }
      }
    }
    if (subject.empty() && has(TokKind::QWhen)) subject = "day";
    if (subject.empty()) {
      for (const auto& v : vals_)
        if (v.field == "product_type") subject = "product";
    }
    if (subject == "person") subject = person_is_consultant() ? "consultant" : "customer";
    if (subject.empty()) return false;
    use_all(TokKind::QWhen);
    if (by_price || by_price_asc) {
      if (subject != "product") return false;
      spec_.frame = "list";
      spec_.subject = "product";
      spec_.order_by = "standard_price";
      spec_.order_desc = by_price;
      spec_.filters = all_filters(false);
      int lim = limit_number(subject);
      spec_.limit = lim > 0 ? lim : (has(TokKind::QList) ? 10 : 1);
      use_all(TokKind::Top);
      use_all(TokKind::QWhich);
      use_all(TokKind::QList);
      use_all(TokKind::QCount);
      use_all(TokKind::Money);
      use_field("standard_price");
      return true;
    }
    // The ranking measure: explicit words, "(按金额)", the superlative's own (最受欢迎: orders),
    // or the event's default.
    std::vector<std::string> ms = measures(false);
    if (ms.empty() && has_b(TokKind::Top, "orders")) ms = {"orders"};
    if (ms.empty()) ms = measures(true);
    if (ms.empty()) ms = {"revenue"};
    spec_.measures = {ms.front()};
    spec_.time = first_time();
    spec_.filters = all_filters();
    numeric_filters(spec_.filters, subject);
    for (auto& f : spec_.filters)
      if (f.field == "consultant" && has(TokKind::Own)) f.field = "customer_consultant";
    use_all(TokKind::Own);
    int lim = limit_number(subject);
    use_all(TokKind::Top);
    use_all(TokKind::QWhich);
    use_all(TokKind::Each);
    if (rank_only && lim == 0) {
      // 咨询师业绩排名: the whole ranking with its figures.
      spec_.frame = "aggregate";
      spec_.dimensions = {subject};
      spec_.order_by = ms.front();
      spec_.order_desc = true;
      use_all(TokKind::QList);
      return true;
    }
    spec_.frame = "top";
    spec_.subject = subject;
    spec_.order_by = ms.front();
    spec_.order_desc = !has(TokKind::Top, "asc");
    spec_.limit = lim > 0 ? lim : (has(TokKind::QList) ? 10 : 1);
    use_all(TokKind::QList);
    (void)which;
    return true;
  }

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
  bool frame_lookup() {
    if (has(TokKind::Measure) || has(TokKind::Event) || has(TokKind::Remaining)) return false;
    std::string entity;
    std::vector<std::size_t> ids;
    for (const auto& v : vals_) {
      const std::string e = entity_of_value_field(v.field);
      if (e.empty()) continue;
      if (entity.empty()) entity = e;
      if (e == entity) ids.push_back(v.tok);
    }
    if (entity.empty()) return false;
    std::vector<std::string> attrs;
    for (std::size_t i = 0; i < t_.size(); ++i) {
      const Token& x = t_[i];
      if (x.kind != TokKind::Field) continue;
      if (!is_attribute_of(entity, x.a)) continue;
      const std::string a = x.a == "id" ? entity + "_id" : x.a == "name" ? entity + "_name" : x.a;
      if (std::find(attrs.begin(), attrs.end(), a) == attrs.end()) attrs.push_back(a);
      use(i);
    }
    // The identifying words are not asked for: 编号C000504的客户 / 郭思琪的...
    std::erase_if(attrs, [&](const std::string& a) {
      for (const auto& v : vals_) {
        if (v.field == entity + "_id" && a == entity + "_id") return true;
        if (v.field == entity && a == entity + "_name") return true;
      }
      return false;
    });
    // 光子嫩肤多少钱 (no sale in the question): the price.
    if (attrs.empty() && entity == "product" && has(TokKind::Money) && times_.empty()) {
      attrs.push_back("standard_price");
      use_all(TokKind::Money);
    }
    if (attrs.empty()) return false;
    spec_.frame = "lookup";
    spec_.subject = entity;
    spec_.attributes = attrs;
    spec_.filters = all_filters(false);
    use_all(TokKind::Own);
    use_field(entity);
    use_field("person");
    use_all(TokKind::QWhat);
    use_all(TokKind::QWhen);
    use_all(TokKind::QWhich);
    use_all(TokKind::QCount);
    use_all(TokKind::QList);
    return true;
  }

  // Lists of entities: 皮肤科都有哪几位咨询师, 单次项目里标价5000以上的有哪些.
  bool frame_list() {
    bool list_q = has(TokKind::QList) || has(TokKind::QWhich);
    // "疗程卡类的项目" / "价格在1万以上的项目": a noun phrase naming a set is a list too.
    if (!list_q && !has(TokKind::QCount) && !has(TokKind::Top)) {
      int last = -1;
      for (std::size_t i = 0; i < t_.size(); ++i)
        if (t_[i].kind != TokKind::Filler && t_[i].kind != TokKind::Punct)
          last = static_cast<int>(i);
      const bool ends_with_noun = last >= 0 &&
                                  t_[static_cast<std::size_t>(last)].kind == TokKind::Field &&
                                  is_subject_field(t_[static_cast<std::size_t>(last)].a);
      bool narrowed = !vals_.empty();
      for (const auto& n : nums_)
        if (!n.op.empty()) narrowed = true;
      list_q = ends_with_noun && narrowed;
    }
    if (!list_q) return false;
    if (has(TokKind::Measure) || has(TokKind::Money)) return false;
    std::string subject = subject_noun();
    if (subject.empty()) return false;
    spec_.subject = subject;
    bool event_filters = false;
    for (const auto& v : vals_)
      if (!is_subject_attribute_filter(subject, v.field) &&
          !(subject == "customer" && v.field == "consultant"))
        event_filters = true;
    if (has(TokKind::Event) || has(TokKind::Remaining) || event_filters) {
      // 今年买过疗程卡的客户有哪些: entities having an event.
      spec_.frame = "entity_set";
      Condition c;
      c.event = event_.empty() ? "consume" : event_;
      c.time = first_time();
      for (const auto& v : vals_) {
        use(v.tok);
        if (is_subject_attribute_filter(subject, v.field))
          add_filter(spec_.filters, v.field, v.exclude ? "!=" : "=", v.values);
        else
          add_filter(c.filters, v.field, v.exclude ? "!=" : "=", v.values);
      }
      new_filter(c.filters);
      spec_.conditions = {c};
      use_all(TokKind::Event);
      use_all(TokKind::Remaining);
      spec_.output = "list";
      use_all(TokKind::QList);
      use_all(TokKind::QWhich);
      return true;
    }
    spec_.frame = "list";
    spec_.filters = all_filters(false);
    for (auto& f : spec_.filters)
      if (f.field == "consultant" && subject == "customer") f.field = "customer_consultant";
    use_all(TokKind::Own);
    numeric_filters(spec_.filters, subject);
    spec_.attributes = compared_fields_;
    for (std::size_t i = 0; i < t_.size(); ++i) {
      const Token& x = t_[i];
      if (x.kind == TokKind::Field && is_attribute_of(subject, x.a) && x.a != "id" &&
          x.a != "name") {
        bool filtered = false;
        for (const auto& f : spec_.filters)
          if (f.field == x.a) filtered = true;
        if (!filtered && std::find(spec_.attributes.begin(), spec_.attributes.end(), x.a) ==
                             spec_.attributes.end())
          spec_.attributes.push_back(x.a);
        use(i);
      }
    }
    if (subject == "customer" && !times_.empty() && has(TokKind::Field, "register_date")) {
      spec_.time = first_time();
      spec_.time_field = "register_date";
      spec_.attributes.erase(
          std::remove(spec_.attributes.begin(), spec_.attributes.end(), "register_date"),
          spec_.attributes.end());
    }
    spec_.output = "list";
    use_all(TokKind::QList);
    use_all(TokKind::QWhich);
    return true;
  }

  bool frame_aggregate() {
    std::vector<std::string> ms = measures(false);
    if (ms.empty()) {
      // 银卡会员有多少 (no noun after the count word): a count of customers.
      if (has(TokKind::QCount)) {
        for (const auto& v : vals_)
          if (v.field == "membership_level" || v.field == "health_tag") ms = {people_measure()};
      }
      if (ms.empty()) return false;
      use_all(TokKind::QCount);
    }
    spec_.frame = "aggregate";
    // Measures from several tables are answered side by side (业绩和划扣金额); grouping needs
    // one table, so the compiler refuses a dimension over mixed measures.
    const MeasureDef* m0 = find_measure(ms.front());
    spec_.measures = ms;
    spec_.filters = all_filters();
    Source src = m0 ? m0->source : Source::Consume;
    // Filters that only events have (科室, 品项, 支付方式) turn a customer count into buyers.
    if (src == Source::Customer) {
      bool event_only = false;
      for (const auto& f : spec_.filters)
        if (f.field == "department" || f.field == "product" || f.field == "product_type" ||
            f.field == "payment_method" || f.field == "is_new")
          event_only = true;
      if (event_only || (!times_.empty() && !has(TokKind::Field, "register_date"))) {
        spec_.measures = {"buyers"};
        src = Source::Consume;
      }
    }
    for (auto& f : spec_.filters) {
      if (f.field == "consultant" && (src == Source::Customer || has(TokKind::Own)))
        f.field = "customer_consultant";
    }
    use_all(TokKind::Own);
    numeric_filters(spec_.filters, "");
    spec_.dimensions = dimensions(spec_.measures);
    if (!times_.empty()) {
      if (src == Source::Customer) {
        spec_.time_field = "register_date";
        use_field("register_date");
      }
      if (src == Source::Balance && !has(TokKind::Event, "expire")) {
        // A balance is a current state: a period only means something for expiry.
      } else {
        spec_.time = first_time();
      }
    }
    if (src == Source::Balance && has(TokKind::Event, "expire")) use_all(TokKind::Event, "expire");
    if (has(TokKind::Share) && !spec_.dimensions.empty()) {
      spec_.output = "share";
      use_all(TokKind::Share);
    }
    use_all(TokKind::Avg);
    use_all(TokKind::Each);
    use_field("person");
    use_field("customer");
    return true;
  }

  // ---- confidence ----------------------------------------------------------------------
  void score() {
    double conf = out_.spec ? 1.0 : 0.0;
    std::string unknown_run;
    auto flush = [&] {
      if (!unknown_run.empty()) {
        out_.unexplained.push_back(unknown_run);
        conf -= 0.12 * static_cast<double>(std::min<std::size_t>(to_u32(unknown_run).size(), 4));
        unknown_run.clear();
      }
    };
    for (const auto& x : t_) {
      if (x.kind == TokKind::Unknown) {
        unknown_run += x.text;
        continue;
      }
      flush();
      if (x.kind == TokKind::Value && x.fuzzy && !x.refs.empty())
        out_.notes.push_back("“" + x.text + "”按“" + x.refs.front().value + "”理解");
      if (x.kind == TokKind::Value && x.fuzzy) conf -= x.a == "tie" ? 0.3 : 0.05;
      if (x.used) continue;
      switch (x.kind) {
        case TokKind::Filler:
        case TokKind::Punct:
        case TokKind::Classifier:
        case TokKind::ParenOpen:
        case TokKind::ParenClose:
          break;
        case TokKind::Each:
        case TokKind::Compare:
        case TokKind::Avg:
          conf -= 0.05;
          break;
        default:
          out_.unexplained.push_back(x.text);
          conf -= 0.25;
      }
    }
    flush();
    if (out_.spec) {
      if (!out_.spec->measures.empty())
        if (const MeasureDef* m = find_measure(out_.spec->measures.front()))
          out_.understood_measure = std::string(m->label);
    }
    for (const auto& v : vals_)
      if (!v.values.empty() && out_.understood_entity.empty()) {
        out_.understood_entity = v.values.front();
        out_.understood_entity_field = v.field;
      }
    if (out_.understood_measure.empty()) {
      for (const auto& x : t_)
        if (x.kind == TokKind::Measure)
          if (const MeasureDef* m = find_measure(x.a))
            out_.understood_measure = std::string(m->label);
    }
    out_.confidence = std::clamp(conf, 0.0, 1.0);
  }

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

ParseOutcome parse_tokens(std::vector<Token>& tokens, const Date& as_of,
                          const ParseOptions& options) {
  return Parser(tokens, as_of, options).run();
}

}  // namespace yimei::text2sql
