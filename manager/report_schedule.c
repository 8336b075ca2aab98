#include "manager/report_schedule.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/atomicfile.h"
#include "common/err.h"
#include "storage/store_auth.h"

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

static int
fill_html(FILE *f, const void *arg, char *err, size_t errsz)
{
	return report_month_html(arg, f);
}

int
report_schedule_write_html(const struct report_doc *doc, const char *path, char *err, size_t errsz)
{
	if (strcmp(path, "-") == 0) {
		int rc = report_month_html(doc, stdout);
		if (rc != MAMORI_OK)
			snprintf(err, errsz, "cannot write to standard output: %s", strerror(errno));
		return rc;
	}
	return atomicfile_write(path, 0600, fill_html, doc, err, errsz);
}


int
report_schedule_run(struct db *db, int64_t tenant_id, const char *dir, enum lang lang,
    const char *company, int64_t now, bool *written, char *path, size_t pathsz, char *err,
    size_t errsz)
{
	struct report_month_opts o = { .lang = lang, .company = company, .generated_at = now,
		.tenant_id = tenant_id };
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

#define MAX_TENANTS 4096

struct tenant_row {
	int64_t id;
	char *name;
};

struct tenant_list {
	struct tenant_row *row;
	size_t n, cap;
};

static int
add_tenant(void *vctx, int64_t id, const char *name)
{
	struct tenant_list *l = vctx;
	if (l->n == MAX_TENANTS)
		return MAMORI_E_LIMIT;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct tenant_row *r = realloc(l->row, cap * sizeof(*r));
		if (!r)
			return MAMORI_E_NOMEM;
		l->row = r;
		l->cap = cap;
	}
	if (!(l->row[l->n].name = strdup(name)))
		return MAMORI_E_NOMEM;
	l->row[l->n++].id = id;
	return 0;
}

/* A tenant's name as a directory name: letters, digits, '.', '_', '-', not
 * starting with '.', at most 64 bytes; anything else is tenant-ID. */
static void
tenant_dir(const struct tenant_row *t, char *buf, size_t n)
{
	size_t len = strlen(t->name);
	bool safe = len > 0 && len <= 64 && t->name[0] != '.';
	for (size_t i = 0; safe && i < len; i++) {
		char c = t->name[i];
		safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-';
	}
	if (safe)
		snprintf(buf, n, "%s", t->name);
	else
		snprintf(buf, n, "tenant-%lld", (long long)t->id);
}

int
report_schedule_run_all(struct db *db, const char *dir, enum lang lang, const char *company,
    int64_t now, report_schedule_fn fn, void *ctx)
{
	struct tenant_list l = { NULL, 0, 0 };
	char err[512], path[4096], sub[4096], name[80];
	int listed = store_auth_tenant_list(db, add_tenant, &l), first = listed;
	if (listed != MAMORI_OK)
		fn(ctx, "", listed, false, "", "cannot list the tenants");
	for (size_t i = 0; listed == MAMORI_OK && i < l.n; i++) {
		const struct tenant_row *t = &l.row[i];
		const char *where = dir;
		bool written = false;
		int rc = MAMORI_OK;
		err[0] = path[0] = '\0';
		if (t->id != 1) {
			tenant_dir(t, name, sizeof(name));
			int k = snprintf(sub, sizeof(sub), "%s/%s", dir, name);
			if (k < 0 || (size_t)k >= sizeof(sub)) {
				snprintf(err, sizeof(err), "report directory path too long");
				rc = MAMORI_E_INVAL;
			} else if (mkdir(sub, 0700) != 0 && errno != EEXIST) {
				snprintf(err, sizeof(err), "cannot create %.400s: %s", sub, strerror(errno));
				rc = MAMORI_E_IO;
			}
			where = sub;
		}
		if (rc == MAMORI_OK)
			rc = report_schedule_run(db, t->id, where, lang, t->id == 1 ? company : t->name,
			    now, &written, path, sizeof(path), err, sizeof(err));
		fn(ctx, t->name, rc, written, path, err);
		if (rc != MAMORI_OK && first == MAMORI_OK)
			first = rc;
	}
	for (size_t i = 0; i < l.n; i++)
		free(l.row[i].name);
	free(l.row);
	return first;
}
