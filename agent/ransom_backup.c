/*
 * ransom_backup.c - snapshot/backup removal commands (ransom_backup.h).
 */
#include "agent/ransom_backup.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Length of the program's base name at the start of cmdline; *name set. */
static size_t
program(const char *cmdline, const char **name)
{
	size_t n = strcspn(cmdline, " ");
	const char *p = cmdline;
	for (size_t i = 0; i < n; i++)
		if (cmdline[i] == '/' || cmdline[i] == '\\')
			p = cmdline + i + 1;
	*name = p;
	return n - (size_t)(p - cmdline);
}

static bool
prog_is(const char *cmdline, const char *want)
{
	const char *name;
	size_t n = program(cmdline, &name);
	size_t w = strlen(want);
	/* Windows names come with ".exe" in any case. */
	return (n == w && strncasecmp(name, want, w) == 0) ||
	    (n == w + 4 && strncasecmp(name, want, w) == 0 && strncasecmp(name + w, ".exe", 4) == 0);
}

/* A whole argument (after the program) equal to word, case-insensitive. */
static bool
has_arg(const char *cmdline, const char *word)
{
	size_t w = strlen(word);
	const char *p = cmdline + strcspn(cmdline, " ");
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n == w && strncasecmp(p, word, w) == 0)
			return true;
		p += n;
	}
	return false;
}

bool
ransom_backup_command(const char *cmdline)
{
	if (!cmdline || !*cmdline)
		return false;
	if (prog_is(cmdline, "btrfs"))
		return (has_arg(cmdline, "subvolume") || has_arg(cmdline, "subvol") ||
		    has_arg(cmdline, "sub")) && (has_arg(cmdline, "delete") || has_arg(cmdline, "del"));
	if (prog_is(cmdline, "lvremove") || (prog_is(cmdline, "zfs") && has_arg(cmdline, "destroy")))
		return true;
	if (prog_is(cmdline, "timeshift"))
		return has_arg(cmdline, "--delete") || has_arg(cmdline, "--delete-all");
	if (prog_is(cmdline, "snapper"))
		return has_arg(cmdline, "delete") || has_arg(cmdline, "remove") || has_arg(cmdline, "rm");
	if (prog_is(cmdline, "vssadmin"))
		return has_arg(cmdline, "delete") && has_arg(cmdline, "shadows");
	if (prog_is(cmdline, "wbadmin"))
		return has_arg(cmdline, "delete");
	if (prog_is(cmdline, "wmic"))
		return has_arg(cmdline, "shadowcopy") && has_arg(cmdline, "delete");
	return false;
}

bool
ransom_backup_tool(const char *cmdline)
{
	static const char *const tools[] = {
		"restic", "borg", "borgbackup", "rsnapshot", "duplicity", "deja-dup",
		"snapper", "timeshift", "rsync",
	};
	if (!cmdline || !*cmdline)
		return false;
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (prog_is(cmdline, tools[i]))
			return true;
	return false;
}
