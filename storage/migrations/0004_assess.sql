-- 0004: the owner's self-assessment (5分でできる情報セキュリティ自社診断),
-- its history, and the state of the basic security policy (SECURITY ACTION ★★).
-- Answers are never updated in place: every answer the owner gives is a new
-- row, so two people answering at once lose nothing and the latest wins.
CREATE TABLE assessments (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL DEFAULT 1 REFERENCES tenants(id),
	created_at INTEGER NOT NULL,     -- unix seconds
	scan_id INTEGER,                 -- newest scan used as evidence; scans are pruned, so no FK
	total INTEGER NOT NULL CHECK (total BETWEEN -25 AND 100),
	answered INTEGER NOT NULL CHECK (answered BETWEEN 0 AND 25),
	band TEXT NOT NULL,              -- entry, incomplete, insufficient, urgent, unfinished
	doc_json TEXT NOT NULL           -- the --json document at that time
);
CREATE INDEX assessments_tenant ON assessments(tenant_id, id);

CREATE TABLE assessment_answers (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL DEFAULT 1 REFERENCES tenants(id),
	assessment_id INTEGER REFERENCES assessments(id) ON DELETE SET NULL,
	item_no INTEGER NOT NULL CHECK (item_no BETWEEN 1 AND 25),
	answer INTEGER CHECK (answer IN (4, 2, 0, -1)), -- NULL: back to the evidence
	answered_at INTEGER NOT NULL,
	answered_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assessment_answers_item ON assessment_answers(tenant_id, item_no, id);

CREATE TABLE security_policy (
	tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id),
	drafted_at INTEGER,              -- last draft written by mamori
	draft_path TEXT,
	published_at INTEGER,            -- the owner says it is published
	published_where TEXT             -- URL or place (notice board, intranet)
);
