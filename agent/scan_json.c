/* scan_json.c - the --json document of a scan. */
#include "agent/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/os_eol.h"

/* json_string() refuses invalid UTF-8; file contents may be anything, so
 * such text is kept with the bad bytes replaced. NULL stays null. */
static json_t *
str(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *copy = malloc(n + 1);
	if (!copy)
		return json_null();
	for (size_t i = 0; i <= n; i++)
		copy[i] = ((unsigned char)s[i] & 0x80) ? '?' : s[i];
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

static void
set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

static json_t *
strings(const struct vec *v)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < v->n; i++)
		json_array_append_new(a, str(*(char **)vec_at(v, i)));
	return a;
}

static json_t *
host_json(const struct scan *s)
{
	const struct inventory *inv = &s->inv;
	struct os_eol_info eol;
	os_eol_lookup(&inv->os, s->ctx.now, &eol);
	json_t *h = json_object();
	set(h, "hostname", str(inv->sys.hostname));
	set(h, "machine_id", str(inv->sys.machine_id));
	json_t *os = json_object();
	set(os, "id", str(inv->os.id));
	set(os, "id_like", str(inv->os.id_like));
	set(os, "name", str(inv->os.name));
	set(os, "version_id", str(inv->os.version_id));
	set(os, "codename", str(inv->os.codename));
	set(os, "pretty_name", str(inv->os.pretty_name));
	set(os, "debian_version", str(inv->os.debian_version));
	json_t *sup = json_object();
	set(sup, "status", str(os_support_name(eol.support)));
	set(sup, "release", str(eol.release));
	set(sup, "regular_end", str(eol.regular_end));
	set(sup, "extended_end", str(eol.extended_end));
	set(sup, "successor", str(eol.successor));
	set(os, "support", sup);
	set(h, "os", os);
	json_t *k = json_object();
	set(k, "release", str(inv->sys.kernel_release));
	set(k, "version", str(inv->sys.kernel_version));
	set(h, "kernel", k);
	set(h, "arch", str(inv->sys.arch));
	set(h, "cpu", json_pack("{s:o, s:i}", "model", str(inv->sys.cpu_model),
	    "count", inv->sys.cpu_count));
	set(h, "memory", json_pack("{s:I, s:I, s:I}",
	    "total_kb", (json_int_t)inv->sys.mem_total_kb,
	    "available_kb", (json_int_t)inv->sys.mem_available_kb,
	    "swap_total_kb", (json_int_t)inv->sys.swap_total_kb));
	set(h, "boot_time", inv->sys.boot_time ? json_integer(inv->sys.boot_time) : json_null());
	return h;
}

static json_t *
packages_json(const struct inventory *inv)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < inv->packages.n; i++) {
		const struct inv_package *p = vec_at(&inv->packages, i);
		json_t *o = json_object();
		set(o, "format", str(p->format));
		set(o, "name", str(p->name));
		set(o, "version", str(p->version));
		set(o, "arch", str(p->arch));
		set(o, "source", str(p->source));
		set(o, "source_version", str(p->source_version));
		set(o, "status", str(p->status));
		set(o, "multiarch_same", json_boolean(p->multiarch_same));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
listening_json(const struct inventory *inv)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < inv->listening.n; i++) {
		const struct inv_socket *l = vec_at(&inv->listening, i);
		json_t *o = json_object();
		set(o, "proto", str(l->proto));
		set(o, "address", str(l->address));
		set(o, "port", json_integer(l->port));
		set(o, "pid", l->pid ? json_integer(l->pid) : json_null());
		set(o, "process", str(l->process));
		set(o, "uid", json_integer((json_int_t)l->uid));
		set(o, "all_interfaces", json_boolean(l->any_address));
		set(o, "loopback", json_boolean(l->loopback));
		json_array_append_new(a, o);
	}
	return a;
}

static const char *
hash_scheme(const char *hash)
{
	if (!hash)
		return NULL;
	const char *h = hash;
	while (*h == '!' || *h == '*')
		h++;
	if (*h == '\0')
		return hash[0] ? "none" : "empty";
	if (h[0] != '$')
		return strlen(h) == 13 ? "des" : "unknown";
	static const struct { const char *prefix, *name; } schemes[] = {
		{ "$1$", "md5" }, { "$2a$", "bcrypt" }, { "$2b$", "bcrypt" },
		{ "$2y$", "bcrypt" }, { "$5$", "sha256" }, { "$6$", "sha512" },
		{ "$y$", "yescrypt" }, { "$gy$", "gost-yescrypt" }, { "$7$", "scrypt" },
		{ "$sha1$", "sha1" }, { "$md5", "sunmd5" }, { "$3$", "nthash" },
	};
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncmp(h, schemes[i].prefix, strlen(schemes[i].prefix)) == 0)
			return schemes[i].name;
	return "unknown";
}

static json_t *
users_json(const struct inventory *inv)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < inv->users.n; i++) {
		const struct inv_user *u = vec_at(&inv->users, i);
		json_t *o = json_object();
		set(o, "name", str(u->name));
		set(o, "uid", json_integer((json_int_t)u->uid));
		set(o, "gid", json_integer((json_int_t)u->gid));
		set(o, "home", str(u->home));
		set(o, "shell", str(u->shell));
		set(o, "login_shell", json_boolean(u->login_shell));
		set(o, "admin", json_boolean(u->admin));
		set(o, "admin_via", str(u->admin_via));
		/* Never the hash itself: only what kind it is. */
		if (u->shadow_known) {
			set(o, "password", json_pack("{s:b, s:o}", "locked", u->locked,
			    "scheme", str(hash_scheme(u->hash))));
		} else {
			set(o, "password", json_null());
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
groups_json(const struct inventory *inv)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < inv->groups.n; i++) {
		const struct inv_group *g = vec_at(&inv->groups, i);
		json_array_append_new(a, json_pack("{s:o, s:I, s:o}", "name", str(g->name),
		    "gid", (json_int_t)g->gid, "members", strings(&g->members)));
	}
	return a;
}

static json_t *
interfaces_json(const struct inventory *inv)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < inv->interfaces.n; i++) {
		const struct inv_interface *n = vec_at(&inv->interfaces, i);
		json_array_append_new(a, json_pack("{s:o, s:o, s:b, s:b, s:o}",
		    "name", str(n->name), "mac", str(n->mac), "up", n->up,
		    "loopback", n->loopback, "addresses", strings(&n->addrs)));
	}
	return a;
}

static json_t *
disks_json(const struct inventory *inv)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < inv->disks.n; i++) {
		const struct inv_disk *d = vec_at(&inv->disks, i);
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:I, s:I, s:b, s:b}",
		    "device", str(d->device), "mountpoint", str(d->mountpoint),
		    "fstype", str(d->fstype), "size_bytes", (json_int_t)d->size_bytes,
		    "free_bytes", (json_int_t)d->free_bytes, "encrypted", d->encrypted,
		    "removable", d->removable));
	}
	return a;
}

static json_t *
processes_json(const struct inventory *inv)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < inv->processes.n; i++) {
		const struct inv_process *p = vec_at(&inv->processes, i);
		json_array_append_new(a, json_pack("{s:i, s:i, s:I, s:o, s:o, s:o, s:o}",
		    "pid", p->pid, "ppid", p->ppid, "uid", (json_int_t)p->uid,
		    "user", str(p->user), "name", str(p->name), "exe", str(p->exe),
		    "cmdline", str(p->cmdline)));
	}
	return a;
}

static json_t *
ssh_json(const struct inventory *inv)
{
	json_t *settings = json_array();
	for (size_t i = 0; settings && i < inv->sshd.settings.n; i++) {
		const struct inv_ssh_setting *s = vec_at(&inv->sshd.settings, i);
		json_array_append_new(settings, json_pack("{s:o, s:o, s:o, s:i, s:b}",
		    "key", str(s->key), "value", str(s->value), "file", str(s->file),
		    "line", s->line, "in_match", s->in_match));
	}
	return json_pack("{s:b, s:b, s:o}", "installed", inv->sshd.installed,
	    "config_read", inv->sshd.config_read, "settings", settings);
}

static json_t *
services_json(const struct inventory *inv)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < inv->services.n; i++) {
		const struct inv_service *s = vec_at(&inv->services, i);
		json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "name", str(s->name),
		    "target", str(s->target), "path", str(s->path)));
	}
	return a;
}

static json_t *
jobs_json(const struct inventory *inv)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < inv->jobs.n; i++) {
		const struct inv_job *j = vec_at(&inv->jobs, i);
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o}",
		    "kind", str(j->kind), "source", str(j->source), "schedule", str(j->schedule),
		    "user", str(j->user), "command", str(j->command)));
	}
	return a;
}

static json_t *
findings_json(const struct scan *s, enum lang lang)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < s->run.findings.n; i++) {
		const struct finding *f = vec_at(&s->run.findings, i);
		const char *found = lang == LANG_JA ? f->detail_ja : f->detail_en;
		const char *why = i18n_pick(lang, f->def->why);
		char *detail = NULL;
		size_t n = strlen(found) + strlen(why) + 2;
		detail = malloc(n);
		if (detail)
			snprintf(detail, n, "%s%s%s", found, *found ? " " : "", why);
		json_t *o = json_object();
		set(o, "id", str(f->def->id));
		set(o, "kajo", json_integer(f->def->kajo));
		set(o, "severity", str(severity_name(f->severity)));
		set(o, "title", str(i18n_pick(lang, f->def->title)));
		set(o, "detail", str(detail));
		set(o, "action", str(i18n_pick(lang, f->def->action)));
		set(o, "evidence", json_incref(f->evidence));
		free(detail);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
checks_json(const struct scan *s)
{
	static const char *const names[] = { "pass", "fail", "skipped" };
	json_t *a = json_array();
	const struct check_module *const *mods = check_modules();
	for (size_t m = 0; a && mods[m]; m++) {
		for (size_t j = 0; j < mods[m]->ndefs; j++) {
			const struct check_def *d = &mods[m]->defs[j];
			const char *reason;
			enum check_status st = check_status_of(&s->run, d, &reason);
			json_t *o = json_pack("{s:s, s:i, s:s}", "id", d->id, "kajo", d->kajo,
			    "status", names[st]);
			if (o && reason)
				set(o, "reason", str(reason));
			json_array_append_new(a, o);
		}
	}
	return a;
}

static json_t *
score_json(const struct scan *s)
{
	json_t *k = json_object();
	char key[2] = "1";
	for (int i = 0; i < 4; i++) {
		key[0] = (char)('1' + i);
		set(k, key, json_integer(s->score.kajo[i]));
	}
	set(k, "5", json_null());
	return json_pack("{s:i, s:o, s:s}", "overall", s->score.overall, "kajo", k,
	    "manual", "5");
}

static json_t *
warnings_json(const struct scan *s)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < s->ctx.warnings.n; i++) {
		const struct scan_warning *w = vec_at(&s->ctx.warnings, i);
		json_array_append_new(a, json_pack("{s:o, s:o}", "area", str(w->area),
		    "message", str(w->message)));
	}
	return a;
}

json_t *
scan_to_json(const struct scan *s, const struct scan_options *opt)
{
	const struct inventory *inv = &s->inv;
	json_t *doc = json_object();
	if (!doc)
		return NULL;
	json_t *meta = json_object();
	set(meta, "id", s->scan_id ? json_integer(s->scan_id) : json_null());
	set(meta, "previous_id", s->prev_scan_id ? json_integer(s->prev_scan_id) : json_null());
	set(meta, "started", json_integer((json_int_t)s->started));
	set(meta, "duration_ms", json_integer(s->duration_ms));
	set(meta, "root", str(opt->root));
	set(meta, "lang", str(i18n_code(opt->lang)));
	set(meta, "mamori_version", str(MAMORI_VERSION));
	set(meta, "privileged", json_boolean(s->ctx.privileged));
	set(doc, "scan", meta);
	set(doc, "host", host_json(s));
	set(doc, "score", score_json(s));
	set(doc, "findings", findings_json(s, opt->lang));
	set(doc, "checks", checks_json(s));
	set(doc, "changes", s->changes ? json_incref(s->changes) : json_null());
	set(doc, "packages", packages_json(inv));
	set(doc, "listening", listening_json(inv));
	set(doc, "users", users_json(inv));
	set(doc, "groups", groups_json(inv));
	set(doc, "interfaces", interfaces_json(inv));
	set(doc, "disks", disks_json(inv));
	set(doc, "processes", processes_json(inv));
	set(doc, "ssh", ssh_json(inv));
	set(doc, "services", services_json(inv));
	set(doc, "scheduled", jobs_json(inv));
	set(doc, "warnings", warnings_json(s));
	return doc;
}
