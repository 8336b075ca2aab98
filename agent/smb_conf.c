/* smb_conf.c - Samba's smb.conf parser (see smb_conf.h for the rules). */
#include "agent/smb_conf.h"

#include <string.h>
#include <strings.h>

#include "common/err.h"

/* Synonyms of the parameters the checks read (Samba's parameter table). */
static const struct {
	const char *alias;
	const char *canon;
	bool inverted;
} synonyms[] = {
	{ "public", "guestok", false },
	{ "onlyguest", "guestonly", false },
	{ "writable", "readonly", true },
	{ "writeable", "readonly", true },
	{ "writeok", "readonly", true },
	{ "browsable", "browseable", false },
	{ "printok", "printable", false },
	{ "directory", "path", false },
	{ "allowhosts", "hostsallow", false },
	{ "denyhosts", "hostsdeny", false },
	{ "createmode", "createmask", false },
	{ "directorymode", "directorymask", false },
	{ "user", "username", false },
	{ "users", "username", false },
};

struct parse_state {
	struct scan_ctx *ctx;
	struct smb_conf *c;
	long cur;		/* -1 = [global], else index into shares */
};

void
smb_conf_init(struct smb_conf *c)
{
	memset(c, 0, sizeof(*c));
	vec_init(&c->global.params, sizeof(struct smb_param), 100000);
	vec_init(&c->shares, sizeof(struct smb_section), 10000);
}

const char *
smb_conf_canon(struct arena *a, struct span name, bool *inverted)
{
	char buf[128];
	size_t n = 0;

	*inverted = false;
	for (size_t i = 0; i < name.len; i++) {
		unsigned char ch = (unsigned char)name.p[i];
		if (ch == ' ' || ch == '\t')
			continue;
		if (n + 1 >= sizeof(buf))
			break;	/* no real name is this long; keep a prefix */
		buf[n++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : (char)ch;
	}
	buf[n] = '\0';
	for (size_t i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++) {
		if (strcmp(buf, synonyms[i].alias) == 0) {
			*inverted = synonyms[i].inverted;
			return synonyms[i].canon;
		}
	}
	return arena_strdup(a, buf);
}

static struct smb_section *
current(struct parse_state *st)
{
	if (st->cur < 0)
		return &st->c->global;
	return vec_at(&st->c->shares, (size_t)st->cur);
}

static int
open_section(struct parse_state *st, struct span name, const char *file,
    int line)
{
	struct smb_conf *c = st->c;

	if (span_eq_nocase(name, "global")) {
		st->cur = -1;
		return MAMORI_OK;
	}
	for (size_t i = 0; i < c->shares.n; i++) {
		struct smb_section *s = vec_at(&c->shares, i);
		if (strlen(s->name) == name.len &&
		    strncasecmp(s->name, name.p, name.len) == 0) {
			st->cur = (long)i;	/* named again: the same share */
			return MAMORI_OK;
		}
	}
	struct smb_section *s = vec_push(st->ctx->arena, &c->shares);
	if (!s) {
		if (c->shares.n >= c->shares.max_items) {
			scan_warn(st->ctx, "sharing", "%s:%d: too many shares, "
			    "the rest is ignored", file, line);
			st->cur = -2;
			return MAMORI_OK;
		}
		return MAMORI_E_NOMEM;
	}
	s->name = arena_spandup(st->ctx->arena, name);
	s->file = file;
	s->line = line;
	s->nglobal = c->global.params.n;
	vec_init(&s->params, sizeof(struct smb_param), 100000);
	if (!s->name)
		return MAMORI_E_NOMEM;
	st->cur = (long)(c->shares.n - 1);
	return MAMORI_OK;
}

static int parse_text(struct parse_state *st, const char *file,
    struct span text, int depth);

static int
do_include(struct parse_state *st, struct span value, const char *file,
    int line, int depth)
{
	struct scan_ctx *ctx = st->ctx;

	if (!ctx->root)
		return MAMORI_OK;
	/* %m, %U, %I ... are filled in per client by smbd: unknowable here. */
	if (span_find(value, '%') < value.len || span_eq_nocase(value, "registry"))
		return MAMORI_OK;
	if (depth >= SMB_CONF_MAX_DEPTH) {
		scan_warn(ctx, "sharing", "%s:%d: includes nested deeper than %d, "
		    "not followed", file, line, SMB_CONF_MAX_DEPTH);
		return MAMORI_OK;
	}
	char *path = arena_spandup(ctx->arena, value);
	if (!path)
		return MAMORI_E_NOMEM;
	if (path[0] != '/') {
		scan_warn(ctx, "sharing", "%s:%d: relative include \"%s\" ignored",
		    file, line, path);
		return MAMORI_OK;
	}
	struct span sub;
	int rc = rootfs_read(ctx->root, path, scan_max_file(ctx), ctx->arena, &sub);
	if (rc == MAMORI_E_NOTFOUND)
		return MAMORI_OK;	/* smbd skips a missing include too */
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc) {
		scan_warn(ctx, "sharing", "%s:%d: cannot read include %s: %s",
		    file, line, path, err_str(rc));
		return MAMORI_OK;
	}
	rc = parse_text(st, path, sub, depth + 1);
	return rc == MAMORI_E_PARSE ? MAMORI_OK : rc;
}

static int
parse_line(struct parse_state *st, struct span l, const char *file, int line,
    int depth)
{
	struct scan_ctx *ctx = st->ctx;

	l = span_trim(l);
	if (l.len == 0)
		return MAMORI_OK;
	if (l.p[0] == '[') {
		struct span rest = { l.p + 1, l.len - 1 }, name, after;
		/* Text after the closing bracket is ignored, as smbd does. */
		if (!span_split(rest, ']', &name, &after) || name.len == 0) {
			scan_warn(ctx, "sharing", "%s:%d: bad section header",
			    file, line);
			st->cur = -2;	/* its lines belong nowhere */
			return MAMORI_OK;
		}
		return open_section(st, name, file, line);
	}
	struct span k, v;
	if (!span_split(l, '=', &k, &v) || span_trim(k).len == 0) {
		scan_warn(ctx, "sharing", "%s:%d: line is not \"name = value\"",
		    file, line);
		return MAMORI_OK;
	}
	k = span_trim(k);
	v = span_trim(v);
	bool inv;
	const char *key = smb_conf_canon(ctx->arena, k, &inv);
	if (!key)
		return MAMORI_E_NOMEM;
	if (strcmp(key, "include") == 0)
		return do_include(st, v, file, line, depth);
	if (st->cur == -2)
		return MAMORI_OK;
	struct smb_section *sec = current(st);
	struct smb_param *p = vec_push(ctx->arena, &sec->params);
	if (!p)
		return sec->params.n >= sec->params.max_items ? MAMORI_OK :
		    MAMORI_E_NOMEM;
	p->key = key;
	p->value = arena_spandup(ctx->arena, v);
	p->inverted = inv;
	p->file = file;
	p->line = line;
	return p->value ? MAMORI_OK : MAMORI_E_NOMEM;
}

static bool
is_comment(struct span l)
{
	l = span_trim(l);
	return l.len > 0 && (l.p[0] == '#' || l.p[0] == ';');
}

/* A line whose last non-blank byte is '\' continues on the next one. */
static bool
continues(struct span l, struct span *body)
{
	struct span t = l;
	while (t.len > 0 && (t.p[t.len - 1] == ' ' || t.p[t.len - 1] == '\t' ||
	    t.p[t.len - 1] == '\r'))
		t.len--;
	if (t.len == 0 || t.p[t.len - 1] != '\\')
		return false;
	body->p = t.p;
	body->len = t.len - 1;
	return true;
}

static int
parse_text(struct parse_state *st, const char *file, struct span text,
    int depth)
{
	struct scan_ctx *ctx = st->ctx;
	struct cursor cur;
	struct span l;
	int lineno = 0;

	if (!span_is_text(text)) {
		scan_warn(ctx, "sharing", "%s: not a text file, ignored", file);
		return MAMORI_E_PARSE;
	}
	const char *fname = arena_strdup(ctx->arena, file);
	if (!fname)
		return MAMORI_E_NOMEM;
	st->c->files++;
	cursor_init(&cur, text.p, text.len);
	while (cursor_line(&cur, &l)) {
		lineno++;
		int start = lineno;
		if (is_comment(l))
			continue;
		struct span body;
		if (continues(l, &body)) {
			/* Join into one logical line: the text before each '\'
			 * plus the next line without its leading blanks. */
			size_t cap = body.len + cursor_left(&cur) + 1, n = 0;
			char *buf = arena_alloc(ctx->arena, cap);
			if (!buf)
				return MAMORI_E_NOMEM;
			memcpy(buf, body.p, body.len);
			n = body.len;
			bool more = true;
			while (more && cursor_line(&cur, &l)) {
				lineno++;
				struct span part = l;
				while (part.len && (part.p[0] == ' ' || part.p[0] == '\t')) {
					part.p++;
					part.len--;
				}
				more = continues(part, &body);
				if (more)
					part = body;
				if (n + part.len >= cap)
					break;	/* cannot happen: cap covers the rest */
				memcpy(buf + n, part.p, part.len);
				n += part.len;
			}
			l.p = buf;
			l.len = n;
		}
		int rc = parse_line(st, l, fname, start, depth);
		if (rc)
			return rc;
	}
	return MAMORI_OK;
}

int
smb_conf_parse(struct scan_ctx *ctx, struct smb_conf *c, const char *file,
    struct span text)
{
	struct parse_state st = { ctx, c, -1 };
	return parse_text(&st, file, text, 0);
}

int
smb_conf_load(struct scan_ctx *ctx, struct smb_conf *c, const char *path)
{
	struct span text;
	int rc = rootfs_read(ctx->root, path, scan_max_file(ctx), ctx->arena, &text);
	if (rc)
		return rc;
	return smb_conf_parse(ctx, c, path, text);
}

static const struct smb_param *
last_of(const struct vec *params, size_t n, const char *key)
{
	for (size_t i = n; i > 0; i--) {
		const struct smb_param *p = vec_at(params, i - 1);
		if (strcmp(p->key, key) == 0)
			return p;
	}
	return NULL;
}

const struct smb_param *
smb_conf_get(const struct smb_conf *c, const struct smb_section *share,
    const char *key)
{
	if (!share)
		return last_of(&c->global.params, c->global.params.n, key);
	const struct smb_param *p = last_of(&share->params, share->params.n, key);
	if (p)
		return p;
	size_t n = share->nglobal < c->global.params.n ? share->nglobal :
	    c->global.params.n;
	return last_of(&c->global.params, n, key);
}

bool
smb_conf_bool(const struct smb_conf *c, const struct smb_section *share,
    const char *key, bool def, const struct smb_param **where, bool *bad)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	const struct smb_param *p = smb_conf_get(c, share, key);

	if (where)
		*where = p;
	if (bad)
		*bad = false;
	if (!p)
		return def;
	struct span v = span_from_cstr(p->value);
	for (size_t i = 0; i < 4; i++) {
		if (span_eq_nocase(v, yes[i]))
			return !p->inverted;
		if (span_eq_nocase(v, no[i]))
			return p->inverted;
	}
	if (bad)
		*bad = true;
	return def;
}
