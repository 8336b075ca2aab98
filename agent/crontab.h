/*
 * crontab.h - crontab(5) files and systemd timer units, as scheduled jobs.
 *
 * System crontabs (/etc/crontab, /etc/cron.d/NAME) have a user field after
 * the schedule; per-user crontabs (/var/spool/cron/crontabs/<user>) do
 * not. Environment lines (NAME=value), comments and blank lines are not
 * jobs. Schedules are five time fields or an @keyword (@reboot, @daily,
 * ...). Lines that are neither are counted in *bad.
 */
#ifndef MAMORI_AGENT_CRONTAB_H
#define MAMORI_AGENT_CRONTAB_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/inventory.h"
#include "common/arena.h"
#include "common/span.h"

/*
 * Appends struct inv_job (kind "cron") for each entry of text. With
 * system true the sixth word is the user; otherwise user (may be NULL) is
 * used for every job. Returns 0 or MAMORI_E_NOMEM / MAMORI_E_LIMIT.
 */
int crontab_parse(struct arena *a, struct span text, const char *source,
    bool system, const char *user, struct vec *jobs, size_t *bad);

/*
 * Reads the [Timer] section of a systemd .timer unit: the OnCalendar=,
 * OnBootSec=, OnStartupSec=, OnActiveSec=, OnUnitActiveSec= and
 * OnUnitInactiveSec= lines joined as "OnCalendar=daily; OnBootSec=5min"
 * into *schedule, and Unit= into *unit (NULL when absent). An empty
 * assignment resets the list, as in systemd.
 */
int crontab_parse_timer(struct arena *a, struct span text, char **schedule,
    char **unit);

/* run-parts(8) and cron's file name rule: [A-Za-z0-9_-]+ only. */
bool crontab_name_ok(const char *name);

#endif
