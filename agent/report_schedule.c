#include "agent/report_schedule.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"

void
report_schedule_month(int64_t now, int *year, int *month)
{
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	*year = tm.tm_year + 1900;
	*month = tm.tm_mon;	/* 0-based this month = 1-based last month */
	if (*month == 0) {
		*month = 12;
		(*year)--;
	}
}

int
report_schedule_write_html(const struct report_doc *doc, const char *path, char *err, size_t errsz)
{
	if (strcmp(path, "-") == 0)
		return report_month_html(doc, stdout);
	char tmp[4096];
	int n = snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		snprintf(err, errsz, "output path too long");
		return MAMORI_E_INVAL;
	}
	int fd = mkstemp(tmp);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		snprintf(err, errsz, "cannot create %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return MAMORI_E_IO;
	}
	int rc = report_month_html(doc, f);
	if (fclose(f) != 0)
		rc = MAMORI_E_IO;
	if (!rc && rename(tmp, path) != 0)
		rc = MAMORI_E_IO;
	if (rc) {
		snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	return rc;
}


int
report_schedule_run(struct db *db, const char *dir, enum lang lang, const char *company,
    int64_t now, bool *written, char *path, size_t pathsz, char *err, size_t errsz)
{
	struct report_month_opts o = { .lang = lang, .company = company, .generated_at = now };
	struct stat sb;
	*written = false;
	report_schedule_month(now, &o.year, &o.month);
	int n = snprintf(path, pathsz, "%s/mamori-report-%04d-%02d.html", dir, o.year, o.month);
	if (n < 0 || (size_t)n >= pathsz) {
		snprintf(err, errsz, "report directory path too long");
		return MAMORI_E_INVAL;
	}
	if (stat(path, &sb) == 0)
		return MAMORI_OK;
	struct report_doc doc;
	int rc = report_month_build(db, &o, &doc, err, errsz);
	if (rc != MAMORI_OK)
		return rc;
	rc = report_schedule_write_html(&doc, path, err, errsz);
	report_month_release(&doc);
	*written = rc == MAMORI_OK;
	return rc;
}
