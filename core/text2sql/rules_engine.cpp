// The rules engine pipeline and its clarifying questions.
#include "core/text2sql/rules_engine.hpp"

#include "core/text2sql/followup.hpp"
#include "core/text2sql/normalize.hpp"

namespace yimei::text2sql {

Clarification make_clarification(const std::string& measure, const std::string& entity,
                                 const std::string& field,
                                 const std::vector<std::string>& unexplained) {
  Clarification c;
  c.message = "没太明白您想查什么";
  if (!unexplained.empty()) {
    std::string words;
    for (std::size_t i = 0; i < unexplained.size() && i < 3; ++i)
      words += (i ? "、" : "") + std::string("“") + unexplained[i] + "”";
    c.message += "（" + words + "不确定指什么）";
  }
  c.message += "，可以换个问法，比如：";
  if (!measure.empty() && !entity.empty()) {
    c.suggestions = {entity + "本月的" + measure + "是多少", entity + "今年每个月的" + measure,
                     "上个月每个科室的" + measure};
  } else if (!measure.empty()) {
    c.suggestions = {"本月的" + measure + "是多少", "上个月每个科室的" + measure,
                     "今年" + measure + "最高的5位咨询师"};
  } else if (!entity.empty()) {
    if (field == "consultant" || field == "customer_consultant")
      c.suggestions = {entity + "本月业绩是多少", entity + "名下有多少客户",
                       entity + "今年每个月的业绩"};
    else if (field == "customer" || field == "customer_id")
      c.suggestions = {entity + "今年消费了多少", entity + "有什么健康标签",
                       entity + "的专属咨询师是谁"};
    else if (field == "product" || field == "product_id")
      c.suggestions = {entity + "今年卖了多少钱", entity + "的标价是多少",
                       "今年买过" + entity + "的客户有多少"};
    else if (field == "department")
      c.suggestions = {entity + "本月业绩是多少", entity + "有哪几位咨询师",
                       entity + "今年每个月的业绩"};
    else
      c.suggestions = {entity + "客户有多少人", entity + "客户今年消费了多少", "本月业绩是多少"};
  } else {
    c.suggestions = {"本月业绩是多少", "上个月每个科室开了多少单", "今年消费最多的10个客户"};
  }
  return c;
}

RulesResult RulesEngine::understand(std::string_view question, const Date& as_of,
                                    const EntitySnapshot& entities,
                                    const QuerySpec* previous) const {
  RulesResult r;
  r.normalized = normalize_question(question);
  LexResult lex = lex_question(r.normalized, as_of, entities);
  if (lex.unplaceable) {
    r.refusal = bad_input(*lex.unplaceable);
    r.unplaceable = true;
    return r;
  }
  r.tokens = std::move(lex.tokens);
  if (r.tokens.empty()) {
    r.clarification = make_clarification("", "", "", {});
    return r;
  }
  ParseOutcome parsed;
  if (previous) {
    std::vector<Token> copy = r.tokens;
    if (auto patched = parse_followup(copy, *previous)) {
      parsed.spec = std::move(*patched);
      parsed.confidence = 0.9;
      r.followup = true;
      r.tokens = std::move(copy);
    }
  }
  if (!r.followup) parsed = parse_tokens(r.tokens, as_of, options_.parse);
  r.confidence = parsed.confidence;
  r.unexplained = parsed.unexplained;
  r.notes = parsed.notes;
  if (!parsed.spec || parsed.confidence < options_.clarify_below) {
    r.clarification = make_clarification(parsed.understood_measure, parsed.understood_entity,
                                         parsed.understood_entity_field, parsed.unexplained);
    r.spec = std::move(parsed.spec);
    return r;
  }
  r.spec = std::move(parsed.spec);
  auto compiled = compile_query(*r.spec, as_of);
  if (!compiled) {
    r.refusal = compiled.error();
    return r;
  }
  r.compiled = std::move(*compiled);
  return r;
}

}  // namespace yimei::text2sql
