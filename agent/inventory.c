#include "agent/inventory.h"

#include <string.h>

#include "common/err.h"

/* Order matters: users before processes (uid -> name), processes before
 * sockets (socket owner), packages before services. */
static int (*const collectors[])(struct scan_ctx *, struct inventory *) = {
	inventory_os_collect,
	inventory_system_collect,
	inventory_disks_collect,
	inventory_net_collect,
	inventory_dpkg_collect,
	inventory_rpm_collect,
	inventory_apk_collect,
	inventory_users_collect,
	inventory_proc_collect,
	inventory_sockets_collect,
	inventory_sshd_collect,
	inventory_services_collect,
	inventory_jobs_collect,
};

void
inventory_init(struct inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
	vec_init(&inv->disks, sizeof(struct inv_disk), 4096);
	vec_init(&inv->interfaces, sizeof(struct inv_interface), 4096);
	vec_init(&inv->packages, sizeof(struct inv_package), 200000);
	vec_init(&inv->processes, sizeof(struct inv_process), 200000);
	vec_init(&inv->listening, sizeof(struct inv_socket), 200000);
	vec_init(&inv->users, sizeof(struct inv_user), 100000);
	vec_init(&inv->groups, sizeof(struct inv_group), 100000);
	vec_init(&inv->sshd.settings, sizeof(struct inv_ssh_setting), 10000);
	vec_init(&inv->services, sizeof(struct inv_service), 100000);
	vec_init(&inv->jobs, sizeof(struct inv_job), 100000);
}

int
inventory_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	for (size_t i = 0; i < sizeof(collectors) / sizeof(collectors[0]); i++) {
		int rc = collectors[i](ctx, inv);
		if (rc == MAMORI_E_NOMEM || rc == MAMORI_E_LIMIT)
			return rc;
	}
	return MAMORI_OK;
}

const struct inv_package *
inventory_find_package(const struct inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->packages.n; i++) {
		const struct inv_package *p = vec_at(&inv->packages, i);
		if (strcmp(p->name, name) == 0 &&
		    (!p->status || strcmp(p->status, "installed") == 0))
			return p;
	}
	return NULL;
}

bool
inventory_process_running(const struct inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->processes.n; i++) {
		const struct inv_process *p = vec_at(&inv->processes, i);
		if (p->name && strcmp(p->name, name) == 0)
			return true;
	}
	return false;
}

const struct inv_ssh_setting *
inventory_sshd_get(const struct inventory *inv, const char *key)
{
	for (size_t i = 0; i < inv->sshd.settings.n; i++) {
		const struct inv_ssh_setting *s = vec_at(&inv->sshd.settings, i);
		if (!s->in_match && strcmp(s->key, key) == 0)
			return s;
	}
	return NULL;
}
