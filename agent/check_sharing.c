/* check_sharing.c - not written yet: no checks. */
#include "agent/check.h"
#include "common/err.h"

static int
run_sharing(struct check_run *run, const struct inventory *inv)
{
	(void)run;
	(void)inv;
	return MAMORI_OK;
}

const struct check_module check_sharing_module = {
	"sharing", NULL, 0, run_sharing,
};
