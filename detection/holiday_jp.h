/*
 * holiday_jp.h - Japan's public holidays (国民の祝日に関する法律), computed
 * from the law's rules rather than from a list of dates: fixed dates, the
 * Happy Monday days (成人の日, 海の日, 敬老の日, スポーツの日), the equinox
 * days by the standard approximation (valid 1980-2099; outside those years
 * they are not known), 振替休日 (a holiday on a Sunday moves to the next
 * non-holiday; before 2007 only to the Monday) and 国民の休日 (a day between
 * two holidays, from 1986), with the law's changes over the years and the
 * one-off days (1989, 1990, 1993, 2019, the Olympic moves of 2020/2021).
 */
#ifndef MAMORI_DETECTION_HOLIDAY_JP_H
#define MAMORI_DETECTION_HOLIDAY_JP_H

enum holiday_jp_kind {
	HOLIDAY_JP_NONE,
	HOLIDAY_JP_NATIONAL,		/* 国民の祝日 */
	HOLIDAY_JP_SUBSTITUTE,		/* 振替休日 */
	HOLIDAY_JP_CITIZENS,		/* 国民の休日 */
};

struct holiday_jp {
	enum holiday_jp_kind kind;
	const char *en, *ja;		/* static names; NULL for NONE */
};

/* The holiday on y-m-d (Gregorian), or kind NONE. */
struct holiday_jp holiday_jp(int y, int m, int d);

#endif
