-- 0025: the newest statistics of each network sensor (its EVE "stats"
-- events: capture drops, decoder anomalies, flows, alerts), one row per
-- tenant and sensor host; updated_at is unix milliseconds.
CREATE TABLE sensor_stats (
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	sensor TEXT NOT NULL,              -- host name of the sensor
	updated_at INTEGER NOT NULL,
	stats_json TEXT NOT NULL,          -- the event's "stats" object
	PRIMARY KEY (tenant_id, sensor)
);
