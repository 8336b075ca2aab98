/*
 * holiday_jp.c - Japan's public holidays from the law's rules (see
 * holiday_jp.h). Sources: 国民の祝日に関する法律 and its amendments
 * (Happy Monday 2000/2003, 昭和の日 2007, 山の日 2016, 天皇誕生日 2020),
 * the special laws of 1989, 1990, 1993, 2019 and the Olympic moves; the
 * equinox days by the approximation the National Astronomical Observatory
 * publishes (valid 1980-2099).
 */
#include "detection/holiday_jp.h"

#include <stdint.h>

#include "detection/decode_util.h"

struct named {
	const char *en, *ja;
};

/* 0 = Sunday. */
static int
weekday(int y, int m, int d)
{
	int64_t days = decode_days_from_civil(y, (unsigned)m, (unsigned)d);
	return (int)(((days + 4) % 7 + 7) % 7);	/* 1970-01-01 was a Thursday */
}

/* The day of month of the n-th Monday. */
static int
nth_monday(int y, int m, int n)
{
	int first = 1 + (8 - weekday(y, m, 1)) % 7;
	return first + 7 * (n - 1);
}

/* floor(20.8431 + 0.242194 (y - 1980) - floor((y - 1980) / 4)), in integers. */
static int
equinox(int y, long base_micro)
{
	if (y < 1980 || y > 2099)
		return 0;
	long n = y - 1980;
	return (int)((base_micro + 242194L * n) / 1000000L - n / 4);
}

/* 国民の祝日 on y-m-d, or NULL. */
static const struct named *
national(int y, int m, int d)
{
	static const struct named
	    ganjitsu = { "New Year's Day", "元日" },
	    seijin = { "Coming of Age Day", "成人の日" },
	    kenkoku = { "National Foundation Day", "建国記念の日" },
	    tenno = { "The Emperor's Birthday", "天皇誕生日" },
	    shunbun = { "Vernal Equinox Day", "春分の日" },
	    showa = { "Showa Day", "昭和の日" },
	    midori = { "Greenery Day", "みどりの日" },
	    kenpo = { "Constitution Memorial Day", "憲法記念日" },
	    kodomo = { "Children's Day", "こどもの日" },
	    umi = { "Marine Day", "海の日" },
	    yama = { "Mountain Day", "山の日" },
	    keiro = { "Respect for the Aged Day", "敬老の日" },
	    shubun = { "Autumnal Equinox Day", "秋分の日" },
	    taiiku = { "Health and Sports Day", "体育の日" },
	    sports = { "Sports Day", "スポーツの日" },
	    bunka = { "Culture Day", "文化の日" },
	    kinro = { "Labor Thanksgiving Day", "勤労感謝の日" },
	    taiso = { "Funeral of Emperor Showa", "昭和天皇の大喪の礼" },
	    sokuirei = { "Enthronement Ceremony", "即位礼正殿の儀" },
	    kekkon = { "Wedding of Crown Prince Naruhito", "皇太子徳仁親王の結婚の儀" },
	    sokui = { "Enthronement Day", "即位の日" };

	switch (m) {
	case 1:
		if (d == 1)
			return &ganjitsu;
		if (y >= 2000 ? d == nth_monday(y, 1, 2) : d == 15)
			return &seijin;
		break;
	case 2:
		if (d == 11 && y >= 1967)
			return &kenkoku;
		if (d == 23 && y >= 2020)
			return &tenno;
		if (y == 1989 && d == 24)
			return &taiso;
		break;
	case 3:
		if (d == equinox(y, 20843100L))
			return &shunbun;
		break;
	case 4:
		if (d == 29)
			return y < 1989 ? &tenno : y < 2007 ? &midori : &showa;
		break;
	case 5:
		if (d == 3)
			return &kenpo;
		if (d == 4 && y >= 2007)
			return &midori;
		if (d == 5)
			return &kodomo;
		if (y == 2019 && d == 1)
			return &sokui;
		break;
	case 6:
		if (y == 1993 && d == 9)
			return &kekkon;
		break;
	case 7:
		if (y == 2020)
			return d == 23 ? &umi : d == 24 ? &sports : NULL;
		if (y == 2021)
			return d == 22 ? &umi : d == 23 ? &sports : NULL;
		if (y >= 2003 ? d == nth_monday(y, 7, 3) : (y >= 1996 && d == 20))
			return &umi;
		break;
	case 8:
		if (y == 2020 || y == 2021)
			return d == (y == 2020 ? 10 : 8) ? &yama : NULL;
		if (y >= 2016 && d == 11)
			return &yama;
		break;
	case 9:
		if (y >= 2003 ? d == nth_monday(y, 9, 3) : (y >= 1966 && d == 15))
			return &keiro;
		if (d == equinox(y, 23248800L))
			return &shubun;
		break;
	case 10:
		if (y == 2020 || y == 2021)
			break;
		if (y >= 2000 ? d == nth_monday(y, 10, 2) : (y >= 1966 && d == 10))
			return y >= 2020 ? &sports : &taiiku;
		if (y == 2019 && d == 22)
			return &sokuirei;
		break;
	case 11:
		if (d == 3)
			return &bunka;
		if (d == 23)
			return &kinro;
		if (y == 1990 && d == 12)
			return &sokuirei;
		break;
	case 12:
		if (d == 23 && y >= 1989 && y <= 2018)
			return &tenno;
		break;
	default:
		break;
	}
	return NULL;
}

static const struct named *
national_at(int y, int m, int d, int off, int *wday)
{
	int ny, nm, nd;
	decode_civil_from_days(decode_days_from_civil(y, (unsigned)m, (unsigned)d) + off, &ny, &nm, &nd);
	if (wday)
		*wday = weekday(ny, nm, nd);
	return national(ny, nm, nd);
}

struct holiday_jp
holiday_jp(int y, int m, int d)
{
	static const struct named
	    furikae = { "Substitute holiday", "振替休日" },
	    kokumin = { "Citizens' holiday", "国民の休日" };
	const struct named *n = national(y, m, d);
	int wd;
	if (n)
		return (struct holiday_jp){ HOLIDAY_JP_NATIONAL, n->en, n->ja };
	/* 振替休日 (from 1973-04-12): since 2007 the first non-holiday after a
	 * holiday on a Sunday, before that only the Monday after it */
	if (y > 1973 || (y == 1973 && (m > 4 || (m == 4 && d >= 12)))) {
		for (int back = 1; back <= (y >= 2007 ? 7 : 1); back++) {
			if (!national_at(y, m, d, -back, &wd))
				break;
			if (wd == 0)
				return (struct holiday_jp){ HOLIDAY_JP_SUBSTITUTE, furikae.en, furikae.ja };
		}
	}
	/* 国民の休日 (from 1985-12-27): a day between two 国民の祝日; before
	 * 2007 not a Sunday (nor a substitute holiday, handled above) */
	if (y >= 1986 && national_at(y, m, d, -1, NULL) && national_at(y, m, d, 1, NULL) &&
	    (y >= 2007 || weekday(y, m, d) != 0))
		return (struct holiday_jp){ HOLIDAY_JP_CITIZENS, kokumin.en, kokumin.ja };
	return (struct holiday_jp){ HOLIDAY_JP_NONE, NULL, NULL };
}
