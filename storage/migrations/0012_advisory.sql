-- 0012: advisories from IPA and JVN (imported feeds), per tenant: whoever
-- imports a feed changes only what their own company sees. Products are
-- kept by the product part of their CPE, normalised ('_' -> '-', lower
-- case), to be matched against the package names of the latest scans.
CREATE TABLE advisories (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	adv_id TEXT NOT NULL,            -- JVNDB-2025-000123, MYJVN-ALT-2025-0011, or the link
	source TEXT NOT NULL,            -- jvndb, jvn, ipa, myjvn
	title TEXT NOT NULL,
	summary TEXT NOT NULL DEFAULT '',
	link TEXT NOT NULL DEFAULT '',
	severity TEXT NOT NULL DEFAULT '',
	cvss REAL,
	cves TEXT NOT NULL DEFAULT '',   -- comma separated
	published_at INTEGER NOT NULL DEFAULT 0,
	imported_at INTEGER NOT NULL,
	UNIQUE (tenant_id, adv_id)
);
CREATE INDEX advisories_recent ON advisories(tenant_id, published_at DESC);

CREATE TABLE advisory_products (
	advisory_id INTEGER NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
	vendor TEXT NOT NULL DEFAULT '',
	product TEXT NOT NULL DEFAULT '',
	cpe TEXT NOT NULL DEFAULT '',
	name TEXT NOT NULL DEFAULT ''    -- normalised CPE product, '' when none
);
CREATE INDEX advisory_products_advisory ON advisory_products(advisory_id);
CREATE INDEX advisory_products_name ON advisory_products(name);
