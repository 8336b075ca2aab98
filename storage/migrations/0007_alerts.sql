-- 0007: alerts from every engine (logs, files, network, scans, agents) and
-- what people did with them. An alert that repeats while still open is one
-- row with a count, so a brute-force run is one card and one notification,
-- not thousands; the timeline keeps every step.
CREATE TABLE alerts (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	host_name TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL,            -- logs, fim, sensor, scan, agent
	rule_id TEXT NOT NULL,
	severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 4),  -- info..critical
	first_ts INTEGER NOT NULL,       -- unix milliseconds
	last_ts INTEGER NOT NULL,
	count INTEGER NOT NULL DEFAULT 1,
	source_ip TEXT NOT NULL DEFAULT '',
	user_name TEXT NOT NULL DEFAULT '',
	message TEXT NOT NULL DEFAULT '',
	dedup_key TEXT NOT NULL,         -- rule, host, source address, user
	state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new','acknowledged','resolved')),
	body TEXT NOT NULL               -- the first occurrence's alert JSON (with its ja/en text)
);
CREATE INDEX alerts_recent ON alerts(tenant_id, last_ts DESC);
CREATE INDEX alerts_open ON alerts(tenant_id, dedup_key, state);

CREATE TABLE alert_timeline (
	id INTEGER PRIMARY KEY,
	alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
	at INTEGER NOT NULL,             -- unix milliseconds
	kind TEXT NOT NULL CHECK (kind IN ('raised','acknowledged','resolved','reopened','notified','note')),
	actor TEXT NOT NULL DEFAULT '',  -- user name, or the engine
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_timeline_alert ON alert_timeline(alert_id, id);
