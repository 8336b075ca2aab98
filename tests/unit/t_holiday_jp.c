/*
 * t_holiday_jp.c - Japan's public holidays computed from the law's rules
 * against the Cabinet Office's published lists (内閣府「国民の祝日について」)
 * for 2024-2027, every day of each year, and against the law's special
 * cases of earlier years.
 */
#include <stdio.h>
#include <string.h>

#include "detection/holiday_jp.h"
#include "tests/tap.h"

struct day {
	int m, d;
	enum holiday_jp_kind kind;
};

#define N HOLIDAY_JP_NATIONAL
#define S HOLIDAY_JP_SUBSTITUTE
#define C HOLIDAY_JP_CITIZENS

static const struct day y2024[] = {
	{ 1, 1, N }, { 1, 8, N }, { 2, 11, N }, { 2, 12, S }, { 2, 23, N }, { 3, 20, N },
	{ 4, 29, N }, { 5, 3, N }, { 5, 4, N }, { 5, 5, N }, { 5, 6, S }, { 7, 15, N },
	{ 8, 11, N }, { 8, 12, S }, { 9, 16, N }, { 9, 22, N }, { 9, 23, S }, { 10, 14, N },
	{ 11, 3, N }, { 11, 4, S }, { 11, 23, N }, { 0, 0, 0 },
};
static const struct day y2025[] = {
	{ 1, 1, N }, { 1, 13, N }, { 2, 11, N }, { 2, 23, N }, { 2, 24, S }, { 3, 20, N },
	{ 4, 29, N }, { 5, 3, N }, { 5, 4, N }, { 5, 5, N }, { 5, 6, S }, { 7, 21, N },
	{ 8, 11, N }, { 9, 15, N }, { 9, 23, N }, { 10, 13, N }, { 11, 3, N }, { 11, 23, N },
	{ 11, 24, S }, { 0, 0, 0 },
};
static const struct day y2026[] = {
	{ 1, 1, N }, { 1, 12, N }, { 2, 11, N }, { 2, 23, N }, { 3, 20, N }, { 4, 29, N },
	{ 5, 3, N }, { 5, 4, N }, { 5, 5, N }, { 5, 6, S }, { 7, 20, N }, { 8, 11, N },
	{ 9, 21, N }, { 9, 22, C }, { 9, 23, N }, { 10, 12, N }, { 11, 3, N }, { 11, 23, N },
	{ 0, 0, 0 },
};
static const struct day y2027[] = {
	{ 1, 1, N }, { 1, 11, N }, { 2, 11, N }, { 2, 23, N }, { 3, 21, N }, { 3, 22, S },
	{ 4, 29, N }, { 5, 3, N }, { 5, 4, N }, { 5, 5, N }, { 7, 19, N }, { 8, 11, N },
	{ 9, 20, N }, { 9, 23, N }, { 10, 11, N }, { 11, 3, N }, { 11, 23, N }, { 0, 0, 0 },
};

static int
days_in(int y, int m)
{
	static const int md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : md[m - 1];
}

/* Every day of year y: a holiday exactly on the listed days, of the listed kind. */
static void
year(int y, const struct day *want)
{
	size_t n = 0, wrong = 0, listed = 0;
	char first[64] = "";
	while (want[listed].m)
		listed++;
	for (int m = 1; m <= 12; m++)
		for (int d = 1; d <= days_in(y, m); d++) {
			struct holiday_jp h = holiday_jp(y, m, d);
			enum holiday_jp_kind k = HOLIDAY_JP_NONE;
			for (size_t i = 0; i < listed; i++)
				if (want[i].m == m && want[i].d == d)
					k = want[i].kind;
			if (h.kind != HOLIDAY_JP_NONE)
				n++;
			if (h.kind != k || (k != HOLIDAY_JP_NONE && (!h.en || !h.ja))) {
				if (!wrong++)
					snprintf(first, sizeof(first), "%d-%02d-%02d: got %d, want %d", y, m, d, h.kind, k);
			}
		}
	ok(wrong == 0 && n == listed, "%d: the %zu days of the Cabinet Office list, kinds too%s%s", y, listed,
	    wrong ? "; first difference " : "", first);
}

static void
is_day(int y, int m, int d, enum holiday_jp_kind kind, const char *ja, const char *what)
{
	struct holiday_jp h = holiday_jp(y, m, d);
	ok(h.kind == kind && (!ja || (h.ja && !strcmp(h.ja, ja))), "%d-%02d-%02d %s (%s)", y, m, d, what,
	    h.ja ? h.ja : "none");
}

int
main(void)
{
	year(2024, y2024);
	year(2025, y2025);
	year(2026, y2026);
	year(2027, y2027);

	is_day(2025, 3, 20, N, "春分の日", "vernal equinox by the formula");
	is_day(2026, 9, 22, C, "国民の休日", "between 敬老の日 and 秋分の日");
	is_day(2025, 5, 6, S, "振替休日", "5/4 on a Sunday moves past 5/5 (since 2007)");
	is_day(2019, 4, 30, C, "国民の休日", "between 昭和の日 and 即位の日");
	is_day(2019, 5, 1, N, "即位の日", "Enthronement Day 2019");
	is_day(2019, 5, 2, C, "国民の休日", "between 即位の日 and 憲法記念日");
	is_day(2019, 10, 22, N, "即位礼正殿の儀", "Enthronement Ceremony 2019");
	is_day(2019, 12, 23, HOLIDAY_JP_NONE, NULL, "no Emperor's Birthday in 2019");
	is_day(2018, 12, 23, N, "天皇誕生日", "Emperor's Birthday until 2018");
	is_day(2020, 7, 24, N, "スポーツの日", "Olympic move 2020");
	is_day(2020, 10, 12, HOLIDAY_JP_NONE, NULL, "no Sports Day in October 2020");
	is_day(2021, 8, 9, S, "振替休日", "山の日 2021 on Sunday 8/8");
	is_day(2015, 9, 22, C, "国民の休日", "Silver Week 2015");
	is_day(2006, 5, 4, C, "国民の休日", "5/4 before みどりの日 moved there (2007)");
	is_day(2007, 5, 4, N, "みどりの日", "みどりの日 on 5/4 since 2007");
	is_day(2006, 4, 29, N, "みどりの日", "4/29 was みどりの日 until 2006");
	is_day(1999, 1, 15, N, "成人の日", "成人の日 on 1/15 before Happy Monday");
	is_day(2001, 1, 8, N, "成人の日", "2nd Monday from 2000");
	is_day(2002, 7, 20, N, "海の日", "海の日 on 7/20 before 2003");
	is_day(2008, 5, 6, S, "振替休日", "5/3 on Saturday, 5/4 Sunday: 5/6");
	is_day(1996, 5, 6, S, "振替休日", "5/5 on Sunday before 2007: the Monday");
	is_day(1989, 2, 24, N, "昭和天皇の大喪の礼", "1989 one-off");
	is_day(2010, 3, 22, S, "振替休日", "春分の日 3/21 on Sunday");
	is_day(2100, 3, 21, HOLIDAY_JP_NONE, NULL, "equinox outside 1980-2099 not guessed");
	is_day(2024, 12, 30, HOLIDAY_JP_NONE, NULL, "the year-end break is a setting, not a holiday");
	return done_testing();
}
