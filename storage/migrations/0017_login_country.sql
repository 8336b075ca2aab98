-- 0017: the countries each account has logged in from (logs: the
-- new-country rule), so that a restart of the log watch keeps every
-- account's baseline and does not raise a country it has already seen.
CREATE TABLE login_countries (
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	user_name TEXT NOT NULL,
	country TEXT NOT NULL,           -- ISO 3166-1 alpha-2
	first_ts INTEGER NOT NULL,       -- the first login from there (unix milliseconds)
	PRIMARY KEY (tenant_id, user_name, country)
) WITHOUT ROWID;
