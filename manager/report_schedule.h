/*
 * report_schedule.h - the monthly report on a schedule: whatever runs
 * periodically (a timer, mamori up, the manager) calls
 * report_schedule_run_all(); it writes last month's report of each tenant
 * once, into a directory, and does nothing while that report exists.
 */
#ifndef MAMORI_MANAGER_REPORT_SCHEDULE_H
#define MAMORI_MANAGER_REPORT_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manager/report_month.h"

/* The month a scheduled run at now reports on: the previous UTC month. */
void report_schedule_month(int64_t now, int *year, int *month);
/*
 * DIR/mamori-report-YYYY-MM.html for the month before now, unless it is
 * already there (*written false). lang and company as report_month_opts.
 * path gets the file name either way.
 */
int report_schedule_run(struct db *db, int64_t tenant_id, const char *dir, enum lang lang,
    const char *company, int64_t now, bool *written, char *path, size_t pathsz, char *err,
    size_t errsz);
/* What happened to one tenant's report; err is set when rc is not 0. */
typedef void (*report_schedule_fn)(void *ctx, const char *tenant, int rc, bool written,
    const char *path, const char *err);
/*
 * report_schedule_run for every tenant: the default tenant's report goes
 * into DIR, another tenant's into DIR/NAME (created, 0700), NAME being
 * the tenant's name when it is a safe file name, else tenant-ID. company
 * names the default tenant; other tenants' reports carry their name. One
 * tenant failing does not stop the others; the first error is returned.
 */
int report_schedule_run_all(struct db *db, const char *dir, enum lang lang, const char *company,
    int64_t now, report_schedule_fn fn, void *ctx);
/* HTML through a temporary file renamed into place ("-": stdout), so a
 * failed run never leaves half a report. */
int report_schedule_write_html(const struct report_doc *doc, const char *path, char *err,
    size_t errsz);

#endif
