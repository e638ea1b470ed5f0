// Follow-up patches and the per-(user, chat) store of the last QuerySpec.
#include "core/text2sql/followup.hpp"

#include <algorithm>

#include "core/text2sql/semantic_model.hpp"

namespace yimei::text2sql {

namespace {

bool dimension_field(const std::string& f) {
  return find_dimension(f) != nullptr;
}

void set_filter(std::vector<Filter>& fs, const std::string& field, const std::string& op,
                const std::vector<std::string>& values) {
  fs.erase(std::remove_if(fs.begin(), fs.end(), [&](const Filter& f) { return f.field == field; }),
           fs.end());
  fs.push_back(Filter{field, op, values});
}

}  // namespace

std::optional<QuerySpec> parse_followup(std::vector<Token>& toks, const QuerySpec& prev) {
  // Only patch words: anything that starts a question of its own is not a follow-up.
  for (const auto& t : toks) {
    switch (t.kind) {
      case TokKind::Time:
      case TokKind::Marker:
      case TokKind::Value:
      case TokKind::Each:
      case TokKind::Num:
      case TokKind::Top:
      case TokKind::Classifier:
      case TokKind::Punct:
      case TokKind::Filler:
      case TokKind::Exclude:
      case TokKind::ParenOpen:
      case TokKind::ParenClose:
      case TokKind::Field:
        break;
      default:
        return std::nullopt;
    }
    if (t.kind == TokKind::Field && !dimension_field(t.a) && t.a != "customer" &&
        t.a != "consultant" && t.a != "product")
      return std::nullopt;
  }
  QuerySpec spec = prev;
  bool patched = false;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    Token& t = toks[i];
    if (t.kind == TokKind::Time && t.range) {
      const Period p{t.range->from, t.range->to, t.text};
      if (spec.frame == "entity_set" && !spec.conditions.empty()) {
        for (auto& c : spec.conditions)
          if (c.time) c.time = p;
        if (std::none_of(spec.conditions.begin(), spec.conditions.end(),
                         [](const Condition& c) { return c.time.has_value(); }))
          spec.conditions.front().time = p;
      } else if (spec.compare_time && spec.time) {
        // Keep the distance between the two windows (同比 stays 同比).
        const int shift = days_between(spec.time->from, spec.compare_time->from);
        const int len = days_between(spec.compare_time->from, spec.compare_time->to);
        spec.time = p;
        spec.compare_time =
            Period{add_days(p.from, shift), add_days(add_days(p.from, shift), len), "对比期"};
      } else {
        spec.time = p;
      }
      t.used = true;
      patched = true;
    } else if (t.kind == TokKind::Value && !t.refs.empty()) {
      std::vector<std::string> values;
      const std::string field = t.refs.front().field;
      for (const auto& r : t.refs)
        if (r.field == field) values.push_back(r.value);
      const bool exclude = (i > 0 && toks[i - 1].kind == TokKind::Exclude) ||
                           (i + 1 < toks.size() && toks[i + 1].kind == TokKind::Exclude);
      if (spec.frame == "entity_set" && !spec.conditions.empty() &&
          (field == "product" || field == "product_type" || field == "department") &&
          spec.subject == "customer") {
        set_filter(spec.conditions.front().filters, field, exclude ? "!=" : "=", values);
      } else {
        set_filter(spec.filters, field, exclude ? "!=" : "=", values);
      }
      t.used = true;
      patched = true;
    } else if (t.kind == TokKind::Field && dimension_field(t.a)) {
      // 按科室拆开 / 分月看: add a dimension (a top list becomes a ranking table).
      bool grouped = false;
      for (std::size_t j = 0; j < toks.size(); ++j)
        if (toks[j].kind == TokKind::Each) grouped = true;
      if (!grouped) continue;
      if (spec.frame == "top") {
        spec.frame = "aggregate";
        spec.dimensions = {spec.subject};
        spec.subject.clear();
      }
      if (spec.frame != "aggregate") return std::nullopt;
      if (std::find(spec.dimensions.begin(), spec.dimensions.end(), t.a) == spec.dimensions.end())
        spec.dimensions.push_back(t.a);
      t.used = true;
      patched = true;
    } else if (t.kind == TokKind::Num && t.number >= 1 && t.number <= 1000) {
      spec.limit = static_cast<int>(t.number);
      if (spec.frame == "aggregate" && spec.order_by.empty() && !spec.measures.empty()) {
        spec.order_by = spec.measures.front();
        spec.order_desc = true;
      }
      t.used = true;
      patched = true;
    }
  }
  if (!patched) return std::nullopt;
  for (auto& t : toks)
    if (t.kind == TokKind::Each || t.kind == TokKind::Top || t.kind == TokKind::Exclude ||
        t.kind == TokKind::Marker)
      t.used = true;
  return spec;
}

void FollowupStore::put(const std::string& user, const std::string& chat, const QuerySpec& spec,
                        Clock::time_point now) {
  std::lock_guard lock(mu_);
  // Drop expired entries now and then so the map stays small.
  if (entries_.size() > 1000) {
    for (auto it = entries_.begin(); it != entries_.end();)
      it = now - it->second.at >= ttl_ ? entries_.erase(it) : std::next(it);
  }
  entries_[{user, chat}] = Entry{spec, now};
}

std::optional<QuerySpec> FollowupStore::get(const std::string& user, const std::string& chat,
                                            Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find({user, chat});
  if (it == entries_.end()) return std::nullopt;
  if (now - it->second.at >= ttl_) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.spec;
}

void FollowupStore::clear(const std::string& user, const std::string& chat) {
  std::lock_guard lock(mu_);
  entries_.erase({user, chat});
}

}  // namespace yimei::text2sql
