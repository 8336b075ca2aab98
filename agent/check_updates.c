/* check_updates.c - not written yet: no checks. */
#include "agent/check.h"
#include "common/err.h"

static int
run_updates(struct check_run *run, const struct inventory *inv)
{
	(void)run;
	(void)inv;
	return MAMORI_OK;
}

const struct check_module check_updates_module = {
	"updates", NULL, 0, run_updates,
};
