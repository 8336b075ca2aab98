/* t_feed_epss.c - EPSS CSV. */
#include "tests/tap.h"
#include "tests/unit/feed_util.h"

static int
parse_str(const char *text, struct got *g, struct feed_sink *sink)
{
	struct span s = span_from_cstr(text);
	return run(feed_epss_parse, s, 5, g, sink);
}

int
main(void)
{
	struct got g = { 0 };
	struct feed_sink sink;
	struct span s = load("epss_sample.csv");
	is_int(feed_detect(s), FEED_EPSS, "detected as EPSS");
	is_int(run(feed_epss_parse, s, 3, &g, &sink), MAMORI_OK, "parses in 3-byte chunks");
	is_int(sink.records, 4, "4 scores");
	ok(got_has(&g, "CVE-2021-44228|0.94358|0.99990"), "log4shell score");
	is_int(sink.feed_date, 1756126500, "score_date 2025-08-25T12:55:00Z");
	got_free(&g);

	is_int(parse_str("cve,epss\r\nCVE-2020-1234,0.5\r\n", &g, &sink), MAMORI_OK,
	    "old two-column form with CRLF");
	ok(got_has(&g, "CVE-2020-1234|0.50000|-1.00000"), "no percentile is -1");
	got_free(&g);
	ok(parse_str("#model_version:v1,score_date:2023-03-27T00:00:00+0000\ncve,epss,percentile\n", &g, &sink) == 0 &&
	    sink.feed_date == 1679875200, "+0000 offset date");
	ok(parse_str("cve,epss,percentile\nCVE-2020-1234,0.5,0.9\nCVE-2020-12", &g, &sink) == MAMORI_E_PARSE,
	    "a cut last line is refused");
	ok(strstr(sink.err, "line 3") != NULL, "naming the line: %s", sink.err);
	ok(parse_str("cve,epss,percentile\nCVE-2020-1234,1.5,0.9\n", &g, &sink) == MAMORI_E_PARSE,
	    "a score above 1 is refused");
	ok(parse_str("cve,epss,percentile\nCVE-2020-1234,0.5,0.9,7\n", &g, &sink) == MAMORI_E_PARSE,
	    "an extra column is refused");
	ok(parse_str("cve,epss,percentile\nXYZ,0.5,0.9\n", &g, &sink) == MAMORI_E_PARSE,
	    "a non-CVE id is refused");
	ok(parse_str("hello\n", &g, &sink) == MAMORI_E_PARSE, "no header is refused");
	ok(parse_str("", &g, &sink) == MAMORI_E_PARSE, "empty is refused");
	ok(parse_str("cve,epss,percentile\nCVE-2020-1234,nan,0.9\n", &g, &sink) == MAMORI_E_PARSE,
	    "nan is refused");
	got_free(&g);
	unload(s);
	return done_testing();
}
