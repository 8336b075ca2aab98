-- 0005: the manager's accounts, sessions and login attempts.
-- Every account belongs to a tenant; a session carries its user's tenant so
-- that every API read is scoped by it. Session ids are stored only as their
-- SHA-256: a copy of the database does not hand out live sessions.
CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('admin','operator','viewer')),
	pw_hash TEXT NOT NULL,           -- $argon2id$v=19$m=...,t=...,p=...
	created_at INTEGER NOT NULL,
	UNIQUE (tenant_id, name)
);

CREATE TABLE sessions (
	id_hash BLOB PRIMARY KEY,        -- SHA-256 of the cookie value
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	ip TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed attempts are written before the password is checked, so parallel
-- guesses are all counted (the limit is atomic); ok = 1 after success.
CREATE TABLE login_attempts (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL,
	name TEXT NOT NULL,
	ip TEXT NOT NULL,
	at INTEGER NOT NULL,
	ok INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_attempts_name ON login_attempts(tenant_id, name, at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, at);
