-- Version 7: per customer, year and month sums of consumption_records, kept exact by triggers
-- like the summaries of version 4 (docs/benchmarks.md, "Analyses at 1M records").
-- vip-consumption reads each VIP's two periods from these rows instead of the VIP's whole
-- history of records; a period's partial edge months are corrected from the records of their
-- edge days only, and only for the customers whose day mask shows a purchase on those days
-- (core/analysis/vip_consumption.cpp).
-- - analysis_customer_years: per customer and year, each month's amount and purchase days
-- - analysis_customer_department_years: the same per department of the records.
-- One row per year rather than per month: the VIP list joins each VIP to its row of each year of
-- the two periods by primary key (one row, no grouping), and a department split reads a few rows
-- per VIP rather than dozens. Rows are keyed by the customer facts' spelling of the customer id
-- in a binary collation, so the join from analysis_customer_facts compares bytes rather than
-- utf8mb4_unicode_ci weights. The spelling is the one of the facts row the version 4 triggers
-- have just written (FOLLOWS below), so ids that the collation calls equal share one key, as in
-- every join of the records to the facts. The year leads the key: a period reads one or two years,
-- whose rows then lie together (keyed by customer first, the lookups of the 22,000 VIPs of the
-- default period touched every page of the department rows, 6,300 buffer-pool misses a run with
-- the 256 MB pool of the benchmarks).
-- Bit d-1 of days_MM is day d of month MM: the distinct purchase days of a period within a month
-- are BIT_COUNT(days_MM & the period's days). A year whose records are all gone keeps a row of
-- zeros. Idempotent: tables created if missing, triggers replaced, both summaries rebuilt.


CREATE TABLE IF NOT EXISTS analysis_customer_years (
  customer_key VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
    COMMENT '顾客编号（顾客事实中的写法，按字节比较）',
  year         SMALLINT      NOT NULL COMMENT '年份',
  amount_01 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '1月消费金额（元）',
  amount_02 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '2月消费金额（元）',
  amount_03 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '3月消费金额（元）',
  amount_04 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '4月消费金额（元）',
  amount_05 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '5月消费金额（元）',
  amount_06 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '6月消费金额（元）',
  amount_07 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '7月消费金额（元）',
  amount_08 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '8月消费金额（元）',
  amount_09 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '9月消费金额（元）',
  amount_10 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '10月消费金额（元）',
  amount_11 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '11月消费金额（元）',
  amount_12 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '12月消费金额（元）',
  days_01   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '1月有消费的日子（第 d 日为第 d-1 位）',
  days_02   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '2月有消费的日子（第 d 日为第 d-1 位）',
  days_03   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '3月有消费的日子（第 d 日为第 d-1 位）',
  days_04   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '4月有消费的日子（第 d 日为第 d-1 位）',
  days_05   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '5月有消费的日子（第 d 日为第 d-1 位）',
  days_06   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '6月有消费的日子（第 d 日为第 d-1 位）',
  days_07   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '7月有消费的日子（第 d 日为第 d-1 位）',
  days_08   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '8月有消费的日子（第 d 日为第 d-1 位）',
  days_09   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '9月有消费的日子（第 d 日为第 d-1 位）',
  days_10   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '10月有消费的日子（第 d 日为第 d-1 位）',
  days_11   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '11月有消费的日子（第 d 日为第 d-1 位）',
  days_12   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '12月有消费的日子（第 d 日为第 d-1 位）',
  PRIMARY KEY (year, customer_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='顾客每年分月消费汇总（触发器维护）';

CREATE TABLE IF NOT EXISTS analysis_customer_department_years (
  customer_key VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
    COMMENT '顾客编号（顾客事实中的写法，按字节比较）',
  year         SMALLINT      NOT NULL COMMENT '年份',
  department   VARCHAR(32)   NOT NULL COMMENT '科室（消费记录的科室）',
  amount_01 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '1月消费金额（元）',
  amount_02 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '2月消费金额（元）',
  amount_03 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '3月消费金额（元）',
  amount_04 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '4月消费金额（元）',
  amount_05 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '5月消费金额（元）',
  amount_06 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '6月消费金额（元）',
  amount_07 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '7月消费金额（元）',
  amount_08 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '8月消费金额（元）',
  amount_09 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '9月消费金额（元）',
  amount_10 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '10月消费金额（元）',
  amount_11 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '11月消费金额（元）',
  amount_12 DECIMAL(18,2) NOT NULL DEFAULT 0 COMMENT '12月消费金额（元）',
  days_01   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '1月有消费的日子（第 d 日为第 d-1 位）',
  days_02   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '2月有消费的日子（第 d 日为第 d-1 位）',
  days_03   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '3月有消费的日子（第 d 日为第 d-1 位）',
  days_04   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '4月有消费的日子（第 d 日为第 d-1 位）',
  days_05   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '5月有消费的日子（第 d 日为第 d-1 位）',
  days_06   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '6月有消费的日子（第 d 日为第 d-1 位）',
  days_07   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '7月有消费的日子（第 d 日为第 d-1 位）',
  days_08   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '8月有消费的日子（第 d 日为第 d-1 位）',
  days_09   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '9月有消费的日子（第 d 日为第 d-1 位）',
  days_10   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '10月有消费的日子（第 d 日为第 d-1 位）',
  days_11   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '11月有消费的日子（第 d 日为第 d-1 位）',
  days_12   INT UNSIGNED  NOT NULL DEFAULT 0 COMMENT '12月有消费的日子（第 d 日为第 d-1 位）',
  PRIMARY KEY (year, customer_key, department)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='顾客分科室每年分月消费汇总（触发器维护）';

-- Insert: the record's month columns of its year row are extended.
CREATE OR REPLACE TRIGGER trg_years_consumption_insert AFTER INSERT ON consumption_records
FOR EACH ROW FOLLOWS trg_facts_consumption_insert
  INSERT INTO analysis_customer_years (
    customer_key, year, amount_01, amount_02, amount_03, amount_04, amount_05, amount_06,
    amount_07, amount_08, amount_09, amount_10, amount_11, amount_12, days_01, days_02, days_03,
    days_04, days_05, days_06, days_07, days_08, days_09, days_10, days_11, days_12)
  SELECT
    f.customer_id, YEAR(NEW.consume_date), IF(MONTH(NEW.consume_date) = 1, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 2, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 3, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 4, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 5, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 6, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 7, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 8, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 9, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 10, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 11, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 12, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 1, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 2, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 3, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 4, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 5, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 6, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 7, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 8, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 9, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 10, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 11, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 12, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0)
  FROM analysis_customer_facts f
  WHERE f.customer_id = NEW.customer_id AND @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE
    amount_01 = amount_01 + VALUES(amount_01), amount_02 = amount_02 + VALUES(amount_02),
    amount_03 = amount_03 + VALUES(amount_03), amount_04 = amount_04 + VALUES(amount_04),
    amount_05 = amount_05 + VALUES(amount_05), amount_06 = amount_06 + VALUES(amount_06),
    amount_07 = amount_07 + VALUES(amount_07), amount_08 = amount_08 + VALUES(amount_08),
    amount_09 = amount_09 + VALUES(amount_09), amount_10 = amount_10 + VALUES(amount_10),
    amount_11 = amount_11 + VALUES(amount_11), amount_12 = amount_12 + VALUES(amount_12),
    days_01 = days_01 | VALUES(days_01), days_02 = days_02 | VALUES(days_02),
    days_03 = days_03 | VALUES(days_03), days_04 = days_04 | VALUES(days_04),
    days_05 = days_05 | VALUES(days_05), days_06 = days_06 | VALUES(days_06),
    days_07 = days_07 | VALUES(days_07), days_08 = days_08 | VALUES(days_08),
    days_09 = days_09 | VALUES(days_09), days_10 = days_10 | VALUES(days_10),
    days_11 = days_11 | VALUES(days_11), days_12 = days_12 | VALUES(days_12);

CREATE OR REPLACE TRIGGER trg_dept_years_consumption_insert AFTER INSERT ON consumption_records
FOR EACH ROW FOLLOWS trg_years_consumption_insert
  INSERT INTO analysis_customer_department_years (
    customer_key, year, department, amount_01, amount_02, amount_03, amount_04, amount_05,
    amount_06, amount_07, amount_08, amount_09, amount_10, amount_11, amount_12, days_01,
    days_02, days_03, days_04, days_05, days_06, days_07, days_08, days_09, days_10, days_11,
    days_12)
  SELECT
    f.customer_id, YEAR(NEW.consume_date), NEW.department,
    IF(MONTH(NEW.consume_date) = 1, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 2, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 3, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 4, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 5, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 6, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 7, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 8, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 9, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 10, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 11, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 12, NEW.amount, 0),
    IF(MONTH(NEW.consume_date) = 1, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 2, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 3, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 4, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 5, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 6, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 7, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 8, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 9, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 10, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 11, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0),
    IF(MONTH(NEW.consume_date) = 12, 1 << (DAYOFMONTH(NEW.consume_date) - 1), 0)
  FROM analysis_customer_facts f
  WHERE f.customer_id = NEW.customer_id AND @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE
    amount_01 = amount_01 + VALUES(amount_01), amount_02 = amount_02 + VALUES(amount_02),
    amount_03 = amount_03 + VALUES(amount_03), amount_04 = amount_04 + VALUES(amount_04),
    amount_05 = amount_05 + VALUES(amount_05), amount_06 = amount_06 + VALUES(amount_06),
    amount_07 = amount_07 + VALUES(amount_07), amount_08 = amount_08 + VALUES(amount_08),
    amount_09 = amount_09 + VALUES(amount_09), amount_10 = amount_10 + VALUES(amount_10),
    amount_11 = amount_11 + VALUES(amount_11), amount_12 = amount_12 + VALUES(amount_12),
    days_01 = days_01 | VALUES(days_01), days_02 = days_02 | VALUES(days_02),
    days_03 = days_03 | VALUES(days_03), days_04 = days_04 | VALUES(days_04),
    days_05 = days_05 | VALUES(days_05), days_06 = days_06 | VALUES(days_06),
    days_07 = days_07 | VALUES(days_07), days_08 = days_08 | VALUES(days_08),
    days_09 = days_09 | VALUES(days_09), days_10 = days_10 | VALUES(days_10),
    days_11 = days_11 | VALUES(days_11), days_12 = days_12 | VALUES(days_12);

-- Update and delete: the old (and new) record's year rows recomputed from that customer's
-- records of that year (a short range of ix_consumption_customer_date). A day mask cannot be
-- decremented, hence the recomputation rather than a subtraction.
CREATE OR REPLACE TRIGGER trg_years_consumption_update AFTER UPDATE ON consumption_records
FOR EACH ROW FOLLOWS trg_facts_consumption_update
  INSERT INTO analysis_customer_years (
    customer_key, year, amount_01, amount_02, amount_03, amount_04, amount_05, amount_06,
    amount_07, amount_08, amount_09, amount_10, amount_11, amount_12, days_01, days_02, days_03,
    days_04, days_05, days_06, days_07, days_08, days_09, days_10, days_11, days_12)
  SELECT
    f.customer_id, k.year, COALESCE(SUM(IF(MONTH(r.consume_date) = 1, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 2, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 3, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 4, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 5, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 6, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 7, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 8, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 9, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 10, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 11, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 12, r.amount, 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 1, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 2, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 3, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 4, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 5, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 6, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 7, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 8, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 9, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 10, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 11, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 12, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0)
  FROM (SELECT OLD.customer_id AS customer_id, YEAR(OLD.consume_date) AS year
    UNION SELECT NEW.customer_id, YEAR(NEW.consume_date)) k
  JOIN analysis_customer_facts f ON f.customer_id = k.customer_id
  LEFT JOIN consumption_records r ON r.customer_id = k.customer_id
    AND r.consume_date >= MAKEDATE(k.year, 1) AND r.consume_date < MAKEDATE(k.year + 1, 1)
  WHERE @yimei_defer_summaries IS NULL
  GROUP BY f.customer_id, k.year
  ON DUPLICATE KEY UPDATE
    amount_01 = VALUES(amount_01), amount_02 = VALUES(amount_02), amount_03 = VALUES(amount_03),
    amount_04 = VALUES(amount_04), amount_05 = VALUES(amount_05), amount_06 = VALUES(amount_06),
    amount_07 = VALUES(amount_07), amount_08 = VALUES(amount_08), amount_09 = VALUES(amount_09),
    amount_10 = VALUES(amount_10), amount_11 = VALUES(amount_11), amount_12 = VALUES(amount_12),
    days_01 = VALUES(days_01), days_02 = VALUES(days_02), days_03 = VALUES(days_03),
    days_04 = VALUES(days_04), days_05 = VALUES(days_05), days_06 = VALUES(days_06),
    days_07 = VALUES(days_07), days_08 = VALUES(days_08), days_09 = VALUES(days_09),
    days_10 = VALUES(days_10), days_11 = VALUES(days_11), days_12 = VALUES(days_12);

CREATE OR REPLACE TRIGGER trg_dept_years_consumption_update AFTER UPDATE ON consumption_records
FOR EACH ROW FOLLOWS trg_years_consumption_update
  INSERT INTO analysis_customer_department_years (
    customer_key, year, department, amount_01, amount_02, amount_03, amount_04, amount_05,
    amount_06, amount_07, amount_08, amount_09, amount_10, amount_11, amount_12, days_01,
    days_02, days_03, days_04, days_05, days_06, days_07, days_08, days_09, days_10, days_11,
    days_12)
  SELECT
    f.customer_id, k.year, k.department,
    COALESCE(SUM(IF(MONTH(r.consume_date) = 1, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 2, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 3, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 4, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 5, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 6, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 7, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 8, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 9, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 10, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 11, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 12, r.amount, 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 1, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 2, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 3, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 4, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 5, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 6, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 7, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 8, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 9, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 10, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 11, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 12, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0)
  FROM (SELECT OLD.customer_id AS customer_id, YEAR(OLD.consume_date) AS year,
      OLD.department AS department
    UNION SELECT NEW.customer_id, YEAR(NEW.consume_date), NEW.department) k
  JOIN analysis_customer_facts f ON f.customer_id = k.customer_id
  LEFT JOIN consumption_records r ON r.customer_id = k.customer_id
    AND r.consume_date >= MAKEDATE(k.year, 1) AND r.consume_date < MAKEDATE(k.year + 1, 1)
    AND r.department = k.department
  WHERE @yimei_defer_summaries IS NULL
  GROUP BY f.customer_id, k.year, k.department
  ON DUPLICATE KEY UPDATE
    amount_01 = VALUES(amount_01), amount_02 = VALUES(amount_02), amount_03 = VALUES(amount_03),
    amount_04 = VALUES(amount_04), amount_05 = VALUES(amount_05), amount_06 = VALUES(amount_06),
    amount_07 = VALUES(amount_07), amount_08 = VALUES(amount_08), amount_09 = VALUES(amount_09),
    amount_10 = VALUES(amount_10), amount_11 = VALUES(amount_11), amount_12 = VALUES(amount_12),
    days_01 = VALUES(days_01), days_02 = VALUES(days_02), days_03 = VALUES(days_03),
    days_04 = VALUES(days_04), days_05 = VALUES(days_05), days_06 = VALUES(days_06),
    days_07 = VALUES(days_07), days_08 = VALUES(days_08), days_09 = VALUES(days_09),
    days_10 = VALUES(days_10), days_11 = VALUES(days_11), days_12 = VALUES(days_12);

CREATE OR REPLACE TRIGGER trg_years_consumption_delete AFTER DELETE ON consumption_records
FOR EACH ROW FOLLOWS trg_facts_consumption_delete
  INSERT INTO analysis_customer_years (
    customer_key, year, amount_01, amount_02, amount_03, amount_04, amount_05, amount_06,
    amount_07, amount_08, amount_09, amount_10, amount_11, amount_12, days_01, days_02, days_03,
    days_04, days_05, days_06, days_07, days_08, days_09, days_10, days_11, days_12)
  SELECT
    f.customer_id, k.year, COALESCE(SUM(IF(MONTH(r.consume_date) = 1, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 2, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 3, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 4, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 5, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 6, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 7, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 8, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 9, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 10, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 11, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 12, r.amount, 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 1, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 2, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 3, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 4, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 5, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 6, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 7, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 8, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 9, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 10, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 11, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 12, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0)
  FROM (SELECT OLD.customer_id AS customer_id, YEAR(OLD.consume_date) AS year) k
  JOIN analysis_customer_facts f ON f.customer_id = k.customer_id
  LEFT JOIN consumption_records r ON r.customer_id = k.customer_id
    AND r.consume_date >= MAKEDATE(k.year, 1) AND r.consume_date < MAKEDATE(k.year + 1, 1)
  WHERE @yimei_defer_summaries IS NULL
  GROUP BY f.customer_id, k.year
  ON DUPLICATE KEY UPDATE
    amount_01 = VALUES(amount_01), amount_02 = VALUES(amount_02), amount_03 = VALUES(amount_03),
    amount_04 = VALUES(amount_04), amount_05 = VALUES(amount_05), amount_06 = VALUES(amount_06),
    amount_07 = VALUES(amount_07), amount_08 = VALUES(amount_08), amount_09 = VALUES(amount_09),
    amount_10 = VALUES(amount_10), amount_11 = VALUES(amount_11), amount_12 = VALUES(amount_12),
    days_01 = VALUES(days_01), days_02 = VALUES(days_02), days_03 = VALUES(days_03),
    days_04 = VALUES(days_04), days_05 = VALUES(days_05), days_06 = VALUES(days_06),
    days_07 = VALUES(days_07), days_08 = VALUES(days_08), days_09 = VALUES(days_09),
    days_10 = VALUES(days_10), days_11 = VALUES(days_11), days_12 = VALUES(days_12);

CREATE OR REPLACE TRIGGER trg_dept_years_consumption_delete AFTER DELETE ON consumption_records
FOR EACH ROW FOLLOWS trg_years_consumption_delete
  INSERT INTO analysis_customer_department_years (
    customer_key, year, department, amount_01, amount_02, amount_03, amount_04, amount_05,
    amount_06, amount_07, amount_08, amount_09, amount_10, amount_11, amount_12, days_01,
    days_02, days_03, days_04, days_05, days_06, days_07, days_08, days_09, days_10, days_11,
    days_12)
  SELECT
    f.customer_id, k.year, k.department,
    COALESCE(SUM(IF(MONTH(r.consume_date) = 1, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 2, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 3, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 4, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 5, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 6, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 7, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 8, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 9, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 10, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 11, r.amount, 0)), 0),
    COALESCE(SUM(IF(MONTH(r.consume_date) = 12, r.amount, 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 1, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 2, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 3, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 4, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 5, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 6, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 7, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 8, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 9, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 10, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 11, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0),
    COALESCE(BIT_OR(IF(MONTH(r.consume_date) = 12, 1 << (DAYOFMONTH(r.consume_date) - 1), 0)), 0)
  FROM (SELECT OLD.customer_id AS customer_id, YEAR(OLD.consume_date) AS year,
      OLD.department AS department) k
  JOIN analysis_customer_facts f ON f.customer_id = k.customer_id
  LEFT JOIN consumption_records r ON r.customer_id = k.customer_id
    AND r.consume_date >= MAKEDATE(k.year, 1) AND r.consume_date < MAKEDATE(k.year + 1, 1)
    AND r.department = k.department
  WHERE @yimei_defer_summaries IS NULL
  GROUP BY f.customer_id, k.year, k.department
  ON DUPLICATE KEY UPDATE
    amount_01 = VALUES(amount_01), amount_02 = VALUES(amount_02), amount_03 = VALUES(amount_03),
    amount_04 = VALUES(amount_04), amount_05 = VALUES(amount_05), amount_06 = VALUES(amount_06),
    amount_07 = VALUES(amount_07), amount_08 = VALUES(amount_08), amount_09 = VALUES(amount_09),
    amount_10 = VALUES(amount_10), amount_11 = VALUES(amount_11), amount_12 = VALUES(amount_12),
    days_01 = VALUES(days_01), days_02 = VALUES(days_02), days_03 = VALUES(days_03),
    days_04 = VALUES(days_04), days_05 = VALUES(days_05), days_06 = VALUES(days_06),
    days_07 = VALUES(days_07), days_08 = VALUES(days_08), days_09 = VALUES(days_09),
    days_10 = VALUES(days_10), days_11 = VALUES(days_11), days_12 = VALUES(days_12);

-- The rebuild (analysis::rebuild_summaries runs the statements after the next line, after those
-- of versions 4 and 5, which recreate the facts rows whose spelling keys these rows). The records
-- are grouped first, so the facts are looked up once per customer, year and department; the
-- customer rows are the sums of the department rows.
-- @rebuild
DELETE FROM analysis_customer_years;
DELETE FROM analysis_customer_department_years;

INSERT INTO analysis_customer_department_years (
    customer_key, year, department, amount_01, amount_02, amount_03, amount_04, amount_05,
    amount_06, amount_07, amount_08, amount_09, amount_10, amount_11, amount_12, days_01,
    days_02, days_03, days_04, days_05, days_06, days_07, days_08, days_09, days_10, days_11,
    days_12)
SELECT
  f.customer_id, g.year, g.department, SUM(amount_01), SUM(amount_02), SUM(amount_03),
  SUM(amount_04), SUM(amount_05), SUM(amount_06), SUM(amount_07), SUM(amount_08), SUM(amount_09),
  SUM(amount_10), SUM(amount_11), SUM(amount_12), BIT_OR(days_01), BIT_OR(days_02),
  BIT_OR(days_03), BIT_OR(days_04), BIT_OR(days_05), BIT_OR(days_06), BIT_OR(days_07),
  BIT_OR(days_08), BIT_OR(days_09), BIT_OR(days_10), BIT_OR(days_11), BIT_OR(days_12)
FROM (SELECT
    customer_id, YEAR(consume_date) AS year, department,
    SUM(IF(MONTH(consume_date) = 1, amount, 0)) AS amount_01,
    SUM(IF(MONTH(consume_date) = 2, amount, 0)) AS amount_02,
    SUM(IF(MONTH(consume_date) = 3, amount, 0)) AS amount_03,
    SUM(IF(MONTH(consume_date) = 4, amount, 0)) AS amount_04,
    SUM(IF(MONTH(consume_date) = 5, amount, 0)) AS amount_05,
    SUM(IF(MONTH(consume_date) = 6, amount, 0)) AS amount_06,
    SUM(IF(MONTH(consume_date) = 7, amount, 0)) AS amount_07,
    SUM(IF(MONTH(consume_date) = 8, amount, 0)) AS amount_08,
    SUM(IF(MONTH(consume_date) = 9, amount, 0)) AS amount_09,
    SUM(IF(MONTH(consume_date) = 10, amount, 0)) AS amount_10,
    SUM(IF(MONTH(consume_date) = 11, amount, 0)) AS amount_11,
    SUM(IF(MONTH(consume_date) = 12, amount, 0)) AS amount_12,
    BIT_OR(IF(MONTH(consume_date) = 1, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_01,
    BIT_OR(IF(MONTH(consume_date) = 2, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_02,
    BIT_OR(IF(MONTH(consume_date) = 3, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_03,
    BIT_OR(IF(MONTH(consume_date) = 4, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_04,
    BIT_OR(IF(MONTH(consume_date) = 5, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_05,
    BIT_OR(IF(MONTH(consume_date) = 6, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_06,
    BIT_OR(IF(MONTH(consume_date) = 7, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_07,
    BIT_OR(IF(MONTH(consume_date) = 8, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_08,
    BIT_OR(IF(MONTH(consume_date) = 9, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_09,
    BIT_OR(IF(MONTH(consume_date) = 10, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_10,
    BIT_OR(IF(MONTH(consume_date) = 11, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_11,
    BIT_OR(IF(MONTH(consume_date) = 12, 1 << (DAYOFMONTH(consume_date) - 1), 0)) AS days_12
  FROM consumption_records GROUP BY customer_id, year, department) g
JOIN analysis_customer_facts f ON f.customer_id = g.customer_id
GROUP BY f.customer_id, g.year, g.department;

INSERT INTO analysis_customer_years (
    customer_key, year, amount_01, amount_02, amount_03, amount_04, amount_05, amount_06,
    amount_07, amount_08, amount_09, amount_10, amount_11, amount_12, days_01, days_02, days_03,
    days_04, days_05, days_06, days_07, days_08, days_09, days_10, days_11, days_12)
SELECT
  customer_key, year, SUM(amount_01), SUM(amount_02), SUM(amount_03), SUM(amount_04),
  SUM(amount_05), SUM(amount_06), SUM(amount_07), SUM(amount_08), SUM(amount_09), SUM(amount_10),
  SUM(amount_11), SUM(amount_12), BIT_OR(days_01), BIT_OR(days_02), BIT_OR(days_03),
  BIT_OR(days_04), BIT_OR(days_05), BIT_OR(days_06), BIT_OR(days_07), BIT_OR(days_08),
  BIT_OR(days_09), BIT_OR(days_10), BIT_OR(days_11), BIT_OR(days_12)
FROM analysis_customer_department_years GROUP BY customer_key, year;
