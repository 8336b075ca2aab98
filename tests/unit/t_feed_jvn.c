/* t_feed_jvn.c - JVN iPedia VULDEF detail and RSS feeds (MyJVN samples). */
#include "tests/tap.h"
#include "tests/unit/feed_util.h"

int
main(void)
{
	struct got g = { 0 };
	struct feed_sink sink;

	struct span s = load("myjvn_dataFeed_jvndb_detail_hnd.xml");
	is_int(feed_detect(s), FEED_JVN, "VULDEF detail is JVN");
	is_int(run(feed_jvn_parse, s, 100, &g, &sink), MAMORI_OK, "parses in 100-byte chunks");
	is_int(sink.records, 7, "7 Vulinfo entries");
	ok(got_has(&g, "JVNDB-2025-000001|CVE-2025-21603|プラネックス製MZK-DP300Nにおけるクロスサイトスクリプティングの脆弱性|"
	    "https://jvndb.jvn.jp/ja/contents/2025/JVNDB-2025-000001.html|2025-01-08T12:16:23+09:00"),
	    "Japanese title, CVE and link of JVNDB-2025-000001");
	ok(got_has(&g, "JVNDB-2025-000002|CVE-2025-0354|") == 0, "(full-line match only)");
	int n2 = 0;
	for (size_t i = 0; i < g.n; i++)
		n2 += strncmp(g.rows[i], "JVNDB-2025-000002|CVE-2025-035", 30) == 0;
	is_int(n2, 3, "an entry with three CVEs gives three rows");
	ok(!got_has(&g, "CWE-79"), "CWE ids are not CVEs");
	got_free(&g);

	int bad = 0;
	for (size_t cut = 1; cut < s.len; cut += 211) {
		struct span t = { s.p, cut };
		if (run(feed_jvn_parse, t, 0, &g, &sink) != MAMORI_E_PARSE)
			bad++;
		got_free(&g);
	}
	is_int(bad, 0, "every truncation is a parse error");
	unload(s);

	s = load("myjvn_dataFeed_jvndb_rss_hnd.xml");
	ok(run(feed_jvn_parse, s, 0, &g, &sink) == MAMORI_E_PARSE,
	    "the MyJVN sample with retCd= 0 (unquoted) is malformed XML and refused");
	ok(strstr(sink.err, "line 116") != NULL, "naming the line: %s", sink.err);
	got_free(&g);
	unload(s);

	s = load("myjvn_dataFeed_jvndb_rss_hnd_fixed.xml");
	is_int(run(feed_jvn_parse, s, 0, &g, &sink), MAMORI_OK, "the quoted copy parses");
	is_int(sink.records, 4, "4 items");
	ok(got_has(&g, "JVNDB-2023-028579|CVE-2023-29001|Contiki-NG における再帰制御に関する脆弱性|"
	    "https://jvndb.jvn.jp/ja/contents/2023/JVNDB-2023-028579.html|2025-04-11T23:52+09:00"),
	    "RSS item: one row per CVE, CVE and NVD references merged");
	is_int(sink.feed_date, 1744513223, "channel date 2025-04-13T12:00:23+09:00");
	got_free(&g);
	unload(s);

	static const char dtd[] = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><rdf:RDF xmlns:rdf=\"x\">&b;</rdf:RDF>";
	struct span d = { dtd, sizeof(dtd) - 1 };
	ok(run(feed_jvn_parse, d, 0, &g, &sink) == MAMORI_E_PARSE, "a DOCTYPE is refused");
	static const char ext[] = "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://example.invalid/x.dtd\">"
	    "<VULDEF-Document/>";
	struct span e = { ext, sizeof(ext) - 1 };
	ok(run(feed_jvn_parse, e, 0, &g, &sink) == MAMORI_E_PARSE, "an external DTD is refused");
	struct span other = SPAN_LIT("<html><body/></html>");
	ok(run(feed_jvn_parse, other, 0, &g, &sink) == MAMORI_E_PARSE, "another XML root is refused");
	ok(strstr(sink.err, "html") != NULL, "naming it: %s", sink.err);
	got_free(&g);
	return done_testing();
}
