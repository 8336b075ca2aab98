-- 0002: vulnerability data imported by `mamori vuln update`.
-- Each import replaces all rows of its source kind in one transaction, so a
-- truncated or corrupt feed never leaves a half-updated table behind.
CREATE TABLE vuln_sources (
	kind TEXT PRIMARY KEY,           -- debian-tracker, osv-<ecosystem>, kev, epss, jvn
	origin TEXT NOT NULL,            -- file path or URL it came from
	sha256 TEXT NOT NULL,            -- of the bytes imported
	feed_date INTEGER,               -- the date the feed states (unix seconds), NULL if none
	imported_at INTEGER NOT NULL,
	records INTEGER NOT NULL
);

-- Distribution advisories: one row per (distro, release, source package, CVE).
CREATE TABLE vuln_pkg (
	kind TEXT NOT NULL REFERENCES vuln_sources(kind) ON DELETE CASCADE,
	distro TEXT NOT NULL,            -- debian, ubuntu, alpine, or an OSV ecosystem
	release TEXT NOT NULL,           -- bookworm, 22.04, v3.19; '' when not per release
	package TEXT NOT NULL,           -- source package (distros) or package name
	cve TEXT NOT NULL,               -- CVE-..., or the advisory id when no CVE
	status TEXT NOT NULL,            -- resolved, open, undetermined, not-affected
	fixed_version TEXT,              -- NULL when no fix
	urgency TEXT,                    -- distro urgency: unimportant, low, medium, high, not yet assigned, end-of-life
	minor INTEGER NOT NULL DEFAULT 0,-- distro says unimportant / no-DSA / ignored
	PRIMARY KEY (distro, release, package, cve)
) WITHOUT ROWID;

CREATE TABLE vuln_cve (
	cve TEXT PRIMARY KEY,
	description TEXT,
	cvss REAL,                       -- base score where known
	severity TEXT                    -- low, medium, high, critical
) WITHOUT ROWID;

CREATE TABLE vuln_kev (
	cve TEXT PRIMARY KEY,
	vendor TEXT, product TEXT, name TEXT,
	date_added TEXT, due_date TEXT,
	ransomware INTEGER NOT NULL DEFAULT 0,  -- knownRansomwareCampaignUse = Known
	required_action TEXT
) WITHOUT ROWID;

CREATE TABLE vuln_epss (
	cve TEXT PRIMARY KEY,
	epss REAL NOT NULL,
	percentile REAL
) WITHOUT ROWID;

CREATE TABLE vuln_jvn (
	jvn_id TEXT NOT NULL,            -- JVNDB-2024-000001
	cve TEXT NOT NULL,
	title_ja TEXT,
	link TEXT,
	published TEXT,
	PRIMARY KEY (cve, jvn_id)
) WITHOUT ROWID;

-- Vulnerabilities found on a host per scan, for "new / fixed since last scan".
CREATE TABLE scan_vulns (
	scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
	cve TEXT NOT NULL,
	package TEXT NOT NULL,
	state TEXT NOT NULL
);
CREATE INDEX scan_vulns_scan ON scan_vulns(scan_id, cve, package);
