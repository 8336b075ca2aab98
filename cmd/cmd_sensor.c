/* cmd_sensor.c - mamori sensor: not written yet. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "common/err.h"

int
cmd_sensor(struct cmd_env *env, int argc, char **argv)
{
	(void)env;
	(void)argc;
	(void)argv;
	fprintf(stderr, "mamori sensor: not available in this version yet\n");
	return EXIT_SOFTWARE;
}
