-- 0015: listing alerts newest first without sorting them all. Without an
-- index on (tenant_id, id) SQLite read every alert of the tenant through
-- alerts_recent and sorted them (250-340 ms for 200,000 alerts in
-- bench/dashboard.sh); with it, the newest are walked first and the LIMIT
-- stops the walk (about 2 ms for 100 open alerts among 200,000).
CREATE INDEX alerts_list ON alerts(tenant_id, id);
