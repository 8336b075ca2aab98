-- 0024: the open windows of Sigma correlation rules (event_count,
-- value_count, temporal) of a live log watch, checkpointed with the
-- built-in windows (0023) and the read positions, so a brute force that a
-- restart splits is still counted whole. Written whole at each checkpoint,
-- the most recently used first (n = 0), at most a few thousand rows; what
-- is closed or belongs to a rule that changed is dropped when read.
CREATE TABLE sigma_windows (
	scope TEXT NOT NULL REFERENCES log_window_scopes(scope) ON DELETE CASCADE,
	n INTEGER NOT NULL,              -- 0 = the most recently used group
	rule TEXT NOT NULL,              -- the correlation rule's id
	last_ms INTEGER NOT NULL,        -- the group's newest event time (unix ms)
	data BLOB NOT NULL,              -- the group as detection/sigma_state.c encodes it
	PRIMARY KEY (scope, n)
) WITHOUT ROWID;
