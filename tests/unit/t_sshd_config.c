/* t_sshd_config.c - sshd_config parsing: keyword forms, quotes, comments,
 * Include with globs in lexical order, Match blocks, first value wins. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/inventory.h"
#include "agent/sshd_config.h"
#include "common/err.h"
#include "tests/tap.h"

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
put(const char *root, const char *rel, const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The first setting for key (any Match state), or NULL. */
static const struct inv_ssh_setting *
nth(const struct vec *v, const char *key, int n)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct inv_ssh_setting *s = vec_at(v, i);
		if (strcmp(s->key, key) == 0 && n-- == 0)
			return s;
	}
	return NULL;
}

static const struct inv_ssh_setting *
effective(const struct vec *v, const char *key)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct inv_ssh_setting *s = vec_at(v, i);
		if (!s->in_match && strcmp(s->key, key) == 0)
			return s;
	}
	return NULL;
}

static void
test_buffer(struct scan_ctx *ctx)
{
	struct vec v;
	vec_init(&v, sizeof(struct inv_ssh_setting), 1000);
	struct span text = SPAN_LIT(
	    "# comment\n"
	    "   \n"
	    "PermitRootLogin=YES\n"
	    "passwordauthentication  =  no # trailing comment\n"
	    "Banner \"/etc/my banner\"\n"
	    "AcceptEnv LANG LC_*\n"
	    "PermitRootLogin no\n"
	    "Port\n"
	    "Bad-Key yes\n"
	    "AuthorizedKeysFile \"unterminated\n"
	    "Match User alice\n"
	    "  PasswordAuthentication yes\n"
	    "Match all\n"
	    "X11Forwarding yes\n");
	is_int(sshd_config_parse(ctx, text, "/etc/ssh/sshd_config", 0, false, &v), 0,
	    "buffer parses");
	const struct inv_ssh_setting *s = effective(&v, "permitrootlogin");
	ok(s && strcmp(s->value, "yes") == 0 && s->line == 3,
	    "Key=value, case-insensitive key, value lower-cased, first one wins");
	s = effective(&v, "passwordauthentication");
	ok(s && strcmp(s->value, "no") == 0, "Key = value with trailing comment");
	s = effective(&v, "banner");
	is_str(s ? s->value : NULL, "/etc/my banner", "quoted argument with a space");
	s = effective(&v, "acceptenv");
	is_str(s ? s->value : NULL, "lang LC_*", "several arguments; first lower-cased");
	ok(!nth(&v, "port", 0), "keyword without argument refused");
	ok(!nth(&v, "authorizedkeysfile", 0), "unterminated quote refused");
	s = nth(&v, "passwordauthentication", 1);
	ok(s && s->in_match && s->line == 12, "setting after Match is conditional");
	s = nth(&v, "match", 0);
	ok(s && s->in_match && strcmp(s->value, "user alice") == 0, "Match line kept");
	s = effective(&v, "x11forwarding");
	ok(s && !s->in_match, "Match all ends the conditional block");
}

static void
test_includes(struct scan_ctx *ctx, const char *dir)
{
	struct vec v;
	vec_init(&v, sizeof(struct inv_ssh_setting), 1000);
	put(dir, "etc/ssh/sshd_config",
	    "Include /etc/ssh/sshd_config.d/*.conf\n"
	    "PermitRootLogin no\n"
	    "Include extra/none-*.conf\n"
	    "Match Address 10.0.0.0/8\n"
	    "  Include cond.conf\n"
	    "Match all\n"
	    "Include self.conf\n");
	put(dir, "etc/ssh/sshd_config.d/20-b.conf", "PermitRootLogin prohibit-password\n");
	put(dir, "etc/ssh/sshd_config.d/10-a.conf",
	    "PermitRootLogin yes\nMatch User bob\n  PermitEmptyPasswords yes\n");
	put(dir, "etc/ssh/sshd_config.d/.hidden.conf", "PermitRootLogin hidden\n");
	put(dir, "etc/ssh/sshd_config.d/30-c.txt", "UsePAM no\n");
	put(dir, "etc/ssh/cond.conf", "PasswordAuthentication yes\n");
	put(dir, "etc/ssh/self.conf", "Include self.conf\nUseDNS no\n");
	is_int(sshd_config_load(ctx, "/etc/ssh/sshd_config", 0, false, &v), 0,
	    "config with includes loads");
	const struct inv_ssh_setting *s = effective(&v, "permitrootlogin");
	ok(s && strcmp(s->value, "yes") == 0 &&
	    strcmp(s->file, "/etc/ssh/sshd_config.d/10-a.conf") == 0 && s->line == 1,
	    "include applied in place, in lexical order: 10-a.conf wins");
	s = nth(&v, "permitrootlogin", 1);
	ok(s && strcmp(s->file, "/etc/ssh/sshd_config.d/20-b.conf") == 0 && !s->in_match,
	    "Match in an included file ends with that file");
	s = nth(&v, "permitemptypasswords", 0);
	ok(s && s->in_match, "...but applies inside it");
	ok(!nth(&v, "usepam", 0), "glob *.conf does not take 30-c.txt");
	s = nth(&v, "permitrootlogin", 3);
	ok(!s, "hidden .conf not matched by the glob");
	s = nth(&v, "passwordauthentication", 0);
	ok(s && s->in_match && strcmp(s->file, "/etc/ssh/cond.conf") == 0,
	    "relative Include inside Match: /etc/ssh/cond.conf, conditional");
	s = nth(&v, "usedns", 0);
	ok(s != NULL, "self-including file: depth limit, no hang");
	size_t n = 0;
	for (size_t i = 0; i < v.n; i++)
		n += strcmp(((struct inv_ssh_setting *)vec_at(&v, i))->key, "usedns") == 0;
	is_int(n, 16, "recursion stops at sshd's depth of 16");

	struct vec paths;
	vec_init(&paths, sizeof(char *), 100);
	is_int(sshd_config_glob(ctx, "/etc/*/sshd_config.d/[12]*.conf", &paths), 0,
	    "glob with wildcards in two components");
	ok(paths.n == 2 && strcmp(*(char **)vec_at(&paths, 0),
	    "/etc/ssh/sshd_config.d/10-a.conf") == 0, "two sorted matches");
}

int
main(void)
{
	char dir[] = "/tmp/t_sshd_XXXXXX";
	struct rootfs root;
	struct conf conf;
	struct arena a;
	struct scan_ctx ctx;
	if (!mkdtemp(dir))
		return 1;
	arena_init(&a, 0);
	conf_init(&conf);
	rootfs_open(&root, dir);
	memset(&ctx, 0, sizeof(ctx));
	ctx.root = &root;
	ctx.conf = &conf;
	ctx.arena = &a;
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 100);
	test_buffer(&ctx);
	ok(ctx.warnings.n == 1, "one warning for the bad lines of the buffer");
	test_includes(&ctx, dir);
	rootfs_close(&root);
	conf_release(&conf);
	arena_release(&a);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
