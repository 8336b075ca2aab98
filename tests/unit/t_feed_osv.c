/* t_feed_osv.c - OSV records: Debian, Ubuntu, Alpine, language ecosystems. */
#include "tests/tap.h"
#include "tests/unit/feed_util.h"

int
main(void)
{
	struct got g = { 0 };
	struct feed_sink sink;

	struct span s = load("osv/DSA-5514-1.json");
	is_int(feed_detect(s), FEED_OSV, "a DSA record is OSV");
	is_int(run(feed_osv_parse, s, 0, &g, &sink), MAMORI_OK, "parses");
	ok(got_has(&g, "osv-debian:12|debian|bookworm|glibc|CVE-2023-4911|resolved|2.36-9+deb12u3|-|0"),
	    "Debian:12 is bookworm, CVE from upstream");
	ok(got_has(&g, "osv-debian:11|debian|bullseye|glibc|CVE-2023-4911|resolved|2.31-13+deb11u7|-|0"),
	    "Debian:11 is bullseye");
	is_int(g.n, 2, "DEBIAN-CVE- alias is not a CVE row");
	got_free(&g);
	unload(s);

	s = load("osv/DEBIAN-CVE-2024-58382.json");
	is_int(feed_detect(s), FEED_OSV, "a DEBIAN-CVE record is OSV");
	is_int(run(feed_osv_parse, s, 0, &g, &sink), MAMORI_OK, "parses");
	ok(got_has(&g, "osv-debian:12|debian|bookworm|php-league-commonmark|CVE-2024-58382|open|-|unimportant|1"),
	    "no fixed event is open; unimportant is minor");
	is_int(g.n, 1, "bare \"Debian\" (no release) is not keyed");
	is_int(sink.skipped, 1, "and counted as skipped");
	is_int(sink.feed_date, 1789210805, "modified date kept");
	got_free(&g);
	unload(s);

	s = load("osv/mixed.json");
	is_int(feed_detect(s), FEED_OSV, "an array of records is OSV");
	is_int(run(feed_osv_parse, s, 11, &g, &sink), MAMORI_OK, "parses in 11-byte chunks");
	is_int(sink.records, 4, "4 records");
	ok(got_has(&g, "osv-pypi|PyPI|||jinja2|CVE-2024-34064|resolved|3.1.4|-|0") ||
	    got_has(&g, "osv-pypi|PyPI||jinja2|CVE-2024-34064|resolved|3.1.4|-|0"),
	    "language ecosystem has release ''");
	ok(got_has(&g, "osv-ubuntu:22.04:lts|ubuntu|22.04|glibc|CVE-2023-4911|resolved|2.35-0ubuntu3.4|-|0"),
	    "Ubuntu:22.04:LTS is ubuntu 22.04");
	ok(got_has(&g, "osv-alpine:v3.19|alpine|v3.19|busybox|ALPINE-CVE-2023-42363|resolved|1.36.1-r16|-|0"),
	    "no CVE alias: the record id");
	ok(!got_has(&g, "osv-npm|npm||left-pad|CVE-2024-0000|open|-|-|0"), "withdrawn record dropped");
	is_int(g.n, 3, "3 rows");
	got_free(&g);

	int bad = 0;
	for (size_t cut = 1; cut < s.len; cut += 13) {
		struct span t = { s.p, cut };
		if (run(feed_osv_parse, t, 0, &g, &sink) != MAMORI_E_PARSE)
			bad++;
		got_free(&g);
	}
	is_int(bad, 0, "every truncation is a parse error");
	unload(s);

	s = load("osv/branches.json");
	is_int(run(feed_osv_parse, s, 7, &g, &sink), MAMORI_OK, "records with several ranges parse");
	ok(got_has(&g, "osv-pypi|PyPI||django|CVE-2024-38875|resolved|5.0.7|-|0|R:i4.2 f4.2.14 | i5.0 f5.0.7"),
	    "two branches: both ranges kept, each with its fix");
	ok(got_has(&g, "osv-debian:12|debian|bookworm|examplesrc|CVE-2024-99999|resolved|1.2.3-1+deb12u1|-|0|"
	    "R:i0 f1.2.3-1+deb12u1 | i2.0-1 l2.0.4-1 | v1.2.3-1 v2.0.4-1"),
	    "GIT range left out; last_affected and versions[] kept");
	is_int(g.n, 2, "2 rows");
	got_free(&g);
	unload(s);

	struct span x = SPAN_LIT("[1]");
	ok(run(feed_osv_parse, x, 0, &g, &sink) == MAMORI_E_PARSE, "an array of numbers is refused");
	struct span y = SPAN_LIT("\"id\"");
	ok(run(feed_osv_parse, y, 0, &g, &sink) == MAMORI_E_PARSE, "a string is refused");
	return done_testing();
}
