/* cmd_logs.c - mamori logs: not written yet. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "common/err.h"

int
cmd_logs(struct cmd_env *env, int argc, char **argv)
{
	(void)env;
	(void)argc;
	(void)argv;
	fprintf(stderr, "mamori logs: not available in this version yet\n");
	return EXIT_SOFTWARE;
}
