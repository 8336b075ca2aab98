/* t_check_sharing.c - the exposed-service decisions on hand-built socket
 * lists: one finding per service, loopback ignored, a LAN-only address one
 * step lower, Telnet and Docker critical, databases medium. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/check.h"
#include "tests/tap.h"

static void
sock(struct scan_ctx *ctx, struct inventory *inv, const char *proto,
    const char *addr, int port, const char *proc)
{
	struct inv_socket *s = vec_push(ctx->arena, &inv->listening);
	s->proto = proto;
	s->address = arena_strdup(ctx->arena, addr);
	s->port = port;
	s->process = proc ? arena_strdup(ctx->arena, proc) : NULL;
	s->any_address = strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0;
	s->loopback = strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0;
}

static int
count(const struct check_run *run, const char *svc, enum severity *sev)
{
	int n = 0;
	for (size_t i = 0; i < run->findings.n; i++) {
		const struct finding *f = vec_at(&run->findings, i);
		json_t *k = json_object_get(f->evidence, "service");
		if (strcmp(f->def->id, "sharing.exposed_service") == 0 && k &&
		    strcmp(json_string_value(k), svc) == 0) {
			n++;
			*sev = f->severity;
		}
	}
	return n;
}

int
main(void)
{
	struct arena arena;
	struct conf conf;
	struct rootfs root;
	struct scan_ctx ctx;
	struct inventory inv;
	struct check_run run;
	char dir[] = "/tmp/t_check_sharing.XXXXXX";
	enum severity sev = SEV_INFO;

	arena_init(&arena, 64u << 20);
	conf_init(&conf);
	if (!mkdtemp(dir) || rootfs_open(&root, dir) != 0)
		return 1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.root = &root;
	ctx.conf = &conf;
	ctx.arena = &arena;
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 10000);
	inventory_init(&inv);
	inv.have_listening = true;
	sock(&ctx, &inv, "tcp", "0.0.0.0", 445, "smbd");
	sock(&ctx, &inv, "tcp6", "::", 445, "smbd");
	sock(&ctx, &inv, "tcp", "0.0.0.0", 139, "smbd");
	sock(&ctx, &inv, "tcp", "127.0.0.1", 6379, "redis-server");
	sock(&ctx, &inv, "tcp", "192.168.1.5", 3306, "mariadbd");
	sock(&ctx, &inv, "tcp", "0.0.0.0", 23, NULL);
	sock(&ctx, &inv, "tcp", "192.168.1.5", 2375, "dockerd");
	sock(&ctx, &inv, "tcp", "0.0.0.0", 11211, "memcached");
	sock(&ctx, &inv, "tcp", "0.0.0.0", 22, "sshd");

	check_run_init(&run, &ctx);
	is_int(check_sharing_module.run(&run, &inv), 0, "module runs on an empty root");
	is_int(count(&run, "smb", &sev), 1, "SMB on three sockets is one finding");
	is_int(sev, SEV_HIGH, "SMB high");
	is_int(count(&run, "redis", &sev), 0, "loopback Redis is not exposed");
	is_int(count(&run, "mysql", &sev), 1, "MariaDB on a LAN address reported");
	is_int(sev, SEV_LOW, "database (medium) on a LAN address only: low");
	is_int(count(&run, "telnet", &sev), 1, "Telnet reported");
	is_int(sev, SEV_CRITICAL, "Telnet critical");
	is_int(count(&run, "docker", &sev), 1, "Docker API reported");
	is_int(sev, SEV_HIGH, "Docker API on a LAN address: critical lowered to high");
	is_int(count(&run, "memcached", &sev), 1, "memcached reported");
	is_int(sev, SEV_CRITICAL, "memcached without -S is critical");
	const char *reason = NULL;
	/* Called before ok(): argument evaluation order is unspecified. */
	enum check_status st = check_status_of(&run, check_find("sharing.smb_guest"), &reason);
	ok(st == CHECK_SKIPPED, "no smb.conf: Samba checks skipped (%s)", reason ? reason : "");
	check_run_release(&run);
	rootfs_close(&root);
	rmdir(dir);
	arena_release(&arena);
	conf_release(&conf);
	return done_testing();
}
