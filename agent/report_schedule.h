/*
 * report_schedule.h - the monthly report on a schedule: whatever runs
 * periodically (a timer, mamori up, the manager) calls
 * report_schedule_run(); it writes last month's report once, into a
 * directory, and does nothing while that report exists.
 */
#ifndef MAMORI_AGENT_REPORT_SCHEDULE_H
#define MAMORI_AGENT_REPORT_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/report_month.h"

/* The month a scheduled run at now reports on: the previous UTC month. */
void report_schedule_month(int64_t now, int *year, int *month);
/*
 * DIR/mamori-report-YYYY-MM.html for the month before now, unless it is
 * already there (*written false). lang and company as report_month_opts.
 * path gets the file name either way.
 */
int report_schedule_run(struct db *db, const char *dir, enum lang lang, const char *company,
    int64_t now, bool *written, char *path, size_t pathsz, char *err, size_t errsz);
/* HTML through a temporary file renamed into place ("-": stdout), so a
 * failed run never leaves half a report. */
int report_schedule_write_html(const struct report_doc *doc, const char *path, char *err,
    size_t errsz);

#endif
