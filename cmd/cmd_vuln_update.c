/* cmd_vuln_update.c - mamori vuln update: not written yet. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "common/err.h"

int
cmd_vuln_update(struct cmd_env *env, int argc, char **argv)
{
	(void)env;
	(void)argc;
	(void)argv;
	fprintf(stderr, "mamori vuln update: not available yet\n");
	return EXIT_SOFTWARE;
}
