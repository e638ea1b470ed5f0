// The demo clinic's catalog (departments, products, name pools). Demo data only: product code
// never depends on these names — the service reads every name from the database.
#pragma once

#include <string>
#include <vector>

namespace yimei::seed {

struct DemoProduct {
  std::string name;
  std::string department;
  std::string type;  // 单次, 疗程卡, 套餐, 产品
  long price_cents;
  int sessions;       // sessions bought with one card or package (1 for others)
  double popularity;  // relative weight within its department
};

const std::vector<std::string>& demo_departments();
const std::vector<DemoProduct>& demo_products();
const std::vector<std::string>& demo_surnames();
const std::vector<std::string>& demo_given_chars();
const std::vector<std::string>& demo_health_tags();

}  // namespace yimei::seed
