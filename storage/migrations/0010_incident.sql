-- 0010: incidents (IPA's three steps: 検知・初動対応, 報告・公表,
-- 復旧・再発防止), the contacts a company writes down before it needs them,
-- and each incident's checklist, evidence, reports to authorities and
-- timeline. Edits touch one field or one checklist item at a time, so two
-- people working on the same incident do not overwrite each other.
CREATE TABLE incidents (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	kind TEXT NOT NULL,              -- ransomware, malware, leak, outage, defacement, other
	title TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','closed')),
	step TEXT NOT NULL DEFAULT 'detect' CHECK (step IN ('detect','report','recover')),
	alert_id INTEGER REFERENCES alerts(id) ON DELETE SET NULL,
	discovered_at INTEGER NOT NULL,  -- unix seconds the company learnt of it: deadlines count from here
	opened_at INTEGER NOT NULL,
	closed_at INTEGER,
	opened_by TEXT NOT NULL DEFAULT '',
	w_when TEXT NOT NULL DEFAULT '',   -- 5W1H: いつ
	w_where TEXT NOT NULL DEFAULT '',  -- どこで
	w_who TEXT NOT NULL DEFAULT '',    -- 誰が
	w_what TEXT NOT NULL DEFAULT '',   -- 何を
	w_why TEXT NOT NULL DEFAULT '',    -- なぜ
	w_how TEXT NOT NULL DEFAULT '',    -- どうしたか
	ppc_cases INTEGER NOT NULL DEFAULT 0 CHECK (ppc_cases BETWEEN 0 AND 15), -- bit set of the four PPC cases
	ppc_encrypted INTEGER NOT NULL DEFAULT 0 CHECK (ppc_encrypted IN (0, 1))
);
CREATE INDEX incidents_tenant ON incidents(tenant_id, state, id);

CREATE TABLE incident_checks (
	incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	item TEXT NOT NULL,              -- playbook item id, e.g. detect.contain
	done_at INTEGER NOT NULL,
	done_by TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (incident_id, item)
);

CREATE TABLE incident_reports (
	incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	authority TEXT NOT NULL,         -- ipa, police, jpcert, ppc_prelim, ppc_final, ministry
	reported_at INTEGER NOT NULL,
	reported_by TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (incident_id, authority)
);

CREATE TABLE incident_evidence (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	added_at INTEGER NOT NULL,
	added_by TEXT NOT NULL DEFAULT '',
	what TEXT NOT NULL,              -- e.g. "sshd log of server1"
	location TEXT NOT NULL DEFAULT '', -- where it is kept
	sha256 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_evidence_incident ON incident_evidence(incident_id, id);

CREATE TABLE incident_timeline (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	at INTEGER NOT NULL,             -- unix seconds
	kind TEXT NOT NULL,              -- opened, step, check, uncheck, field, ppc, report, evidence, note, closed, reopened
	actor TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_timeline_incident ON incident_timeline(incident_id, id);

CREATE TABLE contacts (
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	role TEXT NOT NULL,              -- lead, provider, insurer, vendor, police, other
	name TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (tenant_id, role)
);
