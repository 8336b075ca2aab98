/*
 * inventory_system.c - host name, machine id, kernel, CPU, memory and
 * boot time. The kernel and the boot time belong to the running system,
 * so they are read only when the root is this machine; an offline root
 * only has the files in /etc.
 */
#include "agent/inventory.h"

#include <sys/utsname.h>

#include "agent/procinfo.h"
#include "common/err.h"

/* First line of a small text file, trimmed, or NULL. */
static int
first_line(struct scan_ctx *ctx, const char *path, char **out)
{
	struct span text, line, rest;
	*out = NULL;
	int rc = rootfs_read(ctx->root, path, 64 * 1024, ctx->arena, &text);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc) {
		if (rc != MAMORI_E_NOTFOUND)
			scan_warn(ctx, "system", "cannot read %s: %s", path, err_str(rc));
		return MAMORI_OK;
	}
	struct cursor c;
	cursor_init(&c, text.p, text.len);
	/* hostname(5) allows comment lines. */
	while (cursor_line(&c, &line)) {
		line = span_trim(line);
		if (line.len == 0 || line.p[0] == '#')
			continue;
		if (!span_is_text(line) || line.len > 255) {
			scan_warn(ctx, "system", "%s does not hold a one-line text value", path);
			return MAMORI_OK;
		}
		/* Only the first word: "host # comment" is not a name. */
		struct span word;
		rest = line;
		span_next_word(&rest, &word);
		*out = arena_spandup(ctx->arena, word);
		return *out ? MAMORI_OK : MAMORI_E_NOMEM;
	}
	return MAMORI_OK;
}

static bool
valid_machine_id(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 32;
}

static int
kernel(struct scan_ctx *ctx, struct inventory *inv)
{
	struct utsname u;
	if (uname(&u) != 0) {
		scan_warn(ctx, "system", "uname() failed: kernel unknown");
		return MAMORI_OK;
	}
	inv->sys.kernel_release = arena_strdup(ctx->arena, u.release);
	inv->sys.kernel_version = arena_strdup(ctx->arena, u.version);
	inv->sys.arch = arena_strdup(ctx->arena, u.machine);
	if (!inv->sys.kernel_release || !inv->sys.kernel_version || !inv->sys.arch)
		return MAMORI_E_NOMEM;
	/* The kernel's own host name (what `hostname` prints) wins over
	 * /etc/hostname, which may be stale until the next boot. */
	if (u.nodename[0] && (inv->sys.hostname = arena_strdup(ctx->arena,
	    u.nodename)) == NULL)
		return MAMORI_E_NOMEM;
	return MAMORI_OK;
}

static int
hardware(struct scan_ctx *ctx, struct inventory *inv)
{
	struct span text;
	int rc;

	rc = rootfs_read(ctx->root, "/proc/cpuinfo", scan_max_file(ctx), ctx->arena, &text);
	if (rc == MAMORI_OK) {
		struct procinfo_cpu cpu;
		procinfo_parse_cpuinfo(text, &cpu);
		inv->sys.cpu_count = cpu.count;
		if (cpu.model.len && span_is_text(cpu.model) &&
		    !(inv->sys.cpu_model = arena_spandup(ctx->arena, cpu.model)))
			return MAMORI_E_NOMEM;
	} else if (rc == MAMORI_E_NOMEM) {
		return rc;
	} else if (ctx->root->live) {
		scan_warn(ctx, "system", "cannot read /proc/cpuinfo: %s", err_str(rc));
	}

	rc = rootfs_read(ctx->root, "/proc/meminfo", scan_max_file(ctx), ctx->arena, &text);
	if (rc == MAMORI_OK) {
		struct procinfo_mem mem;
		procinfo_parse_meminfo(text, &mem);
		inv->sys.mem_total_kb = mem.total_kb;
		inv->sys.mem_available_kb = mem.available_kb;
		inv->sys.swap_total_kb = mem.swap_total_kb;
		if (!mem.have_total)
			scan_warn(ctx, "system", "/proc/meminfo has no MemTotal");
	} else if (rc == MAMORI_E_NOMEM) {
		return rc;
	} else if (ctx->root->live) {
		scan_warn(ctx, "system", "cannot read /proc/meminfo: %s", err_str(rc));
	}

	rc = rootfs_read(ctx->root, "/proc/stat", scan_max_file(ctx), ctx->arena, &text);
	if (rc == MAMORI_OK)
		inv->sys.boot_time = procinfo_parse_btime(text);
	else if (rc == MAMORI_E_NOMEM)
		return rc;
	return MAMORI_OK;
}

int
inventory_system_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	int rc;

	if (ctx->root->live && (rc = kernel(ctx, inv)) != MAMORI_OK)
		return rc;
	if (!inv->sys.hostname) {
		if ((rc = first_line(ctx, "/etc/hostname", &inv->sys.hostname)) != MAMORI_OK)
			return rc;
	}
	if ((rc = first_line(ctx, "/etc/machine-id", &inv->sys.machine_id)) != MAMORI_OK)
		return rc;
	if (!inv->sys.machine_id &&
	    (rc = first_line(ctx, "/var/lib/dbus/machine-id", &inv->sys.machine_id)) != MAMORI_OK)
		return rc;
	if (inv->sys.machine_id && !valid_machine_id(inv->sys.machine_id)) {
		/* "uninitialized" on a first boot, or junk: not an id. */
		scan_warn(ctx, "system", "machine-id is not 32 hex digits: ignored");
		inv->sys.machine_id = NULL;
	}
	/* cpuinfo/meminfo/stat describe the running machine; an offline tree
	 * has them only as fixtures. */
	return hardware(ctx, inv);
}
