/*
 * t_decode_fail2ban.c - fail2ban's annotated test logs as the oracle for
 * the authentication decoders (tests/data/logs/fail2ban, from Debian
 * fail2ban 1.0.2). Each "# failJSON: {...}" line says whether the next
 * line is a failure and of which host. We compare with fail2ban's
 * "aggressive" mode, the superset of its modes:
 *
 *   match: true   -> the event is a failure (event.outcome=failure) whose
 *                    source.ip / source.address is "host". Annotations with
 *                    "attempts"/"users" are fail2ban's multi-line accounting
 *                    (earlier PAM failures charged when the connection ends
 *                    or succeeds): there any authentication event from the
 *                    host is accepted.
 *   match: false  -> not a failure we count against an address: no address,
 *                    or not outcome=failure, or a pam_unix line under sshd
 *                    (sshd writes "Failed password" for the same attempt and
 *                    that is what we count; fail2ban defers these too).
 *
 * fail2ban's modes map onto event.category: its "normal" mode counts
 * credential failures (our category "authentication"), "aggressive" adds
 * pre-authentication failures of scanners and broken clients (our category
 * "network"). "# filterOptions:" says which modes a section's annotations
 * hold for, and each annotation is checked in each of those modes that we
 * model (normal, aggressive; "ddos" and "extra" are parts of aggressive).
 *
 * Known disagreements, each with its reason, are listed in known[] below;
 * the test fails when any other line disagrees or a listed one agrees.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "detection/decoder.h"
#include "tests/tap.h"

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

static const struct {
	const char *line;	/* substring of the log line */
	const char *why;
} known[] = {
	{ "pop(pam_unix)[4920]: authentication failure;",
	  "a real pam_unix failure with rhost: fail2ban's pam-generic skips it only because "
	  "its regex wants pam_unix in the message, not in the tag; we count it" },
};

static const char *
known_why(struct span line)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t n = strlen(known[i].line);
		for (size_t k = 0; k + n <= line.len; k++)
			if (memcmp(line.p + k, known[i].line, n) == 0)
				return known[i].why;
	}
	return NULL;
}

static bool
addr_is(const struct event *ev, const char *host)
{
	return event_has(ev, "source.ip", host) || event_has(ev, "source.address", host);
}

/*
 * pam_counts: the file is for fail2ban's pam-generic filter, which counts
 * every pam_unix failure; its sshd filter defers them (see above).
 */
static void
check_file(const char *dir, const char *name, int year, bool pam_counts)
{
	char path[512];
	size_t len;
	snprintf(path, sizeof(path), "%s/logs/fail2ban/%s", dir, name);
	char *text = slurp(path, &len);
	if (!ok(text != NULL, "%s: read", name))
		return;
	static struct decode_ctx dc;
	decoder_ctx_init(&dc, year, 0);
	struct cursor c;
	struct span line;
	json_t *want = NULL;
	int checked = 0, agreed = 0, skipped = 0;
	bool normal = true, aggressive = false;	/* no filterOptions: the default mode */
	cursor_init(&c, text, len);
	while (cursor_line(&c, &line)) {
		struct span rest;
		if (line.len && line.p[0] == '#') {
			size_t off = 0;
			while (off < line.len && (line.p[off] == '#' || line.p[off] == ' '))
				off++;
			rest = (struct span){ line.p + off, line.len - off };
			if (span_starts_with(rest, "filterOptions:")) {
				json_error_t e;
				json_t *fo = json_loadb(rest.p + 14, rest.len - 14, 0, &e);
				normal = aggressive = false;
				json_t *arr = json_is_array(fo) ? fo : NULL;
				size_t nfo = arr ? json_array_size(arr) : (fo ? 1 : 0);
				for (size_t i = 0; i < nfo; i++) {
					json_t *o = arr ? json_array_get(arr, i) : fo;
					const char *mode = json_string_value(json_object_get(o, "mode"));
					if (!mode || !strcmp(mode, "normal"))
						normal = true;
					else if (!strcmp(mode, "aggressive"))
						aggressive = true;
				}
				json_decref(fo);
				continue;
			}
			if (span_starts_with(rest, "failJSON:")) {
				json_decref(want);
				json_error_t e;
				want = json_loadb(rest.p + 9, rest.len - 9, 0, &e);
			}
			continue;
		}
		struct event ev;
		bool dec = decoder_decode(&dc, line, &ev);
		if (!want || !line.len)
			continue;
		json_t *jw = want;
		want = NULL;
		const char *constraint = json_string_value(json_object_get(jw, "constraint"));
		bool match = json_is_true(json_object_get(jw, "match"));
		const char *host = json_string_value(json_object_get(jw, "host"));
		bool multi = json_object_get(jw, "attempts") || json_object_get(jw, "users");
		struct span out, act;
		bool fail = dec && event_get(&ev, "event.outcome", &out) && span_eq(out, "failure");
		bool authcat = dec && event_has(&ev, "event.category", "authentication");
		bool pam_dup = event_get(&ev, "event.action", &act) && span_eq(act, "ssh-pam-failure");
		bool has_addr = event_get(&ev, "source.ip", &out) || event_get(&ev, "source.address", &out);
		bool modes[2] = { normal, aggressive };	/* which modes this annotation is for */
		if (constraint && strstr(constraint, "== 'aggressive'"))
			modes[0] = false, modes[1] = true;
		if (constraint && strstr(constraint, "!= 'aggressive'"))
			modes[1] = false;
		bool good = true, any = false;
		for (int m = 0; m < 2; m++) {
			if (!modes[m])
				continue;
			any = true;
			/* what we say for this mode: a counted failure */
			bool ours = fail && (pam_counts || !pam_dup) && (m == 1 || authcat);
			bool g;
			if (match && host && multi)
				g = dec && addr_is(&ev, host) && (authcat || fail);
			else if (match && host)
				g = ours && addr_is(&ev, host);
			else if (match)
				g = fail;	/* no host named: the failure is enough */
			else
				g = !(ours && has_addr);
			good = good && g;
		}
		if (!any) {
			skipped++;
			json_decref(jw);
			continue;
		}
		checked++;
		const char *why = known_why(line);
		if (why) {
			if (!good) {
				agreed++;
				printf("# %s: known difference: %s\n", name, why);
			} else {
				printf("# %s: listed difference no longer differs: %.*s\n", name,
				    (int)line.len, line.p);
			}
		} else if (good) {
			agreed++;
		} else {
			printf("# %s: disagree (fail2ban match=%d host=%s normal=%d aggressive=%d): %.*s\n",
			    name, match, host ? host : "-", modes[0], modes[1], (int)line.len, line.p);
		}
		json_decref(jw);
	}
	json_decref(want);
	ok(checked > 0 && agreed == checked, "%s: %d of %d annotated lines agree with fail2ban (%d for other modes skipped)",
	    name, agreed, checked, skipped);
	free(text);
}

int
main(void)
{
	const char *dir = getenv("MAMORI_TEST_DATA");
	if (!dir)
		dir = "tests/data";
	check_file(dir, "sshd.log", 2005, false);
	check_file(dir, "pam-generic.log", 2005, true);
	check_file(dir, "dovecot.log", 2005, true);
	return done_testing();
}
