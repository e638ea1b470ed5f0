// The digest kept with the last answer is cut at a UTF-8 character boundary, so the JSON state
// row always holds valid utf8mb4 (a cut character made MariaDB refuse the row).
#include <gtest/gtest.h>

#include "bot/last_answer.hpp"

namespace yimei::bot {
namespace {

TEST(AnswerDigest, CutsAtACharacterBoundary) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "业";  // 3 bytes each
  const std::string d = answer_digest(text);
  EXPECT_EQ(d.size(), 498u);  // 166 whole characters, not 500 bytes
  EXPECT_EQ(d, text.substr(0, 498));
  EXPECT_EQ(answer_digest("短"), "短");
  EXPECT_EQ(answer_digest(std::string(600, 'a')).size(), 500u);
  EXPECT_EQ(answer_digest("ab业", 3), "ab");
}

}  // namespace
}  // namespace yimei::bot
