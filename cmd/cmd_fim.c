/* cmd_fim.c - mamori fim: not written yet. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "common/err.h"

int
cmd_fim(struct cmd_env *env, int argc, char **argv)
{
	(void)env;
	(void)argc;
	(void)argv;
	fprintf(stderr, "mamori fim: not available in this version yet\n");
	return EXIT_SOFTWARE;
}
