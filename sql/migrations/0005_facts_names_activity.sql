-- Version 5: the customer facts carry copies of the customer's name and phone, and are indexed by
-- last activity (docs/benchmarks.md, "Analyses at 1M records"). The customer lists of the analyses
-- (inactive customers, VIPs, growth targets: 30,000+ rows at 1M records) then read one table: the
-- primary-key join to customers for every listed row cost about as much as the rest of the query.
-- The copies follow every change of customers through the triggers of version 4, replaced here; a
-- renamed or deleted customer's row loses them with the other copies. Idempotent.

ALTER TABLE analysis_customer_facts
  ADD COLUMN IF NOT EXISTS name  VARCHAR(64) NULL COMMENT '顾客姓名（customers 的副本）' AFTER customer_id,
  ADD COLUMN IF NOT EXISTS phone VARCHAR(20) NULL COMMENT '联系电话（customers 的副本）' AFTER name;

-- inactive-customers: the customers whose stored last activity is on or before the cutoff, or after
-- as_of (recomputed as of as_of), by index range instead of a pass over every customer.
CREATE INDEX IF NOT EXISTS ix_facts_last_activity ON analysis_customer_facts (last_activity_date);

CREATE OR REPLACE TRIGGER trg_facts_customer_insert AFTER INSERT ON customers
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, name, phone, register_date, last_visit_date,
    consultant_id, membership_level)
  SELECT NEW.customer_id, NEW.name, NEW.phone, NEW.register_date, NEW.last_visit_date,
    NEW.consultant_id, NEW.membership_level
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE name = NEW.name, phone = NEW.phone, register_date = NEW.register_date,
    last_visit_date = NEW.last_visit_date, consultant_id = NEW.consultant_id,
    membership_level = NEW.membership_level;

CREATE OR REPLACE TRIGGER trg_facts_customer_update AFTER UPDATE ON customers
FOR EACH ROW
  INSERT INTO analysis_customer_facts (customer_id, name, phone, register_date, last_visit_date,
    consultant_id, membership_level)
  SELECT NEW.customer_id, NEW.name, NEW.phone, NEW.register_date, NEW.last_visit_date,
    NEW.consultant_id, NEW.membership_level
  FROM DUAL WHERE @yimei_defer_summaries IS NULL
  ON DUPLICATE KEY UPDATE name = NEW.name, phone = NEW.phone, register_date = NEW.register_date,
    last_visit_date = NEW.last_visit_date, consultant_id = NEW.consultant_id,
    membership_level = NEW.membership_level;

CREATE OR REPLACE TRIGGER trg_facts_customer_rename AFTER UPDATE ON customers
FOR EACH ROW
  UPDATE analysis_customer_facts SET name = NULL, phone = NULL, register_date = NULL,
    last_visit_date = NULL, consultant_id = NULL, membership_level = NULL
  WHERE customer_id = OLD.customer_id AND OLD.customer_id <> NEW.customer_id
    AND @yimei_defer_summaries IS NULL;

CREATE OR REPLACE TRIGGER trg_facts_customer_delete AFTER DELETE ON customers
FOR EACH ROW
  UPDATE analysis_customer_facts SET name = NULL, phone = NULL, register_date = NULL,
    last_visit_date = NULL, consultant_id = NULL, membership_level = NULL
  WHERE customer_id = OLD.customer_id AND @yimei_defer_summaries IS NULL;

-- The rebuild (analysis::rebuild_summaries runs the statements after the next line, after those of
-- version 4, which recreate the facts rows without the copies).
-- @rebuild
UPDATE analysis_customer_facts f JOIN customers c ON c.customer_id = f.customer_id
SET f.name = c.name, f.phone = c.phone;
