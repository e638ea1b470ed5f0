-- Version 3: indexes for core/analysis, chosen from EXPLAIN on a 1,000,000-record copy of the
-- fixture. Idempotent.
-- The whole-history GROUP BY customer_id passes (inactive customers, growth-points customer
-- facts) stream over this index alone: no table reads, no temporary table.
CREATE INDEX IF NOT EXISTS ix_consumption_customer_cover ON consumption_records (customer_id, consume_date, amount, department);
-- Revenue per product over a date range (the previous period of product-performance): without
-- it MariaDB walks the whole (product_id, consume_date) index with a row lookup per record.
CREATE INDEX IF NOT EXISTS ix_consumption_date_product ON consumption_records (consume_date, product_id, amount);
-- Write-offs per product over a date range, for the same reason.
CREATE INDEX IF NOT EXISTS ix_writeoff_date_product ON write_off_records (write_off_date, product_id, amount);
