/* check_passwords.c - not written yet: no checks. */
#include "agent/check.h"
#include "common/err.h"

static int
run_passwords(struct check_run *run, const struct inventory *inv)
{
	(void)run;
	(void)inv;
	return MAMORI_OK;
}

const struct check_module check_passwords_module = {
	"passwords", NULL, 0, run_passwords,
};
