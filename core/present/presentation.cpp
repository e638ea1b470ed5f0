// The presentation rules of presentation.hpp, in the order of its table; the pieces (shape,
// charts, sentences) are in present_parts.hpp. Numbers become doubles only for chart geometry,
// ordering and ratios; money in sentences stays Decimal.
#include "core/present/presentation.hpp"

#include <algorithm>

#include "core/present/present_parts.hpp"
#include "core/render/column_traits.hpp"
#include "core/render/table_render.hpp"

namespace yimei::present {

using namespace detail;

Presentation choose_presentation(const PresentInput& in, const PresentOptions& o) {
  static const Table kEmpty;
  const Table& t0 = in.table ? *in.table : kEmpty;
  const Steering& st = in.steering;
  Presentation p;
  p.table = t0;
  const Shape s0 = shape_of(t0, in.spec);

  // 按X排序 first: the text and every chart follow the user's order.
  if (st.sort && !t0.rows.empty()) {
    const int col = sort_column(t0, s0, st.sort_word);
    bool asc = false;
    if (st.sort_ascending) {
      asc = *st.sort_ascending;
    } else if (col >= 0) {
      asc = !render::is_numeric(t0.columns[static_cast<std::size_t>(col)]);
    }
    sort_table(p.table, col, asc);
  }
  const Table& t = p.table;
  const Shape& s = s0;
  const std::size_t rows = t.rows.size();
  p.text_rows = rows;

  auto finish = [&](Presentation& out) -> Presentation& {
    // Long or wide results: first rows as text, a table image, the file.
    std::size_t widest = 0;
    for (std::size_t i = 0; i < std::min<std::size_t>(rows, 50); ++i) {
      std::size_t w = 0;
      for (std::size_t j = 0; j < t.columns.size(); ++j)
        w +=
            render::display_width(render::format_value(t.rows[i][j], t.columns[j], in.show_phone)) +
            2;
      widest = std::max(widest, w);
    }
    const bool is_long = rows > o.max_text_rows;
    const bool wide = t.columns.size() > o.wide_columns || widest > o.wide_width;
    if ((is_long || wide) && rows > 0 && out.form != Form::Sentence) {
      out.attach_export = true;
      out.text_rows = std::min(rows, o.long_text_rows);
      if (!out.chart && !st.table_only && st.chart != ChartChoice::None) {
        render::ChartSpec img;
        img.kind = render::ChartKind::TableImage;
        img.title = in.title;
        img.subtitle = in.subtitle;
        img.table = t;
        img.show_phone = in.show_phone;
        out.chart = std::move(img);
      }
      if (out.form == Form::Table) out.form = Form::LongTable;
      if (is_long)
        out.notes.push_back("共 " + std::to_string(rows) + " 行，这里只列出前 " +
                            std::to_string(out.text_rows) + " 行，完整结果见附件。");
      else
        out.notes.push_back("表格较宽，完整结果见附件。");
    }
    if (st.table_only || st.chart == ChartChoice::None) out.chart.reset();
    return out;
  };

  // A chart the user named replaces the automatic one when the data allows it.
  auto steer = [&](Presentation& out) {
    if (st.chart == ChartChoice::Auto || st.chart == ChartChoice::None || st.table_only) return;
    if (s.numbers.empty() || s.labels.empty() || rows == 0) {
      out.notes.push_back("这个结果没有可以画图的数值，已按表格显示。");
      return;
    }
    std::vector<std::string> notes;
    if (st.chart == ChartChoice::Line) {
      out.chart = line_chart(in, t, s, notes);
      out.rule += "+steer-line";
    } else if (st.chart == ChartChoice::Bar) {
      if (s.labels.size() == 1 && same_unit_numbers(t, s, kMaxGroupedSeries).size() >= 2)
        out.chart = grouped_chart(in, t, s, same_unit_numbers(t, s, kMaxGroupedSeries), notes);
      else  // a time axis keeps its order as bars
        out.chart = bar_chart(in, t, s, o, st.sort || s.time >= 0, notes);
      out.rule += "+steer-bar";
    } else if (st.chart == ChartChoice::Donut) {
      render::ChartSpec d = donut_chart(in, t, s);
      if (has_negative(d)) {
        out.notes.push_back("数据中有负数，不能画成饼图，已改用柱状图。");
        out.chart = bar_chart(in, t, s, o, st.sort, notes);
      } else {
        out.chart = std::move(d);
        out.rule += "+steer-donut";
      }
    }
    out.form = Form::Chart;
    out.notes.insert(out.notes.end(), notes.begin(), notes.end());
  };

  // --- the rules, first match wins
  if (rows == 0) {
    p.form = Form::Empty;
    p.rule = "empty";
    p.sentence = "没有查到符合条件的数据。";
    p.text_rows = 0;
    return p;
  }
  if (in.comparison && in.comparison->label_columns == 0 && !in.comparison->table.rows.empty() &&
      in.comparison->table.columns.size() >= 2) {
    const Comparison& c = *in.comparison;
    const Row& r = c.table.rows.front();
    const Column& col = c.table.columns[0];
    std::string measure = col.display();
    p.form = Form::Sentence;
    p.rule = "comparison";
    p.sentence = c.current_label + measure + "：" + value_with_unit(r[0], col) + "。" + c.kind_zh +
                 " " + change_text(r[0], r[1], col) + "；" + c.previous_label + "为 " +
                 short_value(r[1], col) + "。";
    p.table = c.table;
    p.text_rows = p.table.rows.size();
    return p;
  }
  if (rows == 1 && !s.numbers.empty() && s.labels.size() <= 2 && t.columns.size() <= 4) {
    p.form = Form::Sentence;
    p.rule = s.labels.empty() ? "single-value" : "record";
    p.sentence = measures_sentence(t, t.rows.front(), s, in);
    return finish(p);
  }
  std::vector<std::string> notes;
  if (in.comparison && in.comparison->label_columns > 0 && !in.comparison->table.rows.empty()) {
    const Comparison& c = *in.comparison;
    p.table = c.table;
    Table& ct = p.table;
    const std::size_t cur = c.label_columns, prev = c.label_columns + 1;
    sort_table(ct, static_cast<int>(cur), false);
    Shape cs = shape_of(ct, nullptr);
    cs.labels.clear();
    cs.numbers.clear();
    for (std::size_t j = 0; j < c.label_columns; ++j) cs.labels.push_back(j);
    cs.numbers = {cur, prev};
    p.form = Form::Chart;
    p.rule = "period-compare";
    PresentInput ci = in;
    ci.table = &ct;
    p.chart = grouped_chart(ci, ct, cs, {cur, prev}, notes);
    p.text_rows = ct.rows.size();
    p.notes = notes;
    return finish(p);
  }
  if (s.numbers.empty() || rows == 1) {
    p.form = Form::Table;
    p.rule = rows == 1 ? "record" : "list";
    steer(p);
    return finish(p);
  }
  if (s.time >= 0 && rows >= 2 && s.labels.size() <= 2 && !st.sort) {
    p.form = Form::Chart;
    p.rule = "time-series";
    p.chart = line_chart(in, t, s, notes);
  } else if (s.labels.size() == 1 &&
             ((in.spec && in.spec->output == "share") ||
              std::any_of(s.numbers.begin(), s.numbers.end(), [&](std::size_t j) {
                return t.columns[j].unit == ColumnUnit::Percent &&
                       t.columns[j].display().find("占比") != std::string::npos;
              }))) {
    render::ChartSpec d = donut_chart(in, t, s);
    p.form = Form::Chart;
    if (has_negative(d)) {
      p.rule = "by-category";
      p.chart = bar_chart(in, t, s, o, st.sort, notes);
    } else {
      p.rule = "share";
      p.chart = std::move(d);
    }
  } else if (s.labels.size() == 1 && same_unit_numbers(t, s, kMaxGroupedSeries).size() >= 2 &&
             t.columns[s.numbers.front()].unit != ColumnUnit::Percent) {
    p.form = Form::Chart;
    p.rule = "two-measures";
    p.chart = grouped_chart(in, t, s, same_unit_numbers(t, s, kMaxGroupedSeries), notes);
  } else if (s.labels.size() == 1) {
    p.form = Form::Chart;
    p.rule = "by-category";
    p.chart = bar_chart(in, t, s, o, st.sort, notes);
  } else if (s.labels.size() == 2 && s.numbers.size() == 1) {
    if (auto c = pivot_chart(in, t, s)) {
      p.form = Form::Chart;
      p.rule = "two-labels";
      p.chart = std::move(c);
    } else {
      p.form = Form::Table;
      p.rule = "list";
    }
  } else {
    p.form = Form::Table;
    p.rule = "list";
  }
  p.notes = notes;
  steer(p);
  return finish(p);
}

}  // namespace yimei::present
