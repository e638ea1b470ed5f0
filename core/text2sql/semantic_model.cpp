// The semantic model's tables: measures (with definitions for the provenance line) and the
// dimensions/fields questions group and filter by.
#include "core/text2sql/semantic_model.hpp"

namespace yimei::text2sql {

std::string_view source_table(Source s) {
  switch (s) {
    case Source::Consume:
      return "consumption_records";
    case Source::WriteOff:
      return "write_off_records";
    case Source::Balance:
      return "unspent_balances";
    case Source::Customer:
      return "customers";
    case Source::Consultant:
      return "consultants";
    case Source::Product:
      return "medical_products";
  }
  return "";
}

std::string_view source_alias(Source s) {
  switch (s) {
    case Source::Consume:
      return "r";
    case Source::WriteOff:
      return "w";
    case Source::Balance:
      return "b";
    case Source::Customer:
      return "c";
    case Source::Consultant:
      return "s";
    case Source::Product:
      return "p";
  }
  return "";
}

std::string_view source_date_column(Source s) {
  switch (s) {
    case Source::Consume:
      return "r.consume_date";
    case Source::WriteOff:
      return "w.write_off_date";
    case Source::Balance:
      return "b.expiration_date";
    case Source::Customer:
      return "c.register_date";
    default:
      return "";
  }
}

const std::vector<MeasureDef>& all_measures() {
  using U = ColumnUnit;
  static const std::vector<MeasureDef> kMeasures = {
      {"revenue", Source::Consume, "SUM", "r.amount", "业绩", U::Yuan, "业绩=消费记录实收金额合计"},
      {"orders", Source::Consume, "COUNT", "*", "订单数", U::Count, "订单数=消费记录条数"},
      {"buyers", Source::Consume, "COUNT_DISTINCT", "r.customer_id", "顾客数", U::Count,
       "顾客数=有消费记录的不同顾客数"},
      {"avg_order", Source::Consume, "RATIO_ORDER", "r.amount", "客单价", U::Yuan,
       "客单价=实收金额合计÷订单数"},
      {"per_customer", Source::Consume, "RATIO_CUSTOMER", "r.amount", "人均消费", U::Yuan,
       "人均消费=实收金额合计÷消费顾客数"},
      {"quantity", Source::Consume, "SUM", "r.quantity", "购买数量", U::Count,
       "购买数量=消费记录数量合计"},
      {"visits", Source::Consume, "COUNT_VISITS", "", "到店人次", U::Count,
       "到店人次=顾客与消费日期的不同组合数"},
      {"write_off_amount", Source::WriteOff, "SUM", "w.amount", "划扣金额", U::Yuan,
       "划扣金额=划扣记录金额合计（不含收款）"},
      {"write_off_count", Source::WriteOff, "COUNT", "*", "划扣次数", U::Count,
       "划扣次数=划扣记录条数"},
      {"avg_write_off", Source::WriteOff, "RATIO_ORDER", "w.amount", "平均每笔划扣金额", U::Yuan,
       "平均每笔划扣金额=划扣金额合计÷划扣记录条数"},
      {"write_off_per_customer", Source::WriteOff, "RATIO_CUSTOMER", "w.amount", "人均划扣金额",
       U::Yuan, "人均划扣金额=划扣金额合计÷有划扣记录的顾客数"},
      {"write_off_quantity", Source::WriteOff, "SUM", "w.quantity", "划扣数量", U::Count,
       "划扣数量=划扣记录数量合计"},
      {"write_off_customers", Source::WriteOff, "COUNT_DISTINCT", "w.customer_id", "划扣顾客数",
       U::Count, "划扣顾客数=有划扣记录的不同顾客数"},
      {"balance", Source::Balance, "SUM", "b.total_amount - b.spent_amount", "未划扣余额", U::Yuan,
       "余额=总购买金额-已划扣金额"},
      {"balance_customers", Source::Balance, "COUNT_DISTINCT", "b.customer_id", "顾客数", U::Count,
       "持有余额顾客数=剩余金额大于0的不同顾客数"},
      {"balance_total", Source::Balance, "SUM", "b.total_amount", "总购买金额", U::Yuan,
       "总购买金额=余额表购买金额合计"},
      {"customer_count", Source::Customer, "COUNT", "*", "顾客数", U::Count, "顾客数=顾客档案人数"},
      {"consultant_count", Source::Consultant, "COUNT", "*", "咨询师人数", U::Count,
       "咨询师人数=咨询师档案人数"},
      {"product_count", Source::Product, "COUNT", "*", "品项数", U::Count, "品项数=品项档案条数"},
      {"last_consume", Source::Consume, "MAX", "r.consume_date", "最近消费日期", U::None,
       "最近消费日期=消费记录中最晚的消费日期"},
      {"first_consume", Source::Consume, "MIN", "r.consume_date", "首次消费日期", U::None,
       "首次消费日期=消费记录中最早的消费日期"},
      {"last_write_off", Source::WriteOff, "MAX", "w.write_off_date", "最近划扣日期", U::None,
       "最近划扣日期=划扣记录中最晚的划扣日期"},
      {"avg_price", Source::Product, "AVG", "p.standard_price", "平均标价", U::Yuan,
       "平均标价=品项标准价格的平均值"},
  };
  return kMeasures;
}

const MeasureDef* find_measure(std::string_view id) {
  for (const auto& m : all_measures())
    if (m.id == id) return &m;
  return nullptr;
}

std::string measure_sql(const MeasureDef& m) {
  const std::string arg(m.arg);
  if (m.agg == "SUM") return "SUM(" + arg + ")";
  if (m.agg == "COUNT") return "COUNT(*)";
  if (m.agg == "COUNT_DISTINCT") return "COUNT(DISTINCT " + arg + ")";
  if (m.agg == "COUNT_VISITS") return "COUNT(DISTINCT r.customer_id, r.consume_date)";
  if (m.agg == "RATIO_ORDER") return "ROUND(SUM(" + arg + ") / COUNT(*), 2)";
  if (m.agg == "RATIO_CUSTOMER") {
    // The customers of the measure's own table (r. or w.).
    const std::string table = arg.substr(0, arg.find('.'));
    return "ROUND(SUM(" + arg + ") / COUNT(DISTINCT " + table + ".customer_id), 2)";
  }
  if (m.agg == "AVG") return "ROUND(AVG(" + arg + "), 2)";
  if (m.agg == "MAX") return "MAX(" + arg + ")";
  if (m.agg == "MIN") return "MIN(" + arg + ")";
  return "";
}

std::string measure_sql_when(const MeasureDef& m, const std::string& cond) {
  const std::string arg(m.arg);
  if (m.agg == "SUM") return "SUM(CASE WHEN " + cond + " THEN " + arg + " ELSE 0 END)";
  if (m.agg == "COUNT") return "SUM(CASE WHEN " + cond + " THEN 1 ELSE 0 END)";
  if (m.agg == "COUNT_DISTINCT")
    return "COUNT(DISTINCT CASE WHEN " + cond + " THEN " + arg + " END)";
  if (m.agg == "RATIO_ORDER")
    return "ROUND(SUM(CASE WHEN " + cond + " THEN " + arg + " ELSE 0 END) / NULLIF(SUM(CASE WHEN " +
           cond + " THEN 1 ELSE 0 END), 0), 2)";
  return "";
}

namespace {
const std::vector<DimensionDef>& dimensions() {
  static const std::vector<DimensionDef> kDims = {
      {"department", "科室", false},
      {"consultant", "咨询师", false},
      {"product", "品项", false},
      {"product_type", "品项类型", false},
      {"customer", "顾客", false},
      {"membership_level", "会员等级", false},
      {"payment_method", "支付方式", false},
      {"is_new", "新老客", false},
      {"day", "日期", true},
      {"week", "周（周一）", true},
      {"month", "月份", true},
      {"quarter", "季度", true},
      {"year", "年份", true},
  };
  return kDims;
}
}  // namespace

const DimensionDef* find_dimension(std::string_view id) {
  for (const auto& d : dimensions())
    if (d.id == id) return &d;
  return nullptr;
}

bool is_time_dimension(std::string_view id) {
  const DimensionDef* d = find_dimension(id);
  return d && d->is_time;
}

std::string field_label(std::string_view field) {
  if (const DimensionDef* d = find_dimension(field)) return std::string(d->label);
  if (field == "customer_id") return "顾客编号";
  if (field == "health_tag") return "健康标签";
  if (field == "standard_price") return "标准价格";
  if (field == "amount") return "单笔金额";
  if (field == "register_date") return "注册日期";
  if (field == "last_visit_date") return "最近到店日期";
  if (field == "phone") return "联系电话";
  if (field == "expiration_date") return "有效期至";
  if (field == "consultant_id") return "咨询师编号";
  if (field == "product_id") return "品项编号";
  return std::string(field);
}

}  // namespace yimei::text2sql
