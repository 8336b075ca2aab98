/*
 * os_eol.c - a static table of operating system support dates.
 *
 * regular_end is the last day of the vendor's normal security support;
 * extended_end the last day of what still ships security fixes after it
 * (Debian LTS, free; Ubuntu ESM with Ubuntu Pro; RHEL ELS and SUSE LTSS,
 * paid add-ons). Dates are the vendors' published ones as of 2026-11; the
 * ones marked "est." were announced only as a month or are projections
 * and should be revisited when the vendor fixes them.
 */
#include "agent/os_eol.h"

#include <stdint.h>
#include <string.h>

struct eol_row {
	const char *id;		/* os-release ID */
	const char *version;	/* VERSION_ID, or its leading "N" / "N.M" */
	const char *name_has;	/* NAME must contain this (CentOS Stream) */
	const char *release;
	const char *regular_end;
	const char *extended_end;
	const char *successor;
};

static const struct eol_row rows[] = {
	/* Debian: security team support, then Debian LTS (5 years total). */
	{ "debian", "8", NULL, "Debian 8 (jessie)", "2018-06-17", "2020-06-30", "Debian 13" },
	{ "debian", "9", NULL, "Debian 9 (stretch)", "2020-07-06", "2022-06-30", "Debian 13" },
	{ "debian", "10", NULL, "Debian 10 (buster)", "2022-09-10", "2024-06-30", "Debian 13" },
	{ "debian", "11", NULL, "Debian 11 (bullseye)", "2024-08-14", "2026-08-31", "Debian 13" },
	{ "debian", "12", NULL, "Debian 12 (bookworm)", "2026-06-10", "2028-06-30", "Debian 13" },
	/* Released 2025-08-09; regular end est. (one year after Debian 14). */
	{ "debian", "13", NULL, "Debian 13 (trixie)", "2028-08-09", "2030-06-30", NULL },
	/* Ubuntu: standard support, then ESM (Ubuntu Pro). Days est.:
	 * Canonical publishes months. 16.04 has a paid Legacy add-on
	 * beyond ESM that we do not count. */
	{ "ubuntu", "16.04", NULL, "Ubuntu 16.04 LTS", "2021-04-30", "2026-04-30", "Ubuntu 24.04 LTS" },
	{ "ubuntu", "18.04", NULL, "Ubuntu 18.04 LTS", "2023-05-31", "2028-04-30", "Ubuntu 24.04 LTS" },
	{ "ubuntu", "20.04", NULL, "Ubuntu 20.04 LTS", "2025-05-31", "2030-04-30", "Ubuntu 24.04 LTS" },
	{ "ubuntu", "22.04", NULL, "Ubuntu 22.04 LTS", "2027-06-30", "2032-04-30", "Ubuntu 24.04 LTS" },
	{ "ubuntu", "24.04", NULL, "Ubuntu 24.04 LTS", "2029-05-31", "2034-04-30", NULL },
	{ "ubuntu", "24.10", NULL, "Ubuntu 24.10", "2025-07-10", NULL, "Ubuntu 26.04 LTS" },
	{ "ubuntu", "25.04", NULL, "Ubuntu 25.04", "2026-01-15", NULL, "Ubuntu 26.04 LTS" },
	{ "ubuntu", "25.10", NULL, "Ubuntu 25.10", "2026-07-31", NULL, "Ubuntu 26.04 LTS" },	/* est. */
	{ "ubuntu", "26.04", NULL, "Ubuntu 26.04 LTS", "2031-05-31", "2036-04-30", NULL },	/* est. */
	/* RHEL: end of Maintenance Support, then ELS (paid). */
	{ "rhel", "7", NULL, "Red Hat Enterprise Linux 7", "2024-06-30", "2028-06-30", "RHEL 9" },
	{ "rhel", "8", NULL, "Red Hat Enterprise Linux 8", "2029-05-31", "2032-05-31", NULL },
	{ "rhel", "9", NULL, "Red Hat Enterprise Linux 9", "2032-05-31", "2035-05-31", NULL },
	{ "rhel", "10", NULL, "Red Hat Enterprise Linux 10", "2035-05-31", NULL, NULL },	/* est. */
	{ "almalinux", "8", NULL, "AlmaLinux 8", "2029-03-01", NULL, NULL },
	{ "almalinux", "9", NULL, "AlmaLinux 9", "2032-05-31", NULL, NULL },
	{ "almalinux", "10", NULL, "AlmaLinux 10", "2035-05-31", NULL, NULL },	/* est. */
	{ "rocky", "8", NULL, "Rocky Linux 8", "2029-05-31", NULL, NULL },
	{ "rocky", "9", NULL, "Rocky Linux 9", "2032-05-31", NULL, NULL },
	{ "rocky", "10", NULL, "Rocky Linux 10", "2035-05-31", NULL, NULL },	/* est. */
	/* CentOS: Stream rows first (same ID and VERSION_ID as Linux 8). */
	{ "centos", "8", "Stream", "CentOS Stream 8", "2024-05-31", NULL, "AlmaLinux / Rocky Linux 9" },
	{ "centos", "9", "Stream", "CentOS Stream 9", "2027-05-31", NULL, NULL },	/* est. */
	{ "centos", "10", "Stream", "CentOS Stream 10", "2030-01-01", NULL, NULL },	/* est. */
	{ "centos", "7", NULL, "CentOS Linux 7", "2024-06-30", NULL, "AlmaLinux / Rocky Linux 9" },
	{ "centos", "8", NULL, "CentOS Linux 8", "2021-12-31", NULL, "AlmaLinux / Rocky Linux 9" },
	/* Alpine: end of the main repository's support, 2 years. */
	{ "alpine", "3.17", NULL, "Alpine Linux 3.17", "2024-11-22", NULL, "Alpine 3.22" },
	{ "alpine", "3.18", NULL, "Alpine Linux 3.18", "2025-05-09", NULL, "Alpine 3.22" },
	{ "alpine", "3.19", NULL, "Alpine Linux 3.19", "2025-11-01", NULL, "Alpine 3.22" },
	{ "alpine", "3.20", NULL, "Alpine Linux 3.20", "2026-04-01", NULL, "Alpine 3.22" },
	{ "alpine", "3.21", NULL, "Alpine Linux 3.21", "2026-11-01", NULL, "Alpine 3.22" },
	{ "alpine", "3.22", NULL, "Alpine Linux 3.22", "2027-05-01", NULL, NULL },
	{ "alpine", "3.23", NULL, "Alpine Linux 3.23", "2027-11-01", NULL, NULL },	/* est. */
	/* SUSE: general support of the service pack, then LTSS (paid). */
	{ "sles", "12.5", NULL, "SUSE Linux Enterprise Server 12 SP5", "2024-10-31", "2027-10-31", "SLES 15" },
	{ "sles", "15.4", NULL, "SUSE Linux Enterprise Server 15 SP4", "2023-12-31", "2026-12-31", "SLES 15 SP7" },
	{ "sles", "15.5", NULL, "SUSE Linux Enterprise Server 15 SP5", "2024-12-31", "2027-12-31", "SLES 15 SP7" },
	{ "sles", "15.6", NULL, "SUSE Linux Enterprise Server 15 SP6", "2025-12-31", "2028-12-31", "SLES 15 SP7" },
	{ "sles", "15.7", NULL, "SUSE Linux Enterprise Server 15 SP7", "2031-07-31", "2034-07-31", NULL },	/* est. */
	{ "opensuse-leap", "15.4", NULL, "openSUSE Leap 15.4", "2023-12-07", NULL, "openSUSE Leap 16.0" },
	{ "opensuse-leap", "15.5", NULL, "openSUSE Leap 15.5", "2024-12-31", NULL, "openSUSE Leap 16.0" },
	{ "opensuse-leap", "15.6", NULL, "openSUSE Leap 15.6", "2026-04-30", NULL, "openSUSE Leap 16.0" },
	{ "opensuse-leap", "16.0", NULL, "openSUSE Leap 16.0", "2027-10-31", NULL, NULL },	/* est. */
	/* Fedora: about 13 months each. */
	{ "fedora", "39", NULL, "Fedora 39", "2024-11-26", NULL, "Fedora 43" },
	{ "fedora", "40", NULL, "Fedora 40", "2025-05-13", NULL, "Fedora 43" },
	{ "fedora", "41", NULL, "Fedora 41", "2025-12-15", NULL, "Fedora 43" },
	{ "fedora", "42", NULL, "Fedora 42", "2026-05-13", NULL, "Fedora 43" },
	{ "fedora", "43", NULL, "Fedora 43", "2026-12-09", NULL, NULL },	/* est. */
	{ "fedora", "44", NULL, "Fedora 44", "2027-05-19", NULL, NULL },	/* est. */
};

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The first second after the last supported day "YYYY-MM-DD" (UTC). */
static int64_t
end_of_day(const char *date)
{
	unsigned y = 0, m = 0, d = 0;
	const char *p = date;

	for (int i = 0; i < 4; i++)
		y = y * 10 + (unsigned)(*p++ - '0');
	p++;
	m = (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
	p += 3;
	d = (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
	return (days_from_civil(y, m, d) + 1) * 86400;
}

static bool
version_matches(const char *have, const char *want)
{
	size_t n = strlen(want);
	return strncmp(have, want, n) == 0 && (have[n] == '\0' || have[n] == '.');
}

static const char *
os_id(const struct inv_os *os)
{
	/* Raspberry Pi OS follows Debian's releases and numbers. */
	if (os->id && strcmp(os->id, "raspbian") == 0)
		return "debian";
	return os->id;
}

void
os_eol_lookup(const struct inv_os *os, time_t now, struct os_eol_info *out)
{
	const char *id = os_id(os), *ver = os->version_id;

	memset(out, 0, sizeof(*out));
	/* /etc/debian_version ("12.8") stands in for a missing VERSION_ID;
	 * testing/sid ("trixie/sid") has no number and stays unknown. */
	if (id && strcmp(id, "debian") == 0 && (!ver || !*ver))
		ver = os->debian_version;
	if (!id || !ver || !*ver)
		return;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct eol_row *r = &rows[i];
		if (strcmp(r->id, id) != 0 || !version_matches(ver, r->version))
			continue;
		if (r->name_has && (!os->name || !strstr(os->name, r->name_has)))
			continue;
		out->release = r->release;
		out->regular_end = r->regular_end;
		out->extended_end = r->extended_end;
		out->successor = r->successor;
		if ((int64_t)now < end_of_day(r->regular_end))
			out->support = OS_SUPPORT_FULL;
		else if (r->extended_end &&
		    (int64_t)now < end_of_day(r->extended_end))
			out->support = OS_SUPPORT_EXTENDED;
		else
			out->support = OS_SUPPORT_ENDED;
		return;
	}
}

const char *
os_support_name(enum os_support s)
{
	static const char *const names[] = { "unknown", "supported",
	    "extended", "ended" };
	return (unsigned)s <= OS_SUPPORT_ENDED ? names[s] : "unknown";
}
