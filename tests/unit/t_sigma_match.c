/*
 * t_sigma_match.c - Sigma detection semantics: a table of rule + events ->
 * expected match, covering every supported modifier and condition form.
 */
#include "tests/unit/sigma_test.h"

#define E(...) ((const char *const[]){ __VA_ARGS__, NULL })

struct ev_case {
	const char *raw;
	const char *const *kv;
	bool want;
};

struct mcase {
	const char *name;
	const char *detection;	/* YAML under "detection:", indented 4 */
	struct ev_case ev[6];
};

static const struct mcase cases[] = {
	{ "map is AND, EventID mapped to winlog.event_id",
	  "    sel:\n      EventID: 4625\n      LogonType: 10\n    condition: sel\n",
	  { { NULL, E("winlog.event_id", "4625", "winlog.event_data.LogonType", "10"), true },
	    { NULL, E("winlog.event_id", "4625", "winlog.event_data.LogonType", "3"), false },
	    { NULL, E("winlog.event_id", "14625", "winlog.event_data.LogonType", "10"), false },
	    { NULL, E("winlog.event_data.LogonType", "10"), false } } },
	{ "Windows names: event_data, then ECS key, then verbatim",
	  "    sel:\n      TargetUserName: admin\n      IpAddress: 10.0.0.5\n    condition: sel\n",
	  { { NULL, E("user.name", "Admin", "source.ip", "10.0.0.5"), true },
	    { NULL, E("winlog.event_data.TargetUserName", "admin", "user.name", "x",
	        "winlog.event_data.IpAddress", "10.0.0.5"), true },
	    { NULL, E("winlog.event_data.TargetUserName", "bob", "user.name", "admin",
	        "source.ip", "10.0.0.5"), false },
	    { NULL, E("TargetUserName", "admin", "IpAddress", "10.0.0.5"), true },
	    { NULL, E("TargetUserName", "admin", "IpAddress", "10.0.0.6"), false } } },
	{ "unknown field names are looked up verbatim",
	  "    sel:\n      custom.thing: Yes\n    condition: sel\n",
	  { { NULL, E("custom.thing", "yes"), true },
	    { NULL, E("custom.other", "yes"), false } } },
	{ "contains / startswith / endswith, case-insensitive",
	  "    a:\n      CommandLine|contains: 'Invoke-Mimikatz'\n"
	  "    b:\n      Image|endswith: '\\powershell.exe'\n"
	  "    c:\n      ParentImage|startswith: 'C:\\Windows\\'\n"
	  "    condition: a and b and c\n",
	  { { NULL, E("process.command_line", "x INVOKE-mimikatz -dump",
	        "process.executable", "C:\\Windows\\System32\\PowerShell.EXE",
	        "process.parent.executable", "c:\\windows\\explorer.exe"), true },
	    { NULL, E("process.command_line", "invoke-mimikat",
	        "process.executable", "C:\\Windows\\System32\\PowerShell.EXE",
	        "process.parent.executable", "c:\\windows\\explorer.exe"), false },
	    { NULL, E("process.command_line", "x INVOKE-mimikatz -dump",
	        "process.executable", "C:\\powershell.exe.bak",
	        "process.parent.executable", "c:\\windows\\explorer.exe"), false },
	    { NULL, E("process.command_line", "x INVOKE-mimikatz -dump",
	        "process.executable", "C:\\powershell.exe",
	        "process.parent.executable", "D:\\c:\\windows\\explorer.exe"), false } } },
	{ "cased",
	  "    sel:\n      CommandLine|contains|cased: 'SeDebug'\n    condition: sel\n",
	  { { NULL, E("process.command_line", "grant SeDebugPrivilege"), true },
	    { NULL, E("process.command_line", "grant sedebugprivilege"), false } } },
	{ "wildcards * and ? in plain values, escapes",
	  "    a:\n      url.original: '/cgi-bin/*.p?'\n"
	  "    b:\n      http.request.method: 'G*'\n"
	  "    condition: a and b\n",
	  { { NULL, E("url.original", "/CGI-BIN/test.pl", "http.request.method", "GET"), true },
	    { NULL, E("url.original", "/cgi-bin/test.pl2", "http.request.method", "GET"), false },
	    { NULL, E("url.original", "/cgi-bin/.px", "http.request.method", "get"), true },
	    { NULL, E("url.original", "/cgi-bin/a.pl", "http.request.method", "POST"), false } } },
	{ "escaped wildcard is literal",
	  "    sel:\n      file.name: 'what\\*.txt'\n    condition: sel\n",
	  { { NULL, E("file.name", "what*.txt"), true },
	    { NULL, E("file.name", "whatever.txt"), false } } },
	{ "value list is OR; |all is AND",
	  "    a:\n      CommandLine|contains|all:\n        - ' -enc '\n        - 'hidden'\n"
	  "    b:\n      Image|endswith:\n        - '\\cmd.exe'\n        - '\\powershell.exe'\n"
	  "    condition: a and b\n",
	  { { NULL, E("process.command_line", "ps -w hidden -enc AAAA",
	        "process.executable", "C:\\x\\cmd.exe"), true },
	    { NULL, E("process.command_line", "ps -w hidden",
	        "process.executable", "C:\\x\\cmd.exe"), false },
	    { NULL, E("process.command_line", "ps -w hidden -enc AAAA",
	        "process.executable", "C:\\x\\wscript.exe"), false } } },
	{ "list of maps is OR",
	  "    sel:\n      - EventID: 4720\n      - EventID: 4732\n        TargetUserName: 'Administrators'\n"
	  "    condition: sel\n",
	  { { NULL, E("winlog.event_id", "4720"), true },
	    { NULL, E("winlog.event_id", "4732", "user.name", "administrators"), true },
	    { NULL, E("winlog.event_id", "4732", "user.name", "Users"), false } } },
	{ "keywords search the raw line",
	  "    keywords:\n      - 'Failed password'\n      - 'authentication failure'\n"
	  "    condition: keywords\n",
	  { { "sshd[1]: Failed password for root from 1.2.3.4", NULL, true },
	    { "pam_unix(sshd:auth): AUTHENTICATION FAILURE; rhost=x", NULL, true },
	    { "Accepted password for root", NULL, false } } },
	{ "re is case-sensitive, re|i is not",
	  "    a:\n      url.original|re: '\\$\\{jndi:(ldap|rmi)s?://'\n"
	  "    b:\n      user_agent.original|re|i: 'sqlmap/[0-9]'\n"
	  "    condition: a or b\n",
	  { { NULL, E("url.original", "/?x=${jndi:ldap://evil/a}"), true },
	    { NULL, E("url.original", "/?x=${JNDI:LDAP://evil/a}"), false },
	    { NULL, E("user_agent.original", "SQLMap/1.7"), true },
	    { NULL, E("user_agent.original", "curl/8"), false } } },
	{ "cidr IPv4 / IPv6 / mapped",
	  "    sel:\n      IpAddress|cidr:\n        - '10.0.0.0/8'\n        - '2001:db8::/32'\n"
	  "    condition: not sel\n",
	  { { NULL, E("source.ip", "10.200.1.1"), false },
	    { NULL, E("source.ip", "::ffff:10.1.2.3"), false },
	    { NULL, E("source.ip", "2001:DB8:1::5"), false },
	    { NULL, E("source.ip", "11.0.0.1"), true },
	    { NULL, E("source.ip", "not-an-ip"), true } } },
	{ "base64 and base64offset",
	  "    a:\n      CommandLine|base64offset|contains: 'http://'\n"
	  "    b:\n      CommandLine|base64|contains: 'whoami'\n"
	  "    condition: a or b\n",
	  /* "IEX http://x" at offsets 0..2 and "whoami" */
	  { { NULL, E("process.command_line", "-e aHR0cDovL3g="), true },
	    { NULL, E("process.command_line", "-e SUVYIGh0dHA6Ly94"), true },
	    { NULL, E("process.command_line", "-e eCBodHRwOi8veA=="), true },
	    { NULL, E("process.command_line", "-e d2hvYW1p"), true },
	    { NULL, E("process.command_line", "-e D2HVYW1P"), false },
	    { NULL, E("process.command_line", "http://plain"), false } } },
	{ "windash",
	  "    sel:\n      CommandLine|windash|contains: ' -exec bypass'\n    condition: sel\n",
	  { { NULL, E("process.command_line", "powershell -exec bypass"), true },
	    { NULL, E("process.command_line", "powershell /exec bypass"), true },
	    { NULL, E("process.command_line", "powershell \xe2\x80\x93" "exec bypass"), true },
	    { NULL, E("process.command_line", "powershell +exec bypass"), false } } },
	{ "fieldref",
	  "    sel:\n      SubjectUserName|fieldref: TargetUserName\n    condition: sel\n",
	  { { NULL, E("user.effective.name", "Bob", "user.name", "bob"), true },
	    { NULL, E("user.effective.name", "alice", "user.name", "bob"), false },
	    { NULL, E("user.effective.name", "alice"), false } } },
	{ "exists",
	  "    a:\n      source.ip|exists: true\n    b:\n      user.name|exists: false\n"
	  "    condition: a and b\n",
	  { { NULL, E("source.ip", "1.2.3.4"), true },
	    { NULL, E("source.ip", "1.2.3.4", "user.name", "x"), false },
	    { NULL, E("user.name", "x"), false } } },
	{ "gt / gte / lt / lte",
	  "    a:\n      http.response.status_code|gte: 500\n"
	  "    b:\n      http.response.bytes|lt: 100\n"
	  "    condition: a and b\n",
	  { { NULL, E("http.response.status_code", "500", "http.response.bytes", "99"), true },
	    { NULL, E("http.response.status_code", "499", "http.response.bytes", "99"), false },
	    { NULL, E("http.response.status_code", "503", "http.response.bytes", "100"), false },
	    { NULL, E("http.response.status_code", "5xx", "http.response.bytes", "1"), false } } },
	{ "null value: field absent or empty",
	  "    sel:\n      EventID: 4624\n      IpAddress: null\n    condition: sel\n",
	  { { NULL, E("winlog.event_id", "4624"), true },
	    { NULL, E("winlog.event_id", "4624", "source.ip", ""), true },
	    { NULL, E("winlog.event_id", "4624", "source.ip", "1.1.1.1"), false } } },
	{ "empty string value is an exact empty match",
	  "    sel:\n      user.name: ''\n    condition: sel\n",
	  { { NULL, E("user.name", ""), true },
	    { NULL, E("user.name", "x"), false },
	    { NULL, E("source.ip", "x"), false } } },
	{ "star alone: any value",
	  "    sel:\n      user.name: '*'\n    condition: sel\n",
	  { { NULL, E("user.name", "x"), true },
	    { NULL, E("source.ip", "x"), false } } },
	{ "and / or / not with parentheses, precedence",
	  "    a:\n      k.a: 1\n    b:\n      k.b: 1\n    c:\n      k.c: 1\n"
	  "    condition: a and not (b or c) or c and b\n",
	  { { NULL, E("k.a", "1"), true },
	    { NULL, E("k.a", "1", "k.b", "1"), false },
	    { NULL, E("k.b", "1", "k.c", "1"), true },
	    { NULL, E("k.c", "1"), false } } },
	{ "1 of sel* / all of filter_*",
	  "    sel_a:\n      k.a: 1\n    sel_b:\n      k.b: 1\n"
	  "    filter_x:\n      k.x: 1\n    filter_y:\n      k.y: 1\n"
	  "    condition: 1 of sel* and not all of filter_*\n",
	  { { NULL, E("k.b", "1"), true },
	    { NULL, E("k.b", "1", "k.x", "1"), true },
	    { NULL, E("k.b", "1", "k.x", "1", "k.y", "1"), false },
	    { NULL, E("k.x", "1"), false } } },
	{ "1 of them / all of them skip _ names",
	  "    a:\n      k.a: 1\n    b:\n      k.b: 1\n    _helper:\n      k.z: 1\n"
	  "    condition: all of them\n",
	  { { NULL, E("k.a", "1", "k.b", "1"), true },
	    { NULL, E("k.a", "1"), false } } },
	{ "2 of sel*",
	  "    sel1:\n      k.a: 1\n    sel2:\n      k.b: 1\n    sel3:\n      k.c: 1\n"
	  "    condition: 2 of sel*\n",
	  { { NULL, E("k.a", "1", "k.c", "1"), true },
	    { NULL, E("k.b", "1"), false } } },
	{ "condition as a list is OR",
	  "    a:\n      k.a: 1\n    b:\n      k.b: 1\n    condition:\n      - a\n      - b\n",
	  { { NULL, E("k.b", "1"), true },
	    { NULL, E("k.c", "1"), false } } },
	{ "http request fields (c-uri, cs-method) map to ECS",
	  "    sel:\n      cs-method: POST\n      c-uri|contains: '/dana-na/../'\n    condition: sel\n",
	  { { NULL, E("http.request.method", "post", "url.original",
	        "/dana-na/../dana/html5acc/guacamole/../../../../../../etc/passwd"), true },
	    { NULL, E("http.request.method", "GET", "url.original", "/dana-na/../x"), false } } },
	{ "many needles sharing a field, overlapping",
	  "    a:\n      k.a|contains: 'abc'\n    b:\n      k.a|contains: 'bcd'\n"
	  "    c:\n      k.a|endswith: 'cd'\n    d:\n      k.a|startswith: 'ab'\n"
	  "    condition: a and b and c and d\n",
	  { { NULL, E("k.a", "abcd"), true },
	    { NULL, E("k.a", "xabcd"), false },
	    { NULL, E("k.a", "abcdx"), false } } },
};

static void
run_case(const struct mcase *c)
{
	char yaml[4096];
	struct sigma_ruleset *rs = NULL;
	struct sigma_report rep;
	snprintf(yaml, sizeof(yaml), "title: t\nid: case\nlogsource:\n  product: test\n"
	    "detection:\n%s", c->detection);
	sigma_report_init(&rep);
	int rc = sigma_ruleset_load_buffer(&rs, span_from_cstr(yaml), "case", &rep);
	if (!ok(rc == 0 && rep.rules_loaded == 1 && rep.items.n == 0, "%s: compiles",
	    c->name)) {
		st_print_report(&rep);
		sigma_report_release(&rep);
		sigma_ruleset_free(rs);
		return;
	}
	for (size_t i = 0; i < 6 && (c->ev[i].kv || c->ev[i].raw); i++) {
		struct event ev;
		struct st_hits hs = { 0 };
		st_event(&ev, 1000, c->ev[i].raw, c->ev[i].kv);
		int n = sigma_ruleset_match(rs, &ev, st_on_hit, &hs);
		ok((n == 1) == c->ev[i].want && hs.n == (size_t)n,
		    "%s: event %zu %s", c->name, i, c->ev[i].want ? "matches" : "does not match");
	}
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

/* Rules that must be skipped with a reason naming the problem. */
static const struct {
	const char *yaml;
	const char *reason;
} bad[] = {
	{ "title: a\ndetection:\n  sel:\n    x|expand: '%y%'\n  condition: sel\n", "expand" },
	{ "title: b\ndetection:\n  sel:\n    x: 1\n  condition: sel | count() by y > 3\n", "aggregation" },
	{ "title: c\ndetection:\n  sel:\n    x|re: '(unclosed'\n  condition: sel\n", "regular expression" },
	{ "title: d\ndetection:\n  sel:\n    x: 1\n  condition: sel and nosuch\n", "nosuch" },
	{ "title: e\ndetection:\n  sel:\n    x|cidr: 300.1.1.1/8\n  condition: sel\n", "CIDR" },
	{ "title: f\ndetection:\n  sel:\n    x: 1\n", "no condition" },
	{ "title: g\ndetection:\n  sel:\n    x|gt: abc\n  condition: sel\n", "not a number" },
	{ "title: h\ndetection:\n  sel:\n    x: [1\n  condition: sel\n", "YAML" },
	{ "title: i\ndetection:\n  sel: &a\n    x: 1\n  s2: *a\n  condition: sel\n", "aliases" },
	{ "title: j\ndetection:\n  sel:\n    x: 1\n  condition: ((((sel)\n", "')'" },
	{ "detection:\n  sel:\n    x: 1\n  condition: sel\n", "no title" },
	{ "title: k\ndetection:\n  sel:\n    x|utf16le: abc\n  condition: sel\n", "utf16" },
};

static void
test_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sigma_ruleset *rs = NULL;
		struct sigma_report rep;
		sigma_report_init(&rep);
		int rc = sigma_ruleset_load_buffer(&rs, span_from_cstr(bad[i].yaml), "bad.yml",
		    &rep);
		const struct sigma_report_item *it = rep.items.n ? vec_at(&rep.items, 0) : NULL;
		bool good = rc == 0 && rs && sigma_ruleset_count(rs) == 0 && rep.rules_skipped == 1 &&
		    it && strstr(it->reason, bad[i].reason) && strcmp(it->file, "bad.yml") == 0;
		if (!ok(good, "skipped with reason '%s'", bad[i].reason))
			st_print_report(&rep);
		sigma_report_release(&rep);
		sigma_ruleset_free(rs);
	}
}

static void
test_multi_and_info(void)
{
	static const char y[] =
	    "title: First\nid: 11111111-1111-1111-1111-111111111111\nlevel: high\n"
	    "description: desc one\ntags: [attack.t1110, attack.credential_access]\n"
	    "logsource: {product: linux, service: sshd}\n"
	    "detection:\n  sel:\n    event.action: ssh_login\n  condition: sel\n"
	    "mamori:\n  ir_step: report\n  what: {en: Login seen, ja: ログインがありました}\n"
	    "  why: {en: Why, ja: 理由}\n  action: {en: Do it, ja: してください}\n"
	    "---\n"
	    "title: Second\nid: two\ndetection:\n  sel:\n    event.action: ssh_login\n"
	    "    event.outcome: failure\n  condition: sel\n";
	struct sigma_ruleset *rs;
	struct sigma_report rep;
	sigma_report_init(&rep);
	ok(sigma_ruleset_load_buffer(&rs, SPAN_LIT(y), "multi", &rep) == 0 &&
	    sigma_ruleset_count(rs) == 2, "two documents, two rules");
	const struct sigma_rule_info *in = sigma_ruleset_rule(rs, 0);
	is_str(in->logsource_service, "sshd", "logsource kept");
	is_int(in->ntags, 2, "tags kept");
	is_int(in->alert.severity, ALERT_HIGH, "level high -> severity");
	is_int(in->alert.ir_step, IR_REPORT, "mamori ir_step");
	is_str(in->alert.what.ja, "ログインがありました", "mamori ja text");
	is_str(in->alert.action.en, "Do it", "mamori en text");
	is_str(sigma_ruleset_rule(rs, 1)->alert.why.en, "Second", "why falls back to title");
	struct event ev;
	struct st_hits hs = { 0 };
	st_event(&ev, 5, NULL, E("event.action", "ssh_login", "event.outcome", "failure"));
	is_int(sigma_ruleset_match(rs, &ev, st_on_hit, &hs), 2, "both rules hit");
	ok(hs.n == 2 && strcmp(hs.ids[0], "11111111-1111-1111-1111-111111111111") == 0 &&
	    strcmp(hs.ids[1], "two") == 0, "hits in rule order");
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

int
main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_bad();
	test_multi_and_info();
	is_str(sigma_field_ecs("c-uri"), "url.original", "field map: c-uri");
	is_str(sigma_field_ecs("SubjectUserName"), "user.effective.name", "field map: SubjectUserName");
	ok(sigma_field_ecs("NoSuchField") == NULL, "field map: unknown is NULL");
	return done_testing();
}
