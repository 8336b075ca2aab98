#!/usr/bin/env python3
"""gen_dashboard_db.py DB EVENTS [HOSTS] - grows a database that holds one real
`mamori scan` into a large one for bench/dashboard.sh: HOSTS computers (default
100) with 10 stored scans each (the real report, findings copied, scores
varied), a vulnerability scan of 200 CVEs per computer with CVE/KEV/EPSS data,
200,000 alerts with timelines, HOSTS agents and EVENTS intake events (the issue
asks for 10 million). Writes through sqlite3 in large transactions."""
import json
import random
import sqlite3
import sys
import time

db_path, events = sys.argv[1], int(sys.argv[2])
hosts = int(sys.argv[3]) if len(sys.argv) > 3 else 100
rnd = random.Random(6)
db = sqlite3.connect(db_path)
db.execute("PRAGMA synchronous = OFF")
now = int(time.time())

sid, host_id, report, root = db.execute(
    "SELECT id, host_id, report_json, root FROM scans WHERE report_json IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
findings = db.execute("SELECT check_id, kajo, severity, title, detail, action, evidence_json, text_json "
                      "FROM findings WHERE scan_id = ?", (sid,)).fetchall()
hostname = db.execute("SELECT hostname FROM hosts WHERE id = ?", (host_id,)).fetchone()[0]

db.execute("BEGIN")
latest = []
for h in range(hosts):
    if h == 0:
        hid = host_id
    else:
        hid = db.execute("INSERT INTO hosts (tenant_id, host_key, hostname, first_seen, last_seen) "
                         "VALUES (1, ?, ?, ?, ?)", (f"bench-{h}", f"{hostname}-{h:03d}", now - 86400 * 30,
                                                    now - rnd.randint(0, 3600))).lastrowid
    for k in range(10 if h else 9):
        t = now - 86400 * (10 - k) + h
        s = db.execute("INSERT INTO scans (host_id, started_at, duration_ms, root, score, report_json) "
                       "VALUES (?, ?, 500, ?, ?, ?)", (hid, t, root, rnd.randint(40, 95), report)).lastrowid
        db.executemany("INSERT INTO findings (scan_id, check_id, kajo, severity, title, detail, action, "
                       "evidence_json, text_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [(s,) + tuple(f) for f in findings])
    latest.append(s)
db.execute("COMMIT")

db.execute("BEGIN")
cves = [f"CVE-2024-{10000 + i}" for i in range(2000)]
db.executemany("INSERT OR REPLACE INTO vuln_cve (cve, cvss, severity) VALUES (?, ?, ?)",
               [(c, rnd.uniform(2, 10), "high") for c in cves])
db.executemany("INSERT OR REPLACE INTO vuln_cve_text (cve, description) VALUES (?, ?)",
               [(c, "A flaw in a library lets a remote attacker run code.") for c in cves])
db.executemany("INSERT OR REPLACE INTO vuln_kev (cve, name, date_added, due_date, ransomware, required_action) "
               "VALUES (?, 'bench', '2024-01-01', '2024-01-22', ?, 'Apply updates')",
               [(c, i % 3 == 0) for i, c in enumerate(cves[:40])])
db.executemany("INSERT OR REPLACE INTO vuln_epss (cve, epss, percentile) VALUES (?, ?, ?)",
               [(c, rnd.random(), rnd.random()) for c in cves])
for s in latest:
    rows = [(s, "", "", "checked")] + [(s, c, f"pkg{rnd.randint(0, 300)}", rnd.choice(["fixable", "unfixed", "minor"]))
                                       for c in rnd.sample(cves, 200)]
    db.executemany("INSERT INTO scan_vulns (scan_id, cve, package, state) VALUES (?, ?, ?, ?)", rows)
db.execute("COMMIT")

db.execute("BEGIN")
body = json.dumps({"event.kind": "alert", "rule.id": "mamori.auth.bruteforce", "severity": "high",
                   "message": "many failed logins", "mamori.text": {
                       "en": {"what": "Someone is guessing passwords", "why": "x", "action": "Block the address"},
                       "ja": {"what": "パスワードを推測されています", "why": "x", "action": "送信元を遮断してください"}}})
sevs = [0, 1, 2, 3, 4]
for i in range(0, 200000, 10000):
    rows = []
    for j in range(i, i + 10000):
        ts = (now - 86400 * 60) * 1000 + j * 25000
        rows.append((f"{hostname}-{j % hosts:03d}", "logs", "mamori.auth.bruteforce", rnd.choice(sevs), ts, ts,
                     1 + j % 7, f"198.51.100.{j % 250}", "", "many failed logins", f"k{j}",
                     "new" if j % 20 == 0 else "resolved", body))
    cur = db.executemany("INSERT INTO alerts (tenant_id, host_name, source, rule_id, severity, first_ts, last_ts, count, "
                         "source_ip, user_name, message, dedup_key, state, body) VALUES "
                         "(1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
db.execute("INSERT INTO alert_timeline (alert_id, at, kind, actor) SELECT id, first_ts, 'raised', 'logs' FROM alerts")
db.execute("COMMIT")

db.execute("BEGIN")
for a in range(hosts):
    db.execute("INSERT INTO agents (tenant_id, kind, name, hostname, secret_hash, enrolled_at, last_seen, acked_seq) "
               "VALUES (1, 'agent', ?, ?, zeroblob(32), ?, ?, ?)", (f"agent-{a}", f"{hostname}-{a:03d}", now - 86400,
                                                                    now, events // hosts))
agent_ids = [r[0] for r in db.execute("SELECT id FROM agents")]
ev = '{"event.kind":"event","event.category":"authentication","message":"Accepted publickey for backup from 192.0.2.10"}'
done = 0
while done < events:
    n = min(200000, events - done)
    db.executemany("INSERT INTO events (tenant_id, agent_id, seq, kind, ts, received_at, body) VALUES (1, ?, ?, ?, ?, ?, ?)",
                   ((agent_ids[i % hosts], i // hosts + 1, "event" if i % 50 else "alert", now - (events - i) // 100,
                     now, ev) for i in range(done, done + n)))
    done += n
db.execute("COMMIT")
print(f"{hosts} hosts x 10 scans, {len(findings)} findings per scan, 200 CVEs per host, "
      f"200000 alerts, {events} events")
