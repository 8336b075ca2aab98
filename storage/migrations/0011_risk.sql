-- 0011: the information asset ledger of IPA's risk analysis sheet
-- (情報資産管理台帳) with each asset's threat and weakness ratings and the
-- chosen treatment. Importance, likelihood and risk value are computed
-- when read (common/risk.c), never stored, so they cannot go stale.
-- Assets pulled in from the inventory carry a source_key (host:NAME) and
-- are refreshed by the next import without touching what the owner rated.
CREATE TABLE risk_assets (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	category TEXT NOT NULL DEFAULT '',   -- 業務分類
	name TEXT NOT NULL,                  -- 情報資産名称
	note TEXT NOT NULL DEFAULT '',       -- 備考
	users TEXT NOT NULL DEFAULT '',      -- 利用者範囲
	owner TEXT NOT NULL DEFAULT '',      -- 管理部署・リスク所有者
	location TEXT NOT NULL DEFAULT '',   -- 媒体・保存先
	c INTEGER NOT NULL DEFAULT 2 CHECK (c BETWEEN 1 AND 3),          -- 機密性
	i INTEGER NOT NULL DEFAULT 2 CHECK (i BETWEEN 1 AND 3),          -- 完全性
	a INTEGER NOT NULL DEFAULT 2 CHECK (a BETWEEN 1 AND 3),          -- 可用性
	personal INTEGER NOT NULL DEFAULT 0 CHECK (personal IN (0, 1)),  -- 個人情報を含む
	threat INTEGER NOT NULL DEFAULT 2 CHECK (threat BETWEEN 1 AND 3),     -- 脅威の起こりやすさ
	weakness INTEGER NOT NULL DEFAULT 3 CHECK (weakness BETWEEN 1 AND 3), -- 脆弱性のつけ込みやすさ
	treatment TEXT NOT NULL DEFAULT '' CHECK (treatment IN ('', 'reduce', 'transfer', 'avoid', 'accept')),
	plan TEXT NOT NULL DEFAULT '',       -- the measure chosen
	source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'inventory')),
	source_key TEXT,                     -- inventory rows: host:<host key>
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (tenant_id, source_key)
);
CREATE INDEX risk_assets_tenant ON risk_assets(tenant_id, id);
