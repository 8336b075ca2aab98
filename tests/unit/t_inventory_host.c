/*
 * t_inventory_host.c - the os, system, disks, net, proc and sockets
 * collectors on a fake root (tests/data/proc/root) with its own /proc and
 * /sys, and once on this machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/inventory.h"
#include "common/err.h"
#include "tests/tap.h"

struct env {
	struct rootfs root;
	struct conf conf;
	struct arena arena;
	struct scan_ctx ctx;
	struct inventory inv;
};

static bool
env_open(struct env *e, const char *path)
{
	memset(e, 0, sizeof(*e));
	conf_init(&e->conf);
	arena_init(&e->arena, 64 << 20);
	if (rootfs_open(&e->root, path) != MAMORI_OK)
		return false;
	e->ctx.root = &e->root;
	e->ctx.conf = &e->conf;
	e->ctx.arena = &e->arena;
	vec_init(&e->ctx.warnings, sizeof(struct scan_warning), 10000);
	inventory_init(&e->inv);
	return true;
}

static void
env_close(struct env *e)
{
	rootfs_close(&e->root);
	arena_release(&e->arena);
	conf_release(&e->conf);
}

static size_t
warnings(const struct env *e, const char *area)
{
	size_t n = 0;
	for (size_t i = 0; i < e->ctx.warnings.n; i++) {
		const struct scan_warning *w = vec_at(&e->ctx.warnings, i);
		if (strcmp(w->area, area) == 0)
			n++;
	}
	return n;
}

static void
add_user(struct env *e, const char *name, uid_t uid)
{
	struct inv_user *u = vec_push(&e->arena, &e->inv.users);
	u->name = arena_strdup(&e->arena, name);
	u->uid = uid;
}

static const struct inv_socket *
find_socket(const struct inventory *inv, const char *proto, const char *addr, int port)
{
	for (size_t i = 0; i < inv->listening.n; i++) {
		const struct inv_socket *s = vec_at(&inv->listening, i);
		if (strcmp(s->proto, proto) == 0 && strcmp(s->address, addr) == 0 &&
		    s->port == port)
			return s;
	}
	return NULL;
}

static const struct inv_process *
find_process(const struct inventory *inv, int pid)
{
	for (size_t i = 0; i < inv->processes.n; i++) {
		const struct inv_process *p = vec_at(&inv->processes, i);
		if (p->pid == pid)
			return p;
	}
	return NULL;
}

static void
test_fixture(void)
{
	struct env e;
	char path[4096];
	snprintf(path, sizeof(path), "%s/proc/root", getenv("MAMORI_TEST_DATA"));
	if (!ok(env_open(&e, path), "open fixture root"))
		return;
	struct inventory *inv = &e.inv;
	ok(!e.root.live, "fixture root is not live");

	is_int(inventory_os_collect(&e.ctx, inv), 0, "os collector");
	is_str(inv->os.id, "ubuntu", "os id");
	is_str(inv->os.codename, "jammy", "codename");
	is_str(inv->os.debian_version, "12.8", "debian_version");

	is_int(inventory_system_collect(&e.ctx, inv), 0, "system collector");
	is_str(inv->sys.hostname, "fixture-host", "hostname after a comment line");
	is_str(inv->sys.machine_id, "0123456789abcdef0123456789abcdef", "machine-id");
	ok(inv->sys.kernel_release == NULL, "no kernel for an offline root");
	is_str(inv->sys.cpu_model, "Intel(R) Xeon(R) Processor", "cpu model");
	is_int(inv->sys.cpu_count, 2, "cpu count");
	is_int(inv->sys.mem_total_kb, 24684084, "memory");
	is_int(inv->sys.boot_time, 1795631665, "boot time");

	is_int(inventory_disks_collect(&e.ctx, inv), 0, "disks collector");
	is_int(inv->disks.n, 3, "three real filesystems (proc, tmpfs skipped)");
	if (inv->disks.n == 3) {
		const struct inv_disk *home = vec_at(&inv->disks, 1);
		const struct inv_disk *usb = vec_at(&inv->disks, 2);
		is_str(home->mountpoint, "/home", "home");
		ok(home->encrypted, "LVM on LUKS found through the slaves");
		ok(!home->removable, "home not removable");
		is_str(usb->mountpoint, "/media/user/USB STICK", "escaped mount point");
		ok(usb->removable, "partition of a removable disk");
		ok(!usb->encrypted, "usb not encrypted");
		ok(!((const struct inv_disk *)vec_at(&inv->disks, 0))->encrypted, "vda plain");
	}

	is_int(inventory_net_collect(&e.ctx, inv), 0, "net collector");
	is_int(inv->interfaces.n, 2, "interfaces from /sys/class/net");
	for (size_t i = 0; i < inv->interfaces.n; i++) {
		const struct inv_interface *n = vec_at(&inv->interfaces, i);
		if (strcmp(n->name, "eth0") == 0) {
			is_str(n->mac, "52:54:00:12:34:56", "eth0 mac");
			ok(n->up && !n->loopback, "eth0 up");
		} else {
			ok(n->mac == NULL && n->loopback && n->up, "lo: loopback, no mac");
		}
	}

	add_user(&e, "root", 0);
	add_user(&e, "mysql", 106);
	add_user(&e, "toor", 0);	/* a second uid 0: the first name wins */
	is_int(inventory_proc_collect(&e.ctx, inv), 0, "proc collector");
	ok(inv->have_processes, "have processes");
	is_int(inv->processes.n, 3, "pids 1, 500, 600; vanished 700 and junk 800 skipped");
	const struct inv_process *p = find_process(inv, 1);
	if (ok(p != NULL, "pid 1")) {
		is_str(p->name, "systemd", "name");
		is_str(p->user, "root", "uid 0 -> first passwd name");
		is_str(p->cmdline, "/sbin/init splash", "cmdline");
		is_str(p->exe, "/usr/lib/systemd/systemd", "exe link");
		is_int(p->ppid, 0, "ppid");
	}
	p = find_process(inv, 600);
	if (ok(p != NULL, "pid 600")) {
		is_str(p->name, "mysql (worker)", "comm preferred over status Name");
		is_str(p->user, "mysql", "uid 106 -> mysql");
		is_int(p->ppid, 500, "ppid");
		ok(p->cmdline == NULL && p->exe == NULL, "no cmdline, no exe");
	}
	is_int(warnings(&e, "processes"), 0, "vanished processes are no warning");

	is_int(inventory_sockets_collect(&e.ctx, inv), 0, "sockets collector");
	ok(inv->have_listening, "have listening");
	is_int(inv->listening.n, 11, "3 tcp + 5 tcp6 + 3 udp (udp6 missing)");
	const struct inv_socket *s = find_socket(inv, "tcp", "0.0.0.0", 2024);
	if (ok(s != NULL, "tcp 0.0.0.0:2024")) {
		is_int(s->pid, 1, "owner pid 1");
		is_str(s->process, "systemd", "owner name");
		ok(s->any_address, "all interfaces");
	}
	s = find_socket(inv, "tcp", "127.0.0.1", 3306);
	if (ok(s != NULL, "tcp 127.0.0.1:3306")) {
		is_int(s->pid, 500, "shared socket: lowest pid (the parent)");
		is_str(s->process, "mysqld", "parent's name");
		is_int(s->uid, 106, "socket uid");
	}
	s = find_socket(inv, "tcp6", "::1", 18081);
	ok(s && s->pid == 500, "tcp6 ::1 owner");
	s = find_socket(inv, "tcp", "10.0.2.15", 80);
	ok(s && s->pid == 0 && s->process == NULL, "no owner found: pid 0, process NULL");
	s = vec_at(&inv->listening, 0);
	ok(inv->listening.n && strcmp(s->proto, "tcp") == 0 && s->port == 80,
	    "sorted by proto, then port");
	is_int(warnings(&e, "listening"), 0, "no socket warnings");
	env_close(&e);
}

static void
test_empty_root(void)
{
	struct env e;
	char dir[] = "/tmp/mamori-t-XXXXXX";
	if (!ok(mkdtemp(dir) != NULL, "temp root"))
		return;
	if (!ok(env_open(&e, dir), "open empty root"))
		return;
	struct inventory *inv = &e.inv;
	inventory_os_collect(&e.ctx, inv);
	inventory_system_collect(&e.ctx, inv);
	inventory_disks_collect(&e.ctx, inv);
	inventory_net_collect(&e.ctx, inv);
	inventory_proc_collect(&e.ctx, inv);
	inventory_sockets_collect(&e.ctx, inv);
	ok(!inv->have_processes && !inv->have_listening, "nothing collected");
	is_int(warnings(&e, "os"), 1, "one os warning");
	is_int(warnings(&e, "interfaces") + warnings(&e, "disks") + warnings(&e, "system"), 0,
	    "no warning spam for what an offline root cannot have");
	is_int(warnings(&e, "processes"), 1, "one processes warning");
	is_int(warnings(&e, "listening"), 1, "one listening warning");
	env_close(&e);
	rmdir(dir);
}

static void
test_live(void)
{
	struct env e;
	if (!ok(env_open(&e, "/"), "open /"))
		return;
	struct inventory *inv = &e.inv;
	ok(e.root.live, "/ is live");
	inventory_system_collect(&e.ctx, inv);
	ok(inv->sys.kernel_release && inv->sys.arch, "live kernel");
	char host[256];
	gethostname(host, sizeof(host));
	is_str(inv->sys.hostname, host, "hostname is the kernel's");
	is_int(inv->sys.cpu_count, sysconf(_SC_NPROCESSORS_ONLN),
	    "cpu count matches the online CPUs");
	inventory_net_collect(&e.ctx, inv);
	bool lo = false;
	for (size_t i = 0; i < inv->interfaces.n; i++) {
		const struct inv_interface *n = vec_at(&inv->interfaces, i);
		if (n->loopback && n->addrs.n > 0 &&
		    strcmp(*(char **)vec_at(&n->addrs, 0), "127.0.0.1/8") == 0)
			lo = true;
	}
	ok(lo, "lo has 127.0.0.1/8");
	is_int(inventory_proc_collect(&e.ctx, inv), 0, "live processes");
	const struct inv_process *me = find_process(inv, getpid());
	ok(me && me->name && strncmp(me->name, "t_inventory_hos", 15) == 0,
	    "this test process is listed");
	ok(me && me->exe && strstr(me->exe, "t_inventory_host"), "with its exe");
	is_int(inventory_disks_collect(&e.ctx, inv), 0, "live disks");
	bool root = false;
	for (size_t i = 0; i < inv->disks.n; i++) {
		const struct inv_disk *d = vec_at(&inv->disks, i);
		if (strcmp(d->mountpoint, "/") == 0 && d->size_bytes > 0)
			root = true;
	}
	ok(root || inv->disks.n == 0, "/ has a size when it is a block device");
	env_close(&e);
}

int
main(void)
{
	test_fixture();
	test_empty_root();
	test_live();
	return done_testing();
}
