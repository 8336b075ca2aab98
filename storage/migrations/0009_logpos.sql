-- 0009: where each live log input was read up to (mamori logs follow /
-- listen), so a restart neither misses nor repeats lines.
-- A file is recognised by device + inode and a SHA-256 of its first
-- head_len bytes (inodes are reused after deletion); offset is the byte
-- after the last whole line handed to the detections. The journal keeps
-- its sd_journal cursor instead.
CREATE TABLE log_positions (
	input TEXT PRIMARY KEY,          -- "file:/var/log/auth.log", "journal:", "journal:DIR"
	dev INTEGER NOT NULL DEFAULT 0,
	inode INTEGER NOT NULL DEFAULT 0,
	offset INTEGER NOT NULL DEFAULT 0,
	head_len INTEGER NOT NULL DEFAULT 0,
	head_hash BLOB,                  -- SHA-256 of the first head_len bytes
	cursor TEXT NOT NULL DEFAULT '', -- journal cursor
	updated_at INTEGER NOT NULL      -- unix seconds
) WITHOUT ROWID;
