// The clinic vocabulary of the rules engine: domain words and their synonyms (measures, fields,
// events, comparison and question words, negation, fillers) mapped to typed token meanings.
// Generic over clinics: catalog names come from the EntityIndex, never from here.
// The table is built once; lookups are thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace yimei::text2sql {

enum class TokKind {
  Time,        // a date range from time_expr
  Marker,      // 同比 / 环比 / 去年同期 (a = "yoy" | "prev")
  Value,       // a catalog value (refs in Token::refs)
  Field,       // a noun naming a field or entity (a = field id, e.g. "consultant", "month")
  Measure,     // a = measure id
  Money,       // 金额 / 钱 / 总额: the money measure of the event in context
  Event,       // a = consume | visit | write_off | balance | expire | register; b = default measure
  Each,        // 每/各/分别/按: a = "each" | "by"
  Cmp,         // a = ">=" | ">" | "<" | "<="
  Num,         // number; a = unit that followed ("次", "元", "天", "个", "%")
  Neg,         // 没 / 从没 / 一次都没
  Exclude,     // 除了 / 不是 / 非
  Top,         // a = "desc" | "asc"; b = "price" for 最贵/最便宜, "rank" for 排名
  QCount,      // 多少 / 几
  QList,       // 哪些 / 名单
  QWhich,      // 哪个 / 哪位 / 谁
  QWhen,       // 哪天 / 什么时候
  QWhat,       // 什么
  QTimes,      // 几次 / 多少次 / 次数
  Compare,     // 比 / 跟 / 相比
  Diff,        // a = "diff" | "rate" | "grow"; b = "neg" when it asks for a decrease
  Minus,       // 减 / 减去
  New,         // 新客
  Old,         // 老客
  SecondOpen,  // 二开
  Repurchase,  // 复购 (a = "rate" for 复购率)
  Inactive,    // 不活跃 / 沉睡 / 流失
  Own,         // 名下 / 负责的
  Remaining,   // 还没划完 / 有余额 (balance remaining > 0)
  Single,      // 单笔 / 一次性
  Avg,         // 平均
  Share,       // 占比 / 比例
  Classifier,  // 个 / 位 / 名 / 款
  Punct,       // , ? ! : ; .
  ParenOpen,
  ParenClose,
  Filler,   // words that carry no meaning for the query
  Unknown,  // characters nothing explained
};

std::string_view tok_kind_name(TokKind k);

struct LexSpec {
  TokKind kind;
  std::string a;
  std::string b;
};

class DomainLexicon {
 public:
  // The process-wide table (built on first use; thread-safe).
  static const DomainLexicon& instance();
  // Meanings of the exact normalized word, or nullptr.
  const std::vector<LexSpec>* find(std::string_view word) const;
  std::size_t max_word_chars() const { return max_chars_; }

 private:
  DomainLexicon();
  struct Entry {
    std::string word;
    std::vector<LexSpec> specs;
  };
  std::vector<Entry> entries_;  // sorted by word
  std::size_t max_chars_ = 0;
};

}  // namespace yimei::text2sql
