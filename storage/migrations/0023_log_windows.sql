-- 0023: the open correlation windows of a live log watch (brute force,
-- spraying, success after failures, alert suppression), checkpointed with
-- the read positions (log_positions), so an attack half-way through its
-- window when mamori restarts is still counted whole. Written whole at each
-- checkpoint (at most a few thousand rows); what a restart finds closed is
-- dropped when it is read.
CREATE TABLE log_window_scopes (
	scope TEXT PRIMARY KEY,          -- which watch: a hash of its inputs
	clock_ms INTEGER NOT NULL,       -- the detections' clock (newest event time, unix ms)
	saved_at INTEGER NOT NULL        -- unix seconds
) WITHOUT ROWID;
CREATE TABLE log_windows (
	scope TEXT NOT NULL REFERENCES log_window_scopes(scope) ON DELETE CASCADE,
	tbl INTEGER NOT NULL,            -- which correlation table of the detections
	key INTEGER NOT NULL,            -- the window's key (hash of rule / service + address)
	active_ms INTEGER NOT NULL,      -- its newest hit or alert
	data BLOB NOT NULL,              -- the window as detection/window.c encodes it
	PRIMARY KEY (scope, tbl, key)
) WITHOUT ROWID;
