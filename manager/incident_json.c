#include "manager/incident_json.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "detection/incident.h"
#include "storage/db.h"
#include "storage/store_incident.h"

#define T(en, ja) { en, ja }

static const struct {
	const char *id;
	struct i18n_text label;
} contact_roles[] = {
	{ "lead", T("Person in charge of security", "情報セキュリティ責任者") },
	{ "provider", T("Security service provider / support desk", "セキュリティサービス事業者・相談窓口") },
	{ "insurer", T("Cyber insurance (policy and claims number)", "サイバー保険（証券番号・事故受付）") },
	{ "vendor", T("IT vendor (maintenance, on-site help)", "ITベンダー（保守・駆け付け）") },
	{ "isp", T("Internet provider", "インターネット接続事業者") },
	{ "other", T("Other", "その他") },
};

json_t *
incident_json_text(const char *en, const char *ja)
{
	return json_pack("{s:s, s:s}", "en", en ? en : "", "ja", ja ? ja : "");
}

static json_t *
text(struct i18n_text t)
{
	return incident_json_text(t.en, t.ja);
}

static enum incident_kind
kind_of(const char *s)
{
	enum incident_kind k = INC_OTHER;
	(void)incident_kind_parse(s, &k);
	return k;
}

/* Collected while reading one incident. */
struct view {
	json_t *doc, *checks_done, *reports, *evidence, *timeline;
	struct store_incident_row row;	/* strings valid only inside the row callback */
	enum incident_kind kind;
	unsigned ppc;
	bool encrypted;
	int64_t discovered;
};

static int
set(json_t *o, const char *k, json_t *v)
{
	return v && json_object_set_new(o, k, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

static json_t *
summary(const struct store_incident_row *r)
{
	enum incident_kind k = kind_of(r->kind);
	enum alert_ir_step step = IR_DETECT;
	(void)incident_step_parse(r->step, &step);
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s}",
	    "id", (json_int_t)r->id, "kind", incident_kind_def(k)->id, "title", r->title,
	    "state", r->state, "step", r->step, "discovered_at", (json_int_t)r->discovered_at,
	    "opened_at", (json_int_t)r->opened_at, "checks_done", (json_int_t)r->checks_done,
	    "opened_by", r->opened_by);
	if (!v)
		return NULL;
	int rc = set(v, "kind_label", text(incident_kind_def(k)->name));
	rc |= set(v, "step_label", text(incident_step_title(step)));
	rc |= set(v, "alert_id", r->alert_id ? json_integer(r->alert_id) : json_null());
	rc |= set(v, "closed_at", r->closed_at ? json_integer(r->closed_at) : json_null());
	if (rc) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static int
view_row(void *ctx, const struct store_incident_row *r)
{
	struct view *v = ctx;
	if (!(v->doc = summary(r)))
		return MAMORI_E_NOMEM;
	json_t *w = json_object();
	for (int f = SI_WHEN; w && f < SI_NFIELDS; f++)
		if (json_object_set_new(w, store_incident_field_name(f), json_string(r->w[f])))
			return MAMORI_E_NOMEM;
	v->kind = kind_of(r->kind);
	v->ppc = r->ppc_cases;
	v->encrypted = r->ppc_encrypted;
	v->discovered = r->discovered_at;
	return set(v->doc, "w5h1", w);
}

static int
view_check(void *ctx, const char *item, int64_t at, const char *by)
{
	struct view *v = ctx;
	return set(v->checks_done, item, json_pack("{s:I, s:s}", "at", (json_int_t)at, "by", by));
}

static int
view_report(void *ctx, const char *authority, int64_t at, const char *by, const char *note)
{
	struct view *v = ctx;
	return set(v->reports, authority, json_pack("{s:I, s:s, s:s}", "at", (json_int_t)at, "by", by,
	    "note", note));
}

static int
view_evidence(void *ctx, int64_t id, int64_t at, const char *by, const char *what,
    const char *location, const char *sha256)
{
	struct view *v = ctx;
	json_t *e = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id,
	    "at", (json_int_t)at, "by", by, "what", what, "location", location, "sha256", sha256);
	return e && json_array_append_new(v->evidence, e) == 0 ? 0 : MAMORI_E_NOMEM;
}

static int
view_step(void *ctx, int64_t at, const char *kind, const char *actor, const char *note)
{
	struct view *v = ctx;
	json_t *e = json_pack("{s:I, s:s, s:s, s:s}", "at", (json_int_t)at, "kind", kind,
	    "actor", actor, "note", note);
	return e && json_array_append_new(v->timeline, e) == 0 ? 0 : MAMORI_E_NOMEM;
}

/* The three steps, each with its checklist for this kind and the ticks. */
static json_t *
steps_json(enum incident_kind k, json_t *done)
{
	static const enum alert_ir_step all[] = { IR_DETECT, IR_REPORT, IR_RECOVER };
	size_t n;
	const struct incident_check_def *c = incident_checks(&n);
	json_t *steps = json_array();
	for (size_t s = 0; steps && s < 3; s++) {
		json_t *items = json_array();
		int ndone = 0, total = 0;
		for (size_t i = 0; items && i < n; i++) {
			if (c[i].step != all[s] || !incident_check_applies(&c[i], k))
				continue;
			json_t *d = json_object_get(done, c[i].id);
			json_t *it = json_pack("{s:s, s:o, s:b, s:O}", "id", c[i].id, "text", text(c[i].text),
			    "done", d != NULL, "done_at", d ? json_object_get(d, "at") : json_null());
			if (!it || json_array_append_new(items, it)) {
				json_decref(items);
				items = NULL;
				break;
			}
			total++;
			ndone += d != NULL;
		}
		json_t *st = items ? json_pack("{s:s, s:o, s:i, s:i, s:o}", "id", incident_step_id(all[s]),
		    "title", text(incident_step_title(all[s])), "done", ndone, "total", total,
		    "items", items) : NULL;
		if (!st || json_array_append_new(steps, st)) {
			json_decref(steps);
			return NULL;
		}
	}
	return steps;
}

static json_t *
authorities_json(const struct view *v)
{
	static const char *const need[] = { "no", "may", "should", "must" };
	json_t *arr = json_array();
	for (int a = 0; arr && a < INC_NAUTH; a++) {
		const struct incident_authority_def *d = incident_authority_def((enum incident_authority)a);
		struct incident_advice adv = incident_advise((enum incident_authority)a, v->kind, v->ppc,
		    v->encrypted);
		json_t *rep = a == INC_TO_PPC ? json_object_get(v->reports, "ppc_final") :
		    json_object_get(v->reports, d->id);
		json_t *o = json_pack("{s:s, s:o, s:o, s:s, s:o, s:O}", "id", d->id, "name", text(d->name),
		    "where", text(d->where), "need", need[adv.need], "why", text(adv.why),
		    "reported", rep ? rep : json_null());
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *
deadlines_json(int64_t discovered, unsigned ppc, bool encrypted, json_t *reports, int64_t now)
{
	struct incident_deadline d[INC_DEADLINES_MAX];
	size_t n = incident_deadlines(discovered, ppc, encrypted,
	    json_object_get(reports, "ppc_prelim") != NULL, json_object_get(reports, "ppc_final") != NULL,
	    now, d);
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		json_t *o = json_pack("{s:s, s:o, s:I, s:I, s:I, s:s}", "id", d[i].id,
		    "label", text(d[i].label), "target", (json_int_t)d[i].target, "due", (json_int_t)d[i].due,
		    "remaining", (json_int_t)d[i].remaining, "status", d[i].status);
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *
ppc_json(unsigned cases, bool encrypted)
{
	json_t *list = json_array();
	for (unsigned bit = 1; list && bit <= PPC_OVER_1000; bit <<= 1) {
		json_t *o = json_pack("{s:s, s:o, s:b}", "id", incident_ppc_case_id(bit),
		    "text", text(incident_ppc_case_text(bit)), "applies", (cases & bit) != 0);
		if (!o || json_array_append_new(list, o)) {
			json_decref(list);
			return NULL;
		}
	}
	return list ? json_pack("{s:o, s:b, s:b}", "cases", list, "encrypted", encrypted,
	    "required", incident_ppc_required(cases, encrypted)) : NULL;
}

static int
add_contact(void *ctx, const struct store_contact *c)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "role", c->role, "name", c->name,
	    "phone", c->phone, "email", c->email, "note", c->note, "updated_at",
	    (json_int_t)c->updated_at);
	for (size_t i = 0; o && i < sizeof(contact_roles) / sizeof(contact_roles[0]); i++)
		if (strcmp(contact_roles[i].id, c->role) == 0)
			json_object_set_new(o, "label", text(contact_roles[i].label));
	return o && json_array_append_new(ctx, o) == 0 ? 0 : MAMORI_E_NOMEM;
}

int
incident_json_contacts(struct db *db, int64_t tenant_id, json_t **out)
{
	json_t *arr = json_array();
	int rc = arr ? store_contact_list(db, tenant_id, add_contact, arr) : MAMORI_E_NOMEM;
	if (rc != MAMORI_OK) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return MAMORI_OK;
}

int
incident_json_get(struct db *db, int64_t tenant_id, int64_t id, int64_t now, json_t **out)
{
	struct view v = { .checks_done = json_object(), .reports = json_object(),
		.evidence = json_array(), .timeline = json_array() };
	const struct store_incident_detail_fns fns = { view_row, view_check, view_report,
		view_evidence, view_step };
	json_t *contacts = NULL;
	int rc = MAMORI_E_NOMEM;
	if (!v.checks_done || !v.reports || !v.evidence || !v.timeline)
		goto out;
	if ((rc = store_incident_get(db, tenant_id, id, &fns, &v)) != MAMORI_OK)
		goto out;
	if ((rc = incident_json_contacts(db, tenant_id, &contacts)) != MAMORI_OK)
		goto out;
	rc = set(v.doc, "summary", text(incident_kind_def(v.kind)->summary));
	rc |= set(v.doc, "steps", steps_json(v.kind, v.checks_done));
	rc |= set(v.doc, "ppc", ppc_json(v.ppc, v.encrypted));
	rc |= set(v.doc, "authorities", authorities_json(&v));
	rc |= set(v.doc, "deadlines", deadlines_json(v.discovered, v.ppc, v.encrypted, v.reports, now));
	rc |= set(v.doc, "reports", json_incref(v.reports));
	rc |= set(v.doc, "evidence", json_incref(v.evidence));
	rc |= set(v.doc, "timeline", json_incref(v.timeline));
	rc |= set(v.doc, "contacts", contacts);
	contacts = NULL;
	rc = rc ? MAMORI_E_NOMEM : MAMORI_OK;
out:
	if (rc == MAMORI_OK)
		*out = v.doc;
	else
		json_decref(v.doc);
	json_decref(contacts);
	json_decref(v.checks_done);
	json_decref(v.reports);
	json_decref(v.evidence);
	json_decref(v.timeline);
	return rc;
}

struct list_ctx {
	json_t *arr;
	int64_t now;
};

static int
list_row(void *ctx, const struct store_incident_row *r)
{
	struct list_ctx *l = ctx;
	json_t *v = summary(r);
	if (!v || json_array_append_new(l->arr, v))
		return MAMORI_E_NOMEM;
	/* The list shows the countdowns without the reports: "reported" is read per incident. */
	return set(v, "ppc_required", json_boolean(incident_ppc_required(r->ppc_cases, r->ppc_encrypted)));
}

int
incident_json_list(struct db *db, int64_t tenant_id, bool open_only, int64_t now, json_t **out)
{
	struct list_ctx l = { json_array(), now };
	int rc = l.arr ? store_incident_list(db, tenant_id, open_only, list_row, &l) : MAMORI_E_NOMEM;
	/* Each open incident's countdowns, with its reports taken into account. */
	size_t i;
	json_t *v;
	json_array_foreach(l.arr, i, v) {
		json_t *full = NULL;
		if (rc != MAMORI_OK)
			break;
		if ((rc = incident_json_get(db, tenant_id, json_integer_value(json_object_get(v, "id")),
		    now, &full)) != MAMORI_OK)
			break;
		rc = set(v, "deadlines", json_incref(json_object_get(full, "deadlines")));
		json_decref(full);
	}
	if (rc != MAMORI_OK) {
		json_decref(l.arr);
		return rc;
	}
	*out = l.arr;
	return MAMORI_OK;
}

json_t *
incident_json_kinds(void)
{
	json_t *kinds = json_array(), *roles = json_array();
	for (int k = 0; kinds && k < INC_NKINDS; k++) {
		const struct incident_kind_def *d = incident_kind_def((enum incident_kind)k);
		json_array_append_new(kinds, json_pack("{s:s, s:o, s:o}", "id", d->id, "name", text(d->name),
		    "summary", text(d->summary)));
	}
	for (size_t i = 0; roles && i < sizeof(contact_roles) / sizeof(contact_roles[0]); i++)
		json_array_append_new(roles, json_pack("{s:s, s:o}", "id", contact_roles[i].id,
		    "label", text(contact_roles[i].label)));
	return json_pack("{s:o*, s:o*, s:o*}", "kinds", kinds, "ppc_cases", ppc_json(0, false),
	    "contact_roles", roles);
}

static int
bad(char *err, size_t errsz, const char *msg)
{
	snprintf(err, errsz, "%s", msg);
	return MAMORI_E_INVAL;
}

/* A string member of at most max bytes; absent is NULL and fine. */
static int
opt_str(const json_t *o, const char *key, size_t max, const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v)
		return MAMORI_OK;
	if (!json_is_string(v) || json_string_length(v) > max ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return MAMORI_E_INVAL;
	*out = json_string_value(v);
	return MAMORI_OK;
}

static int
opt_time(const json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (!v)
		return MAMORI_OK;
	if (!json_is_integer(v) || json_integer_value(v) <= 0 ||
	    json_integer_value(v) > 253402300799LL)	/* 9999-12-31 */
		return MAMORI_E_INVAL;
	*out = json_integer_value(v);
	return MAMORI_OK;
}

int
incident_json_open(struct db *db, int64_t tenant_id, const json_t *body, const char *actor,
    int64_t now, int64_t *id, char *err, size_t errsz)
{
	const char *kind = NULL, *title = NULL;
	enum incident_kind k;
	int64_t discovered = 0;
	json_t *alert = json_object_get(body, "alert_id");
	if (!json_is_object(body) || opt_str(body, "kind", 32, &kind) ||
	    opt_str(body, "title", STORE_INCIDENT_TEXT_MAX, &title) ||
	    opt_time(body, "discovered_at", &discovered) ||
	    (alert && (!json_is_integer(alert) || json_integer_value(alert) <= 0)))
		return bad(err, errsz, "expected {\"kind\", \"title\", \"alert_id\", \"discovered_at\"}");
	if (incident_kind_parse(kind ? kind : "other", &k) != MAMORI_OK)
		return bad(err, errsz, "kind is ransomware, malware, leak, outage, defacement or other");
	if (!alert && (!title || !*title))
		return bad(err, errsz, "give a title, or the alert_id the incident comes from");
	struct store_incident_new in = {
		.tenant_id = tenant_id, .kind = incident_kind_def(k)->id, .title = title ? title : "",
		.alert_id = alert ? json_integer_value(alert) : 0, .discovered_at = discovered,
		.actor = actor, .now = now,
	};
	int rc = store_incident_open(db, &in, id);
	if (rc == MAMORI_E_NOTFOUND)
		snprintf(err, errsz, "no such alert");
	return rc;
}

/* Accepts "item" or ["item", ...]; checks each against the kind. */
static int
items_ok(const json_t *v, enum incident_kind k)
{
	if (!v)
		return MAMORI_OK;
	if (json_is_string(v))
		return incident_check_find(json_string_value(v), k) ? MAMORI_OK : MAMORI_E_INVAL;
	if (!json_is_array(v) || json_array_size(v) > 64)
		return MAMORI_E_INVAL;
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
		if (!json_is_string(x) || !incident_check_find(json_string_value(x), k))
			return MAMORI_E_INVAL;
	return MAMORI_OK;
}

static int
tick(struct db *db, const struct store_incident_who *w, const json_t *v, bool done)
{
	if (json_is_string(v))
		return store_incident_check(db, w, json_string_value(v), done);
	size_t i;
	json_t *x;
	int rc = MAMORI_OK;
	json_array_foreach(v, i, x)
		if ((rc = store_incident_check(db, w, json_string_value(x), done)) != MAMORI_OK)
			break;
	return rc;
}

struct parsed_change {
	const json_t *check, *uncheck;
	const char *step, *fields[SI_NFIELDS], *note, *state;
	int64_t discovered;
	bool has_ppc, encrypted;
	unsigned ppc;
	const char *rep_auth, *rep_note, *ev_what, *ev_where, *ev_sha;
	int64_t rep_at;
	bool has_evidence;
};

static int
kind_cb(void *ctx, const struct store_incident_row *r)
{
	*(enum incident_kind *)ctx = kind_of(r->kind);
	return 0;
}

static int
parse_ppc(const json_t *p, struct parsed_change *c)
{
	json_t *cases = json_object_get(p, "cases"), *enc = json_object_get(p, "encrypted");
	size_t i;
	json_t *x;
	if (!json_is_object(p) || (cases && !json_is_array(cases)) || (enc && !json_is_boolean(enc)))
		return MAMORI_E_INVAL;
	c->has_ppc = true;
	c->encrypted = json_is_true(enc);
	json_array_foreach(cases, i, x) {
		unsigned bit;
		if (!json_is_string(x) || strchr(json_string_value(x), ',') ||
		    incident_ppc_parse(json_string_value(x), &bit) != MAMORI_OK)
			return MAMORI_E_INVAL;
		c->ppc |= bit;
	}
	return MAMORI_OK;
}

static int
parse_change(json_t *in, enum incident_kind k, struct parsed_change *c, char *err,
    size_t errsz)
{
	static const char *const known[] = { "check", "uncheck", "step", "fields", "discovered_at",
		"ppc", "reported", "evidence", "note", "state" };
	const char *key;
	json_t *v;
	enum alert_ir_step step;
	if (!json_is_object(in) || json_object_size(in) == 0)
		return bad(err, errsz, "expected a JSON object with at least one change");
	json_object_foreach(in, key, v) {
		bool ok = false;
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			ok |= strcmp(key, known[i]) == 0;
		if (!ok)
			return bad(err, errsz, "unknown change (check, uncheck, step, fields, discovered_at, ppc, reported, evidence, note, state)");
	}
	c->check = json_object_get(in, "check");
	c->uncheck = json_object_get(in, "uncheck");
	if (items_ok(c->check, k) || items_ok(c->uncheck, k))
		return bad(err, errsz, "a checklist item is not in this incident's playbook");
	if (opt_str(in, "step", 16, &c->step) || (c->step && incident_step_parse(c->step, &step)))
		return bad(err, errsz, "step is detect, report or recover");
	json_t *fields = json_object_get(in, "fields");
	if (fields && !json_is_object(fields))
		return bad(err, errsz, "fields is an object");
	json_object_foreach(fields, key, v) {
		int f;
		for (f = 0; f < SI_NFIELDS && strcmp(key, store_incident_field_name(f)); f++)
			;
		if (f == SI_NFIELDS || opt_str(fields, key, STORE_INCIDENT_TEXT_MAX, &c->fields[f]) ||
		    (f == SI_TITLE && !*c->fields[f]))
			return bad(err, errsz, "fields are title, when, where, who, what, why, how: text up to 4000 bytes (title not empty)");
	}
	if (opt_time(in, "discovered_at", &c->discovered))
		return bad(err, errsz, "discovered_at is unix seconds");
	json_t *ppc = json_object_get(in, "ppc");
	if (ppc && parse_ppc(ppc, c))
		return bad(err, errsz, "ppc is {\"cases\": [sensitive|financial|wrongful|over1000 ...], \"encrypted\": bool}");
	json_t *rep = json_object_get(in, "reported");
	if (rep && (!json_is_object(rep) || opt_str(rep, "authority", 32, &c->rep_auth) ||
	    !incident_report_id_ok(c->rep_auth) || opt_time(rep, "at", &c->rep_at) ||
	    opt_str(rep, "note", STORE_INCIDENT_TEXT_MAX, &c->rep_note)))
		return bad(err, errsz, "reported is {\"authority\": ipa|police|jpcert|ppc_prelim|ppc_final|ministry|ipa_desk, \"at\", \"note\"}");
	json_t *ev = json_object_get(in, "evidence");
	if (ev && (!json_is_object(ev) || opt_str(ev, "what", STORE_INCIDENT_TEXT_MAX, &c->ev_what) ||
	    !c->ev_what || !*c->ev_what || opt_str(ev, "location", STORE_INCIDENT_TEXT_MAX, &c->ev_where) ||
	    opt_str(ev, "sha256", 128, &c->ev_sha)))
		return bad(err, errsz, "evidence is {\"what\" (required), \"location\", \"sha256\"}");
	c->has_evidence = ev != NULL;
	if (opt_str(in, "note", STORE_INCIDENT_TEXT_MAX, &c->note) || (c->note && !*c->note))
		return bad(err, errsz, "note is text of 1 to 4000 bytes");
	if (opt_str(in, "state", 16, &c->state) ||
	    (c->state && strcmp(c->state, "open") && strcmp(c->state, "closed")))
		return bad(err, errsz, "state is open or closed");
	return MAMORI_OK;
}

static int
apply(struct db *db, const struct store_incident_who *w, const struct parsed_change *c)
{
	int rc = MAMORI_OK;
	if (c->check)
		rc = tick(db, w, c->check, true);
	if (rc == MAMORI_OK && c->uncheck)
		rc = tick(db, w, c->uncheck, false);
	for (int f = 0; rc == MAMORI_OK && f < SI_NFIELDS; f++)
		if (c->fields[f])
			rc = store_incident_set_field(db, w, (enum store_incident_field)f, c->fields[f]);
	if (rc == MAMORI_OK && c->discovered)
		rc = store_incident_set_discovered(db, w, c->discovered);
	if (rc == MAMORI_OK && c->has_ppc)
		rc = store_incident_set_ppc(db, w, c->ppc, c->encrypted);
	if (rc == MAMORI_OK && c->rep_auth)
		rc = store_incident_reported(db, w, c->rep_auth, c->rep_at, c->rep_note);
	if (rc == MAMORI_OK && c->has_evidence)
		rc = store_incident_add_evidence(db, w, c->ev_what, c->ev_where, c->ev_sha);
	if (rc == MAMORI_OK && c->note && !c->state)	/* with a state, the note goes with it */
		rc = store_incident_note(db, w, c->note);
	if (rc == MAMORI_OK && c->step && (rc = store_incident_set_step(db, w, c->step)) == MAMORI_E_INVAL)
		rc = MAMORI_E_LIMIT;
	if (rc == MAMORI_OK && c->state)
		rc = store_incident_close(db, w, strcmp(c->state, "closed") == 0, c->note ? c->note : "");
	return rc;
}

int
incident_json_apply(struct db *db, int64_t tenant_id, int64_t id, json_t *change,
    const char *actor, int64_t now, char *err, size_t errsz)
{
	enum incident_kind k = INC_OTHER;
	struct parsed_change c = { 0 };
	const struct store_incident_detail_fns fns = { .row = kind_cb };
	int rc = store_incident_get(db, tenant_id, id, &fns, &k);
	if (rc != MAMORI_OK) {
		snprintf(err, errsz, "%s", rc == MAMORI_E_NOTFOUND ? "no such incident" : "database error");
		return rc;
	}
	if ((rc = parse_change(change, k, &c, err, errsz)) != MAMORI_OK)
		return rc;
	struct store_incident_who w = { tenant_id, id, actor, now };
	rc = apply(db, &w, &c);
	if (rc == MAMORI_E_INVAL) {	/* the body was checked: only the state can refuse */
		snprintf(err, errsz, "the incident is already %s", c.state ? c.state : "in that state");
		rc = MAMORI_E_LIMIT;
	} else if (rc == MAMORI_E_LIMIT) {
		snprintf(err, errsz, "a closed incident's step cannot change; reopen it first");
	}
	return rc;
}

int
incident_json_contact_set(struct db *db, int64_t tenant_id, const json_t *body, int64_t now,
    char *err, size_t errsz)
{
	struct store_contact c = { .updated_at = now };
	bool known = false;
	json_t *del = json_object_get(body, "delete");
	if (!json_is_object(body) || opt_str(body, "role", 32, &c.role) || !c.role ||
	    opt_str(body, "name", 1000, &c.name) || opt_str(body, "phone", 1000, &c.phone) ||
	    opt_str(body, "email", 1000, &c.email) || opt_str(body, "note", 1000, &c.note) ||
	    (del && !json_is_boolean(del)))
		return bad(err, errsz, "expected {\"role\", \"name\", \"phone\", \"email\", \"note\"} (text up to 1000 bytes) or {\"role\", \"delete\": true}");
	for (size_t i = 0; i < sizeof(contact_roles) / sizeof(contact_roles[0]); i++)
		known |= strcmp(contact_roles[i].id, c.role) == 0;
	if (!known)
		return bad(err, errsz, "role is lead, provider, insurer, vendor, isp or other");
	if (json_is_true(del)) {
		int rc = store_contact_delete(db, tenant_id, c.role);
		if (rc == MAMORI_E_NOTFOUND)
			snprintf(err, errsz, "no contact for that role");
		return rc;
	}
	return store_contact_set(db, tenant_id, &c);
}
