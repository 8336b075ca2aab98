/* cmd_vuln.c - mamori vuln SUBCOMMAND: not written yet beyond dispatch. */
#include <string.h>

#include "cmd/cmd.h"
#include "common/err.h"

int
cmd_vuln(struct cmd_env *env, int argc, char **argv)
{
	if (argc < 2)
		return cmd_usage_error("vuln", "needs a subcommand: update, scan or compare");
	if (strcmp(argv[1], "update") == 0)
		return cmd_vuln_update(env, argc - 1, argv + 1);
	return cmd_usage_error("vuln", "unknown subcommand '%s'", argv[1]);
}
