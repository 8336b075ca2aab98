/*
 * t_version_rpm.c - rpm ordering: the cases of rpm's tests/rpmvercmp.at,
 * the '^' cases of rpm >= 4.15, and EVR handling. Every expectation here
 * was confirmed with rpm 4.18's own comparison (python3-rpm rpm.ver and
 * rpm.vercmp) on this machine; tests/e2e/vuln_scan.sh also checks tens of
 * thousands of generated pairs against it when python3-rpm is installed.
 */
#include <stdio.h>

#include "tests/tap.h"
#include "vuln/version_rpm.h"

struct pair {
	const char *a, *b;
	int want;
};

/* rpmvercmp() on plain version strings. */
static const struct pair vercmp_cases[] = {
	{ "1.0", "1.0", 0 }, { "1.0", "2.0", -1 }, { "2.0", "1.0", 1 },
	{ "2.0.1", "2.0.1", 0 }, { "2.0", "2.0.1", -1 }, { "2.0.1a", "2.0.1a", 0 },
	{ "2.0.1a", "2.0.1", 1 }, { "5.5p1", "5.5p1", 0 }, { "5.5p1", "5.5p2", -1 },
	{ "5.5p10", "5.5p10", 0 }, { "5.5p1", "5.5p10", -1 }, { "10xyz", "10.1xyz", -1 },
	{ "xyz10", "xyz10", 0 }, { "xyz10", "xyz10.1", -1 }, { "xyz.4", "xyz.4", 0 },
	{ "xyz.4", "8", -1 }, { "xyz.4", "2", -1 }, { "5.5p2", "5.6p1", -1 },
	{ "5.6p1", "6.5p1", -1 }, { "6.0.rc1", "6.0", 1 }, { "10b2", "10a1", 1 },
	{ "10a2", "10b2", -1 }, { "1.0aa", "1.0aa", 0 }, { "1.0a", "1.0aa", -1 },
	{ "10.0001", "10.0001", 0 }, { "10.0001", "10.1", 0 }, { "10.0001", "10.0039", -1 },
	{ "4.999.9", "5.0", -1 }, { "20101121", "20101121", 0 }, { "20101121", "20101122", -1 },
	{ "2_0", "2_0", 0 }, { "2.0", "2_0", 0 }, { "a", "a", 0 }, { "a+", "a+", 0 },
	{ "a+", "a_", 0 }, { "+a", "_a", 0 }, { "+_", "_+", 0 }, { "_+", "+_", 0 },
	{ "_+", "_", 0 }, { "+", "_", 0 }, { "1.0~rc1", "1.0~rc1", 0 },
	{ "1.0~rc1", "1.0", -1 }, { "1.0~rc1", "1.0~rc2", -1 }, { "1.0~rc1~git123", "1.0~rc1", -1 },
	{ "1.0^", "1.0^", 0 }, { "1.0^", "1.0", 1 }, { "1.0", "1.0^", -1 },
	{ "1.0^git1", "1.0^git1", 0 }, { "1.0^git1", "1.0", 1 }, { "1.0^git1", "1.0^git2", -1 },
	{ "1.0^git1", "1.01", -1 }, { "1.0^20160101", "1.0.1", -1 },
	{ "1.0^20160101^git1", "1.0^20160101", 1 }, { "1.0~rc1^git1", "1.0~rc1", 1 },
	{ "1.0^git1~pre", "1.0^git1", -1 }, { "1.0^git1", "1.0^git1~pre", 1 },
	{ "1b.fc17", "1.fc17", -1 }, { "1g.fc17", "1.fc17", 1 }, { "1.0", "1.0.0", -1 },
	{ "", "", 0 }, { "", "0", -1 }, { "~", "", -1 }, { "^", "", 1 },
	{ "99999999999999999999999", "99999999999999999999998", 1 },
	{ "00000000000000000000001", "1", 0 },
};

/* Full [epoch:]version[-release]. */
static const struct pair evr_cases[] = {
	{ "2.34-60.el9", "2.34-60.el9_2.7", -1 },
	{ "1:0.1-1", "9.9-9", 1 },
	{ "0:1.0-1", "1.0-1", 0 },
	{ ":1.0-1", "1.0-1", 0 },		/* empty epoch is 0 */
	{ "1.0", "1.0-1", -1 },			/* missing release sorts below */
	{ "1.0-1", "1.0", 1 },
	{ "3.0.7-16.el9_2", "3.0.7-24.el9", -1 },
	{ "1:3.0.7-16.el9", "3.0.8-1.el9", 1 },
	{ "1.2-3-4", "1.2-3-3", 1 },		/* the last '-' starts the release */
	{ "a:1-1", "0:1-1", -1 },		/* no digits before ":": version "a:1" */
	{ "2.17-326.el7_9.3", "2.17-326.el7_9", 1 },
	{ "4.18.0-513.5.1.el8_9", "4.18.0-513.el8", 1 },
};

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

int
main(void)
{
	for (size_t i = 0; i < sizeof(vercmp_cases) / sizeof(vercmp_cases[0]); i++) {
		const struct pair *p = &vercmp_cases[i];
		is_int(sign(version_rpm_vercmp(p->a, p->b)), p->want, "vercmp '%s' '%s'", p->a, p->b);
		is_int(sign(version_rpm_vercmp(p->b, p->a)), -p->want, "vercmp '%s' '%s'", p->b, p->a);
	}
	for (size_t i = 0; i < sizeof(evr_cases) / sizeof(evr_cases[0]); i++) {
		const struct pair *p = &evr_cases[i];
		is_int(sign(version_rpm_cmp(p->a, p->b)), p->want, "evr '%s' '%s'", p->a, p->b);
		is_int(sign(version_rpm_cmp(p->b, p->a)), -p->want, "evr '%s' '%s'", p->b, p->a);
	}
	is_int(version_rpm_vercmp_n("1.0\0" "5", 5, "1.0", 3), 0, "a NUL ends a bounded version");
	is_int(sign(version_rpm_cmp_n("1.0-2", 3, "1.0", 3)), 0, "bounded length is respected");
	return done_testing();
}
