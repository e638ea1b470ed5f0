// The live entity index: names come from the database, and a change is picked up by the cheap
// signature check (no restart), including a renamed consultant.
#include <gtest/gtest.h>

#include "core/text2sql/entity_index.hpp"
#include "core/text2sql/rules_engine.hpp"
#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

bool knows(const EntitySnapshot& s, const std::string& key, const std::string& field) {
  const auto* refs = s.find(key);
  if (!refs) return false;
  for (const auto& r : *refs)
    if (r.field == field) return true;
  return false;
}

}  // namespace

TEST(T2sEngineIndex, LoadsLiveNamesAndRefreshesWhenTheyChange) {
  yimei::test::ScratchDatabase sdb;
  sdb.run_script(
      "INSERT INTO consultants (consultant_id, name, department) VALUES ('S1','苏青','美肤部');"
      "INSERT INTO medical_products (product_id, product_name, department, product_type, "
      "standard_price) VALUES ('M1','祛痘十次卡','美肤部','次卡',3000.00);"
      "INSERT INTO customers (customer_id, name, phone, register_date, membership_level, "
      "health_tags) VALUES ('U1','程小雨','13900000001','2026-01-01','黑金','孕期,敏感肌');");
  EntityIndex index(sdb.pool(), std::chrono::seconds(0));
  auto s1 = index.snapshot();
  EXPECT_TRUE(knows(*s1, "苏青", "consultant"));
  EXPECT_TRUE(knows(*s1, "美肤部", "department"));
  EXPECT_TRUE(knows(*s1, "次卡", "product_type"));
  EXPECT_TRUE(knows(*s1, "黑金", "membership_level"));  // a level beyond the contract's four
  EXPECT_TRUE(knows(*s1, "敏感肌", "health_tag"));
  EXPECT_TRUE(knows(*s1, "程小雨", "customer"));
  EXPECT_TRUE(knows(*s1, "u1", "customer_id"));  // ids are matched on the normalized question
  // A numeral in a name matches the question after normalization (十 -> 10).
  RulesEngine rules;
  RulesResult r = rules.understand("祛痘十次卡今年卖了多少钱", *parse_date("2026-06-30"), *s1);
  ASSERT_TRUE(r.spec);
  ASSERT_FALSE(r.spec->filters.empty());
  EXPECT_EQ(r.spec->filters.front().values.front(), "祛痘十次卡");

  // Rename and add: the next snapshot sees both.
  sdb.run_script(
      "UPDATE consultants SET name = '苏晴' WHERE consultant_id = 'S1';"
      "INSERT INTO consultants (consultant_id, name, department) VALUES ('S2','江月','抗衰部');");
  auto s2 = index.snapshot();
  EXPECT_TRUE(knows(*s2, "苏晴", "consultant"));
  EXPECT_TRUE(knows(*s2, "江月", "consultant"));
  EXPECT_FALSE(knows(*s2, "苏青", "consultant"));
  // Unchanged data keeps the same snapshot object.
  EXPECT_EQ(index.snapshot().get(), s2.get());
}
