/* t_feed_debian.c - the Debian security tracker JSON, streamed. */
#include "tests/tap.h"
#include "tests/unit/feed_util.h"

static const char extra[] =
    "{\"openssl\": {\"CVE-2024-0727\": {\"description\": \"PKCS12 NULL deref\","
    " \"releases\": {\"bookworm\": {\"status\": \"resolved\", \"repositories\": {\"bookworm\": \"3.0.11-1~deb12u2\"},"
    " \"fixed_version\": \"3.0.13-1~deb12u1\", \"urgency\": \"low\", \"nodsa\": \"Minor issue\", \"nodsa_reason\": \"\"},"
    " \"bullseye\": {\"status\": \"open\", \"repositories\": {}, \"urgency\": \"low\", \"nodsa_reason\": \"postponed\"},"
    " \"trixie\": {\"status\": \"undetermined\", \"repositories\": {}, \"urgency\": \"not yet assigned\"}}},"
    " \"TEMP-0000000-1A2B3C\": {\"releases\": {\"sid\": {\"status\": \"open\", \"urgency\": \"unimportant**\"}}}}}";

int
main(void)
{
	struct got g = { 0 };
	struct feed_sink sink;
	struct span s = load("debian_security_tracker_sample.json");
	ok(s.len > 0, "sample loaded");
	is_int(feed_detect(s), FEED_DEBIAN, "detected as the tracker from its content");

	is_int(run(feed_debian_parse, s, 0, &g, &sink), MAMORI_OK, "sample parses");
	is_int(sink.records, 7, "7 package/CVE entries");
	ok(got_has(&g, "debian-tracker|debian|bookworm|sope|CVE-2025-53603|resolved|5.8.0-1+deb12u1|not yet assigned|0"),
	    "bookworm security fix of sope");
	ok(got_has(&g, "debian-tracker|debian|buster|chromium|CVE-2022-0456|open|-|end-of-life|0"),
	    "open in buster, no fixed version");
	ok(got_has(&g, "debian-tracker|debian|stretch|prototypejs|CVE-2007-2383|not-affected|0|unimportant|1"),
	    "fixed_version 0 is not-affected, unimportant is minor");
	ok(got_has(&g, "cve|CVE-2025-53603|In Alinto SOPE SOGo 2.0.2 through 5.12.2"),
	    "description goes to the CVE table");
	size_t whole = g.n;
	got_free(&g);

	/* The same through 7-byte reads: state must survive chunk edges. */
	is_int(run(feed_debian_parse, s, 7, &g, &sink), MAMORI_OK, "parses in 7-byte chunks");
	is_int(g.n, whole, "same records in chunks");
	got_free(&g);

	struct span e = { extra, sizeof(extra) - 1 };
	is_int(run(feed_debian_parse, e, 0, &g, &sink), MAMORI_OK, "extra states parse");
	ok(got_has(&g, "debian-tracker|debian|bookworm|openssl|CVE-2024-0727|resolved|3.0.13-1~deb12u1|low|1"),
	    "nodsa makes it minor");
	ok(got_has(&g, "debian-tracker|debian|bullseye|openssl|CVE-2024-0727|open|-|low|1"),
	    "nodsa_reason postponed is minor");
	ok(got_has(&g, "debian-tracker|debian|trixie|openssl|CVE-2024-0727|undetermined|-|not yet assigned|0"),
	    "undetermined kept");
	ok(got_has(&g, "debian-tracker|debian|sid|openssl|TEMP-0000000-1A2B3C|open|-|unimportant**|1"),
	    "TEMP ids and unimportant** kept");
	got_free(&g);

	/* Cut short anywhere: an error, never a partial success. */
	int bad = 0;
	for (size_t cut = 1; cut < s.len; cut += 97) {
		struct span t = { s.p, cut };
		if (run(feed_debian_parse, t, 0, &g, &sink) != MAMORI_E_PARSE)
			bad++;
		got_free(&g);
	}
	is_int(bad, 0, "every truncation is a parse error");
	ok(sink.err[0] != '\0', "with a message: %s", sink.err);

	struct span arr = SPAN_LIT("[1, 2]");
	ok(run(feed_debian_parse, arr, 0, &g, &sink) == MAMORI_E_PARSE, "an array is refused");
	struct span scalar = SPAN_LIT("{\"pkg\": 5}");
	ok(run(feed_debian_parse, scalar, 0, &g, &sink) == MAMORI_E_PARSE, "a scalar entry is refused");
	struct span deep = SPAN_LIT("{\"p\": {\"CVE-1\": {\"releases\": {\"x\": {\"status\": {\"a\": [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}}}}}}");
	is_int(run(feed_debian_parse, deep, 0, &g, &sink), MAMORI_OK, "deep nesting is walked");
	is_int(sink.skipped, 1, "and the entry without a status string skipped");
	got_free(&g);
	unload(s);
	return done_testing();
}
