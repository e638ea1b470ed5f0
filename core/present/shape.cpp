// The shape of a result and 按X排序 ordering (see present_parts.hpp).
#include <algorithm>
#include <cmath>
#include <set>

#include "core/present/present_parts.hpp"
#include "core/render/column_traits.hpp"
#include "core/render/table_render.hpp"
#include "core/text2sql/semantic_model.hpp"

namespace yimei::present::detail {

double number_of(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<Decimal>(&v)) return d->to_double();
  if (const auto* r = std::get_if<double>(&v)) return *r;
  return kNaN;
}

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Wnn (and / instead of -).
bool looks_like_time_text(std::string_view s) {
  if (s.size() < 4 || !all_digits(s.substr(0, 4))) return false;
  if (s.size() == 4) return true;
  if (s[4] != '-' && s[4] != '/') return false;
  const std::string_view rest = s.substr(5);
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q') && all_digits(rest.substr(1)))
    return true;
  if (rest.size() >= 2 && (rest[0] == 'W' || rest[0] == 'w') && all_digits(rest.substr(1)))
    return true;
  if (rest.size() == 2 && all_digits(rest)) return true;
  return rest.size() == 5 && all_digits(rest.substr(0, 2)) && (rest[2] == '-' || rest[2] == '/') &&
         all_digits(rest.substr(3));
}

// The labels the spec's dimensions give their columns (年份 is an Integer column, yet a label).
std::set<std::string> dimension_labels(const text2sql::QuerySpec* spec, bool time_only) {
  std::set<std::string> out;
  if (!spec) return out;
  for (const auto& d : spec->dimensions)
    if (const auto* def = text2sql::find_dimension(d); def && (!time_only || def->is_time))
      out.insert(std::string(def->label));
  return out;
}

bool is_year_column(const Table& t, std::size_t j) {
  const Column& c = t.columns[j];
  if (c.type != ColumnType::Integer || c.unit != ColumnUnit::None) return false;
  if (c.display() != "年份" && c.display() != "年" && c.name != "year") return false;
  for (const Row& r : t.rows)
    if (const auto* i = std::get_if<std::int64_t>(&r[j]); i && (*i < 1900 || *i > 2200))
      return false;
  return true;
}

}  // namespace

Shape shape_of(const Table& t, const text2sql::QuerySpec* spec) {
  Shape s;
  const auto dims = dimension_labels(spec, false);
  const auto time_dims = dimension_labels(spec, true);
  for (std::size_t j = 0; j < t.columns.size(); ++j) {
    const Column& c = t.columns[j];
    const bool dim = dims.count(c.display()) > 0 || is_year_column(t, j);
    if (render::is_numeric(c) && !dim) {
      s.numbers.push_back(j);
      continue;
    }
    s.labels.push_back(j);
    if (s.time >= 0) continue;
    bool time =
        c.type == ColumnType::Date || time_dims.count(c.display()) > 0 || is_year_column(t, j);
    if (!time && c.type == ColumnType::Text && !t.rows.empty()) {
      time = true;
      for (const Row& r : t.rows) {
        const auto* text = std::get_if<Text>(&r[j]);
        if (text && !looks_like_time_text(*text)) time = false;
      }
    }
    if (time) s.time = static_cast<int>(j);
  }
  return s;
}

bool has_any(std::string_view text, std::initializer_list<std::string_view> words) {
  for (auto w : words)
    if (text.find(w) != std::string_view::npos) return true;
  return false;
}

// Whether the values of column j may be summed across rows (for 其他 and pivots).
bool additive(const Table& t, std::size_t j, std::size_t k, const text2sql::QuerySpec* spec,
              std::size_t n_numbers) {
  const Column& c = t.columns[j];
  if (c.unit == ColumnUnit::Percent || c.type == ColumnType::Real) return false;
  if (has_any(c.display(), {"客单价", "平均", "均价", "单价", "人均", "率", "占比", "比例"}))
    return false;
  if (spec && spec->measures.size() == n_numbers && k < spec->measures.size())
    if (const auto* m = text2sql::find_measure(spec->measures[k]))
      return m->agg == "SUM" || m->agg == "COUNT";
  return c.unit == ColumnUnit::Yuan || c.unit == ColumnUnit::Count ||
         (c.type == ColumnType::Decimal && render::is_money(c));
}

std::string cell_text(const Value& v, const Column& c, bool show_phone) {
  if (const auto* s = std::get_if<Text>(&v); s && s->empty()) return "（空）";
  return render::format_value(v, c, show_phone);
}

std::string label_text(const Row& r, const Table& t, const std::vector<std::size_t>& labels,
                       bool show_phone) {
  std::string out;
  for (std::size_t j : labels)
    out += (out.empty() ? "" : " / ") + cell_text(r[j], t.columns[j], show_phone);
  return out;
}

int sort_column(const Table& t, const Shape& s, const std::string& word) {
  if (!word.empty()) {
    for (std::size_t j = 0; j < t.columns.size(); ++j) {
      const std::string& l = t.columns[j].display();
      if (l.find(word) != std::string::npos || (!l.empty() && word.find(l) != std::string::npos))
        return static_cast<int>(j);
    }
    auto first_number = [&](auto pred) -> int {
      for (std::size_t j : s.numbers)
        if (pred(t.columns[j])) return static_cast<int>(j);
      return -1;
    };
    int j = -1;
    if (has_any(word, {"金额", "钱", "业绩", "营业额", "流水", "实收", "消费", "收入", "销售",
                       "划扣", "余额", "价"}))
      j = first_number([](const Column& c) { return render::is_money(c); });
    else if (has_any(word,
                     {"人数", "数量", "单数", "次数", "个数", "订单", "笔数", "人次", "多少"}))
      j = first_number([](const Column& c) {
        return c.unit == ColumnUnit::Count || c.type == ColumnType::Integer;
      });
    else if (has_any(word, {"占比", "比例", "率", "增长"}))
      j = first_number([](const Column& c) { return c.unit == ColumnUnit::Percent; });
    else if (has_any(word, {"日期", "时间", "月份", "时候"}))
      j = s.time;
    else if (has_any(word, {"名称", "名字", "姓名", "名"}) && !s.labels.empty())
      j = static_cast<int>(s.labels.front());
    if (j >= 0) return j;
  }
  if (!s.numbers.empty()) return static_cast<int>(s.numbers.front());
  return t.columns.empty() ? -1 : 0;
}

void sort_table(Table& t, int col, bool ascending) {
  if (col < 0) return;
  const auto j = static_cast<std::size_t>(col);
  auto less = [&](const Row& a, const Row& b) {
    const Value &x = a[j], &y = b[j];
    if (is_null(x) != is_null(y)) return is_null(y);  // NULLs last either way
    if (is_null(x)) return false;
    const double dx = number_of(x), dy = number_of(y);
    if (!std::isnan(dx) && !std::isnan(dy)) return ascending ? dx < dy : dx > dy;
    if (const auto* da = std::get_if<Date>(&x))
      if (const auto* db = std::get_if<Date>(&y)) return ascending ? *da < *db : *da > *db;
    const auto* sa = std::get_if<Text>(&x);
    const auto* sb = std::get_if<Text>(&y);
    if (sa && sb) return ascending ? *sa < *sb : *sa > *sb;
    return false;
  };
  std::stable_sort(t.rows.begin(), t.rows.end(), less);
}

}  // namespace yimei::present::detail
