/*
 * t_evtx.c - the EVTX parser and BinXML walker: the EVTX-ATTACK-SAMPLES
 * files (event ids, counts, users, services as their provenance rows
 * state), python-evtx's evtx_dump as an oracle for every record (record
 * id, event id, timestamp), value rendering, hand-built BinXML (templates,
 * nested BinXML, references, a self-referencing template) and corrupt or
 * truncated files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"
#include "detection/binxml.h"
#include "detection/evtx.h"
#include "tests/tap.h"

static char *
load(const char *name, size_t *len)
{
	char path[512];
	const char *dir = getenv("MAMORI_TEST_DATA");
	snprintf(path, sizeof(path), "%s/logs/windows/%s", dir ? dir : "tests/data", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(2 << 20);
	*len = buf ? fread(buf, 1, 2 << 20, f) : 0;
	fclose(f);
	return buf;
}

/* What the tests look at, per record. */
#define MAXREC 256
struct rec {
	char id[8];
	char user[64];
	char text[512];		/* "key=value;" of selected fields */
	long long ts;
	unsigned long long recid;
};

struct got {
	struct rec r[MAXREC];
	size_t n;
	int stop_after;		/* return 7 after this many records (0 = never) */
};

static void
field(const struct event *ev, const char *key, char *out, size_t cap)
{
	struct span v;
	if (event_get(ev, key, &v))
		snprintf(out, cap, "%.*s", (int)v.len, v.p);
	else
		out[0] = '\0';
}

static int
collect(void *ctx, const struct event *ev)
{
	struct got *g = ctx;
	static const char *const keys[] = {
		"winlog.channel", "winlog.provider_name", "host.name", "winlog.logon.type",
		"event.outcome", "event.action", "source.ip", "service.name", "process.executable",
		"group.name", "user.id", "user.changes.by", "winlog.event_data.Status",
		"winlog.event_data.LogonProcessName", "winlog.user_data.SubjectUserName",
	};
	char v[256];
	if (g->n == MAXREC)
		return 0;
	struct rec *r = &g->r[g->n++];
	memset(r, 0, sizeof(*r));
	field(ev, "winlog.event_id", r->id, sizeof(r->id));
	field(ev, "user.name", r->user, sizeof(r->user));
	field(ev, "winlog.record_id", v, sizeof(v));
	r->recid = strtoull(v, NULL, 10);
	r->ts = ev->ts_ms;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		field(ev, keys[i], v, sizeof(v));
		size_t at = strlen(r->text);
		if (v[0])
			snprintf(r->text + at, sizeof(r->text) - at, "%s=%s;", keys[i], v);
	}
	if (!ev->decoder || strcmp(ev->decoder, "windows") != 0)
		g->n = MAXREC;	/* shows up as a wrong count */
	return g->stop_after && (int)g->n == g->stop_after ? 7 : 0;
}

static int
read_buf(const void *buf, size_t len, struct got *g, struct evtx_stats *st)
{
	struct arena a;
	arena_init(&a, 8 << 20);
	g->n = 0;
	int r = evtx_read(buf, len, &a, collect, g, st);
	arena_release(&a);
	return r;
}

static size_t
count(const struct got *g, const char *id, const char *user, const char *text)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n; i++)
		if ((!id || strcmp(g->r[i].id, id) == 0) && (!user || strcmp(g->r[i].user, user) == 0) &&
		    (!text || strstr(g->r[i].text, text)))
			n++;
	return n;
}

static struct got g;	/* large: not on the stack */

static void
test_samples(void)
{
	struct evtx_stats st;
	size_t len;
	char *buf;

	buf = load("CA_4624_4625_LogonType2_LogonProc_chrome.evtx", &len);
	ok(buf != NULL, "sample CA_4624_4625 present");
	if (buf) {
		is_int(read_buf(buf, len, &g, &st), 0, "4624/4625: read");
		is_int(g.n, 4, "4624/4625: 4 records");
		is_int(count(&g, "4624", NULL, NULL), 3, "3x 4624");
		is_int(count(&g, "4625", "IEUser", "event.outcome=failure;"), 1, "1x 4625 failure for IEUser");
		is_int(count(&g, NULL, "IEUser", "host.name=MSEDGEWIN10;winlog.logon.type=2;"), 3,
		    "IEUser: 3 interactive (type 2) logons on MSEDGEWIN10");
		is_int(count(&g, "4625", NULL, "winlog.event_data.Status=0xc000006d;"), 1,
		    "4625 status 0xc000006d");
		is_int(count(&g, NULL, "IEUser", "LogonProcessName=Chrome;"), 3,
		    "unusual logon process Chrome");
		is_int(count(&g, NULL, NULL, "winlog.channel=Security;winlog.provider_name="
		    "Microsoft-Windows-Security-Auditing;"), 4, "channel and provider");
		is_int(g.r[0].recid, 1, "first record id");
		is_int(g.r[0].ts, 1599657503627LL, "first record @timestamp (TimeCreated, ms)");
		is_int(st.chunks, 1, "one chunk");
		is_int(st.bad_chunks + st.bad_records + st.dropped_fields, 0, "no anomalies");
		ok(!st.bad_header && !st.truncated, "header CRC ok, not truncated");
		free(buf);
	}

	buf = load("DE_1102_security_log_cleared.evtx", &len);
	ok(buf != NULL, "sample DE_1102 present");
	if (buf) {
		is_int(read_buf(buf, len, &g, &st), 0, "1102: read");
		is_int(g.n, 112, "1102: 112 records");
		is_int(count(&g, "4663", NULL, NULL), 110, "110x 4663");
		is_int(count(&g, "5156", NULL, NULL), 1, "1x 5156");
		is_int(count(&g, "1102", "user01", "event.action=audit-log-cleared;"), 1,
		    "1x 1102 log cleared by user01 (UserData)");
		is_int(count(&g, "1102", NULL, "winlog.user_data.SubjectUserName=user01;"), 1,
		    "UserData kept as winlog.user_data.*");
		is_int(st.chunks, 17, "17 chunk slots");
		is_int(st.empty_chunks, 15, "15 unused");
		is_int(st.bad_chunks + st.bad_records, 0, "no anomalies");
		free(buf);
	}

	buf = load("LM_Remote_Service02_7045.evtx", &len);
	ok(buf != NULL, "sample LM_7045 present");
	if (buf) {
		is_int(read_buf(buf, len, &g, &st), 0, "7045: read");
		is_int(g.n, 3, "7045: 3 records");
		is_int(count(&g, "7045", "LocalSystem", "winlog.channel=System;winlog.provider_name="
		    "Service Control Manager;"), 3, "3x 7045 by the SCM, as LocalSystem");
		is_int(count(&g, "7045", NULL, "service.name=remotesvc;process.executable=calc.exe;"), 1,
		    "remotesvc -> calc.exe");
		is_int(count(&g, "7045", NULL, "service.name=spoolsv;process.executable=cmd.exe;"), 1,
		    "spoolsv -> cmd.exe");
		is_int(count(&g, "7045", NULL, "service.name=spoolfool;process.executable=cmd.exe;"), 1,
		    "spoolfool -> cmd.exe");
		is_int(count(&g, NULL, NULL, "event.action=service-installed;"), 3, "service-installed");
		free(buf);
	}

	buf = load("Network_Service_Guest_added_to_admins_4732.evtx", &len);
	ok(buf != NULL, "sample 4732 present");
	if (buf) {
		is_int(read_buf(buf, len, &g, &st), 0, "4732: read");
		is_int(g.n, 2, "4732: 2 records");
		is_int(count(&g, "4732", NULL, "group.name=Administrators;user.id=S-1-5-20;"
		    "user.changes.by=IEUser;"), 1, "NETWORK SERVICE (S-1-5-20) added by IEUser");
		is_int(count(&g, "4732", NULL, "group.name=Administrators;user.id=S-1-5-21-3461203602-"
		    "4096304019-2269080069-501;user.changes.by=IEUser;"), 1, "Guest (RID 501) added by IEUser");
		is_int(count(&g, NULL, NULL, "event.action=added-member-to-group;"), 2, "added-member-to-group");
		free(buf);
	}

	buf = load("kerberos_pwd_spray_4771.evtx", &len);
	ok(buf != NULL, "sample 4771 present");
	if (buf) {
		static const char *const users[] = { "HD01", "HD02", "admin", "bob", "normal", "svc-01", "svc-02" };
		is_int(read_buf(buf, len, &g, &st), 0, "4771: read");
		is_int(g.n, 12, "4771: 12 records");
		is_int(count(&g, "4768", NULL, NULL), 9, "9x 4768");
		is_int(count(&g, "4771", NULL, NULL), 2, "2x 4771");
		is_int(count(&g, "1102", NULL, NULL), 1, "1x 1102");
		is_int(count(&g, NULL, NULL, "source.ip=172.16.66.1;"), 11, "all from 172.16.66.1");
		is_int(count(&g, NULL, NULL, "Status=0x6;"), 7, "status 0x6 x7");
		is_int(count(&g, NULL, NULL, "Status=0x18;"), 2, "status 0x18 x2");
		size_t seen = 0;
		for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++)
			seen += count(&g, NULL, users[i], NULL) > 0;
		is_int(seen, 7, "users HD01 HD02 admin bob normal svc-01 svc-02");
		ok(g.r[g.n - 1].ts - g.r[1].ts < 9000, "within 9 s");
		free(buf);
	}
}

/* Runs python-evtx on a sample: "record_id event_id ms" per line. */
static const char oracle_py[] =
	"import re, sys, datetime\n"
	"import Evtx.Evtx as E\n"
	"ep = datetime.datetime(1970, 1, 1)\n"
	"with E.Evtx(sys.argv[1]) as log:\n"
	"    for r in log.records():\n"
	"        x = r.xml()\n"
	"        eid = re.search(r'<EventID[^>]*>(\\d+)</EventID>', x).group(1)\n"
	"        st = re.search(r'<TimeCreated SystemTime=\"([^\"]+)\"', x).group(1)\n"
	"        t = datetime.datetime.fromisoformat(st)\n"
	"        print(r.record_num(), eid, (t - ep) // datetime.timedelta(milliseconds=1))\n";

static int
oracle(const char *path, char *out, size_t cap)
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl("/usr/bin/python3", "python3", "-c", oracle_py, path, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	size_t n = 0;
	ssize_t k;
	while (n + 1 < cap && (k = read(fd[0], out + n, cap - 1 - n)) > 0)
		n += (size_t)k;
	out[n] = '\0';
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
test_oracle(void)
{
	static const char *const samples[] = {
		"CA_4624_4625_LogonType2_LogonProc_chrome.evtx", "CA_DCSync_4662.evtx",
		"DE_1102_security_log_cleared.evtx", "LM_Remote_Service02_7045.evtx",
		"LM_renamed_psexecsvc_5145.evtx", "Network_Service_Guest_added_to_admins_4732.evtx",
		"kerberos_pwd_spray_4771.evtx", "sysmon_10_lsass_mimikatz_sekurlsa_logonpasswords.evtx",
		"temp_scheduled_task_4698_4699.evtx",
	};
	static char want[64 * 1024], have[64 * 1024];
	char path[512];
	const char *dir = getenv("MAMORI_TEST_DATA");
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		snprintf(path, sizeof(path), "%s/logs/windows/%s", dir ? dir : "tests/data", samples[i]);
		int rc = oracle(path, want, sizeof(want));
		if (rc != 0) {
			printf("ok %d # SKIP python3-evtx not usable (apt-get install python3-evtx): %s\n",
			    ++tap_state_.n, samples[i]);
			continue;
		}
		size_t len, at = 0;
		struct evtx_stats st;
		char *buf = load(samples[i], &len);
		if (!buf || read_buf(buf, len, &g, &st) != 0) {
			ok(false, "oracle: read %s", samples[i]);
			free(buf);
			continue;
		}
		have[0] = '\0';
		for (size_t j = 0; j < g.n; j++)
			at += (size_t)snprintf(have + at, sizeof(have) - at, "%llu %s %lld\n", g.r[j].recid,
			    g.r[j].id, g.r[j].ts);
		size_t lines = 0;
		for (const char *p = want; *p; p++)
			lines += *p == '\n';
		ok(strcmp(want, have) == 0 && lines == g.n && lines > 0,
		    "oracle python-evtx: %s: %zu records, same record ids, event ids, timestamps",
		    samples[i], lines);
		if (strcmp(want, have) != 0)
			printf("# want:\n%.400s# have:\n%.400s", want, have);
		free(buf);
	}
}

/* ---- rendering ---- */

static void
render(uint8_t type, const void *raw, size_t n, const char *want, const char *what)
{
	char mem[256];
	struct binxml_buf b = { mem, 0, sizeof(mem) };
	struct span t;
	char got[256] = "";
	int r = binxml_render(type, (struct span){ raw, n }, &b, &t);
	if (r == 0)
		snprintf(got, sizeof(got), "%.*s", (int)t.len, t.p);
	else
		snprintf(got, sizeof(got), "error %d", r);
	is_str(got, want, "render %s", what);
}

static void
test_render(void)
{
	/* "A" U+1F600 (surrogate pair) lone-high "é" NUL */
	static const unsigned char s16[] = { 'A', 0, 0x3d, 0xd8, 0x00, 0xde, 0x3d, 0xd8, 0xe9, 0, 0, 0 };
	render(BINXML_T_STRING, s16, sizeof(s16), "A\xf0\x9f\x98\x80\xef\xbf\xbd\xc3\xa9",
	    "UTF-16 with surrogates, trailing NUL");
	static const unsigned char ansi[] = { 'a', 0xe9, 0 };
	render(BINXML_T_ANSI, ansi, sizeof(ansi), "a\xc3\xa9", "ANSI as Latin-1");
	static const unsigned char m1[] = { 0xff };
	render(BINXML_T_INT8, m1, 1, "-1", "int8");
	render(BINXML_T_UINT8, m1, 1, "255", "uint8");
	static const unsigned char u64[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	render(BINXML_T_UINT64, u64, 8, "18446744073709551615", "uint64");
	render(BINXML_T_INT64, u64, 8, "-1", "int64");
	static const unsigned char h32[] = { 0x18, 0, 0, 0 };
	render(BINXML_T_HEXINT32, h32, 4, "0x18", "hexint32");
	render(BINXML_T_UINT32, h32, 4, "24", "uint32");
	render(BINXML_T_BOOL, h32, 4, "true", "bool");
	static const unsigned char h64[] = { 0, 0, 0, 0, 0, 0, 0x20, 0x80 };
	render(BINXML_T_HEXINT64, h64, 8, "0x8020000000000000", "hexint64");
	render(BINXML_T_SIZET, h32, 4, "0x18", "size_t (32-bit)");
	static const unsigned char guid[] = { 0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49,
	    0xa5, 0xba, 0x3e, 0x3b, 0x03, 0x28, 0xc3, 0x0d };
	render(BINXML_T_GUID, guid, 16, "{54849625-5478-4994-A5BA-3E3B0328C30D}", "GUID");
	/* 2020-09-09T13:18:23.6270000Z = 132441311036270000 */
	uint64_t ft = 132441311036270000ULL;
	unsigned char ftb[8];
	for (int i = 0; i < 8; i++)
		ftb[i] = (unsigned char)(ft >> (8 * i));
	render(BINXML_T_FILETIME, ftb, 8, "2020-09-09T13:18:23.6270000Z", "FILETIME");
	is_int(binxml_filetime_ms(ft), 1599657503627LL, "FILETIME to Unix ms");
	static const unsigned char st[] = { 0xe4, 0x07, 9, 0, 3, 0, 9, 0, 13, 0, 18, 0, 23, 0, 0x73, 0x02 };
	render(BINXML_T_SYSTIME, st, 16, "2020-09-09T13:18:23.627Z", "SYSTEMTIME");
	static const unsigned char sid[] = { 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0 };
	render(BINXML_T_SID, sid, sizeof(sid), "S-1-5-32-544", "SID");
	render(BINXML_T_SID, sid, 12, "error -3", "SID shorter than its count");
	static const unsigned char bin[] = { 0x00, 0xab, 0x10 };
	render(BINXML_T_BINARY, bin, 3, "00AB10", "binary");
	static const unsigned char arr[] = { 'a', 0, 0, 0, 'b', 0, 'c', 0, 0, 0 };
	render(BINXML_T_ARRAY | BINXML_T_STRING, arr, sizeof(arr), "a, bc", "string array");
	static const unsigned char a16[] = { 1, 0, 2, 0 };
	render(BINXML_T_ARRAY | BINXML_T_UINT16, a16, 4, "1, 2", "uint16 array");
	render(BINXML_T_ARRAY | BINXML_T_UINT16, a16, 3, "error -3", "uint16 array, odd size");
	double d = 1.5;
	unsigned char db[8];
	memcpy(db, &d, 8);
	render(BINXML_T_REAL64, db, 8, "1.5", "real64");
	render(BINXML_T_UINT32, h32, 3, "error -3", "uint32 of 3 bytes");

	char small[4];
	struct binxml_buf b = { small, 0, sizeof(small) };
	struct span t;
	is_int(binxml_render(BINXML_T_UINT64, (struct span){ (const char *)u64, 8 }, &b, &t),
	    MAMORI_E_LIMIT, "full buffer: limit, not overflow");
	is_int(b.len, 0, "full buffer: nothing half-written");
}

/* ---- hand-built BinXML ---- */

struct bb {
	unsigned char p[4096];
	size_t n;
};

static void
b8(struct bb *b, unsigned v)
{
	b->p[b->n++] = (unsigned char)v;
}

static void
b16(struct bb *b, unsigned v)
{
	b8(b, v & 0xff);
	b8(b, v >> 8 & 0xff);
}

static void
b32(struct bb *b, uint32_t v)
{
	b16(b, v & 0xffff);
	b16(b, v >> 16);
}

/* A name offset field followed by the inline name string. */
static void
bname(struct bb *b, const char *s)
{
	b32(b, (uint32_t)(b->n + 4));
	b32(b, 0);
	b16(b, 0);
	b16(b, (unsigned)strlen(s));
	for (const char *c = s; *c; c++)
		b16(b, (unsigned char)*c);
	b16(b, 0);
}

static void
bopen(struct bb *b, const char *name, bool attrs)
{
	b8(b, attrs ? 0x41 : 0x01);
	b16(b, 0xffff);
	b32(b, 0);
	bname(b, name);
	if (attrs)
		b32(b, 0);
}

static void
btext(struct bb *b, const char *s)
{
	b8(b, 0x05);
	b8(b, 0x01);
	b16(b, (unsigned)strlen(s));
	for (const char *c = s; *c; c++)
		b16(b, (unsigned char)*c);
}

struct xml {
	char s[1024];
	size_t n;
};

static void
xput(struct xml *x, const char *a, struct span s, const char *z)
{
	int k = snprintf(x->s + x->n, sizeof(x->s) - x->n, "%s%.*s%s", a, (int)s.len, s.p, z);
	if (k > 0 && (size_t)k < sizeof(x->s) - x->n)
		x->n += (size_t)k;
}

static void
x_open(void *ctx, struct span name)
{
	xput(ctx, "<", name, ">");
}

static void
x_attr(void *ctx, struct span name, const struct binxml_value *v)
{
	xput(ctx, "@", name, "=");
	xput(ctx, "", v->text, ";");
}

static void
x_text(void *ctx, const struct binxml_value *v)
{
	xput(ctx, "", v->text, "");
}

static void
x_close(void *ctx)
{
	xput(ctx, "</", (struct span){ "", 0 }, ">");
}

static const struct binxml_sink xsink = { x_open, x_attr, x_text, x_close };

static int
walk(struct bb *b, struct xml *x)
{
	static struct binxml_chunk ch;
	static char mem[64 * 1024];
	struct binxml_buf out = { mem, 0, sizeof(mem) };
	struct binxml_stats st = { 0, 0, 0 };
	x->n = 0;
	x->s[0] = '\0';
	binxml_chunk_init(&ch, b->p, b->n);
	return binxml_parse(&ch, 0, b->n, &out, &xsink, x, &st);
}

static void
test_binxml(void)
{
	struct bb b = { .n = 0 };
	struct xml x;

	/* <Ev a="v">hi&#x263a;&amp;</Ev> */
	b8(&b, 0x0f); b8(&b, 1); b8(&b, 1); b8(&b, 0);
	bopen(&b, "Ev", true);
	b8(&b, 0x06);
	bname(&b, "a");
	btext(&b, "v");
	b8(&b, 0x02);
	btext(&b, "hi");
	b8(&b, 0x08); b16(&b, 0x263a);
	b8(&b, 0x09); bname(&b, "amp");
	b8(&b, 0x04);
	b8(&b, 0x00);
	is_int(walk(&b, &x), 0, "plain fragment parses");
	is_str(x.s, "<Ev>@a=v;hi\xe2\x98\xba&</>", "element, attribute, text, char and entity refs");

	/* Template with an optional null substitution and a nested BinXML value. */
	b.n = 0;
	b8(&b, 0x0f); b8(&b, 1); b8(&b, 1); b8(&b, 0);
	b8(&b, 0x0c); b8(&b, 1); b32(&b, 42);
	uint32_t def = (uint32_t)(b.n + 4);
	b32(&b, def);
	b32(&b, 0);			/* next template */
	for (int i = 0; i < 16; i++)
		b8(&b, (unsigned)i);	/* GUID */
	size_t size_at = b.n;
	b32(&b, 0);			/* body size, patched below */
	size_t body = b.n;
	b8(&b, 0x0f); b8(&b, 1); b8(&b, 1); b8(&b, 0);
	bopen(&b, "E", true);
	b8(&b, 0x06); bname(&b, "t");
	b8(&b, 0x0d); b16(&b, 2); b8(&b, 0x08);	/* uint32 */
	b8(&b, 0x02);
	b8(&b, 0x0e); b16(&b, 0); b8(&b, 0x01);	/* optional, null: nothing */
	b8(&b, 0x0d); b16(&b, 1); b8(&b, 0x21);	/* nested BinXML */
	b8(&b, 0x04);
	b8(&b, 0x00);
	uint32_t blen = (uint32_t)(b.n - body);
	b.p[size_at] = (unsigned char)blen;
	b.p[size_at + 1] = (unsigned char)(blen >> 8);
	/* substitution values */
	struct bb nested = { .n = 0 };
	b32(&b, 3);
	b16(&b, 0); b8(&b, 0x00); b8(&b, 0);
	size_t nested_size_at = b.n;
	b16(&b, 0); b8(&b, 0x21); b8(&b, 0);
	b16(&b, 4); b8(&b, 0x08); b8(&b, 0);
	/* The nested fragment's inline names need chunk offsets: build in place. */
	size_t nested_at = b.n;
	(void)nested;
	b8(&b, 0x0f); b8(&b, 1); b8(&b, 1); b8(&b, 0);
	bopen(&b, "N", false);
	b8(&b, 0x02);
	btext(&b, "x");
	b8(&b, 0x04);
	b8(&b, 0x00);
	size_t nlen = b.n - nested_at;
	b.p[nested_size_at] = (unsigned char)nlen;
	b.p[nested_size_at + 1] = (unsigned char)(nlen >> 8);
	b32(&b, 4625);
	size_t tmpl_end = b.n;
	is_int(walk(&b, &x), 0, "template instance parses");
	is_str(x.s, "<E>@t=4625;<N>x</></>", "substitutions: typed, optional null dropped, nested BinXML");

	/* A second instance in the same chunk referring to the definition. */
	b8(&b, 0x0c); b8(&b, 1); b32(&b, 42); b32(&b, def);
	b32(&b, 3);
	b16(&b, 0); b8(&b, 0x00); b8(&b, 0);
	b16(&b, 0); b8(&b, 0x00); b8(&b, 0);
	b16(&b, 4); b8(&b, 0x08); b8(&b, 0);
	b32(&b, 7);
	is_int(walk(&b, &x), 0, "second instance by reference parses");
	is_str(x.s, "<E>@t=4625;<N>x</></><E>@t=7;</>",
	    "cached definition reused; a NULL value under a normal substitution is empty text");
	(void)tmpl_end;

	/* A template whose body instantiates itself: bounded, not a crash. */
	b.n = 0;
	b8(&b, 0x0f); b8(&b, 1); b8(&b, 1); b8(&b, 0);
	b8(&b, 0x0c); b8(&b, 1); b32(&b, 1);
	def = (uint32_t)(b.n + 4);
	b32(&b, def);
	b32(&b, 0);
	for (int i = 0; i < 16; i++)
		b8(&b, 0);
	b32(&b, 15);
	b8(&b, 0x0c); b8(&b, 1); b32(&b, 1); b32(&b, def); b32(&b, 0);	/* 14 bytes */
	b8(&b, 0x00);
	b32(&b, 0);
	is_int(walk(&b, &x), MAMORI_E_LIMIT, "self-instantiating template stops at the depth cap");

	/* Deep element nesting. */
	b.n = 0;
	for (int i = 0; i < 100 && b.n < 3000; i++) {
		bopen(&b, "d", false);
		b8(&b, 0x02);
	}
	is_int(walk(&b, &x), MAMORI_E_LIMIT, "100 nested elements stop at the depth cap");

	/* Every prefix of a valid fragment fails cleanly. */
	b.n = 0;
	b8(&b, 0x0f); b8(&b, 1); b8(&b, 1); b8(&b, 0);
	bopen(&b, "Ev", true);
	b8(&b, 0x06); bname(&b, "a"); btext(&b, "v");
	b8(&b, 0x02); btext(&b, "hi"); b8(&b, 0x04); b8(&b, 0x00);
	size_t full = b.n, bad = 0;
	for (size_t cut = 5; cut < full - 1; cut++) {
		b.n = cut;
		if (walk(&b, &x) == 0)
			bad++;
	}
	is_int(bad, 0, "all %zu truncations of a fragment are errors", full - 6);
}

/* ---- corrupt and truncated files ---- */

static void
test_corrupt(void)
{
	struct evtx_stats st;
	size_t len;
	char *buf = load("CA_4624_4625_LogonType2_LogonProc_chrome.evtx", &len);
	if (!ok(buf != NULL, "sample for corruption tests"))
		return;
	char *copy = malloc(len);
	if (!copy) {
		free(buf);
		return;
	}

	is_int(read_buf("ElfFilX", 8, &g, &st), MAMORI_E_PARSE, "not EVTX: refused");
	is_int(read_buf(buf, 2000, &g, &st), 0, "header cut: read");
	ok(st.truncated && g.n == 0, "header cut: truncated, no records");

	/* Cut inside the last record: the first three survive. */
	uint32_t free_off = (uint32_t)(unsigned char)buf[4096 + 48] | (uint32_t)(unsigned char)buf[4096 + 49] << 8;
	is_int(read_buf(buf, 4096 + free_off - 1, &g, &st), 0, "cut in the last record: read");
	is_int(g.n, 3, "cut in the last record: 3 intact records");
	ok(st.truncated && st.bad_chunks == 1, "cut: truncated, chunk counted bad");

	/* Header CRC broken (an unused header byte): records still read. */
	memcpy(copy, buf, len);
	copy[4096 + 60] ^= 0x55;
	is_int(read_buf(copy, len, &g, &st), 0, "chunk header CRC broken: read");
	ok(st.bad_chunks == 1 && g.n == 4, "chunk header CRC broken: counted, 4 records still read");

	/* A record's size field broken: the records before it survive. */
	memcpy(copy, buf, len);
	size_t r2 = 4096 + 512 + ((unsigned char)copy[4096 + 512 + 4] | (unsigned char)copy[4096 + 512 + 5] << 8);
	copy[r2 + 4] ^= 0x40;
	is_int(read_buf(copy, len, &g, &st), 0, "record size broken: read");
	ok(g.n == 1 && st.bad_records == 1 && st.bad_chunks == 1,
	    "record size broken: 1 record before it, 1 bad record, chunk CRC bad (got %zu, %zu, %zu)",
	    g.n, st.bad_records, st.bad_chunks);

	/* Callback stops the read. */
	g.stop_after = 2;
	is_int(read_buf(buf, len, &g, &st), 7, "callback return stops and is returned");
	is_int(g.n, 2, "stopped after 2");
	g.stop_after = 0;

	/* Random damage: never a crash, never more records than there are. */
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t over = 0, total = 0;
	for (int i = 0; i < 3000; i++) {
		memcpy(copy, buf, len);
		int flips = 1 + i % 8;
		for (int k = 0; k < flips; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			size_t at = 4096 + (size_t)(seed >> 33) % 8192;
			copy[at] = (char)(seed >> 24);
		}
		read_buf(copy, len - (size_t)(i % 3) * 17, &g, &st);
		total += g.n;
		if (g.n > 4)
			over++;
	}
	is_int(over, 0, "3000 damaged copies: never more than 4 records (%zu delivered in all)", total);
	free(copy);
	free(buf);
}

int
main(void)
{
	test_samples();
	test_oracle();
	test_render();
	test_binxml();
	test_corrupt();
	return done_testing();
}
