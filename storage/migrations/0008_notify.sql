-- 0008: notification channels (e-mail, Slack, Teams, LINE, Chatwork, a
-- generic webhook) and what was sent where. A delivery row per (channel,
-- alert) is what makes an alert go out once per channel: retried with
-- backoff while it fails, never again after it succeeded.
CREATE TABLE notify_channels (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('smtp','slack','teams','line','chatwork','webhook')),
	target TEXT NOT NULL,            -- webhook URL, mail address, LINE user/group id, Chatwork room id
	server TEXT NOT NULL DEFAULT '', -- smtp://host:port, or another API base URL (LINE, Chatwork)
	sender TEXT NOT NULL DEFAULT '', -- e-mail From address
	username TEXT NOT NULL DEFAULT '', -- SMTP login
	secret TEXT NOT NULL DEFAULT '', -- token, SMTP password or HMAC key
	lang TEXT NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja','en')),
	min_severity INTEGER NOT NULL DEFAULT 3 CHECK (min_severity BETWEEN 0 AND 4),
	quiet_start INTEGER NOT NULL DEFAULT -1, -- minute of the local day; -1: no quiet hours
	quiet_end INTEGER NOT NULL DEFAULT -1,
	quiet_critical INTEGER NOT NULL DEFAULT 0, -- 1: hold critical alerts in quiet hours too
	utc_offset_min INTEGER NOT NULL DEFAULT 540, -- the recipient's local time (Japan: +09:00)
	digest_at INTEGER NOT NULL DEFAULT -1, -- minute of the local day of the daily digest; -1: at once
	after_alert_id INTEGER NOT NULL DEFAULT 0, -- alerts raised before the channel existed are not sent
	last_digest INTEGER NOT NULL DEFAULT 0, -- unix milliseconds
	created_at INTEGER NOT NULL,     -- unix milliseconds
	UNIQUE (tenant_id, name)
);

CREATE TABLE notify_deliveries (
	id INTEGER PRIMARY KEY,
	channel_id INTEGER NOT NULL REFERENCES notify_channels(id) ON DELETE CASCADE,
	alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
	-- pending: to send; sent: done; skipped: resolved before it went out;
	-- failed: gave up after the last retry (reported)
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','skipped','failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL DEFAULT 0, -- unix milliseconds: not before
	done_at INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	UNIQUE (channel_id, alert_id)
);
CREATE INDEX notify_deliveries_due ON notify_deliveries(channel_id, state, next_at);
