-- 0003: file integrity baselines (mamori fim init / check).
-- One root per watched path; its entries are replaced as a whole by
-- "fim init". Paths are BLOBs: file names are bytes, not always UTF-8.
CREATE TABLE fim_roots (
	id INTEGER PRIMARY KEY,
	path BLOB NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,     -- unix seconds
	entries INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE fim_entries (
	root_id INTEGER NOT NULL REFERENCES fim_roots(id) ON DELETE CASCADE,
	path BLOB NOT NULL,
	type TEXT NOT NULL,              -- file, dir, symlink, fifo, ...
	state TEXT NOT NULL,             -- ok, unreadable, vanished, changing
	err INTEGER NOT NULL DEFAULT 0,  -- errno behind a non-ok state
	size INTEGER NOT NULL,
	mode INTEGER NOT NULL,           -- permission bits incl. setuid
	uid INTEGER NOT NULL,
	gid INTEGER NOT NULL,
	mtime_ns INTEGER NOT NULL,
	inode INTEGER NOT NULL,
	hash BLOB,                       -- SHA-256 of content / link target
	link BLOB,                       -- symlink target
	PRIMARY KEY (root_id, path)
) WITHOUT ROWID;
