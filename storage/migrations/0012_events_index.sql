-- 0012: events keep only the index intake needs, UNIQUE (agent_id, seq).
-- events_tenant (tenant_id, kind, id) cost about a quarter of the insert
-- rate (bench/intake.sh) and no query uses it yet; reads by tenant go
-- through the tenant's agents and that unique index. A dashboard query that
-- needs another index adds it with its own migration.
DROP INDEX IF EXISTS events_tenant;
