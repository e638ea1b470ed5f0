// The rules parser's frames, tried in order by Parser::run(): 二开率, inactive customers,
// entities lacking an event, two-window comparisons, per-entity thresholds, top-N, lookups,
// lists, and the general measure-over-filters frame. Each builds the spec or returns false.
#include "core/text2sql/parser_impl.hpp"

namespace yimei::text2sql::detail {

// ---- frames ----------------------------------------------------------------------------
bool Parser::frame_second_purchase() {
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

bool Parser::frame_inactive() {
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

// Entities lacking an event: 从没买过…的客户, 去年有卖、今年没卖的项目, 有余额但没划扣.
bool Parser::frame_negation() {
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

// Two windows: 本月比去年6月差多少, 同比增长率, 哪位咨询师增长最多.
bool Parser::frame_compare() {
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
    // 上个月同期 / 去年同期 with their dates (time_expr shifted the window before them).
    for (std::size_t k = 1; k < times_.size(); ++k)
      if (t_[times_[k]].marker != TimeMarker::None) {
        b = period_of(times_[k]);
        break;
      }
  } else if (times_.size() >= 2 && (diff_words || compare_words)) {
    a = period_of(times_[0]);
    b = period_of(times_[1]);
    use(times_[0]);
    use(times_[1]);
  } else if (marker) {
    a = Period{first_of_month(as_of_), as_of_, "本月"};
    b = marker_yoy_ ? same_period_last_year(*a) : previous_period(*a);
  } else if (times_.size() == 1 && has(TokKind::Diff) &&
             (ranking ||
              (!has(TokKind::Top) && (has(TokKind::Diff, "diff") || has(TokKind::Diff, "rate"))))) {
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
    // 各科室业绩同比: one comparison per group.
    if (has(TokKind::Each)) spec_.dimensions = dimensions(spec_.measures);
  }
  use_all(TokKind::QCount);
  use_all(TokKind::QWhat);
  return true;
}

// Per-entity thresholds: 复购 / 买过2次以上 / 消费超过1万的客户.
bool Parser::frame_having() {
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
bool Parser::frame_top() {
  const bool top = has(TokKind::Top);
  if (!top) return false;
  // 最贵 / 最便宜, or 单价最高 / 标价最低 (a price noun with a plain superlative, no sale).
  const bool price_noun = has(TokKind::Field, "standard_price") && !has(TokKind::Event) &&
                          !has(TokKind::Measure) && has_top_superlative();
  const bool by_price = has(TokKind::Top, "desc") && (has_b(TokKind::Top, "price") || price_noun);
  const bool by_price_asc =
      has(TokKind::Top, "asc") && (has_b(TokKind::Top, "price") || price_noun);
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
  // 谁开单最多 / 哪位卖得最好: "who" ranks people, staff or customers by the verb.
  if (subject.empty()) {
    static const std::set<std::string> kWho = {"谁",     "是谁", "哪位",  "哪一位",
                                               "哪个人", "哪名", "哪一名"};
    for (std::size_t i = 0; i < t_.size(); ++i)
      if (t_[i].kind == TokKind::QWhich && kWho.count(t_[i].text)) {
        subject = "person";
        use(i);
      }
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
  return true;
}

// Attributes of one named entity: 郭思琪有什么健康标签, C000504 哪天注册的.
bool Parser::frame_lookup() {
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
bool Parser::frame_list() {
  bool list_q = has(TokKind::QList) || has(TokKind::QWhich);
  // "疗程卡类的项目" / "价格在1万以上的项目": a noun phrase naming a set is a list too.
  if (!list_q && !has(TokKind::QCount) && !has(TokKind::Top)) {
    int last = -1;
    for (std::size_t i = 0; i < t_.size(); ++i)
      if (t_[i].kind != TokKind::Filler && t_[i].kind != TokKind::Punct) last = static_cast<int>(i);
    const bool ends_with_noun = last >= 0 &&
                                t_[static_cast<std::size_t>(last)].kind == TokKind::Field &&
                                is_subject_field(t_[static_cast<std::size_t>(last)].a);
    bool narrowed = !vals_.empty();
    for (const auto& n : nums_)
      if (!n.op.empty()) narrowed = true;
    list_q = ends_with_noun && narrowed;
  }
  if (!list_q) return false;
  // 哪些客户的余额下个月到期: the balance is the event, not a measure to total.
  const bool balance_event = has(TokKind::Measure, "balance") && !has(TokKind::Top) &&
                             !has(TokKind::QCount) && !has(TokKind::Each);
  if ((has(TokKind::Measure) && !balance_event) || has(TokKind::Money)) return false;
  std::string subject = subject_noun();
  // 抗衰中心都有谁: "who" without a noun lists people, staff or customers as for 谁开单最多.
  if (subject.empty()) {
    static const std::set<std::string> kWhoList = {"都有谁",   "有谁",     "都是谁",
                                                   "分别是谁", "具体是谁", "具体有谁"};
    for (const auto& x : t_)
      if (x.kind == TokKind::QList && kWhoList.count(x.text))
        subject = person_is_consultant() ? "consultant" : "customer";
  }
  if (subject.empty()) return false;
  spec_.subject = subject;
  bool event_filters = false;
  for (const auto& v : vals_)
    if (!is_subject_attribute_filter(subject, v.field) &&
        !(subject == "customer" && v.field == "consultant"))
      event_filters = true;
  if (has(TokKind::Event) || has(TokKind::Remaining) || event_filters || balance_event) {
    // 今年买过疗程卡的客户有哪些: entities having an event.
    spec_.frame = "entity_set";
    Condition c;
    c.event = event_.empty() ? "consume" : event_;
    use_all(TokKind::Measure, "balance");
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
    if (x.kind == TokKind::Field && is_attribute_of(subject, x.a) && x.a != "id" && x.a != "name") {
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

bool Parser::frame_aggregate() {
  std::vector<std::string> ms = measures(false);
  // 每个顾问的开单情况 / 统计各科室的划扣: the event's own measure when grouped or summarized.
  if (ms.empty() && !event_.empty() && (has(TokKind::Each) || asks_summary())) {
    ms = {default_measure_for_event(event_, event_default_)};
    use_all(TokKind::Event);
  }
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
  // 最近一次消费是哪天: the date measures answer the when-question.
  for (const auto& m : spec_.measures)
    if (m == "last_consume" || m == "first_consume" || m == "last_write_off")
      use_all(TokKind::QWhen);
  use_all(TokKind::Avg);
  use_all(TokKind::Each);
  use_field("person");
  use_field("customer");
  return true;
}

}  // namespace yimei::text2sql::detail
