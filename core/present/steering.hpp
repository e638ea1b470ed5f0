// Steering words: how a user asks for a presentation in the question itself (画成折线图, 用柱状图,
// 饼图, 不要图, 只要表格, 按金额排序, 从低到高排序). They are found and cut out BEFORE the question
// reaches the Text2SQL engine, so they never disturb its parsing; the presentation choice
// (presentation.hpp) then honours them. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yimei::present {

enum class ChartChoice { Auto, Line, Bar, Donut, None };

struct Steering {
  ChartChoice chart = ChartChoice::Auto;  // None: 不要图 / 只要表格
  bool table_only = false;                // 只要表格: text table (and the export), no chart
  bool sort = false;                      // 按X排序 / 从高到低排序
  std::string sort_word;                  // X of 按X排序 ("金额"); empty = the first measure
  // 从低到高 / 升序 → true, 从高到低 / 降序 → false; nullopt: numbers descending, text and
  // dates ascending.
  std::optional<bool> sort_ascending;
  std::vector<std::string> phrases;  // the phrases cut out, in order found

  bool any() const { return chart != ChartChoice::Auto || table_only || sort; }
};

struct SteeredQuestion {
  std::string question;  // the question without the steering phrases (trimmed)
  Steering steering;
};

// Finds the steering phrases of `question`, removes them (with their verbs: 画成, 用, 换成, 改成,
// 以…展示/显示) and tidies the punctuation left behind. A question without steering comes back
// unchanged (trimmed).
SteeredQuestion extract_steering(std::string_view question);

}  // namespace yimei::present
