#include "agent/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"

static const struct check_module *const modules[] = {
	&check_updates_module,
	&check_antimalware_module,
	&check_passwords_module,
	&check_sharing_module,
	&check_vulns_module,
	&check_backup_module,
	NULL,
};

const struct check_module *const *
check_modules(void)
{
	return modules;
}

void
check_run_init(struct check_run *run, struct scan_ctx *ctx)
{
	run->ctx = ctx;
	vec_init(&run->findings, sizeof(struct finding), 100000);
	vec_init(&run->skipped, sizeof(struct check_note), 10000);
}

void
check_run_release(struct check_run *run)
{
	for (size_t i = 0; i < run->findings.n; i++) {
		struct finding *f = vec_at(&run->findings, i);
		json_decref(f->evidence);
		f->evidence = NULL;
	}
	run->findings.n = 0;
}

struct finding *
check_add(struct check_run *run, const struct check_def *def, json_t *evidence,
    const char *detail_en, const char *detail_ja)
{
	struct finding *f = vec_push(run->ctx->arena, &run->findings);
	if (!f) {
		json_decref(evidence);
		return NULL;
	}
	f->def = def;
	f->severity = def->severity;
	f->detail_en = arena_strdup(run->ctx->arena, detail_en ? detail_en : "");
	f->detail_ja = arena_strdup(run->ctx->arena, detail_ja ? detail_ja : "");
	f->evidence = evidence ? evidence : json_null();
	if (!f->detail_en || !f->detail_ja) {
		json_decref(f->evidence);
		run->findings.n--;
		return NULL;
	}
	return f;
}

void
check_skip(struct check_run *run, const struct check_def *def,
    const char *reason_fmt, ...)
{
	struct check_note *n = vec_push(run->ctx->arena, &run->skipped);
	if (!n)
		return;
	va_list ap;
	va_start(ap, reason_fmt);
	n->def = def;
	n->reason = arena_vprintf(run->ctx->arena, reason_fmt, ap);
	va_end(ap);
}

int
check_run_all(struct check_run *run, const struct inventory *inv)
{
	for (size_t i = 0; modules[i]; i++) {
		int rc = modules[i]->run(run, inv);
		if (rc == MAMORI_E_NOMEM)
			return rc;
		if (rc)
			scan_warn(run->ctx, modules[i]->area, "checks stopped early: %s",
			    err_str(rc));
	}
	return MAMORI_OK;
}

const struct check_def *
check_find(const char *id)
{
	for (size_t i = 0; modules[i]; i++)
		for (size_t j = 0; j < modules[i]->ndefs; j++)
			if (strcmp(modules[i]->defs[j].id, id) == 0)
				return &modules[i]->defs[j];
	return NULL;
}

enum check_status
check_status_of(const struct check_run *run, const struct check_def *def,
    const char **reason)
{
	if (reason)
		*reason = NULL;
	for (size_t i = 0; i < run->findings.n; i++) {
		const struct finding *f = vec_at(&run->findings, i);
		if (f->def == def)
			return CHECK_FAIL;
	}
	for (size_t i = 0; i < run->skipped.n; i++) {
		const struct check_note *n = vec_at(&run->skipped, i);
		if (n->def == def) {
			if (reason)
				*reason = n->reason;
			return CHECK_SKIPPED;
		}
	}
	return CHECK_PASS;
}

/*
 * Each failed check costs its item points by its worst severity, once per
 * check (ten risky ports are one problem to fix, not ten): an item with a
 * critical finding lands at 50 or below, as an owner would expect.
 */
void
check_score(const struct check_run *run, struct check_score *out)
{
	static const int penalty[] = { 0, 5, 15, 30, 50 };
	int lost[4] = { 0, 0, 0, 0 };

	for (size_t m = 0; modules[m]; m++) {
		for (size_t j = 0; j < modules[m]->ndefs; j++) {
			const struct check_def *def = &modules[m]->defs[j];
			int worst = -1;
			for (size_t i = 0; i < run->findings.n; i++) {
				const struct finding *f = vec_at(&run->findings, i);
				if (f->def == def && (int)f->severity > worst)
					worst = (int)f->severity;
			}
			if (worst >= 0 && def->kajo >= 1 && def->kajo <= 4)
				lost[def->kajo - 1] += penalty[worst];
		}
	}
	int sum = 0;
	for (int k = 0; k < 4; k++) {
		out->kajo[k] = lost[k] >= 100 ? 0 : 100 - lost[k];
		sum += out->kajo[k];
	}
	out->kajo[4] = -1;
	out->overall = (sum + 2) / 4;
}
