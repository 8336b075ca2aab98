-- 0011: OSV records whose affected package has several ranges (several
-- fixed versions, e.g. one per upstream branch) or an explicit version
-- list. vuln_pkg.fixed_version alone cannot say which fix applies to the
-- installed version, so such rows keep their events here, encoded by
-- vuln/feed_osv.c; NULL for the usual single "introduced 0, fixed X".
ALTER TABLE vuln_pkg ADD COLUMN ranges TEXT;
