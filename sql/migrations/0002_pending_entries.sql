-- Version 2: data-entry previews waiting for 确认/取消, kept in the database so that any
-- instance can confirm what another one previewed, and so a restart loses nothing.
CREATE TABLE IF NOT EXISTS bot_pending_entries (
  pending_id  BIGINT       NOT NULL AUTO_INCREMENT COMMENT '待确认ID',
  platform    VARCHAR(16)  NOT NULL COMMENT '平台',
  user_id     VARCHAR(64)  NOT NULL COMMENT '发起人',
  chat_id     VARCHAR(128) NOT NULL DEFAULT '' COMMENT '会话ID',
  action      VARCHAR(32)  NOT NULL COMMENT '操作：new-customer、purchase、write-off',
  plan_json   MEDIUMTEXT   NOT NULL COMMENT '将要写入的内容（JSON）',
  preview     TEXT         NOT NULL COMMENT '预览文本',
  msg_id      VARCHAR(128) NULL COMMENT '来源消息ID',
  created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT '创建时间',
  expires_at  DATETIME(3)  NOT NULL COMMENT '过期时间',
  PRIMARY KEY (pending_id),
  UNIQUE KEY uk_pending_user_chat (platform, user_id, chat_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='待确认的数据录入';

CREATE TABLE IF NOT EXISTS bot_conversation_state (
  platform    VARCHAR(16)  NOT NULL COMMENT '平台',
  user_id     VARCHAR(64)  NOT NULL COMMENT '用户',
  chat_id     VARCHAR(128) NOT NULL DEFAULT '' COMMENT '会话ID',
  state_json  MEDIUMTEXT   NOT NULL COMMENT '上一问的查询规格与回答摘要（JSON）',
  updated_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3) COMMENT '更新时间',
  PRIMARY KEY (platform, user_id, chat_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='对话上下文（追问与反馈）';

-- Group commit of webhook callbacks: rows inserted by one multi-row INSERT carry its token.
ALTER TABLE bot_inbox ADD COLUMN IF NOT EXISTS batch_token VARCHAR(32) NULL COMMENT '批量写入标记';
CREATE INDEX IF NOT EXISTS ix_inbox_batch ON bot_inbox (batch_token);
