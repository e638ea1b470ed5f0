-- Yimei schema, version 1: the six contract tables of shared/spec/schema.md (fixed names and
-- types) plus the bot's own tables. Idempotent: every statement may run again on a database that
-- already holds these tables (an existing clinic database keeps its data and gains the indexes).
-- Statements end with ';' at the end of a line; comments and strings hold no ';'.

CREATE TABLE IF NOT EXISTS consultants (
  consultant_id VARCHAR(32) NOT NULL COMMENT '咨询师编号',
  name          VARCHAR(64) NOT NULL COMMENT '咨询师姓名',
  department    VARCHAR(32) NOT NULL COMMENT '所属科室',
  PRIMARY KEY (consultant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='咨询师';

CREATE TABLE IF NOT EXISTS customers (
  customer_id      VARCHAR(32)  NOT NULL COMMENT '顾客编号',
  name             VARCHAR(64)  NOT NULL COMMENT '顾客姓名',
  phone            VARCHAR(20)  NULL COMMENT '联系电话',
  register_date    DATE         NOT NULL COMMENT '注册日期',
  last_visit_date  DATE         NULL COMMENT '最近到店日期',
  consultant_id    VARCHAR(32)  NULL COMMENT '专属咨询师编号',
  health_tags      VARCHAR(255) NULL COMMENT '健康标签，逗号分隔，如 敏感肌,过敏史',
  membership_level VARCHAR(16)  NOT NULL DEFAULT '普通' COMMENT '会员等级：普通、银卡、金卡、钻石',
  PRIMARY KEY (customer_id),
  UNIQUE KEY uk_customers_phone (phone),
  CONSTRAINT fk_customers_consultant FOREIGN KEY (consultant_id) REFERENCES consultants (consultant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='顾客';

CREATE TABLE IF NOT EXISTS medical_products (
  product_id     VARCHAR(32)   NOT NULL COMMENT '品项编号',
  product_name   VARCHAR(128)  NOT NULL COMMENT '品项名称',
  department     VARCHAR(32)   NOT NULL COMMENT '科室分类',
  product_type   VARCHAR(32)   NOT NULL COMMENT '品项类型：单次、疗程卡、套餐、产品',
  standard_price DECIMAL(12,2) NOT NULL COMMENT '标准价格（元）',
  PRIMARY KEY (product_id),
  UNIQUE KEY uk_products_name (product_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='医美品项';

CREATE TABLE IF NOT EXISTS consumption_records (
  record_id       BIGINT        NOT NULL AUTO_INCREMENT COMMENT '消费记录ID',
  customer_id     VARCHAR(32)   NOT NULL COMMENT '顾客编号',
  consume_date    DATE          NOT NULL COMMENT '消费日期',
  amount          DECIMAL(12,2) NOT NULL COMMENT '消费金额（元，本行实收）',
  department      VARCHAR(32)   NOT NULL COMMENT '科室分类',
  is_new_customer TINYINT(1)    NOT NULL COMMENT '新老标识：1=顾客首次消费日的记录，0=老客',
  consultant_id   VARCHAR(32)   NULL COMMENT '所属咨询师编号',
  product_id      VARCHAR(32)   NOT NULL COMMENT '品项编号',
  quantity        INT           NOT NULL DEFAULT 1 COMMENT '购买数量（次数或件数）',
  payment_method  VARCHAR(16)   NOT NULL COMMENT '支付方式：现金、微信、支付宝、银行卡、储值卡',
  PRIMARY KEY (record_id),
  CONSTRAINT fk_consumption_customer FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
  CONSTRAINT fk_consumption_consultant FOREIGN KEY (consultant_id) REFERENCES consultants (consultant_id),
  CONSTRAINT fk_consumption_product FOREIGN KEY (product_id) REFERENCES medical_products (product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='消费记录（收款/开单）';

CREATE TABLE IF NOT EXISTS write_off_records (
  write_off_id      BIGINT        NOT NULL AUTO_INCREMENT COMMENT '划扣ID',
  customer_id       VARCHAR(32)   NOT NULL COMMENT '顾客编号',
  write_off_date    DATE          NOT NULL COMMENT '划扣日期',
  amount            DECIMAL(12,2) NOT NULL COMMENT '划扣金额（所用次数的价值，元）',
  department        VARCHAR(32)   NOT NULL COMMENT '科室分类',
  product_id        VARCHAR(32)   NOT NULL COMMENT '品项编号',
  quantity          INT           NOT NULL DEFAULT 1 COMMENT '划扣数量',
  consultant_id     VARCHAR(32)   NULL COMMENT '所属咨询师编号',
  consume_record_id BIGINT        NULL COMMENT '关联消费记录ID',
  PRIMARY KEY (write_off_id),
  CONSTRAINT fk_writeoff_customer FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
  CONSTRAINT fk_writeoff_product FOREIGN KEY (product_id) REFERENCES medical_products (product_id),
  CONSTRAINT fk_writeoff_consultant FOREIGN KEY (consultant_id) REFERENCES consultants (consultant_id),
  CONSTRAINT fk_writeoff_record FOREIGN KEY (consume_record_id) REFERENCES consumption_records (record_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='划扣记录（耗卡/消耗）';

CREATE TABLE IF NOT EXISTS unspent_balances (
  balance_id          BIGINT        NOT NULL AUTO_INCREMENT COMMENT '余额ID',
  customer_id         VARCHAR(32)   NOT NULL COMMENT '顾客编号',
  product_id          VARCHAR(32)   NOT NULL COMMENT '品项编号',
  total_amount        DECIMAL(12,2) NOT NULL COMMENT '总购买金额（元）',
  spent_amount        DECIMAL(12,2) NOT NULL DEFAULT 0 COMMENT '已划扣金额（元），不超过总购买金额',
  last_write_off_date DATE          NULL COMMENT '最后划扣日期',
  expiration_date     DATE          NULL COMMENT '有效期至',
  PRIMARY KEY (balance_id),
  UNIQUE KEY uk_balances_customer_product (customer_id, product_id),
  CONSTRAINT fk_balances_customer FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
  CONSTRAINT fk_balances_product FOREIGN KEY (product_id) REFERENCES medical_products (product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='未划扣余额（疗程卡、套餐）';

-- Indexes the analyses and lookups use (covering the date-ranged aggregations).
CREATE INDEX IF NOT EXISTS ix_customers_consultant ON customers (consultant_id);
CREATE INDEX IF NOT EXISTS ix_customers_level ON customers (membership_level);
CREATE INDEX IF NOT EXISTS ix_customers_name ON customers (name);
CREATE INDEX IF NOT EXISTS ix_consultants_name ON consultants (name);
CREATE INDEX IF NOT EXISTS ix_consumption_date ON consumption_records (consume_date, department, amount);
CREATE INDEX IF NOT EXISTS ix_consumption_customer_date ON consumption_records (customer_id, consume_date, amount);
CREATE INDEX IF NOT EXISTS ix_consumption_product_date ON consumption_records (product_id, consume_date);
CREATE INDEX IF NOT EXISTS ix_consumption_consultant_date ON consumption_records (consultant_id, consume_date);
CREATE INDEX IF NOT EXISTS ix_writeoff_date ON write_off_records (write_off_date, department, amount);
CREATE INDEX IF NOT EXISTS ix_writeoff_customer_date ON write_off_records (customer_id, write_off_date);
CREATE INDEX IF NOT EXISTS ix_writeoff_product_date ON write_off_records (product_id, write_off_date);
CREATE INDEX IF NOT EXISTS ix_balances_expiration ON unspent_balances (expiration_date);

-- The bot's own tables.
CREATE TABLE IF NOT EXISTS bot_users (
  platform      VARCHAR(16)  NOT NULL COMMENT '平台：wecom、dingtalk、console、cli',
  user_id       VARCHAR(64)  NOT NULL COMMENT '平台用户ID',
  display_name  VARCHAR(64)  NULL COMMENT '显示名',
  role          VARCHAR(16)  NOT NULL COMMENT '角色：admin、manager、consultant、viewer',
  consultant_id VARCHAR(32)  NULL COMMENT '绑定的咨询师编号（角色为 consultant 时）',
  granted_by    VARCHAR(64)  NULL COMMENT '授权人',
  granted_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT '授权时间',
  PRIMARY KEY (platform, user_id),
  CONSTRAINT fk_bot_users_consultant FOREIGN KEY (consultant_id) REFERENCES consultants (consultant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='机器人用户与角色';

CREATE TABLE IF NOT EXISTS bot_inbox (
  inbox_id     BIGINT       NOT NULL AUTO_INCREMENT COMMENT '收件ID',
  platform     VARCHAR(16)  NOT NULL COMMENT '平台',
  msg_id       VARCHAR(128) NOT NULL COMMENT '平台消息ID（字符串）',
  user_id      VARCHAR(64)  NOT NULL COMMENT '发送人',
  chat_id      VARCHAR(128) NULL COMMENT '会话ID（群聊）',
  chat_type    VARCHAR(8)   NOT NULL DEFAULT 'single' COMMENT '会话类型：single、group',
  body         MEDIUMTEXT   NOT NULL COMMENT '消息内容（已解密的规范化JSON）',
  status       VARCHAR(12)  NOT NULL DEFAULT 'received' COMMENT '状态：received、processing、done、failed',
  attempts     INT          NOT NULL DEFAULT 0 COMMENT '处理次数',
  received_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT '收到时间',
  processed_at DATETIME(3)  NULL COMMENT '处理完成时间',
  PRIMARY KEY (inbox_id),
  UNIQUE KEY uk_inbox_platform_msg (platform, msg_id),
  KEY ix_inbox_status (status, received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='收件箱（去重点）';

CREATE TABLE IF NOT EXISTS bot_outbox (
  outbox_id     BIGINT       NOT NULL AUTO_INCREMENT COMMENT '发件ID',
  platform      VARCHAR(16)  NOT NULL COMMENT '平台',
  target        VARCHAR(255) NOT NULL COMMENT '接收方（用户、群、机器人）',
  inbox_id      BIGINT       NULL COMMENT '来源收件ID',
  slot_id       BIGINT       NULL COMMENT '来源推送时段ID',
  payload       MEDIUMTEXT   NOT NULL COMMENT '回复内容（JSON）',
  status        VARCHAR(12)  NOT NULL DEFAULT 'pending' COMMENT '状态：pending、sent、failed',
  attempts      INT          NOT NULL DEFAULT 0 COMMENT '投递次数',
  next_attempt  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT '下次投递时间',
  last_error    VARCHAR(512) NULL COMMENT '最近错误',
  created_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT '创建时间',
  sent_at       DATETIME(3)  NULL COMMENT '发送成功时间',
  PRIMARY KEY (outbox_id),
  KEY ix_outbox_due (status, next_attempt),
  KEY ix_outbox_inbox (inbox_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='发件箱（可靠投递）';

CREATE TABLE IF NOT EXISTS bot_schedule_slots (
  slot_id     BIGINT       NOT NULL AUTO_INCREMENT COMMENT '时段ID',
  job_name    VARCHAR(64)  NOT NULL COMMENT '推送任务名',
  slot_time   DATETIME     NOT NULL COMMENT '计划时间（UTC）',
  status      VARCHAR(12)  NOT NULL DEFAULT 'claimed' COMMENT '状态：claimed、done、skipped、failed',
  claimed_by  VARCHAR(64)  NULL COMMENT '认领实例',
  claimed_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT '认领时间',
  finished_at DATETIME(3)  NULL COMMENT '完成时间',
  reason      VARCHAR(255) NULL COMMENT '跳过或失败原因',
  PRIMARY KEY (slot_id),
  UNIQUE KEY uk_slot_job_time (job_name, slot_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='定时推送时段';

CREATE TABLE IF NOT EXISTS bot_audit_log (
  audit_id    BIGINT       NOT NULL AUTO_INCREMENT COMMENT '审计ID',
  platform    VARCHAR(16)  NOT NULL COMMENT '平台',
  user_id     VARCHAR(64)  NOT NULL COMMENT '操作人',
  msg_id      VARCHAR(128) NULL COMMENT '来源消息ID',
  action      VARCHAR(32)  NOT NULL COMMENT '操作：new-customer、purchase、write-off、undo、grant、export',
  entity      VARCHAR(32)  NULL COMMENT '对象表',
  entity_id   VARCHAR(64)  NULL COMMENT '对象ID',
  before_json MEDIUMTEXT   NULL COMMENT '变更前（JSON）',
  after_json  MEDIUMTEXT   NULL COMMENT '变更后（JSON）',
  undone_at   DATETIME(3)  NULL COMMENT '撤销时间',
  created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT '操作时间',
  PRIMARY KEY (audit_id),
  KEY ix_audit_user (platform, user_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='审计日志';

CREATE TABLE IF NOT EXISTS bot_feedback (
  feedback_id   BIGINT       NOT NULL AUTO_INCREMENT COMMENT '反馈ID',
  platform      VARCHAR(16)  NOT NULL COMMENT '平台',
  user_id       VARCHAR(64)  NOT NULL COMMENT '反馈人',
  question      TEXT         NOT NULL COMMENT '原问题',
  spec_json     MEDIUMTEXT   NULL COMMENT '查询规格（JSON）',
  sql_text      MEDIUMTEXT   NULL COMMENT '执行的SQL',
  answer_digest VARCHAR(512) NULL COMMENT '回答摘要',
  verdict       VARCHAR(8)   NOT NULL COMMENT '评价：correct、wrong',
  note          VARCHAR(512) NULL COMMENT '说明',
  created_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT '反馈时间',
  PRIMARY KEY (feedback_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='回答反馈';

CREATE TABLE IF NOT EXISTS bot_alert_state (
  job_name   VARCHAR(64)  NOT NULL COMMENT '告警任务名',
  cause_key  VARCHAR(191) NOT NULL COMMENT '触发原因键',
  last_fired DATETIME(3)  NOT NULL COMMENT '最近触发时间',
  PRIMARY KEY (job_name, cause_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='告警静默状态';
