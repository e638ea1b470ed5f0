-- Version 3: an index for the per-customer passes of core/analysis (inactive customers, the
-- growth-points customer facts): with department in the (customer_id, consume_date, amount)
-- index, the whole-history GROUP BY customer_id streams over the index alone, with no table
-- reads and no temporary table. Idempotent.
CREATE INDEX IF NOT EXISTS ix_consumption_customer_cover ON consumption_records (customer_id, consume_date, amount, department);
