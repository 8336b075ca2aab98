-- 0001: tenants, hosts, scans and their inventory snapshots and findings.
-- Tenants exist from the start so that a provider can keep many companies
-- in one database; every row below hangs off a tenant through its host.
CREATE TABLE tenants (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);
INSERT INTO tenants (id, name, created_at) VALUES (1, 'default', CAST(strftime('%s','now') AS INTEGER));

CREATE TABLE hosts (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	host_key TEXT NOT NULL,          -- machine-id, else hostname
	hostname TEXT NOT NULL,
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	UNIQUE (tenant_id, host_key)
);

CREATE TABLE scans (
	id INTEGER PRIMARY KEY,
	host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
	started_at INTEGER NOT NULL,     -- unix seconds
	duration_ms INTEGER NOT NULL DEFAULT 0,
	root TEXT NOT NULL,
	score INTEGER,                   -- overall 0-100
	report_json TEXT                 -- the full --json document
);
CREATE INDEX scans_host ON scans(host_id, id);

CREATE TABLE scan_packages (
	scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
	format TEXT NOT NULL,            -- deb, rpm, apk
	name TEXT NOT NULL,
	arch TEXT NOT NULL,
	version TEXT NOT NULL
);
CREATE INDEX scan_packages_scan ON scan_packages(scan_id, format, name, arch);

CREATE TABLE scan_listening (
	scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
	proto TEXT NOT NULL,             -- tcp, udp, tcp6, udp6
	address TEXT NOT NULL,
	port INTEGER NOT NULL,
	process TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scan_listening_scan ON scan_listening(scan_id, proto, address, port);

CREATE TABLE scan_admins (
	scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
	user_name TEXT NOT NULL,
	via TEXT NOT NULL                -- uid0, sudo, wheel, admin, sudoers
);
CREATE INDEX scan_admins_scan ON scan_admins(scan_id, user_name);

CREATE TABLE findings (
	id INTEGER PRIMARY KEY,
	scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
	check_id TEXT NOT NULL,
	kajo INTEGER NOT NULL CHECK (kajo BETWEEN 1 AND 5),
	severity TEXT NOT NULL CHECK (severity IN ('info','low','medium','high','critical')),
	title TEXT NOT NULL,
	detail TEXT NOT NULL,
	action TEXT NOT NULL,
	evidence_json TEXT NOT NULL DEFAULT 'null'
);
CREATE INDEX findings_scan ON findings(scan_id);
