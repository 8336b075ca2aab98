/*
 * check.h - the five basics (情報セキュリティ5か条) as checks.
 *
 * A check module (agent/check_<area>.c) declares its checks as a static
 * table of struct check_def - stable dotted id, 5か条 item, default
 * severity and the text an office manager reads in Japanese and English -
 * and one run function that looks at the inventory (and reads the files it
 * needs through ctx->root) and adds findings. The modules are listed in one
 * table in check.c.
 */
#ifndef MAMORI_AGENT_CHECK_H
#define MAMORI_AGENT_CHECK_H

#include <jansson.h>
#include <stdbool.h>

#include "agent/inventory.h"
#include "agent/scan_ctx.h"
#include "common/i18n.h"
#include "common/severity.h"

struct check_def {
	const char *id;			/* stable, e.g. "passwords.empty" */
	int kajo;			/* 5か条 item, 1..5 */
	enum severity severity;		/* default severity */
	struct i18n_text title;		/* what we found, one short line */
	struct i18n_text why;		/* why it matters, one or two sentences */
	struct i18n_text action;	/* what to do now, concrete */
};

struct finding {
	const struct check_def *def;
	enum severity severity;		/* def->severity unless raised/lowered */
	char *detail_en;		/* the specifics of this machine */
	char *detail_ja;
	json_t *evidence;		/* owned reference; never NULL */
};

enum check_status { CHECK_PASS, CHECK_FAIL, CHECK_SKIPPED };

struct check_note {
	const struct check_def *def;
	char *reason;			/* why skipped (English), in the arena */
};

struct check_run {
	struct scan_ctx *ctx;
	struct vec findings;		/* struct finding */
	struct vec skipped;		/* struct check_note */
};

struct check_module {
	const char *area;		/* "updates", "antimalware", ... */
	const struct check_def *defs;
	size_t ndefs;
	int (*run)(struct check_run *run, const struct inventory *inv);
};

/*
 * Adds a finding. evidence is stolen (json_decref'd by check_run_release);
 * NULL means json_null(). detail_en/detail_ja are copied; NULL means "".
 * Returns NULL only when memory ran out.
 */
struct finding *check_add(struct check_run *run, const struct check_def *def,
    json_t *evidence, const char *detail_en, const char *detail_ja);
/* Marks a check as not run here (no sshd, not root, ...), with a reason. */
void check_skip(struct check_run *run, const struct check_def *def,
    const char *reason_fmt, ...) __attribute__((format(printf, 3, 4)));

void check_run_init(struct check_run *run, struct scan_ctx *ctx);
void check_run_release(struct check_run *run);
/* Runs every module; a module's failure becomes a scan warning. */
int check_run_all(struct check_run *run, const struct inventory *inv);

/* All modules, NULL-terminated; used for listings and tests. */
const struct check_module *const *check_modules(void);
/* Looks a check up by id across modules. */
const struct check_def *check_find(const char *id);
enum check_status check_status_of(const struct check_run *run,
    const struct check_def *def, const char **reason);

/* Score 0-100 for each 5か条 item 1..4 and overall; item 5 is manual. */
struct check_score {
	int kajo[5];			/* index 0..3 = items 1..4; [4] = -1 */
	int overall;
};
void check_score(const struct check_run *run, struct check_score *out);

/* The modules (one file each). */
extern const struct check_module check_updates_module;
extern const struct check_module check_antimalware_module;
extern const struct check_module check_passwords_module;
extern const struct check_module check_sharing_module;
extern const struct check_module check_vulns_module;
extern const struct check_module check_backup_module;

#endif
