#include "agent/scan.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "storage/db.h"
#include "storage/store_scan.h"

int
scan_run(struct scan *s, const struct scan_options *opt,
    const struct conf *conf, const struct log *log, char *err, size_t errsz)
{
	memset(s, 0, sizeof(*s));
	s->root.fd = -1;
	arena_init(&s->arena, (size_t)conf_int(conf, CONF_SCAN_MEMORY_CAP_MB) * 1024 * 1024);
	s->started = opt->now ? opt->now : time(NULL);
	s->started_ms = scan_monotonic_ms();

	int rc = rootfs_open(&s->root, opt->root);
	if (rc) {
		snprintf(err, errsz, "cannot scan %s: %s", opt->root,
		    rc == MAMORI_E_NOTFOUND ? "not a directory" : err_str(rc));
		return rc;
	}
	s->ctx.root = &s->root;
	s->ctx.conf = conf;
	s->ctx.log = log;
	s->ctx.arena = &s->arena;
	s->ctx.now = s->started;
	s->ctx.privileged = geteuid() == 0;
	s->ctx.db_path = opt->db_path;
	vec_init(&s->ctx.warnings, sizeof(struct scan_warning), 10000);

	if (!rootfs_exists(&s->root, "/etc") && !rootfs_exists(&s->root, "/usr"))
		scan_warn(&s->ctx, "root",
		    "%s has neither /etc nor /usr: it does not look like a system's root filesystem",
		    opt->root);

	inventory_init(&s->inv);
	rc = inventory_collect(&s->ctx, &s->inv);
	if (rc) {
		snprintf(err, errsz, "scan stopped: %s (scan.memory_cap_mb = %lld)",
		    err_str(rc), (long long)conf_int(conf, CONF_SCAN_MEMORY_CAP_MB));
		return rc;
	}
	check_run_init(&s->run, &s->ctx);
	rc = check_run_all(&s->run, &s->inv);
	if (rc) {
		snprintf(err, errsz, "checks stopped: %s", err_str(rc));
		return rc;
	}
	check_score(&s->run, &s->score);
	s->duration_ms = scan_monotonic_ms() - s->started_ms;
	return MAMORI_OK;
}

int
scan_worst_severity(const struct scan *s)
{
	int worst = -1;
	for (size_t i = 0; i < s->run.findings.n; i++) {
		const struct finding *f = vec_at(&s->run.findings, i);
		if ((int)f->severity > worst)
			worst = (int)f->severity;
	}
	return worst;
}

static int
add_change(void *ctx, const struct store_change *c)
{
	json_t *changes = ctx;
	static const char *const keys[] = {
		[STORE_PKG_ADDED] = "packages_added",
		[STORE_PKG_REMOVED] = "packages_removed",
		[STORE_PKG_CHANGED] = "packages_changed",
		[STORE_LISTEN_ADDED] = "listening_added",
		[STORE_LISTEN_REMOVED] = "listening_removed",
		[STORE_ADMIN_ADDED] = "admins_added",
		[STORE_ADMIN_REMOVED] = "admins_removed",
	};
	json_t *item;
	switch (c->kind) {
	case STORE_PKG_ADDED:
	case STORE_PKG_REMOVED:
		item = json_pack("{s:s, s:s, s:s, s:s}", "format", c->format, "name", c->name,
		    "arch", c->arch, "version", c->version);
		break;
	case STORE_PKG_CHANGED:
		item = json_pack("{s:s, s:s, s:s, s:s, s:s}", "format", c->format, "name", c->name,
		    "arch", c->arch, "version", c->version, "previous_version", c->old_version);
		break;
	case STORE_LISTEN_ADDED:
	case STORE_LISTEN_REMOVED:
		item = json_pack("{s:s, s:s, s:i, s:s}", "proto", c->proto, "address", c->address,
		    "port", c->port, "process", c->process);
		break;
	default:
		item = json_pack("{s:s, s:s}", "user", c->user, "via", c->via);
		break;
	}
	if (!item)
		return MAMORI_E_NOMEM;
	json_t *arr = json_object_get(changes, keys[c->kind]);
	if (!arr) {
		arr = json_array();
		if (!arr || json_object_set_new(changes, keys[c->kind], arr) != 0) {
			json_decref(item);
			return MAMORI_E_NOMEM;
		}
	}
	return json_array_append_new(arr, item) == 0 ? MAMORI_OK : MAMORI_E_NOMEM;
}

static const char *
host_key(const struct scan *s)
{
	if (s->inv.sys.machine_id && *s->inv.sys.machine_id)
		return s->inv.sys.machine_id;
	if (s->inv.sys.hostname && *s->inv.sys.hostname)
		return s->inv.sys.hostname;
	return s->root.path;
}

/* {"en": {title, detail, action}, "ja": {...}}: the dashboard shows either. */
static char *
finding_text_json(const struct finding *f)
{
	json_t *v = json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}",
	    "en", "title", f->def->title.en, "detail", f->detail_en ? f->detail_en : "",
	    "action", f->def->action.en,
	    "ja", "title", f->def->title.ja, "detail", f->detail_ja ? f->detail_ja : "",
	    "action", f->def->action.ja);
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	return text;
}

static int
store_inventory(struct scan *s, struct store_scan *st, const struct scan_options *opt)
{
	int rc = MAMORI_OK;
	for (size_t i = 0; !rc && i < s->inv.packages.n; i++) {
		const struct inv_package *p = vec_at(&s->inv.packages, i);
		rc = store_scan_add_package(st, p->format, p->name, p->arch ? p->arch : "",
		    p->version ? p->version : "");
	}
	for (size_t i = 0; !rc && i < s->inv.listening.n; i++) {
		const struct inv_socket *l = vec_at(&s->inv.listening, i);
		rc = store_scan_add_listening(st, l->proto, l->address, l->port,
		    l->process ? l->process : "");
	}
	for (size_t i = 0; !rc && i < s->inv.users.n; i++) {
		const struct inv_user *u = vec_at(&s->inv.users, i);
		if (u->admin)
			rc = store_scan_add_admin(st, u->name, u->admin_via ? u->admin_via : "");
	}
	for (size_t i = 0; !rc && i < s->run.findings.n; i++) {
		const struct finding *f = vec_at(&s->run.findings, i);
		char *ev = json_dumps(f->evidence, JSON_COMPACT | JSON_ENCODE_ANY);
		char *text = finding_text_json(f);
		rc = store_scan_add_finding(st, f->def->id, f->def->kajo,
		    severity_name(f->severity), i18n_pick(opt->lang, f->def->title),
		    opt->lang == LANG_JA ? f->detail_ja : f->detail_en,
		    i18n_pick(opt->lang, f->def->action), ev, text);
		if (!ev || !text)
			rc = rc ? rc : MAMORI_E_NOMEM;
		free(ev);
		free(text);
	}
	return rc;
}

int
scan_store(struct scan *s, struct db *db, const struct scan_options *opt,
    char *err, size_t errsz)
{
	struct store_scan st;
	const char *hostname = s->inv.sys.hostname ? s->inv.sys.hostname : "";
	int rc = store_scan_begin(db, host_key(s), hostname, (int64_t)s->started,
	    opt->root, &st);
	if (rc) {
		snprintf(err, errsz, "cannot store the scan: %s", db_errmsg(db));
		return rc;
	}
	rc = store_inventory(s, &st, opt);
	if (!rc && st.prev_scan_id) {
		s->changes = json_object();
		rc = s->changes ? store_scan_diff(&st, add_change, s->changes) : MAMORI_E_NOMEM;
	}
	if (rc) {
		snprintf(err, errsz, "cannot store the scan: %s", db_errmsg(db));
		store_scan_abort(&st);
		return rc;
	}
	s->scan_id = st.scan_id;
	s->prev_scan_id = st.prev_scan_id;
	s->duration_ms = scan_monotonic_ms() - s->started_ms;
	json_t *doc = scan_to_json(s, opt);
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (!text) {
		store_scan_abort(&st);
		snprintf(err, errsz, "cannot store the scan: out of memory");
		return MAMORI_E_NOMEM;
	}
	rc = store_scan_finish(&st, text, s->score.overall, s->duration_ms,
	    (int)conf_int(s->ctx.conf, CONF_SCAN_HISTORY_KEEP));
	free(text);
	if (rc) {
		snprintf(err, errsz, "cannot store the scan: %s", db_errmsg(db));
		s->scan_id = 0;
	}
	return rc;
}

void
scan_release(struct scan *s)
{
	check_run_release(&s->run);
	json_decref(s->changes);
	s->changes = NULL;
	rootfs_close(&s->root);
	arena_release(&s->arena);
}
