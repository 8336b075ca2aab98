-- 0006: the agent channel. Enrolment tokens (kept only as SHA-256, one
-- use, expiring, per tenant), enrolled agents and sensors with their
-- credential's SHA-256, and the events they send. UNIQUE (agent_id, seq)
-- makes a retried batch land once: at-least-once delivery plus an
-- idempotent insert is exactly-once storage.
CREATE TABLE enrol_tokens (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	token_hash BLOB NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('agent','sensor')),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at INTEGER,                 -- NULL until an agent enrolled with it
	agent_id INTEGER                 -- the agent it enrolled
);

CREATE TABLE agents (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	kind TEXT NOT NULL CHECK (kind IN ('agent','sensor')),
	name TEXT NOT NULL,
	hostname TEXT NOT NULL,
	secret_hash BLOB NOT NULL,       -- SHA-256 of the per-agent secret
	enrolled_at INTEGER NOT NULL,
	enrol_ip TEXT NOT NULL DEFAULT '',
	last_seen INTEGER,
	revoked_at INTEGER,
	acked_seq INTEGER NOT NULL DEFAULT 0,   -- every seq up to here is stored
	spool_records INTEGER NOT NULL DEFAULT 0,
	spool_bytes INTEGER NOT NULL DEFAULT 0,
	gaps INTEGER NOT NULL DEFAULT 0          -- events the agent reported dropped
);
CREATE INDEX agents_tenant ON agents(tenant_id, id);

CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL,
	agent_id INTEGER NOT NULL REFERENCES agents(id),
	seq INTEGER NOT NULL,
	kind TEXT NOT NULL,              -- alert, scan, gap, event
	ts INTEGER NOT NULL,             -- when the agent saw it (unix seconds)
	received_at INTEGER NOT NULL,
	body TEXT NOT NULL,              -- the event line as the agent sent it
	UNIQUE (agent_id, seq)
);
CREATE INDEX events_tenant ON events(tenant_id, kind, id);
