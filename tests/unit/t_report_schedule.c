/* t_report_schedule.c - which month a scheduled run reports on. */
#include "manager/report_schedule.h"
#include "tests/tap.h"

int
main(void)
{
	int y, m;
	report_schedule_month(1796456000, &y, &m);	/* 2026-12-05 UTC */
	ok(y == 2026 && m == 11, "on 5 December 2026: November 2026");
	report_schedule_month(1767225600, &y, &m);	/* 2026-01-01 00:00 UTC */
	ok(y == 2025 && m == 12, "on 1 January 2026 at midnight: December 2025");
	report_schedule_month(1767225599, &y, &m);	/* 2025-12-31 23:59:59 UTC */
	ok(y == 2025 && m == 11, "a second earlier: November 2025");
	return done_testing();
}
