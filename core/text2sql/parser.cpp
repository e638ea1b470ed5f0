// The rules parser's preparation (parentheses, time merging, value resolution, numbers), the
// measure/dimension/subject helpers its frames share, and the confidence score.
#include "core/text2sql/parser_impl.hpp"

namespace yimei::text2sql {
namespace detail {

ParseOutcome Parser::run() {
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

// ---- preparation ---------------------------------------------------------------------
void Parser::prepare() {
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
  // 还没划扣完 written apart (没 + 划扣 + 完): a balance still open, not a missing write-off.
  for (std::size_t i = 0; i + 2 < t_.size(); ++i) {
    if (t_[i].kind == TokKind::Neg && t_[i + 1].kind == TokKind::Event &&
        t_[i + 1].a == "write_off" && t_[i + 2].text == "完") {
      t_[i].kind = TokKind::Remaining;
      t_[i + 1].kind = TokKind::Filler;
      t_[i + 2].kind = TokKind::Filler;
      t_[i + 1].used = t_[i + 2].used = true;
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
    const bool balance_word =
        (before.kind == TokKind::Measure && before.a == "balance") || before.kind == TokKind::Money;
    if (balance_word && after.kind == TokKind::Event && after.a == "write_off") {
      const int nn = next_content(static_cast<std::size_t>(nx));
      const bool then_subject = nn >= 0 && t_[static_cast<std::size_t>(nn)].kind == TokKind::Field;
      if (!then_subject) {
        t_[i].kind = TokKind::Filler;
        t_[static_cast<std::size_t>(nx)].kind = TokKind::Filler;
        t_[i].used = t_[static_cast<std::size_t>(nx)].used = true;
      }
    }
  }
  // 抗衰中心还有多少没划的 / 还剩多少没消耗: with no entity noun, number or time, "how much is left
  // not written off" is the open balance, not a count of customers lacking a write-off.
  {
    bool subject_noun = false;
    for (const auto& x : t_)
      if ((x.kind == TokKind::Field && is_subject_field(x.a)) || x.kind == TokKind::Num ||
          x.kind == TokKind::Time)
        subject_noun = true;
    for (std::size_t i = 0; i + 1 < t_.size() && !subject_noun; ++i) {
      if (t_[i].kind != TokKind::Neg) continue;
      const int pv = prev_content(i);
      const int nx = next_content(i);
      if (pv < 0 || nx < 0) continue;
      const Token& before = t_[static_cast<std::size_t>(pv)];
      const Token& after = t_[static_cast<std::size_t>(nx)];
      const bool how_much =
          before.kind == TokKind::QCount && before.text.find("多少") != std::string::npos &&
          pv > 0 &&
          (t_[static_cast<std::size_t>(pv) - 1].text == "还" || before.text.rfind("还", 0) == 0 ||
           before.text.find("剩") != std::string::npos);
      if (!how_much || after.kind != TokKind::Event || after.a != "write_off") continue;
      if (next_content(static_cast<std::size_t>(nx)) >= 0) continue;
      t_[i].kind = TokKind::Measure;
      t_[i].a = "balance";
      t_[static_cast<std::size_t>(nx)].kind = TokKind::Filler;
      t_[static_cast<std::size_t>(nx)].used = true;
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
void Parser::merge_times() {
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

void Parser::paren_group(std::size_t open, std::size_t close) {
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

void Parser::resolve_values() {
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

std::string Parser::pick_field(std::size_t i, const std::set<std::string>& fields) const {
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
       {"product", "consultant", "department", "product_type", "membership_level", "payment_method",
        "health_tag", "customer_id", "consultant_id", "product_id", "customer"})
    if (fields.count(f)) return f;
  return *fields.begin();
}

void Parser::pair_numbers() {
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

// Filters from every value (and 新客/老客), for frames over one event table.
std::vector<Filter> Parser::all_filters(bool include_new) {
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

void Parser::add_filter(std::vector<Filter>& fs, const std::string& field, const std::string& op,
                        const std::vector<std::string>& values) {
  for (auto& f : fs) {
    if (f.field == field && f.op == op && (op == "=" || op == "!=")) {
      for (const auto& v : values)
        if (std::find(f.values.begin(), f.values.end(), v) == f.values.end()) f.values.push_back(v);
      return;
    }
  }
  fs.push_back(Filter{field, op, values});
}

// Numeric comparisons on attributes (标价5000以上, 单笔超过1万).
void Parser::numeric_filters(std::vector<Filter>& fs, const std::string& subject) {
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

// The subject noun of an entity question: the last customer/consultant/product noun.
std::string Parser::subject_noun(bool allow_values) {
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
  // 顾客有多少人: every noun naming the subject is explained.
  for (auto& x : t_)
    if (x.kind == TokKind::Field &&
        (x.a == s || (x.a == "person" && (s == "customer" || s == "consultant"))))
      x.used = true;
  if (!s.empty() || !allow_values) return s;
  // No noun: the last value that implies one (从未购买过套餐的钻石会员 -> customers).
  for (auto it = vals_.rbegin(); it != vals_.rend(); ++it) {
    if (it->field == "product_type") return "product";
    if (it->field == "membership_level" || it->field == "health_tag") return "customer";
  }
  return s;
}

bool Parser::person_is_consultant() const {
  bool consultant_noun = false, customer_noun = false, dept = false;
  for (const auto& x : t_) {
    if (x.kind == TokKind::Field && x.a == "consultant") consultant_noun = true;
    if (x.kind == TokKind::Field && x.a == "customer") customer_noun = true;
  }
  for (const auto& v : vals_)
    if (v.field == "department") dept = true;
  if (customer_noun) return false;
  if (consultant_noun) return true;
  // 谁开单最多: the one who opens orders is the staff member; a customer buys.
  static const std::set<std::string> kStaffVerbs = {"开",   "开了", "开单", "出单",  "开出",
                                                    "签单", "成单", "开过", "开过单"};
  for (const auto& x : t_)
    if (x.kind == TokKind::Event && kStaffVerbs.count(x.text)) return true;
  return dept && event_.empty() && !has(TokKind::New) && !has(TokKind::Old);
}

// The noun a count word counts (see measures()); "" when none.
std::string Parser::count_noun() {
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
std::vector<std::string> Parser::measures(bool allow_default) {
  std::vector<std::string> ms;
  auto add = [&](const std::string& m) {
    if (!m.empty() && std::find(ms.begin(), ms.end(), m) == ms.end()) ms.push_back(m);
  };
  for (std::size_t i = 0; i < t_.size(); ++i) {
    const Token& x = t_[i];
    if (x.kind == TokKind::Measure) {
      std::string m = x.a;
      if (m == "customer_count" && !event_.empty()) m = people_measure();
      // A count word (几笔, 多少单, 几件) counts the records of the question's event: 划扣了几笔
      // is a count of write-offs, not of purchases.
      if (event_ == "write_off" && (m == "orders" || m == "quantity")) {
        bool count_word = false;
        for (const Token& y : t_)
          if (y.kind == TokKind::QCount && y.begin == x.begin && y.end == x.end) count_word = true;
        if (count_word) m = m == "orders" ? "write_off_count" : "write_off_quantity";
      }
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
  average_per_unit(ms);
  if (!ms.empty()) {
    use_all(TokKind::QCount);
    use_all(TokKind::QWhat);
    use_all(TokKind::Event);
    use_all(TokKind::Remaining);
  }
  return ms;
}

// 平均 followed by the unit it divides by: 平均每个客户消费多少 is the amount per customer,
// 平均一笔多少钱 / 平均每单 the amount per record (of purchases, or of write-offs after 划扣).
void Parser::average_per_unit(std::vector<std::string>& ms) {
  if (ms.size() != 1) return;
  for (std::size_t i = 0; i < t_.size(); ++i) {
    if (t_[i].kind != TokKind::Avg) continue;
    std::string per;
    std::size_t unit_tok = i;
    for (std::size_t j = i + 1; j < t_.size() && j <= i + 2 && per.empty(); ++j) {
      const Token& y = t_[j];
      if (y.kind == TokKind::Field && (y.a == "customer" || y.a == "person")) {
        per = "customer";
        unit_tok = j;
      } else if (y.kind == TokKind::Num && y.number == 1 && (y.a == "笔" || y.a == "单")) {
        per = "record";
        unit_tok = j;
      } else if (y.kind != TokKind::Filler && y.kind != TokKind::Each &&
                 y.kind != TokKind::Classifier) {
        break;
      }
    }
    if (per.empty()) continue;
    std::string& m = ms.front();
    if (m == "revenue" && per == "customer")
      m = "per_customer";
    else if (m == "revenue" && per == "record")
      m = "avg_order";
    else if (m == "write_off_amount" && per == "record")
      m = "avg_write_off";
    else if (m == "write_off_amount" && per == "customer")
      m = "write_off_per_customer";
    else
      continue;
    use(i);
    use(unit_tok);
    return;
  }
}

std::vector<std::string> Parser::dimensions(const std::vector<std::string>& ms) {
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
      if (x.a != "department" && x.a != "consultant" && x.a != "product" && x.a != "product_type" &&
          x.a != "payment_method" && x.a != "membership_level")
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

int Parser::limit_number(const std::string& subject) {
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

std::string Parser::output_kind() {
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

Period Parser::previous_period(const Period& p) const {
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

// ---- confidence ----------------------------------------------------------------------
void Parser::score() {
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

}  // namespace detail

ParseOutcome parse_tokens(std::vector<Token>& tokens, const Date& as_of,
                          const ParseOptions& options) {
  return detail::Parser(tokens, as_of, options).run();
}

}  // namespace yimei::text2sql
