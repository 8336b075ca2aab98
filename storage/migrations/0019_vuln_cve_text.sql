-- CVE descriptions apart from the scores. A vulnerability scan looks up the
-- score and severity of every matched CVE; with the description in the same
-- rows those lookups read about 1,700 scattered 16 KiB pages (2,800 reads)
-- per scan of a 3,000-package host. Only JSON and SARIF reports print the
-- text, and they read it afterwards in CVE order. vuln_cve keeps only CVEs
-- that have a score or severity.
CREATE TABLE vuln_cve_text (
	cve TEXT PRIMARY KEY,
	description TEXT
) WITHOUT ROWID;
INSERT INTO vuln_cve_text (cve, description) SELECT cve, description FROM vuln_cve;
DELETE FROM vuln_cve WHERE cvss IS NULL AND severity IS NULL;
ALTER TABLE vuln_cve DROP COLUMN description;
