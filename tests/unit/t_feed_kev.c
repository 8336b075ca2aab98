/* t_feed_kev.c - the CISA KEV catalogue (the real 2025-08-25 file). */
#include "tests/tap.h"
#include "tests/unit/feed_util.h"

int
main(void)
{
	struct got g = { 0 };
	struct feed_sink sink;
	struct span s = load("known_exploited_vulnerabilities.json");
	ok(s.len > 1000000, "catalogue loaded");
	is_int(feed_detect(s), FEED_KEV, "detected as KEV");
	is_int(run(feed_kev_parse, s, 0, &g, &sink), MAMORI_OK, "parses");
	is_int(sink.records, 1404, "1404 entries, as its count says");
	is_int(g.n, 1404, "all emitted");
	ok(got_has(&g, "CVE-2025-48384|Git|Git|2025-08-25|2025-09-15|0"), "newest entry (Git)");
	size_t ransom = 0;
	for (size_t i = 0; i < g.n; i++)
		ransom += g.rows[i][strlen(g.rows[i]) - 1] == '1';
	is_int(ransom, 293, "293 known ransomware campaigns");
	is_int(sink.feed_date, 1756141459, "dateReleased 2025-08-25T17:04:19Z");
	got_free(&g);

	struct span t = { s.p, s.len / 2 };
	ok(run(feed_kev_parse, t, 4096, &g, &sink) == MAMORI_E_PARSE, "half a file is refused");
	got_free(&g);

	static const char wrong[] = "{\"catalogVersion\": \"1\", \"count\": 2, \"vulnerabilities\": "
	    "[{\"cveID\": \"CVE-2024-0001\"}]}";
	struct span w = { wrong, sizeof(wrong) - 1 };
	ok(run(feed_kev_parse, w, 0, &g, &sink) == MAMORI_E_PARSE, "count mismatch is refused");
	ok(strstr(sink.err, "count") != NULL, "and says so: %s", sink.err);
	got_free(&g);
	static const char nolist[] = "{\"title\": \"x\"}";
	struct span n = { nolist, sizeof(nolist) - 1 };
	ok(run(feed_kev_parse, n, 0, &g, &sink) == MAMORI_E_PARSE, "no list is refused");
	static const char badid[] = "{\"vulnerabilities\": [{\"cveID\": \"nope\"}, {\"cveID\": \"CVE-2024-1234\","
	    " \"knownRansomwareCampaignUse\": \"Known\"}]}";
	struct span b = { badid, sizeof(badid) - 1 };
	is_int(run(feed_kev_parse, b, 0, &g, &sink), MAMORI_OK, "odd id parses");
	is_int(sink.skipped, 1, "and is skipped");
	ok(got_has(&g, "CVE-2024-1234||||||1") || (g.n == 1 && strstr(g.rows[0], "CVE-2024-1234") &&
	    g.rows[0][strlen(g.rows[0]) - 1] == '1'), "ransomware flag read");
	got_free(&g);
	unload(s);
	return done_testing();
}
