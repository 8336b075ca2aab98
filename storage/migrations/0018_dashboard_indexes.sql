-- 0018: indexes for the dashboard's lists (measured by bench/dashboard.sh).
-- Each host's newest scan by start time straight from an index: with only
-- scans(host_id, id) SQLite read and sorted every scan row of the host (rows
-- that sit beside ~300 KB reports) for hosts, findings and vulnerabilities.
CREATE INDEX scans_host_started ON scans(host_id, started_at DESC, id DESC);
-- A scan's vulnerabilities with their state in the index: the fix-first order
-- and the counts read no table row per vulnerability (40 -> 25 ms and
-- 13 -> 7 ms of CPU for 100 hosts x 200 CVEs). It replaces the index
-- without state, of which it is an extension.
CREATE INDEX scan_vulns_scan_state ON scan_vulns(scan_id, cve, package, state);
DROP INDEX scan_vulns_scan;
