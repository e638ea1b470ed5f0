// QuerySpec <-> JSON. The JSON shape follows docs/spec/text2sql.md: measures as [{"name"}],
// time as {"from","to","label"}, order as [{"by","desc"}].
#include "core/text2sql/query_spec.hpp"

#include <boost/json.hpp>

namespace yimei::text2sql {

namespace json = boost::json;

namespace {

json::value period_json(const std::optional<Period>& p) {
  if (!p) return nullptr;
  return json::object{
      {"from", format_date(p->from)}, {"to", format_date(p->to)}, {"label", p->label}};
}

json::array filters_json(const std::vector<Filter>& fs) {
  json::array a;
  for (const auto& f : fs) {
    json::array vals;
    for (const auto& v : f.values) vals.emplace_back(v);
    a.push_back(json::object{{"field", f.field}, {"op", f.op}, {"values", vals}});
  }
  return a;
}

json::array strings_json(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// Reading helpers: each returns false (and sets err) on a malformed member.
struct Reader {
  std::string err;

  bool str(const json::object& o, const char* key, std::string& out) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (!v->is_string()) return fail(key);
    out = std::string(v->as_string());
    return true;
  }
  bool integer(const json::object& o, const char* key, int& out) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (v->is_int64()) {
      out = static_cast<int>(v->as_int64());
      return true;
    }
    if (v->is_uint64()) {
      out = static_cast<int>(v->as_uint64());
      return true;
    }
    if (v->is_double()) {
      out = static_cast<int>(v->as_double());
      return true;
    }
    return fail(key);
  }
  bool boolean(const json::object& o, const char* key, bool& out) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (!v->is_bool()) return fail(key);
    out = v->as_bool();
    return true;
  }
  bool strings(const json::object& o, const char* key, std::vector<std::string>& out) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (v->is_string()) {
      out.emplace_back(v->as_string());
      return true;
    }
    if (!v->is_array()) return fail(key);
    for (const auto& e : v->as_array()) {
      if (e.is_string()) {
        out.emplace_back(e.as_string());
      } else if (e.is_object() && e.as_object().if_contains("name") &&
                 e.as_object().at("name").is_string()) {
        out.emplace_back(e.as_object().at("name").as_string());
      } else {
        return fail(key);
      }
    }
    return true;
  }
  bool period(const json::object& o, const char* key, std::optional<Period>& out) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (!v->is_object()) return fail(key);
    const auto& po = v->as_object();
    std::string from, to, label;
    if (!str(po, "from", from) || !str(po, "to", to) || !str(po, "label", label)) return false;
    auto f = parse_date(from);
    auto t = parse_date(to);
    if (!f || !t) return fail(key);
    out = Period{*f, *t, label};
    return true;
  }
  bool filters(const json::object& o, const char* key, std::vector<Filter>& out) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (!v->is_array()) return fail(key);
    for (const auto& e : v->as_array()) {
      if (!e.is_object()) return fail(key);
      Filter f;
      const auto& fo = e.as_object();
      if (!str(fo, "field", f.field) || !str(fo, "op", f.op)) return false;
      const json::value* vals = fo.if_contains("values");
      if (!vals) vals = fo.if_contains("value");
      if (vals && vals->is_array()) {
        for (const auto& x : vals->as_array()) {
          if (x.is_string()) {
            f.values.emplace_back(x.as_string());
          } else if (x.is_number()) {
            f.values.push_back(json::serialize(x));
          } else {
            return fail(key);
          }
        }
      } else if (vals && vals->is_string()) {
        f.values.emplace_back(vals->as_string());
      } else if (vals && vals->is_number()) {
        f.values.push_back(json::serialize(*vals));
      }
      if (f.field.empty() || f.values.empty()) return fail(key);
      if (f.op == "in") f.op = "=";
      if (f.op == "not in" || f.op == "<>") f.op = "!=";
      out.push_back(std::move(f));
    }
    return true;
  }
  bool fail(const char* key) {
    err = std::string("QuerySpec 字段格式不正确：") + key;
    return false;
  }
};

}  // namespace

json::value to_json(const QuerySpec& s) {
  json::object o;
  o["frame"] = s.frame;
  if (!s.subject.empty()) o["subject"] = s.subject;
  json::array ms;
  for (const auto& m : s.measures) ms.push_back(json::object{{"name", m}});
  o["measures"] = ms;
  o["dimensions"] = strings_json(s.dimensions);
  o["filters"] = filters_json(s.filters);
  o["time"] = period_json(s.time);
  if (!s.time_field.empty()) o["time_field"] = s.time_field;
  o["compare"] = period_json(s.compare_time);
  if (!s.compare_mode.empty()) o["compare_mode"] = s.compare_mode;
  json::array conds;
  for (const auto& c : s.conditions) {
    conds.push_back(json::object{{"event", c.event},
                                 {"negated", c.negated},
                                 {"time", period_json(c.time)},
                                 {"filters", filters_json(c.filters)}});
  }
  o["conditions"] = conds;
  if (!s.attributes.empty()) o["attributes"] = strings_json(s.attributes);
  if (s.having) {
    o["having"] = json::object{
        {"metric", s.having->metric}, {"op", s.having->op}, {"value", s.having->value}};
  }
  json::array order;
  if (!s.order_by.empty())
    order.push_back(json::object{{"by", s.order_by}, {"desc", s.order_desc}});
  o["order"] = order;
  o["limit"] = s.limit;
  if (!s.output.empty()) o["output"] = s.output;
  if (s.window_days) o["window_days"] = s.window_days;
  return o;
}

Outcome<QuerySpec> query_spec_from_json(const json::value& v) {
  if (!v.is_object()) return bad_input("QuerySpec 应为 JSON 对象");
  const auto& o = v.as_object();
  QuerySpec s;
  Reader r;
  bool ok = r.str(o, "frame", s.frame) && r.str(o, "subject", s.subject) &&
            r.strings(o, "measures", s.measures) && r.strings(o, "dimensions", s.dimensions) &&
            r.filters(o, "filters", s.filters) && r.period(o, "time", s.time) &&
            r.str(o, "time_field", s.time_field) && r.period(o, "compare", s.compare_time) &&
            r.str(o, "compare_mode", s.compare_mode) && r.strings(o, "attributes", s.attributes) &&
            r.integer(o, "limit", s.limit) && r.str(o, "output", s.output) &&
            r.integer(o, "window_days", s.window_days);
  if (ok) {
    if (const json::value* c = o.if_contains("conditions"); c && c->is_array()) {
      for (const auto& e : c->as_array()) {
        if (!e.is_object()) {
          ok = r.fail("conditions");
          break;
        }
        Condition cond;
        const auto& co = e.as_object();
        ok = r.str(co, "event", cond.event) && r.boolean(co, "negated", cond.negated) &&
             r.period(co, "time", cond.time) && r.filters(co, "filters", cond.filters);
        if (!ok) break;
        s.conditions.push_back(std::move(cond));
      }
    }
  }
  if (ok) {
    if (const json::value* h = o.if_contains("having"); h && h->is_object()) {
      Having hv;
      const auto& ho = h->as_object();
      ok = r.str(ho, "metric", hv.metric) && r.str(ho, "op", hv.op);
      if (ok) {
        if (const json::value* hvv = ho.if_contains("value")) {
          if (hvv->is_string()) {
            hv.value = std::string(hvv->as_string());
          } else if (hvv->is_number()) {
            hv.value = json::serialize(*hvv);
          }
        }
        s.having = hv;
      }
    }
  }
  if (ok) {
    if (const json::value* ord = o.if_contains("order");
        ord && ord->is_array() && !ord->as_array().empty()) {
      const auto& first = ord->as_array().front();
      if (first.is_object()) {
        ok = r.str(first.as_object(), "by", s.order_by) &&
             r.boolean(first.as_object(), "desc", s.order_desc);
      }
    }
  }
  if (!ok) return bad_input(r.err);
  if (s.frame.empty()) return bad_input("QuerySpec 缺少 frame");
  return s;
}

}  // namespace yimei::text2sql
