/* t_smb_conf.c - Samba's smb.conf parser, against what testparm(1) does. */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/smb_conf.h"
#include "common/err.h"
#include "tests/tap.h"

struct env {
	struct arena arena;
	struct conf conf;
	struct rootfs root;
	struct scan_ctx ctx;
	char dir[64];
};

static void
env_init(struct env *e)
{
	memset(e, 0, sizeof(*e));
	arena_init(&e->arena, 64u << 20);
	conf_init(&e->conf);
	snprintf(e->dir, sizeof(e->dir), "/tmp/t_smb_conf.XXXXXX");
	if (!mkdtemp(e->dir) || rootfs_open(&e->root, e->dir) != 0)
		exit(1);
	e->ctx.root = &e->root;
	e->ctx.conf = &e->conf;
	e->ctx.arena = &e->arena;
	vec_init(&e->ctx.warnings, sizeof(struct scan_warning), 10000);
}

static void
put(struct env *e, const char *path, const char *text)
{
	char full[512];
	snprintf(full, sizeof(full), "%s%s", e->dir, path);
	for (char *p = full + strlen(e->dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(full, 0755);
		*p = '/';
	}
	FILE *f = fopen(full, "w");
	if (!f)
		exit(1);
	fputs(text, f);
	fclose(f);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
parse(struct env *e, struct smb_conf *c, const char *text)
{
	smb_conf_init(c);
	return smb_conf_parse(&e->ctx, c, "smb.conf", span_from_cstr(text));
}

static const struct smb_section *
share(const struct smb_conf *c, const char *name)
{
	for (size_t i = 0; i < c->shares.n; i++) {
		const struct smb_section *s = vec_at(&c->shares, i);
		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

static const char *
val(const struct smb_conf *c, const char *sh, const char *key)
{
	const struct smb_param *p = smb_conf_get(c, sh ? share(c, sh) : NULL, key);
	return p ? p->value : NULL;
}

static bool
boolean(const struct smb_conf *c, const char *sh, const char *key, bool def)
{
	return smb_conf_bool(c, share(c, sh), key, def, NULL, NULL);
}

static void
test_names(struct env *e)
{
	struct smb_conf c;
	/* The first file of this test is the one testparm printed with
	 * "guest ok = Yes", "read only = Yes" for [pub] and the
	 * continuation joined into "a continued # not comment". */
	is_int(parse(e, &c,
	    "[global]\n"
	    "  security = user\n"
	    "  map to guest = bad user\n"
	    "[pub]\n"
	    "  path = /srv/pub\n"
	    "  GuestOK = yes\n"
	    "  writeable = yes\n"
	    "[pub2]\n"
	    "  path = /srv/pub2\n"
	    "  guest_ok = yes\n"
	    "  comment = a \\\n"
	    "  continued # not comment\n"
	    "  ; comment\n"
	    "[global]\n"
	    "  read only = no\n"
	    "  browsable = no\n"
	    "[pub3]\n"
	    "  path = /srv/x\n"
	    "[PUB]\n"
	    "  read only = yes\n"), 0, "parses");
	is_int(c.shares.n, 3, "three shares ([PUB] is [pub] again)");
	ok(boolean(&c, "pub", "guestok", false), "\"GuestOK\" is guest ok");
	ok(!boolean(&c, "pub2", "guestok", false), "\"guest_ok\" is not (underscores count)");
	ok(boolean(&c, "pub", "readonly", false), "re-opened section's read only = yes wins");
	is_str(val(&c, "pub2", "comment"), "a continued # not comment",
	    "continuation joined, '#' after a value is text");
	ok(boolean(&c, "pub2", "readonly", true),
	    "a later [global] read only = no does not reach an earlier share");
	ok(!boolean(&c, "pub3", "readonly", true), "but reaches a later one");
	ok(!boolean(&c, "pub3", "browseable", true), "browsable is browseable");
	is_str(val(&c, NULL, "maptoguest"), "bad user", "global value");

	is_int(parse(e, &c,
	    "; a comment\n# another\n"
	    "[ Pub ]\n path = /x\n Guest   OK = yes\n writable = no\n write ok = yes\n"
	    "[p2]\n path=/y\n only guest = yes\n public = on\n read only = 0\n"
	    "[p3] trailing junk\n path = /z\n public = yes # hmm\n"
	    "noequals line\n"), 0, "parses second file");
	ok(share(&c, " Pub ") != NULL, "section name kept as written");
	ok(!boolean(&c, " Pub ", "readonly", true), "last synonym wins: write ok = yes");
	ok(boolean(&c, " Pub ", "guestok", false), "blanks inside names ignored");
	ok(boolean(&c, "p2", "guestonly", false), "only guest = guest only");
	ok(boolean(&c, "p2", "guestok", false), "public = on");
	ok(!boolean(&c, "p2", "readonly", true), "read only = 0");
	ok(share(&c, "p3") != NULL, "text after ']' ignored");
	bool bad;
	const struct smb_param *where;
	ok(!smb_conf_bool(&c, share(&c, "p3"), "guestok", false, &where, &bad) && bad,
	    "\"yes # hmm\" is not a boolean (smbd refuses it too)");
	is_int(where ? where->line : 0, 15, "the bad value's line");
	ok(e->ctx.warnings.n >= 1, "line without '=' warned");
}

static void
test_include(struct env *e)
{
	struct smb_conf c;
	put(e, "/etc/samba/inc.conf", "[g]\n  path = /g\n  read only = no\n");
	put(e, "/etc/samba/loop.conf", "include = /etc/samba/loop.conf\n");
	smb_conf_init(&c);
	is_int(smb_conf_parse(&e->ctx, &c, "smb.conf", span_from_cstr(
	    "[global]\n include = /etc/samba/inc.conf\n public = yes\n"
	    " include = /etc/samba/smb.conf.%m\n"
	    " include = /etc/samba/missing.conf\n"
	    "[after]\n path = /a\n")), 0, "parses with includes");
	ok(share(&c, "g") != NULL, "included file's section exists");
	ok(boolean(&c, "g", "guestok", false),
	    "lines after the include belong to the included file's last section");
	ok(!boolean(&c, "after", "guestok", false), "so [global] never got public = yes");
	is_int(c.files, 2, "two files read (%%m and missing skipped)");

	size_t w0 = e->ctx.warnings.n;
	smb_conf_init(&c);
	is_int(smb_conf_parse(&e->ctx, &c, "smb.conf",
	    span_from_cstr("include = /etc/samba/loop.conf\n")), 0, "self-include ends");
	is_int(c.files, SMB_CONF_MAX_DEPTH + 1, "depth-limited");
	ok(e->ctx.warnings.n > w0, "depth limit warned");
	put(e, "/etc/samba/smb.conf", "[x]\npath=/x\n");
	smb_conf_init(&c);
	is_int(smb_conf_load(&e->ctx, &c, "/etc/samba/smb.conf"), 0, "load from root");
	is_int(smb_conf_load(&e->ctx, &c, "/etc/samba/none.conf"), MAMORI_E_NOTFOUND,
	    "missing file");
}

static void
test_bad(struct env *e)
{
	struct smb_conf c;
	const char bin[] = "[x]\n\x01\x02path = \xff\n";
	smb_conf_init(&c);
	is_int(smb_conf_parse(&e->ctx, &c, "bin", (struct span){ bin, sizeof(bin) - 1 }),
	    MAMORI_E_PARSE, "binary refused");
	is_int(parse(e, &c, "[\n[]\nkey = v\n[ok]\npath=/p\\"), 0, "broken headers survive");
	is_str(val(&c, "ok", "path"), "/p", "continuation at end of file");
	is_int(parse(e, &c, "\\\n\\\n\\"), 0, "only backslashes");
}

int
main(void)
{
	struct env e;
	env_init(&e);
	test_names(&e);
	test_include(&e);
	test_bad(&e);
	rootfs_close(&e.root);
	nftw(e.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	arena_release(&e.arena);
	conf_release(&e.conf);
	return done_testing();
}
