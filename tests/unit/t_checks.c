/* t_checks.c - the check table: stable ids, 5か条 items, and text in both
 * languages for every check, so no owner ever reads an empty line. */
#include <string.h>

#include "agent/check.h"
#include "tests/tap.h"

static bool
has_japanese(const char *s)
{
	/* Hiragana, katakana and CJK ideographs are 3-byte UTF-8 sequences
	 * starting with 0xE3..0xE9. */
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		if (*p >= 0xE3 && *p <= 0xE9)
			return true;
	return false;
}

static bool
id_ok(const char *id)
{
	const char *dot = strchr(id, '.');
	if (!dot || dot == id || !dot[1])
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_'))
			return false;
	return true;
}

static bool
text_ok(struct i18n_text t)
{
	return t.en && t.ja && strlen(t.en) > 3 && has_japanese(t.ja) &&
	    !strstr(t.ja, "認定") && !strstr(t.en, "certif");
}

int
main(void)
{
	const struct check_module *const *mods = check_modules();
	size_t total = 0;
	for (size_t m = 0; mods[m]; m++) {
		for (size_t i = 0; i < mods[m]->ndefs; i++) {
			const struct check_def *d = &mods[m]->defs[i];
			total++;
			ok(id_ok(d->id), "%s: id is dotted lower case", d->id);
			ok(strncmp(d->id, mods[m]->area, strlen(mods[m]->area)) == 0 ||
			    strncmp(d->id, "updates.", 8) == 0,
			    "%s: id starts with its area '%s'", d->id, mods[m]->area);
			ok(d->kajo >= 1 && d->kajo <= 4, "%s: 5か条 item %d", d->id, d->kajo);
			ok(text_ok(d->title) && text_ok(d->why) && text_ok(d->action),
			    "%s: title, why and action in English and Japanese", d->id);
			ok(check_find(d->id) == d, "%s: id is unique", d->id);
		}
	}
	ok(total >= 20, "%zu checks cover the four technical basics", total);
	int per_kajo[5] = { 0 };
	for (size_t m = 0; mods[m]; m++)
		for (size_t i = 0; i < mods[m]->ndefs; i++)
			per_kajo[mods[m]->defs[i].kajo]++;
	for (int k = 1; k <= 4; k++)
		ok(per_kajo[k] > 0, "5か条 item %d has checks (%d)", k, per_kajo[k]);

	enum severity s;
	ok(severity_parse("high", &s) == 0 && s == SEV_HIGH, "severity names parse");
	ok(severity_parse("severe", &s) != 0, "unknown severity refused");
	return done_testing();
}
