-- Version 4: summaries for core/analysis, kept exact by the database itself (docs/benchmarks.md,
-- "Analyses"). The contract tables may be written by other software than Yimei, so every INSERT,
-- UPDATE and DELETE on customers, consumption_records, write_off_records and unspent_balances
-- updates the summaries through the triggers below, in the same statement and transaction:
-- - analysis_customer_facts: one row per customer (copies of the customer columns the analyses
--   filter on, first and last purchase, orders, lifetime amount, departments, first-day figures,
--   second purchase day, last write-off, unspent balance)
-- - analysis_customer_department_facts, analysis_customer_product_facts: first and last purchase
--   day per customer and department or product (distinct customers of a period by index ranges)
-- - analysis_daily_sales, analysis_daily_write_offs: sums per day, department and product.
-- An INSERT adds to the rows (primary-key upserts). An UPDATE or DELETE recomputes the customer's
-- rows from that customer's records (short index ranges) and subtracts from the daily sums.
-- TRUNCATE fires no trigger: after truncating a contract table, run the rebuild at the end of
-- this file (analysis::rebuild_summaries). A bulk loader may set the session variable
-- @yimei_defer_summaries = 1 to skip the triggers' work and must then run the rebuild in the same
-- transaction (yimei db seed does). Readers use a row only where it is valid for their as_of (a
-- customer with records after as_of is recomputed from the records, core/analysis/facts.hpp).
-- Idempotent: tables are created if missing, triggers replaced, every summary rebuilt.

CREATE TABLE IF NOT EXISTS analysis_customer_facts (
  customer_id         VARCHAR(32)   NOT NULL COMMENT '顾客编号',
  register_date       DATE          NULL COMMENT '注册日期（customers 的副本）',
  last_visit_date     DATE          NULL COMMENT '最近到店日期（customers 的副本）',
  consultant_id       VARCHAR(32)   NULL COMMENT '专属咨询师编号（customers 的副本）',
  membership_level    VARCHAR(16)   NULL COMMENT '会员等级（customers 的副本）',
  orders              INT           NOT NULL DEFAULT 0 COMMENT '消费记录笔数',
  lifetime_amount     DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '累计消费金额（元）',
  first_consume_date  DATE          NULL COMMENT '首次消费日期',
  last_consume_date   DATE          NULL COMMENT '最近消费日期',
  min_department      VARCHAR(32)   NULL COMMENT '消费科室（排序最前）',
  max_department      VARCHAR(32)   NULL COMMENT '消费科室（排序最后）',
  first_day_amount    DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '首次消费日的消费金额（元）',
  first_record_id     BIGINT        NULL COMMENT '首次消费日最小的消费记录ID',
  first_consultant_id VARCHAR(32)   NULL COMMENT '该记录的咨询师编号',
  first_department    VARCHAR(32)   NULL COMMENT '该记录的科室',
  second_consume_date DATE          NULL COMMENT '首次消费日之后最早的消费日期',
  repurchase_90_amount DECIMAL(18,2) NOT NULL DEFAULT 0
    COMMENT '首次消费日之后90天内（不含首日）的消费金额（元，新客二开默认窗口）',
  first_new_date      DATE          NULL COMMENT '新客标识记录的最早日期',
  last_new_date       DATE          NULL COMMENT '新客标识记录的最晚日期',
  last_write_off_date DATE          NULL COMMENT '最近划扣日期',
  unspent_amount      DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '未划扣余额合计（元）',
  last_activity_date  DATE AS (COALESCE(NULLIF(GREATEST(COALESCE(last_consume_date, DATE'1000-01-01'),
    COALESCE(last_write_off_date, DATE'1000-01-01'), COALESCE(last_visit_date, DATE'1000-01-01')),
    DATE'1000-01-01'), register_date)) STORED COMMENT '最近活跃日期（不限截止日）',
  PRIMARY KEY (customer_id),
  KEY ix_facts_first_consume (first_consume_date),
  KEY ix_facts_last_new (last_new_date, first_new_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='顾客分析事实（触发器维护）';

CREATE TABLE IF NOT EXISTS analysis_customer_department_facts (
  customer_id    VARCHAR(32) NOT NULL COMMENT '顾客编号',
  department     VARCHAR(32) NOT NULL COMMENT '科室（消费记录的科室）',
  first_date     DATE        NULL COMMENT '在该科室的首次消费日期',
  last_date      DATE        NULL COMMENT '在该科室的最近消费日期',
  first_new_date DATE        NULL COMMENT '在该科室的新客标识记录最早日期',
  last_new_date  DATE        NULL COMMENT '在该科室的新客标识记录最晚日期',
  PRIMARY KEY (customer_id, department),
  KEY ix_dept_facts_last (last_date, department, first_date),
  KEY ix_dept_facts_last_new (last_new_date, department, first_new_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='顾客分科室消费事实（触发器维护）';

CREATE TABLE IF NOT EXISTS analysis_customer_product_facts (
  customer_id VARCHAR(32) NOT NULL COMMENT '顾客编号',
  product_id  VARCHAR(32) NOT NULL COMMENT '品项编号',
  first_date  DATE        NULL COMMENT '首次购买日期',
  last_date   DATE        NULL COMMENT '最近购买日期',
  prev_date   DATE        NULL COMMENT '最近购买日期之前最晚的购买日期',
  PRIMARY KEY (customer_id, product_id),
  KEY ix_product_facts_last (product_id, last_date, prev_date, first_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='顾客分品项购买事实（触发器维护）';

CREATE TABLE IF NOT EXISTS analysis_daily_sales (
  consume_date DATE          NOT NULL COMMENT '消费日期',
  department   VARCHAR(32)   NOT NULL COMMENT '科室（消费记录的科室）',
  product_id   VARCHAR(32)   NOT NULL COMMENT '品项编号',
  revenue      DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '消费金额合计（元）',
  quantity     BIGINT        NOT NULL DEFAULT 0 COMMENT '购买数量合计',
  orders       BIGINT        NOT NULL DEFAULT 0 COMMENT '消费记录笔数（0 表示已无记录）',
  PRIMARY KEY (consume_date, department, product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='每日消费汇总（触发器维护）';

CREATE TABLE IF NOT EXISTS analysis_daily_write_offs (
  write_off_date DATE          NOT NULL COMMENT '划扣日期',
  department     VARCHAR(32)   NOT NULL COMMENT '科室（划扣记录的科室）',
  product_id     VARCHAR(32)   NOT NULL COMMENT '品项编号',
  amount         DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '划扣金额合计（元）',
  quantity       BIGINT        NOT NULL DEFAULT 0 COMMENT '划扣数量合计',
  write_offs     BIGINT        NOT NULL DEFAULT 0 COMMENT '划扣记录笔数（0 表示已无记录）',
  PRIMARY KEY (write_off_date, department, product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='每日划扣汇总（触发器维护）';

-- Period scans of consumption_records read this index alone (department, product, customer,
-- new-customer flag, consultant, quantity and amount of a date range), superseding version 3's
-- (consume_date, product_id, amount).
CREATE INDEX IF NOT EXISTS ix_consumption_date_cover ON consumption_records
  (consume_date, department, product_id, customer_id, is_new_customer, consultant_id, quantity, amount);
DROP INDEX IF EXISTS ix_consumption_date_product ON consumption_records;

-- customers: the copied columns follow every change. A renamed or deleted customer's row keeps
-- its record figures but loses the copies (its records then belong to no customer).
CREATE OR REPLACE TRIGGER trg_facts_customer_insert AFTER INSERT ON customers
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, register_date, last_visit_date, consultant_id,
    membership_level)
  SELECT NEW.customer_id, NEW.register_date, NEW.last_visit_date, NEW.consultant_id,
    NEW.membership_level
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE register_date = NEW.register_date, last_visit_date = NEW.last_visit_date,
    consultant_id = NEW.consultant_id, membership_level = NEW.membership_level;

CREATE OR REPLACE TRIGGER trg_facts_customer_update AFTER UPDATE ON customers
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, register_date, last_visit_date, consultant_id,
    membership_level)
  SELECT NEW.customer_id, NEW.register_date, NEW.last_visit_date, NEW.consultant_id,
    NEW.membership_level
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE register_date = NEW.register_date, last_visit_date = NEW.last_visit_date,
    consultant_id = NEW.consultant_id, membership_level = NEW.membership_level;

CREATE OR REPLACE TRIGGER trg_facts_customer_rename AFTER UPDATE ON customers
FOR EACH ROW
  UPDATE analysis_customer_facts SET register_date = NULL, last_visit_date = NULL,
    consultant_id = NULL, membership_level = NULL
  WHERE customer_id = OLD.customer_id AND OLD.customer_id <> NEW.customer_id
    AND @yimei_defer_summaries IS NULL;

CREATE OR REPLACE TRIGGER trg_facts_customer_delete AFTER DELETE ON customers
FOR EACH ROW
  UPDATE analysis_customer_facts SET register_date = NULL, last_visit_date = NULL,
    consultant_id = NULL, membership_level = NULL
  WHERE customer_id = OLD.customer_id AND @yimei_defer_summaries IS NULL;

-- consumption_records, insert: each summary is extended. The assignments of an upsert run left
-- to right and see the columns already assigned, so the ones that read the old first day come
-- before first_consume_date itself.
CREATE OR REPLACE TRIGGER trg_facts_consumption_insert AFTER INSERT ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, orders, lifetime_amount, first_consume_date,
    last_consume_date, min_department, max_department, first_day_amount, first_record_id,
    first_consultant_id, first_department, first_new_date, last_new_date)
  SELECT NEW.customer_id, 1, NEW.amount, NEW.consume_date, NEW.consume_date, NEW.department,
    NEW.department, NEW.amount, NEW.record_id, NEW.consultant_id, NEW.department,
    IF(NEW.is_new_customer = 1, NEW.consume_date, NULL),
    IF(NEW.is_new_customer = 1, NEW.consume_date, NULL)
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE
    second_consume_date = CASE
      WHEN first_consume_date IS NULL THEN NULL
      WHEN NEW.consume_date < first_consume_date THEN first_consume_date
      WHEN NEW.consume_date > first_consume_date
        AND (second_consume_date IS NULL OR NEW.consume_date < second_consume_date)
        THEN NEW.consume_date
      ELSE second_consume_date END,
    repurchase_90_amount = CASE
      WHEN first_consume_date IS NULL THEN 0
      WHEN NEW.consume_date < first_consume_date THEN
        (SELECT COALESCE(SUM(x.amount), 0) FROM consumption_records x
         WHERE x.customer_id = NEW.customer_id AND x.consume_date > NEW.consume_date
           AND x.consume_date <= NEW.consume_date + INTERVAL 90 DAY)
      WHEN NEW.consume_date > first_consume_date
        AND NEW.consume_date <= first_consume_date + INTERVAL 90 DAY
        THEN repurchase_90_amount + NEW.amount
      ELSE repurchase_90_amount END,
    first_consultant_id = IF(first_consume_date IS NULL OR NEW.consume_date < first_consume_date
      OR (NEW.consume_date = first_consume_date AND NEW.record_id < first_record_id),
      NEW.consultant_id, first_consultant_id),
    first_department = IF(first_consume_date IS NULL OR NEW.consume_date < first_consume_date
      OR (NEW.consume_date = first_consume_date AND NEW.record_id < first_record_id),
      NEW.department, first_department),
    first_record_id = IF(first_consume_date IS NULL OR NEW.consume_date < first_consume_date
      OR (NEW.consume_date = first_consume_date AND NEW.record_id < first_record_id),
      NEW.record_id, first_record_id),
    first_day_amount = CASE
      WHEN first_consume_date IS NULL OR NEW.consume_date < first_consume_date THEN NEW.amount
      WHEN NEW.consume_date = first_consume_date THEN first_day_amount + NEW.amount
      ELSE first_day_amount END,
    first_consume_date = LEAST(COALESCE(first_consume_date, NEW.consume_date), NEW.consume_date),
    last_consume_date = GREATEST(COALESCE(last_consume_date, NEW.consume_date), NEW.consume_date),
    orders = orders + 1, lifetime_amount = lifetime_amount + NEW.amount,
    min_department = LEAST(COALESCE(min_department, NEW.department), NEW.department),
    max_department = GREATEST(COALESCE(max_department, NEW.department), NEW.department),
    first_new_date = IF(NEW.is_new_customer = 1,
      LEAST(COALESCE(first_new_date, NEW.consume_date), NEW.consume_date), first_new_date),
    last_new_date = IF(NEW.is_new_customer = 1,
      GREATEST(COALESCE(last_new_date, NEW.consume_date), NEW.consume_date), last_new_date);

CREATE OR REPLACE TRIGGER trg_dept_facts_consumption_insert AFTER INSERT ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_customer_department_facts (customer_id, department, first_date, last_date,
    first_new_date, last_new_date)
  SELECT NEW.customer_id, NEW.department, NEW.consume_date, NEW.consume_date,
    IF(NEW.is_new_customer = 1, NEW.consume_date, NULL),
    IF(NEW.is_new_customer = 1, NEW.consume_date, NULL)
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE
    first_date = LEAST(COALESCE(first_date, NEW.consume_date), NEW.consume_date),
    last_date = GREATEST(COALESCE(last_date, NEW.consume_date), NEW.consume_date),
    first_new_date = IF(NEW.is_new_customer = 1,
      LEAST(COALESCE(first_new_date, NEW.consume_date), NEW.consume_date), first_new_date),
    last_new_date = IF(NEW.is_new_customer = 1,
      GREATEST(COALESCE(last_new_date, NEW.consume_date), NEW.consume_date), last_new_date);

CREATE OR REPLACE TRIGGER trg_product_facts_consumption_insert AFTER INSERT ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_customer_product_facts (customer_id, product_id, first_date, last_date,
    prev_date)
  SELECT NEW.customer_id, NEW.product_id, NEW.consume_date, NEW.consume_date, NULL
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE
    prev_date = CASE
      WHEN last_date IS NULL THEN NULL
      WHEN NEW.consume_date > last_date THEN last_date
      WHEN NEW.consume_date < last_date AND (prev_date IS NULL OR NEW.consume_date > prev_date)
        THEN NEW.consume_date
      ELSE prev_date END,
    last_date = GREATEST(COALESCE(last_date, NEW.consume_date), NEW.consume_date),
    first_date = LEAST(COALESCE(first_date, NEW.consume_date), NEW.consume_date);

CREATE OR REPLACE TRIGGER trg_daily_sales_insert AFTER INSERT ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_daily_sales (consume_date, department, product_id, revenue, quantity, orders)
  SELECT NEW.consume_date, NEW.department, NEW.product_id, NEW.amount, NEW.quantity, 1
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE revenue = revenue + NEW.amount, quantity = quantity + NEW.quantity,
    orders = orders + 1;

-- consumption_records, update and delete: the old (and new) customer's rows recomputed from the
-- records, the daily sums corrected by the difference.
CREATE OR REPLACE TRIGGER trg_facts_consumption_update AFTER UPDATE ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, orders, lifetime_amount, first_consume_date,
    last_consume_date, min_department, max_department, first_day_amount, first_record_id,
    first_consultant_id, first_department, second_consume_date, repurchase_90_amount,
    first_new_date, last_new_date)
  SELECT g.customer_id, g.orders, g.lifetime, g.first_day, g.last_day, g.min_dep, g.max_dep,
    COALESCE((SELECT SUM(x.amount) FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date = g.first_day), 0),
    (SELECT MIN(x.record_id) FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date = g.first_day),
    (SELECT x.consultant_id FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date = g.first_day
      ORDER BY x.record_id LIMIT 1),
    (SELECT x.department FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date = g.first_day
      ORDER BY x.record_id LIMIT 1),
    (SELECT MIN(x.consume_date) FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date > g.first_day),
    COALESCE((SELECT SUM(x.amount) FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date > g.first_day
        AND x.consume_date <= g.first_day + INTERVAL 90 DAY), 0),
    g.first_new, g.last_new
  FROM (SELECT k.customer_id, COUNT(r.record_id) AS orders, COALESCE(SUM(r.amount), 0) AS lifetime,
      MIN(r.consume_date) AS first_day, MAX(r.consume_date) AS last_day,
      MIN(r.department) AS min_dep, MAX(r.department) AS max_dep,
      MIN(IF(r.is_new_customer = 1, r.consume_date, NULL)) AS first_new,
      MAX(IF(r.is_new_customer = 1, r.consume_date, NULL)) AS last_new
    FROM (SELECT OLD.customer_id AS customer_id UNION SELECT NEW.customer_id) k
    LEFT JOIN consumption_records r ON r.customer_id = k.customer_id
    GROUP BY k.customer_id) g
  WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE orders = VALUES(orders), lifetime_amount = VALUES(lifetime_amount),
    first_consume_date = VALUES(first_consume_date), last_consume_date = VALUES(last_consume_date),
    min_department = VALUES(min_department), max_department = VALUES(max_department),
    first_day_amount = VALUES(first_day_amount), first_record_id = VALUES(first_record_id),
    first_consultant_id = VALUES(first_consultant_id), first_department = VALUES(first_department),
    second_consume_date = VALUES(second_consume_date),
    repurchase_90_amount = VALUES(repurchase_90_amount), first_new_date = VALUES(first_new_date),
    last_new_date = VALUES(last_new_date);

CREATE OR REPLACE TRIGGER trg_facts_consumption_delete AFTER DELETE ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, orders, lifetime_amount, first_consume_date,
    last_consume_date, min_department, max_department, first_day_amount, first_record_id,
    first_consultant_id, first_department, second_consume_date, repurchase_90_amount,
    first_new_date, last_new_date)
  SELECT g.customer_id, g.orders, g.lifetime, g.first_day, g.last_day, g.min_dep, g.max_dep,
    COALESCE((SELECT SUM(x.amount) FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date = g.first_day), 0),
    (SELECT MIN(x.record_id) FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date = g.first_day),
    (SELECT x.consultant_id FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date = g.first_day
      ORDER BY x.record_id LIMIT 1),
    (SELECT x.department FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date = g.first_day
      ORDER BY x.record_id LIMIT 1),
    (SELECT MIN(x.consume_date) FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date > g.first_day),
    COALESCE((SELECT SUM(x.amount) FROM consumption_records x
      WHERE x.customer_id = g.customer_id AND x.consume_date > g.first_day
        AND x.consume_date <= g.first_day + INTERVAL 90 DAY), 0),
    g.first_new, g.last_new
  FROM (SELECT OLD.customer_id AS customer_id, COUNT(r.record_id) AS orders,
      COALESCE(SUM(r.amount), 0) AS lifetime,
      MIN(r.consume_date) AS first_day, MAX(r.consume_date) AS last_day,
      MIN(r.department) AS min_dep, MAX(r.department) AS max_dep,
      MIN(IF(r.is_new_customer = 1, r.consume_date, NULL)) AS first_new,
      MAX(IF(r.is_new_customer = 1, r.consume_date, NULL)) AS last_new
    FROM consumption_records r WHERE r.customer_id = OLD.customer_id) g
  WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE orders = VALUES(orders), lifetime_amount = VALUES(lifetime_amount),
    first_consume_date = VALUES(first_consume_date), last_consume_date = VALUES(last_consume_date),
    min_department = VALUES(min_department), max_department = VALUES(max_department),
    first_day_amount = VALUES(first_day_amount), first_record_id = VALUES(first_record_id),
    first_consultant_id = VALUES(first_consultant_id), first_department = VALUES(first_department),
    second_consume_date = VALUES(second_consume_date),
    repurchase_90_amount = VALUES(repurchase_90_amount), first_new_date = VALUES(first_new_date),
    last_new_date = VALUES(last_new_date);

CREATE OR REPLACE TRIGGER trg_dept_facts_consumption_update AFTER UPDATE ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_customer_department_facts (customer_id, department, first_date, last_date,
    first_new_date, last_new_date)
  SELECT k.customer_id, k.department, MIN(r.consume_date), MAX(r.consume_date),
    MIN(IF(r.is_new_customer = 1, r.consume_date, NULL)),
    MAX(IF(r.is_new_customer = 1, r.consume_date, NULL))
  FROM (SELECT OLD.customer_id AS customer_id, OLD.department AS department
    UNION SELECT NEW.customer_id, NEW.department) k
  LEFT JOIN consumption_records r ON r.customer_id = k.customer_id AND r.department = k.department
  WHERE @yimei_defer_summaries IS NULL
  GROUP BY k.customer_id, k.department
  ON DUPLICATE KEY UPDATE first_date = VALUES(first_date), last_date = VALUES(last_date),
    first_new_date = VALUES(first_new_date), last_new_date = VALUES(last_new_date);

CREATE OR REPLACE TRIGGER trg_dept_facts_consumption_delete AFTER DELETE ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_customer_department_facts (customer_id, department, first_date, last_date,
    first_new_date, last_new_date)
  SELECT OLD.customer_id, OLD.department, MIN(r.consume_date), MAX(r.consume_date),
    MIN(IF(r.is_new_customer = 1, r.consume_date, NULL)),
    MAX(IF(r.is_new_customer = 1, r.consume_date, NULL))
  FROM consumption_records r
  WHERE r.customer_id = OLD.customer_id AND r.department = OLD.department
  HAVING @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE first_date = VALUES(first_date), last_date = VALUES(last_date),
    first_new_date = VALUES(first_new_date), last_new_date = VALUES(last_new_date);

CREATE OR REPLACE TRIGGER trg_product_facts_consumption_update AFTER UPDATE ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_customer_product_facts (customer_id, product_id, first_date, last_date,
    prev_date)
  SELECT g.customer_id, g.product_id, g.first_day, g.last_day,
    (SELECT MAX(x.consume_date) FROM consumption_records x WHERE x.customer_id = g.customer_id
      AND x.product_id = g.product_id AND x.consume_date < g.last_day)
  FROM (SELECT k.customer_id, k.product_id, MIN(r.consume_date) AS first_day,
      MAX(r.consume_date) AS last_day
    FROM (SELECT OLD.customer_id AS customer_id, OLD.product_id AS product_id
      UNION SELECT NEW.customer_id, NEW.product_id) k
    LEFT JOIN consumption_records r ON r.customer_id = k.customer_id
      AND r.product_id = k.product_id
    GROUP BY k.customer_id, k.product_id) g
  WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE first_date = VALUES(first_date), last_date = VALUES(last_date),
    prev_date = VALUES(prev_date);

CREATE OR REPLACE TRIGGER trg_product_facts_consumption_delete AFTER DELETE ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_customer_product_facts (customer_id, product_id, first_date, last_date,
    prev_date)
  SELECT g.customer_id, g.product_id, g.first_day, g.last_day,
    (SELECT MAX(x.consume_date) FROM consumption_records x WHERE x.customer_id = g.customer_id
      AND x.product_id = g.product_id AND x.consume_date < g.last_day)
  FROM (SELECT OLD.customer_id AS customer_id, OLD.product_id AS product_id,
      MIN(r.consume_date) AS first_day, MAX(r.consume_date) AS last_day
    FROM consumption_records r
    WHERE r.customer_id = OLD.customer_id AND r.product_id = OLD.product_id) g
  WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE first_date = VALUES(first_date), last_date = VALUES(last_date),
    prev_date = VALUES(prev_date);

CREATE OR REPLACE TRIGGER trg_daily_sales_update AFTER UPDATE ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_daily_sales (consume_date, department, product_id, revenue, quantity, orders)
  SELECT * FROM (
    SELECT OLD.consume_date, OLD.department, OLD.product_id, -OLD.amount, -OLD.quantity, -1
    UNION ALL SELECT NEW.consume_date, NEW.department, NEW.product_id, NEW.amount, NEW.quantity, 1
  ) d WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE revenue = revenue + VALUES(revenue),
    quantity = quantity + VALUES(quantity), orders = orders + VALUES(orders);

CREATE OR REPLACE TRIGGER trg_daily_sales_delete AFTER DELETE ON consumption_records
FOR EACH ROW
  INSERT INTO analysis_daily_sales (consume_date, department, product_id, revenue, quantity, orders)
  SELECT OLD.consume_date, OLD.department, OLD.product_id, -OLD.amount, -OLD.quantity, -1
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE revenue = revenue - OLD.amount, quantity = quantity - OLD.quantity,
    orders = orders - 1;

-- write_off_records: the customer's latest write-off date and the daily write-off sums.
CREATE OR REPLACE TRIGGER trg_facts_write_off_insert AFTER INSERT ON write_off_records
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, last_write_off_date)
  SELECT NEW.customer_id, NEW.write_off_date
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE last_write_off_date =
    GREATEST(COALESCE(last_write_off_date, NEW.write_off_date), NEW.write_off_date);

CREATE OR REPLACE TRIGGER trg_facts_write_off_update AFTER UPDATE ON write_off_records
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, last_write_off_date)
  SELECT k.customer_id, MAX(w.write_off_date)
  FROM (SELECT OLD.customer_id AS customer_id UNION SELECT NEW.customer_id) k
  LEFT JOIN write_off_records w ON w.customer_id = k.customer_id
  WHERE @yimei_defer_summaries IS NULL
  GROUP BY k.customer_id
  ON DUPLICATE KEY UPDATE last_write_off_date = VALUES(last_write_off_date);

CREATE OR REPLACE TRIGGER trg_facts_write_off_delete AFTER DELETE ON write_off_records
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, last_write_off_date)
  SELECT OLD.customer_id, MAX(w.write_off_date)
  FROM write_off_records w WHERE w.customer_id = OLD.customer_id
  HAVING @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE last_write_off_date = VALUES(last_write_off_date);

CREATE OR REPLACE TRIGGER trg_daily_write_offs_insert AFTER INSERT ON write_off_records
FOR EACH ROW
  INSERT INTO analysis_daily_write_offs (write_off_date, department, product_id, amount, quantity,
    write_offs)
  SELECT NEW.write_off_date, NEW.department, NEW.product_id, NEW.amount, NEW.quantity, 1
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE amount = amount + NEW.amount, quantity = quantity + NEW.quantity,
    write_offs = write_offs + 1;

CREATE OR REPLACE TRIGGER trg_daily_write_offs_update AFTER UPDATE ON write_off_records
FOR EACH ROW
  INSERT INTO analysis_daily_write_offs (write_off_date, department, product_id, amount, quantity,
    write_offs)
  SELECT * FROM (
    SELECT OLD.write_off_date, OLD.department, OLD.product_id, -OLD.amount, -OLD.quantity, -1
    UNION ALL SELECT NEW.write_off_date, NEW.department, NEW.product_id, NEW.amount, NEW.quantity, 1
  ) d WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE amount = amount + VALUES(amount),
    quantity = quantity + VALUES(quantity), write_offs = write_offs + VALUES(write_offs);

CREATE OR REPLACE TRIGGER trg_daily_write_offs_delete AFTER DELETE ON write_off_records
FOR EACH ROW
  INSERT INTO analysis_daily_write_offs (write_off_date, department, product_id, amount, quantity,
    write_offs)
  SELECT OLD.write_off_date, OLD.department, OLD.product_id, -OLD.amount, -OLD.quantity, -1
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE amount = amount - OLD.amount, quantity = quantity - OLD.quantity,
    write_offs = write_offs - 1;

-- unspent_balances: the sum of total_amount - spent_amount over the customer's balances.
CREATE OR REPLACE TRIGGER trg_facts_balance_insert AFTER INSERT ON unspent_balances
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, unspent_amount)
  SELECT NEW.customer_id, NEW.total_amount - NEW.spent_amount
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE unspent_amount =
    unspent_amount + (NEW.total_amount - NEW.spent_amount);

CREATE OR REPLACE TRIGGER trg_facts_balance_update AFTER UPDATE ON unspent_balances
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, unspent_amount)
  SELECT k.customer_id, COALESCE(SUM(b.total_amount - b.spent_amount), 0)
  FROM (SELECT OLD.customer_id AS customer_id UNION SELECT NEW.customer_id) k
  LEFT JOIN unspent_balances b ON b.customer_id = k.customer_id
  WHERE @yimei_defer_summaries IS NULL
  GROUP BY k.customer_id
  ON DUPLICATE KEY UPDATE unspent_amount = VALUES(unspent_amount);

CREATE OR REPLACE TRIGGER trg_facts_balance_delete AFTER DELETE ON unspent_balances
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, unspent_amount)
  SELECT OLD.customer_id, COALESCE(SUM(b.total_amount - b.spent_amount), 0)
  FROM unspent_balances b WHERE b.customer_id = OLD.customer_id
  HAVING @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE unspent_amount = VALUES(unspent_amount);

-- The rebuild: every summary from the contract tables as they are now (also the repair after a
-- TRUNCATE, a deferred bulk load or a load with the triggers absent). analysis::rebuild_summaries
-- runs the statements after the next line.
-- @rebuild
DELETE FROM analysis_customer_facts;
DELETE FROM analysis_customer_department_facts;
DELETE FROM analysis_customer_product_facts;
DELETE FROM analysis_daily_sales;
DELETE FROM analysis_daily_write_offs;

INSERT INTO analysis_customer_facts (customer_id, register_date, last_visit_date, consultant_id,
  membership_level)
SELECT customer_id, register_date, last_visit_date, consultant_id, membership_level FROM customers;

INSERT INTO analysis_customer_facts (customer_id, orders, lifetime_amount, first_consume_date,
  last_consume_date, min_department, max_department, first_new_date, last_new_date)
SELECT customer_id, COUNT(*), SUM(amount), MIN(consume_date), MAX(consume_date), MIN(department),
  MAX(department), MIN(IF(is_new_customer = 1, consume_date, NULL)),
  MAX(IF(is_new_customer = 1, consume_date, NULL))
FROM consumption_records GROUP BY customer_id
ON DUPLICATE KEY UPDATE orders = VALUES(orders), lifetime_amount = VALUES(lifetime_amount),
  first_consume_date = VALUES(first_consume_date), last_consume_date = VALUES(last_consume_date),
  min_department = VALUES(min_department), max_department = VALUES(max_department),
  first_new_date = VALUES(first_new_date), last_new_date = VALUES(last_new_date);

UPDATE analysis_customer_facts f
JOIN (SELECT r.customer_id, SUM(r.amount) AS amount, MIN(r.record_id) AS record_id
  FROM consumption_records r JOIN analysis_customer_facts k
    ON k.customer_id = r.customer_id AND r.consume_date = k.first_consume_date
  GROUP BY r.customer_id) d ON d.customer_id = f.customer_id
JOIN consumption_records fr ON fr.record_id = d.record_id
SET f.first_day_amount = d.amount, f.first_record_id = d.record_id,
  f.first_consultant_id = fr.consultant_id, f.first_department = fr.department;

UPDATE analysis_customer_facts f
JOIN (SELECT r.customer_id, MIN(r.consume_date) AS second_day
  FROM consumption_records r JOIN analysis_customer_facts k
    ON k.customer_id = r.customer_id AND r.consume_date > k.first_consume_date
  GROUP BY r.customer_id) s ON s.customer_id = f.customer_id
SET f.second_consume_date = s.second_day;

UPDATE analysis_customer_facts f
JOIN (SELECT r.customer_id, SUM(r.amount) AS amount
  FROM consumption_records r JOIN analysis_customer_facts k
    ON k.customer_id = r.customer_id AND r.consume_date > k.first_consume_date
    AND r.consume_date <= k.first_consume_date + INTERVAL 90 DAY
  GROUP BY r.customer_id) w ON w.customer_id = f.customer_id
SET f.repurchase_90_amount = w.amount;

INSERT INTO analysis_customer_facts (customer_id, last_write_off_date)
SELECT customer_id, MAX(write_off_date) FROM write_off_records GROUP BY customer_id
ON DUPLICATE KEY UPDATE last_write_off_date = VALUES(last_write_off_date);

INSERT INTO analysis_customer_facts (customer_id, unspent_amount)
SELECT customer_id, SUM(total_amount - spent_amount) FROM unspent_balances GROUP BY customer_id
ON DUPLICATE KEY UPDATE unspent_amount = VALUES(unspent_amount);

INSERT INTO analysis_customer_department_facts (customer_id, department, first_date, last_date,
  first_new_date, last_new_date)
SELECT customer_id, department, MIN(consume_date), MAX(consume_date),
  MIN(IF(is_new_customer = 1, consume_date, NULL)), MAX(IF(is_new_customer = 1, consume_date, NULL))
FROM consumption_records GROUP BY customer_id, department;

INSERT INTO analysis_customer_product_facts (customer_id, product_id, first_date, last_date)
SELECT customer_id, product_id, MIN(consume_date), MAX(consume_date)
FROM consumption_records GROUP BY customer_id, product_id;

UPDATE analysis_customer_product_facts f
JOIN (SELECT r.customer_id, r.product_id, MAX(r.consume_date) AS prev_day
  FROM consumption_records r JOIN analysis_customer_product_facts k
    ON k.customer_id = r.customer_id AND k.product_id = r.product_id
    AND r.consume_date < k.last_date
  GROUP BY r.customer_id, r.product_id) p
  ON p.customer_id = f.customer_id AND p.product_id = f.product_id
SET f.prev_date = p.prev_day;

INSERT INTO analysis_daily_sales (consume_date, department, product_id, revenue, quantity, orders)
SELECT consume_date, department, product_id, SUM(amount), SUM(quantity), COUNT(*)
FROM consumption_records GROUP BY consume_date, department, product_id;

INSERT INTO analysis_daily_write_offs (write_off_date, department, product_id, amount, quantity,
  write_offs)
SELECT write_off_date, department, product_id, SUM(amount), SUM(quantity), COUNT(*)
FROM write_off_records GROUP BY write_off_date, department, product_id;
