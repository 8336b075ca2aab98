/*
 * inventory.h - what a scan knows about one computer.
 *
 * Each section is filled by one collector (agent/inventory_<section>.c,
 * exporting inventory_<section>_collect()). All strings and arrays live in
 * the scan's arena; nothing here is freed on its own. A collector that
 * cannot read its sources leaves its section empty, sets the matching
 * have_* flag to false and adds a scan warning saying why.
 */
#ifndef MAMORI_AGENT_INVENTORY_H
#define MAMORI_AGENT_INVENTORY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "agent/scan_ctx.h"
#include "common/arena.h"

struct inv_os {
	char *id;		/* os-release ID, e.g. "debian" */
	char *id_like;		/* ID_LIKE, e.g. "rhel fedora" */
	char *name;		/* NAME */
	char *version_id;	/* VERSION_ID, e.g. "12" */
	char *codename;		/* VERSION_CODENAME, e.g. "bookworm" */
	char *pretty_name;	/* PRETTY_NAME */
	char *debian_version;	/* /etc/debian_version, e.g. "12.8" */
};

struct inv_system {
	char *hostname;
	char *machine_id;	/* /etc/machine-id */
	char *kernel_release;	/* uname -r of the running kernel (live only) */
	char *kernel_version;	/* uname -v */
	char *arch;		/* uname -m */
	char *cpu_model;
	int cpu_count;
	uint64_t mem_total_kb;
	uint64_t mem_available_kb;
	uint64_t swap_total_kb;
	int64_t boot_time;	/* unix seconds, 0 = unknown */
};

struct inv_disk {
	char *device;		/* /dev/vda1 */
	char *mountpoint;
	char *fstype;
	uint64_t size_bytes;
	uint64_t free_bytes;
	bool encrypted;		/* on dm-crypt/LUKS */
	bool removable;
};

struct inv_interface {
	char *name;
	char *mac;		/* "aa:bb:...", NULL if none */
	bool up;
	bool loopback;
	struct vec addrs;	/* char *: "192.0.2.1/24", "fe80::1/64" */
};

struct inv_package {
	const char *format;	/* "deb", "rpm", "apk" (static) */
	char *name;
	char *version;
	char *arch;		/* "amd64", "all", "x86_64", "noarch" */
	char *source;		/* source package name; name when absent */
	char *source_version;	/* source version; version when absent */
	char *status;		/* dpkg: "installed", "config-files",
				 * "half-installed"...; rpm/apk: "installed" */
	bool multiarch_same;	/* dpkg Multi-Arch: same (name shown with :arch) */
};

struct inv_process {
	int pid;
	int ppid;
	uid_t uid;
	char *user;		/* name for uid, NULL if unknown */
	char *name;		/* /proc/PID/comm */
	char *exe;		/* readlink /proc/PID/exe, NULL if unreadable */
	char *cmdline;		/* arguments joined with spaces, capped */
};

struct inv_socket {
	const char *proto;	/* "tcp", "tcp6", "udp", "udp6" (static) */
	char *address;		/* "0.0.0.0", "::", "127.0.0.1", "::1" */
	int port;
	uint64_t inode;
	uid_t uid;
	int pid;		/* owning process, 0 if unknown */
	char *process;		/* its name, NULL if unknown */
	bool any_address;	/* bound to 0.0.0.0 / :: (all interfaces) */
	bool loopback;		/* bound to 127.0.0.0/8 or ::1 */
};

struct inv_user {
	char *name;
	uid_t uid;
	gid_t gid;
	char *gecos;
	char *home;
	char *shell;
	bool login_shell;	/* shell is not nologin/false/sync/... */
	bool admin;		/* uid 0, sudo/wheel/admin group, sudoers */
	char *admin_via;	/* comma list: "uid0", "sudo", "wheel",
				 * "admin", "sudoers" */
	/* From /etc/shadow when readable (root): */
	bool shadow_known;
	char *hash;		/* password field as stored; "" = empty */
	bool locked;		/* "!" or "*" prefix, or "!"/"*" alone */
	bool hash_from_passwd;	/* hash is /etc/passwd's field, not "x" */
};

struct inv_group {
	char *name;
	gid_t gid;
	struct vec members;	/* char * */
};

struct inv_ssh_setting {
	char *key;		/* lower case, e.g. "permitrootlogin" */
	char *value;		/* as written (first word lower-cased) */
	char *file;
	int line;
	bool in_match;		/* inside a Match block: conditional */
};

struct inv_sshd {
	bool installed;		/* sshd binary or its config exists */
	bool config_read;
	struct vec settings;	/* struct inv_ssh_setting, file order */
};

struct inv_service {
	char *name;		/* "ssh.service" */
	char *target;		/* "multi-user.target" (wants dir) */
	char *path;		/* where the enabling link lives */
};

struct inv_job {
	char *kind;		/* "cron", "systemd-timer", "anacron", "at" */
	char *source;		/* file it came from */
	char *schedule;		/* cron fields ("0 3 * * *"), "@daily", OnCalendar= */
	char *user;		/* NULL when not stated */
	char *command;
};

struct inventory {
	struct inv_os os;
	struct inv_system sys;
	struct vec disks;	/* struct inv_disk */
	struct vec interfaces;	/* struct inv_interface */
	struct vec packages;	/* struct inv_package */
	struct vec processes;	/* struct inv_process */
	struct vec listening;	/* struct inv_socket */
	struct vec users;	/* struct inv_user */
	struct vec groups;	/* struct inv_group */
	struct inv_sshd sshd;
	struct vec services;	/* struct inv_service */
	struct vec jobs;	/* struct inv_job */
	bool have_packages;	/* a package database was found and read */
	bool have_processes;	/* /proc was readable */
	bool have_listening;
	bool have_shadow;
};

void inventory_init(struct inventory *inv);
/* Runs every collector in order. Only MAMORI_E_NOMEM/E_LIMIT of the arena
 * are returned; everything else is a scan warning. */
int inventory_collect(struct scan_ctx *ctx, struct inventory *inv);

/* The collectors (one file each). */
int inventory_os_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_system_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_disks_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_net_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_dpkg_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_rpm_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_apk_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_proc_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_sockets_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_users_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_sshd_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_services_collect(struct scan_ctx *ctx, struct inventory *inv);
int inventory_jobs_collect(struct scan_ctx *ctx, struct inventory *inv);

/* Lookups used by checks. */
const struct inv_package *inventory_find_package(const struct inventory *inv,
    const char *name);
bool inventory_process_running(const struct inventory *inv, const char *name);
/* Effective sshd value: the first non-Match occurrence (sshd's rule), or
 * NULL when not set (the caller knows sshd's default). */
const struct inv_ssh_setting *inventory_sshd_get(const struct inventory *inv,
    const char *key);

#endif
