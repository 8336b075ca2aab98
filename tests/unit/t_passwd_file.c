/* t_passwd_file.c - passwd, group and shadow parsing, and admin rights
 * (uid 0, sudo/wheel groups, sudoers) from a small root tree. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/inventory.h"
#include "agent/passwd_file.h"
#include "common/err.h"
#include "tests/tap.h"

static struct inv_user *
user(struct vec *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++) {
		struct inv_user *u = vec_at(v, i);
		if (strcmp(u->name, name) == 0)
			return u;
	}
	return NULL;
}

static void
test_parse(void)
{
	struct arena a;
	struct vec users, groups;
	size_t bad = 0;
	arena_init(&a, 0);
	vec_init(&users, sizeof(struct inv_user), 1000);
	vec_init(&groups, sizeof(struct inv_group), 1000);
	struct span pw = SPAN_LIT(
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	    "# comment\n"
	    "\n"
	    "+@nis::::::\n"
	    "old:abcdefghijklm:1001:1001::/home/old:\n"
	    "short:x:5\n"
	    "baduid:x:-1:0::/:/bin/sh\n"
	    "big:x:4294967295:0::/:/bin/sh\n"
	    "alice:x:1000:1000:Alice,,,:/home/alice:/bin/zsh\r\n"
	    "alice:x:2000:2000:dup:/home/x:/bin/false\n"
	    "halt:x:7:0:halt:/sbin:/sbin/halt");
	is_int(passwd_file_parse_passwd(&a, pw, &users, &bad), 0, "passwd parses");
	is_int(users.n, 6, "six accounts (NIS, comment and bad lines skipped)");
	is_int(bad, 3, "three malformed lines counted");
	struct inv_user *u = user(&users, "alice");
	ok(u && u->uid == 1000 && strcmp(u->shell, "/bin/zsh") == 0 && u->login_shell,
	    "CRLF line: alice uid 1000 with /bin/zsh");
	ok(!user(&users, "daemon")->login_shell, "nologin is not a login shell");
	ok(!user(&users, "halt")->login_shell, "halt is not a login shell");
	u = user(&users, "old");
	ok(u->login_shell, "empty shell field means /bin/sh");
	ok(u->shadow_known && u->hash_from_passwd && strcmp(u->hash, "abcdefghijklm") == 0,
	    "a hash in passwd is the account's password");

	struct span sh = SPAN_LIT(
	    "root:$y$j9T$salt$hash:19000:0:99999:7:::\n"
	    "daemon:*:19000:0:99999:7:::\n"
	    "alice::19000:0:99999:7:::\n"
	    "alice:$6$second:19000::::::\n"
	    "old:$1$x$y:1::::::\n"
	    "ghost:$6$x:1::::::\n"
	    "broken\n"
	    "halt:!$6$locked$x:1:::::\n");
	bad = 0;
	is_int(passwd_file_parse_shadow(&a, sh, &users, &bad), 0, "shadow parses");
	is_int(bad, 1, "one malformed shadow line");
	u = user(&users, "root");
	ok(u->shadow_known && strncmp(u->hash, "$y$", 3) == 0 && !u->locked, "root yescrypt");
	ok(user(&users, "daemon")->locked, "'*' is locked");
	u = user(&users, "alice");
	ok(u->shadow_known && u->hash[0] == '\0' && !u->locked,
	    "first shadow entry wins: alice's is empty");
	ok(strcmp(user(&users, "old")->hash, "abcdefghijklm") == 0,
	    "passwd's own hash is not overridden by shadow");
	ok(user(&users, "halt")->locked, "'!' prefix is locked");

	struct span gr = SPAN_LIT(
	    "root:x:0:\n"
	    "sudo:x:27:alice, bob ,,\n"
	    "bad:x:zz:\n"
	    "wheel:x:10:\n");
	bad = 0;
	is_int(passwd_file_parse_group(&a, gr, &groups, &bad), 0, "group parses");
	is_int(groups.n, 3, "three groups");
	is_int(bad, 1, "bad gid counted");
	struct inv_group *g = vec_at(&groups, 1);
	ok(g->gid == 27 && g->members.n == 2 &&
	    strcmp(*(char **)vec_at(&g->members, 1), "bob") == 0, "sudo members trimmed");
	arena_release(&a);
}

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

static void
test_admins(void)
{
	char dir[] = "/tmp/t_passwd_XXXXXX";
	struct rootfs root;
	struct conf conf;
	struct arena a;
	struct scan_ctx ctx;
	struct inventory inv;
	if (!mkdtemp(dir)) {
		ok(false, "mkdtemp");
		return;
	}
	put(dir, "etc/passwd",
	    "root:x:0:0::/root:/bin/bash\n"
	    "toor:x:0:0::/root:/bin/sh\n"
	    "alice:x:1000:1000::/home/alice:/bin/bash\n"
	    "bob:x:1001:10::/home/bob:/bin/bash\n"
	    "carol:x:1002:1002::/home/carol:/bin/bash\n"
	    "dave:x:1003:1003::/home/dave:/bin/bash\n"
	    "erin:x:1004:1004::/home/erin:/bin/bash\n"
	    "frank:x:1005:1005::/home/frank:/bin/bash\n"
	    "gina:x:1006:1006::/home/gina:/bin/bash\n"
	    "hal:x:1007:1007::/home/hal:/bin/bash\n");
	put(dir, "etc/group",
	    "root:x:0:\nsudo:x:27:alice\nwheel:x:10:\nops:x:2000:dave\n");
	put(dir, "etc/sudoers",
	    "Defaults env_reset\n"
	    "root ALL=(ALL:ALL) ALL\n"
	    "%ops ALL=(ALL) NOPASSWD: ALL\n"
	    "carol ALL = /usr/bin/apt\n"
	    "User_Alias ADMINS = erin, \\\n   frank\n"
	    "Cmnd_Alias EVERYTHING = ALL\n"
	    "ADMINS ALL = (root) EVERYTHING\n"
	    "#1007 ALL=(ALL) ALL\n"
	    "@includedir /etc/sudoers.d\n");
	put(dir, "etc/sudoers.d/gina", "gina ALL=(ALL) ALL\n");
	put(dir, "etc/sudoers.d/carol.bak", "carol ALL=(ALL) ALL\n");
	put(dir, "etc/sudoers.d/carol~", "carol ALL=(ALL) ALL\n");

	arena_init(&a, 0);
	conf_init(&conf);
	is_int(rootfs_open(&root, dir), 0, "fixture root opens");
	memset(&ctx, 0, sizeof(ctx));
	ctx.root = &root;
	ctx.conf = &conf;
	ctx.arena = &a;
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 100);
	inventory_init(&inv);
	is_int(inventory_users_collect(&ctx, &inv), 0, "users collected");
	ok(!inv.have_shadow, "no shadow file: have_shadow false");
	is_str(user(&inv.users, "root")->admin_via, "uid0,sudoers", "root: uid0 and sudoers");
	is_str(user(&inv.users, "toor")->admin_via, "uid0", "toor: uid 0");
	is_str(user(&inv.users, "alice")->admin_via, "sudo", "alice: sudo group member");
	is_str(user(&inv.users, "bob")->admin_via, "wheel", "bob: wheel as primary group");
	ok(!user(&inv.users, "carol")->admin, "carol: one command is not ALL; .bak and ~ skipped");
	is_str(user(&inv.users, "dave")->admin_via, "sudoers", "dave: %%ops in sudoers");
	is_str(user(&inv.users, "erin")->admin_via, "sudoers", "erin: User_Alias + Cmnd_Alias ALL");
	is_str(user(&inv.users, "frank")->admin_via, "sudoers", "frank: continued alias line");
	is_str(user(&inv.users, "gina")->admin_via, "sudoers", "gina: @includedir file");
	is_str(user(&inv.users, "hal")->admin_via, "sudoers", "hal: #uid user spec");
	rootfs_close(&root);
	conf_release(&conf);
	arena_release(&a);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
main(void)
{
	test_parse();
	test_admins();
	return done_testing();
}
