-- 0021: the dashboard's vulnerability counts from one row per scan instead
-- of counting every vulnerability of every computer's newest scan on each
-- request (bench/dashboard.sh: GET /api/vulns?limit=3 spent ~19 ms of CPU).
-- Kept by triggers, whoever stores the rows. kev follows the KEV catalogue:
-- its rows change on import, so its triggers adjust the scans that have the
-- CVE (found through scan_vulns_cve).
CREATE TABLE scan_vuln_counts (
	scan_id INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,
	total INTEGER NOT NULL,          -- rows with a CVE
	fixable INTEGER NOT NULL,
	kev INTEGER NOT NULL             -- rows whose CVE is in vuln_kev
);
CREATE INDEX scan_vulns_cve ON scan_vulns(cve, scan_id);
INSERT INTO scan_vuln_counts (scan_id, total, fixable, kev)
	SELECT v.scan_id, count(*), sum(v.state = 'fixable'), count(k.cve) FROM scan_vulns v
	LEFT JOIN vuln_kev k ON k.cve = v.cve WHERE v.cve <> '' GROUP BY v.scan_id;
CREATE TRIGGER scan_vuln_counts_insert AFTER INSERT ON scan_vulns WHEN NEW.cve <> ''
BEGIN
	INSERT INTO scan_vuln_counts (scan_id, total, fixable, kev) VALUES (NEW.scan_id, 1,
		NEW.state = 'fixable', EXISTS (SELECT 1 FROM vuln_kev WHERE cve = NEW.cve))
		ON CONFLICT (scan_id) DO UPDATE SET total = total + 1,
		fixable = fixable + excluded.fixable, kev = kev + excluded.kev;
END;
CREATE TRIGGER scan_vuln_counts_delete AFTER DELETE ON scan_vulns WHEN OLD.cve <> ''
BEGIN
	UPDATE scan_vuln_counts SET total = total - 1, fixable = fixable - (OLD.state = 'fixable'),
		kev = kev - EXISTS (SELECT 1 FROM vuln_kev WHERE cve = OLD.cve)
		WHERE scan_id = OLD.scan_id;
END;
-- INSERT OR REPLACE of a listed CVE deletes the old row without a DELETE
-- trigger: take it off first so that the AFTER INSERT adds it once.
CREATE TRIGGER scan_vuln_counts_kev_replace BEFORE INSERT ON vuln_kev
	WHEN EXISTS (SELECT 1 FROM vuln_kev WHERE cve = NEW.cve)
BEGIN
	UPDATE scan_vuln_counts SET kev = kev - (SELECT count(*) FROM scan_vulns v
		WHERE v.cve = NEW.cve AND v.scan_id = scan_vuln_counts.scan_id)
		WHERE scan_id IN (SELECT scan_id FROM scan_vulns WHERE cve = NEW.cve);
END;
CREATE TRIGGER scan_vuln_counts_kev_insert AFTER INSERT ON vuln_kev
BEGIN
	UPDATE scan_vuln_counts SET kev = kev + (SELECT count(*) FROM scan_vulns v
		WHERE v.cve = NEW.cve AND v.scan_id = scan_vuln_counts.scan_id)
		WHERE scan_id IN (SELECT scan_id FROM scan_vulns WHERE cve = NEW.cve);
END;
CREATE TRIGGER scan_vuln_counts_kev_delete AFTER DELETE ON vuln_kev
BEGIN
	UPDATE scan_vuln_counts SET kev = kev - (SELECT count(*) FROM scan_vulns v
		WHERE v.cve = OLD.cve AND v.scan_id = scan_vuln_counts.scan_id)
		WHERE scan_id IN (SELECT scan_id FROM scan_vulns WHERE cve = OLD.cve);
END;
