/*
 * t_version_apk.c - apk-tools ordering. The pairs are a selection of the
 * cases apk-tools checks in its own test/version.data (including every
 * odd one: invalid strings, leading zeros, suffix chains, letters), and
 * apk-tools is not installable on Debian 12, so this list is the oracle.
 */
#include <stdio.h>
#include <string.h>

#include "tests/tap.h"
#include "vuln/version_apk.h"

static const char *const cases[] = {
	"2.34 > 0.1.0_alpha",
	"23_foo > 4_beta",
	"1.0 < 1.0bc",			/* invalid: apk sorts it after */
	"0.1.0_alpha = 0.1.0_alpha",
	"0.1.0_alpha2 > 0.1.0_alpha",
	"0.1.0_alpha < 2.2.39-r1",
	"1.0.4-r3 < 1.0.4-r4",
	"1.1 > 1.1_alpha1",
	"1.2 < 1.3_alpha",
	"1.3_alpha2 < 1.3_alpha3",
	"0.7.0 < 0.8_beta1",
	"3.10.18-r1 > 2.3.0b-r1",
	"2.3.0b-r1 < 2.3.0b-r2",
	"0.12.3 > 0.12",
	"0.12 < 0.13_beta1",
	"0.2.0-r1 < 3.1_p16",
	"3.1_p16 < 3.1_p17",
	"3.1_p17 > 1.06-r6",
	"1.06-r6 < 006",
	"006 > 1.0.0",
	"1.2.2-r1 > 1.2.2",
	"9.3.4-r2 > 9.3.4",
	"2.59 < 20050718-r1",
	"3.9.8-r5 > 2.01.01_alpha10",
	"2.01.01_alpha10 > 0.94",
	"1.0 > 0.99.3.20040818",
	"1.39 > 1.00_beta2",
	"1.02 < 1.03-r1",
	"0.5.2.7 < 4.2.52_p2-r1",
	"4.2.52_p2-r1 < 4.2.52_p4-r2",
	"4.2.52_p4-r2 > 1.02.07",
	"2.18.3-r10 > 1.05-r18",
	"1.05-r18 < 1.05-r19",
	"2.38 < 20050405",
	"2.11-r1 > 2.11",
	"0.7.3-r2 > 0.7.3",
	"2.4.2 < 20060720",
	"20060720 > 3.0.20060720",
	"3.0.20060720 < 20060720",
	"1.1 = 1.1",
	"0.7.18-r2 < 0.17-r6",
	"1.4.4-r1 < 2.1.9.200602141850",
	"2.5.1-r8 < 2.5.1a-r1",
	"1.3.5-r10 > 1.3.5-r8",
	"20040401 > 2.0.0_rc3-r1",
	"3.0.0-r2 < 021109-r3",
	"021109-r3 < 20060512",
	"0.9.16-r1 < 3.9_pre20060124",
	"3.9_pre20060124 > 0.01",
	"1.1.7 < 6b-r7",
	"6b-r7 > 1.12-r7",
	"0.10.0-r1 > 0.10.0",
	"0.10.0 < 0.10.1_rc1",
	"2.0.2 > 1.1a",
	"1.1a < 1.3a",
	"1.0-r1 > 0.15.1b",
	"0.15.1b-r2 > 0.15.1b",
	"22.7-r1 < 22.7.3-r1",
	"22.7 > 2.1_pre20",
	"2.1_pre20 < 2.1_pre26",
	"2.10.1 > 02.08.01b",
	"02.08.01b < 4.77",
	"3.81 > 1.6d",
	"1.6d > 1.2.07.8",
	"1.2.07.8 < 1.2.12.04",
	"1.2.12.04 < 1.2.12.05",
	"1.07-r1 < 1.07.5",
	"1.07.5 > 1.07",
	"20061003 > 0.1_pre20060810",
	"0.1_pre20060810 < 0.1_pre20060817",
	"3.3.17 > 0.59s-r11",
	"0.59s-r11 < 0.65",
	"1.60-r12 < 110-r8",
	"4.20 > 0.20070118",
	"0.20070118 < 0.20070207_rc1",
	"0.20070207_rc1 < 1.0",
	"2.3.30-r2 < 3.7_p1",
	"4.5_p1-r1 > 4.5_p1",
	"4.5_p1 > 0.9.8c-r1",
	"0.9.8c-r1 < 0.9.8d",
	"2.2.3-r2 < 013",
	"013 < 014-r1",
	"0.1.23 < 5b-r9",
	"3.2.7 > 0.3.1_rc8",
	"5.7-r3 > 5.1_p4",
	"1.7 < 1.7b",
	"1.7b < 1.8.4-r3",
	"1.8.5 < 1.8.5_p2",
	"1.4.9-r2 < 2.9.11_pre20051101-r2",
	"2.9.11_pre20051101-r3 > 2.9.11_pre20051101",
	"2.9.11_pre20051101 < 2.9.11_pre20061021-r1",
	"1.6.8_p12-r1 > 1.6.8_p9-r2",
	"0.40-r1 < 2.25b-r5",
	"1.0.5 < 1.4_p12-r2",
	"0.9.28-r2 < 0.9.28.1",
	"0.9.28.1 < 087-r1",
	"104-r11 > 104-r9",
	"5.52-r1 > 1.2.5_rc2",
	"20040406-r1 > 2.12r-r4",
	"2.12r-r4 < 2.12r-r5",
	"7.0.17 < 7.0.174",
	"1.1.1-r3 > 0.3.4_pre20061029",
	"1.3-r0 < 1.3.1-r0",
	"1.3_pre1-r1 < 1.3.2",
	"1.0_p10-r0 > 1.0_p9-r0",
	"0.1.0_alpha_pre2 < 0.1.0_alpha",
	"1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0",
};

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

int
main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char a[96], op[4], b[96];
		if (sscanf(cases[i], "%95s %3s %95s", a, op, b) != 3) {
			ok(0, "case %zu parses", i);
			continue;
		}
		int want = op[0] == '<' ? -1 : op[0] == '>' ? 1 : 0;
		is_int(sign(version_apk_cmp(a, b)), want, "%s", cases[i]);
		is_int(sign(version_apk_cmp(b, a)), -want, "reverse of %s", cases[i]);
	}
	/* Grammar. */
	ok(version_apk_valid("1.2.3_rc1-r4", 12), "1.2.3_rc1-r4 is valid");
	ok(version_apk_valid("2.12r-r4", 8), "a letter after digits is valid");
	ok(!version_apk_valid("1.0bc", 5), "two letters are not");
	ok(!version_apk_valid("1.0_foo", 7), "an unknown suffix is not");
	ok(!version_apk_valid("1.0-x1", 6), "a dash must start -r");
	ok(!version_apk_valid("1234567890123456789", 19), "19 digits do not fit apk");
	/* Odd input never crashes and is consistent. */
	is_int(version_apk_cmp("", ""), 0, "empty = empty");
	is_int(sign(version_apk_cmp_n("1.2\0" "9", 5, "1.2", 3)), 0, "a NUL ends the version");
	is_int(sign(version_apk_cmp("99999999999999999999", "1")),
	    sign(-version_apk_cmp("1", "99999999999999999999")), "overlong numbers are antisymmetric");
	return done_testing();
}
