/*
 * t_sigma_bench.c - microbenchmark: ~100 generated rules (contains /
 * startswith / endswith / exact / wildcard / keyword / regex / cidr) plus
 * correlations over synthetic sshd, web and Windows events. Prints
 * events/s as a TAP comment; asserts only the (deterministic) hit counts,
 * never the time. MAMORI_SIGMA_BENCH_EVENTS sets the count (default 100000;
 * bench/sigma.sh runs 1,000,000 on a release build).
 */
#include <stdlib.h>
#include <time.h>

#include "tests/unit/sigma_test.h"

static void
count_hit(void *ctx, const struct sigma_hit *h)
{
	uint64_t *n = ctx;
	n[0]++;
	if (h->rule->correlation)
		n[1]++;
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const char *words[] = { "mimikatz", "sekurlsa", "procdump", "rundll32",
    "regsvr32", "bitsadmin", "certutil", "vssadmin", "wevtutil", "schtasks",
    "psexec", "wmic", "mshta", "cscript", "nltest", "adfind", "rclone",
    "anydesk", "ngrok", "plink" };

static size_t
make_rules(char *buf, size_t cap)
{
	size_t o = 0;
	int n = 0;
#define OUT(...) (o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, __VA_ARGS__))
	for (int i = 0; i < 40; i++, n++)
		OUT("title: proc %d\nid: p%d\ndetection:\n  a:\n    CommandLine|contains:\n"
		    "      - '%s -%d'\n      - '%s.exe /x%d'\n  b:\n    Image|endswith: '\\%s.exe'\n"
		    "  f:\n    ParentImage|startswith: 'C:\\Windows\\CCM\\'\n"
		    "  condition: a and b and not f\n---\n", i, i, words[i % 20], i,
		    words[(i + 3) % 20], i, words[i % 20]);
	for (int i = 0; i < 20; i++, n++)
		OUT("title: web %d\nid: w%d\ndetection:\n  s:\n    c-uri|contains:\n"
		    "      - '/admin%d/../'\n      - 'cmd%d='\n    cs-method: [GET, POST]\n"
		    "  condition: s\n---\n", i, i, i, i);
	for (int i = 0; i < 20; i++, n++)
		OUT("title: win %d\nid: e%d\ndetection:\n  s:\n    EventID: %d\n"
		    "    TargetUserName|startswith: 'svc%d'\n  f:\n    SubjectUserName|endswith: '$'\n"
		    "  condition: s and not f\n---\n", i, i, 4700 + i, i);
	for (int i = 0; i < 10; i++, n++)
		OUT("title: kw %d\nid: k%d\ndetection:\n  keywords:\n    - 'error code %d:'\n"
		    "    - 'fatal*subsystem %d'\n  condition: keywords\n---\n", i, i, i, i);
	for (int i = 0; i < 5; i++, n++)
		OUT("title: re %d\nid: r%d\ndetection:\n  s:\n    c-useragent|re: '^Evil%d/[0-9]+'\n"
		    "  condition: s\n---\n", i, i, i);
	for (int i = 0; i < 5; i++, n++)
		OUT("title: cidr %d\nid: c%d\ndetection:\n  s:\n    event.outcome: success\n"
		    "    source.ip|cidr: '10.%d.0.0/16'\n  condition: s\n---\n", i, i, i);
	OUT("title: fail\nname: fail\ndetection:\n  s:\n    event.category: authentication\n"
	    "    event.outcome: failure\n  condition: s\n---\n"
	    "title: brute\nname: brute\ncorrelation:\n  type: event_count\n  rules: [fail]\n"
	    "  group-by: [source.ip]\n  timespan: 5m\n  condition: {gte: 10}\n---\n"
	    "title: spray\ncorrelation:\n  type: value_count\n  rules: [fail]\n"
	    "  group-by: [source.ip]\n  timespan: 10m\n  condition: {field: user.name, gte: 5}\n");
#undef OUT
	return o;
}

int
main(void)
{
	const char *env = getenv("MAMORI_SIGMA_BENCH_EVENTS");
	long nev = env ? strtol(env, NULL, 10) : 100000;
	static char rules[256 * 1024];
	struct sigma_ruleset *rs;
	struct sigma_report rep;
	size_t len = make_rules(rules, sizeof(rules));

	if (nev <= 0)
		nev = 100000;
	sigma_report_init(&rep);
	ok(len < sizeof(rules) && sigma_ruleset_load_buffer(&rs, (struct span){ rules, len },
	    "bench", &rep) == 0, "generated rules load");
	is_int(rep.rules_loaded, 101, "101 detection rules");
	is_int(rep.correlations_loaded, 2, "2 correlations");
	st_print_report(&rep);

	/* Events are prepared up front so the loop times matching only. */
	enum { POOL = 4096 };
	static struct event pool[POOL];
	static char text[POOL][3][160];
	uint64_t seed = 88172645463325252ull;
	for (int i = 0; i < POOL; i++) {
		struct event *ev = &pool[i];
		uint64_t r = rnd(&seed);
		int kind = (int)(r % 10);
		bool hit = (r >> 8) % 50 == 0;
		event_reset(ev);
		if (kind < 5) {
			snprintf(text[i][0], 160, "%u.%u.%u.%u", (unsigned)(r >> 16) % 4 + 8,
			    (unsigned)(r >> 20) % 8, (unsigned)(r >> 24) % 64, (unsigned)(r >> 32) % 250 + 1);
			snprintf(text[i][1], 160, "user%u", (unsigned)(r >> 40) % 300);
			snprintf(text[i][2], 160, "Nov 25 10:00:00 host sshd[%u]: %s password for %.32s from %.40s port 22 ssh2",
			    (unsigned)(r % 30000), (r >> 48) % 5 ? "Failed" : "Accepted", text[i][1], text[i][0]);
			ev->raw = span_from_cstr(text[i][2]);
			event_set_cstr(ev, "event.category", "authentication");
			event_set_cstr(ev, "event.outcome", (r >> 48) % 5 ? "failure" : "success");
			event_set_cstr(ev, "source.ip", text[i][0]);
			event_set_cstr(ev, "user.name", text[i][1]);
			event_set_cstr(ev, "service.type", "ssh");
			event_set_cstr(ev, "process.name", "sshd");
		} else if (kind < 8) {
			snprintf(text[i][0], 160, "/shop/item.php?id=%u&cat=%s%s", (unsigned)(r % 100000),
			    words[(r >> 8) % 20], hit ? "&cmd3=whoami" : "");
			snprintf(text[i][1], 160, "Mozilla/5.0 (Windows NT 10.0; Win64) %s/%u",
			    hit ? "Evil2" : "Chrome", (unsigned)(r >> 32) % 120);
			event_set_cstr(ev, "url.original", text[i][0]);
			event_set_cstr(ev, "http.request.method", (r >> 12) % 3 ? "GET" : "POST");
			event_set_cstr(ev, "user_agent.original", text[i][1]);
			event_set_cstr(ev, "http.response.status_code", "200");
			event_set_cstr(ev, "source.ip", "192.0.2.10");
		} else {
			int w = (int)((r >> 8) % 20);
			snprintf(text[i][0], 160, "\"C:\\Program Files\\App\\%s.exe\" %s -%d --quiet",
			    words[w], hit ? words[w] : "run", w);
			snprintf(text[i][1], 160, "C:\\Program Files\\App\\%s.exe", words[w]);
			snprintf(text[i][2], 160, "%u", 4700 + (unsigned)(r >> 16) % 40);
			event_set_cstr(ev, "process.command_line", text[i][0]);
			event_set_cstr(ev, "process.executable", text[i][1]);
			event_set_cstr(ev, "process.parent.executable", "C:\\Windows\\explorer.exe");
			event_set_cstr(ev, "winlog.event_id", text[i][2]);
			event_set_cstr(ev, "user.name", (r >> 24) % 7 ? "taro" : "svc3backup");
			event_set_cstr(ev, "user.effective.name", "admin");
		}
	}
	uint64_t hits[2] = { 0, 0 };
	struct timespec t0, t1, c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	for (long i = 0; i < nev; i++) {
		struct event *ev = &pool[i % POOL];
		ev->ts_ms = 1795564800000ll + i * 2;	/* 500 events/s of log time */
		sigma_ruleset_match(rs, ev, count_hit, hits);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
	struct sigma_stats st;
	sigma_ruleset_stats(rs, &st);
	printf("# sigma bench: %ld events, %zu rules, %.3f s wall, %.3f s CPU, %.0f events/s "
	    "per CPU second (one core%s), %llu hits (%llu correlation), %llu groups, "
	    "%llu evicted\n", nev, sigma_ruleset_count(rs), s, cpu, (double)nev / cpu,
#if defined(__SANITIZE_ADDRESS__)
	    ", ASan build",
#else
	    "",
#endif
	    (unsigned long long)hits[0], (unsigned long long)hits[1],
	    (unsigned long long)st.corr_groups, (unsigned long long)st.corr_evicted);
	is_int(st.events, nev, "every event matched");
	ok(hits[0] > 0 && hits[1] > 0, "detections and correlations fired");
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
	return done_testing();
}
