-- 0022: each (distro, release, source package)'s advisory rows packed into
-- one value, so `vuln scan` does one indexed lookup per installed source
-- package and reads its rows in C instead of stepping them through SQLite
-- (bench/vuln_scan.sh: 8,858 rows of 1,800 sources cost ~25 ms that way).
-- Rebuilt from vuln_pkg by every import that writes vuln_pkg
-- (store_vuln_import.c), through the view, which holds the encoding:
-- per row six fields, cve, status, fixed_version, urgency, minor (0/1),
-- ranges, each 'v' + text or '-' for NULL, and a NUL byte after each.
-- Rows that can never apply are left out: not-affected ones, and resolved
-- ones without a fixed version or ranges (vuln/match.c match_eval).
CREATE VIEW vuln_pkg_packed AS
	SELECT distro, release, package,
		CAST(group_concat(
			ifnull('v' || cve, '-') || char(0) || ifnull('v' || status, '-') || char(0) ||
			ifnull('v' || fixed_version, '-') || char(0) || ifnull('v' || urgency, '-') ||
			char(0) || 'v' || (minor <> 0) || char(0) || ifnull('v' || ranges, '-') || char(0),
			'') AS BLOB) AS rows
	FROM vuln_pkg
	WHERE status <> 'not-affected' AND NOT (status = 'resolved' AND
		ifnull(fixed_version, '') = '' AND ifnull(ranges, '') = '')
	GROUP BY distro, release, package;
-- A rowid table with its key in an index: in a WITHOUT ROWID table the
-- B-tree search compared whole records, reading a large package's rows
-- (up to ~1 MB) from their overflow pages at every probe that met them.
CREATE TABLE vuln_pkg_pack (
	distro TEXT NOT NULL,
	release TEXT NOT NULL,
	package TEXT NOT NULL,
	rows BLOB NOT NULL
);
CREATE UNIQUE INDEX vuln_pkg_pack_key ON vuln_pkg_pack (distro, release, package);
INSERT INTO vuln_pkg_pack (distro, release, package, rows) SELECT * FROM vuln_pkg_packed;
