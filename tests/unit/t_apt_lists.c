/*
 * t_apt_lists.c - apt's Packages indexes and Release files, apt.conf
 * syntax, and the ClamAV database header (the parsers behind the updates
 * and anti-malware checks).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/apt_conf.h"
#include "agent/apt_lists.h"
#include "agent/clamav_cvd.h"
#include "common/conf.h"
#include "common/err.h"
#include "tests/tap.h"

struct env {
	struct conf conf;
	struct arena arena;
	struct rootfs root;
	struct scan_ctx ctx;
};

static void
env_init(struct env *e, const char *root)
{
	memset(e, 0, sizeof(*e));
	conf_init(&e->conf);
	arena_init(&e->arena, 256 * 1024 * 1024);
	e->ctx.conf = &e->conf;
	e->ctx.arena = &e->arena;
	vec_init(&e->ctx.warnings, sizeof(struct scan_warning), 10000);
	if (root && rootfs_open(&e->root, root) == MAMORI_OK)
		e->ctx.root = &e->root;
}

static void
env_free(struct env *e)
{
	if (e->ctx.root)
		rootfs_close(&e->root);
	arena_release(&e->arena);
	conf_release(&e->conf);
}

/* ---- Packages ---- */

struct seen {
	char line[16][128];
	size_t n;
};

static int
record(void *arg, const struct apt_stanza *st)
{
	struct seen *s = arg;
	if (s->n < 16)
		snprintf(s->line[s->n++], 128, "%.*s %.*s %.*s %.*s",
		    (int)st->package.len, st->package.p, (int)st->version.len,
		    st->version.p, (int)st->arch.len, st->arch.p,
		    (int)st->source.len, st->source.p);
	return 0;
}

static int
stop_at_two(void *arg, const struct apt_stanza *st)
{
	int *n = arg;
	(void)st;
	return ++*n == 2 ? 42 : 0;
}

static void
test_packages(void)
{
	const char text[] =
	    "Package: openssl\n"
	    "Source: openssl (3.0.15-1~deb12u1)\n"
	    "Version: 3.0.15-1~deb12u1\n"
	    "Architecture: amd64\n"
	    "Description: Secure Sockets Layer toolkit\n"
	    " Package: not-a-field\n"
	    " Version: 9.9\n"
	    "\n"
	    "Package: no-version\r\n"
	    "Architecture: all\r\n"
	    "\r\n"
	    "package: lower\r\n"
	    "version: 1:2.0\r\n"
	    "architecture: all\r\n"
	    "  \t\n"
	    "Package:   spaced  \n"
	    "Version:1.0\n"
	    "Architecture: i386";
	struct seen s = { 0 };

	is_int(apt_lists_parse_packages((struct span){ text, sizeof(text) - 1 },
	    record, &s), 0, "parse succeeds");
	is_int(s.n, 3, "three stanzas with Package and Version");
	is_str(s.line[0], "openssl 3.0.15-1~deb12u1 amd64 openssl",
	    "fields, Source without version, continuation lines ignored");
	is_str(s.line[1], "lower 1:2.0 all ", "CRLF and lower-case field names");
	is_str(s.line[2], "spaced 1.0 i386 ",
	    "whitespace-only separator, trimmed values, no final newline");
	int n = 0;
	is_int(apt_lists_parse_packages((struct span){ text, sizeof(text) - 1 },
	    stop_at_two, &n), 42, "callback value stops the walk");
	struct seen e = { 0 };
	is_int(apt_lists_parse_packages((struct span){ "", 0 }, record, &e), 0,
	    "empty input");
	is_int(e.n, 0, "nothing in empty input");
	const char bin[] = "Package: a\0b\nVersion: \xff\xfe\n\n\n:\n::\nPackage:";
	struct seen b = { 0 };
	apt_lists_parse_packages((struct span){ bin, sizeof(bin) - 1 }, record, &b);
	is_int(b.n, 1, "binary junk does not derail the walk");
}

/* ---- Release ---- */

static void
test_release(void)
{
	const char signed_rel[] =
	    "-----BEGIN PGP SIGNED MESSAGE-----\n"
	    "Hash: SHA256\n"
	    "\n"
	    "Origin: Debian\n"
	    "Label: Debian-Security\n"
	    "Suite: oldstable-security\n"
	    "Version: 12\n"
	    "Codename: bookworm-security\n"
	    "SHA256:\n"
	    " e3b0c442 0 main/Suite: x\n"
	    "-----BEGIN PGP SIGNATURE-----\n"
	    "Label: forged\n";
	struct arena a;
	struct apt_release r;

	arena_init(&a, 1 << 20);
	is_int(apt_lists_parse_release((struct span){ signed_rel,
	    sizeof(signed_rel) - 1 }, &a, &r), 0, "signed InRelease parses");
	is_str(r.label, "Debian-Security", "Label");
	is_str(r.suite, "oldstable-security", "Suite");
	is_str(r.codename, "bookworm-security", "Codename");
	is_str(r.origin, "Debian", "Origin");
	ok(apt_release_is_security(&r), "Debian-Security is a security suite");

	const char ubuntu[] = "Origin: Ubuntu\nLabel: Ubuntu\nSuite: jammy-security\n"
	    "Codename: jammy\n";
	apt_lists_parse_release((struct span){ ubuntu, sizeof(ubuntu) - 1 }, &a, &r);
	ok(apt_release_is_security(&r), "Ubuntu jammy-security by Suite");
	const char main_rel[] = "Origin: Debian\nLabel: Debian\nSuite: oldstable\n"
	    "Codename: bookworm\n";
	apt_lists_parse_release((struct span){ main_rel, sizeof(main_rel) - 1 },
	    &a, &r);
	ok(!apt_release_is_security(&r), "the main suite is not security");
	const char armor_only[] = "-----BEGIN PGP SIGNED MESSAGE-----\nLabel: x\n";
	apt_lists_parse_release((struct span){ armor_only,
	    sizeof(armor_only) - 1 }, &a, &r);
	ok(!r.label, "armor headers are not fields");
	arena_release(&a);
}

/* ---- the lists directory ---- */

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void
test_scan(void)
{
	char root[] = "/tmp/t_apt_lists.XXXXXX";
	char path[8192], cmd_dir[4096];
	struct env e;
	struct vec files;

	if (!mkdtemp(root)) {
		ok(false, "mkdtemp");
		return;
	}
	snprintf(cmd_dir, sizeof(cmd_dir), "%s/var", root);
	mkdir(cmd_dir, 0755);
	snprintf(cmd_dir, sizeof(cmd_dir), "%s/var/lib", root);
	mkdir(cmd_dir, 0755);
	snprintf(cmd_dir, sizeof(cmd_dir), "%s/var/lib/apt", root);
	mkdir(cmd_dir, 0755);
	snprintf(cmd_dir, sizeof(cmd_dir), "%s/var/lib/apt/lists", root);
	mkdir(cmd_dir, 0755);
	const char *names[] = {
	    "deb.debian.org_debian-security_dists_bookworm-security_InRelease",
	    "deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages",
	    "deb.debian.org_debian_dists_bookworm_InRelease",
	    "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages",
	    "security.example_dists_bullseye-security_main_binary-amd64_Packages",
	    "deb.debian.org_debian_dists_bookworm_main_i18n_Translation-en",
	    "lock",
	};
	const char *texts[] = {
	    "Label: Debian-Security\nSuite: stable-security\nCodename: bookworm-security\n",
	    "Package: openssl\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\n",
	    "Label: Debian\nSuite: stable\nCodename: bookworm\n",
	    "Package: openssl\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\n",
	    "Package: x\nVersion: 1\nArchitecture: amd64\n",
	    "", "",
	};
	for (size_t i = 0; i < 7; i++) {
		snprintf(path, sizeof(path), "%s/%s", cmd_dir, names[i]);
		write_file(path, texts[i]);
	}
	env_init(&e, root);
	vec_init(&files, sizeof(struct apt_list_file), 1000);
	is_int(apt_lists_scan(&e.ctx, &files), 0, "scan of a lists directory");
	is_int(files.n, 5, "two releases and three Packages indexes");
	size_t nsec = 0, nrel = 0;
	for (size_t i = 0; i < files.n; i++) {
		const struct apt_list_file *f = vec_at(&files, i);
		if (f->kind == APT_LIST_RELEASE) {
			nrel++;
			ok(f->mtime > 0, "release mtime %s", f->name);
			continue;
		}
		if (strstr(f->name, "debian-security")) {
			ok(f->security && f->release.codename &&
			    strcmp(f->release.codename, "bookworm-security") == 0,
			    "security index linked to its InRelease");
			char *buf;
			size_t len;
			ok(apt_lists_read(&e.ctx, f, &buf, &len) == 0 &&
			    strstr(buf, "3.0.15"), "read the plain index");
			free(buf);
		} else if (strstr(f->name, "security.example")) {
			ok(f->security, "no release file: the name decides");
		} else {
			ok(!f->security, "main suite index is not security");
		}
		nsec += f->security;
	}
	is_int(nsec, 2, "two security indexes");
	is_int(nrel, 2, "two releases");
	env_free(&e);

	env_init(&e, "/nonexistent-t-apt-lists");
	struct env e2;
	env_init(&e2, "/");
	snprintf(path, sizeof(path), "%s/empty", root);
	mkdir(path, 0755);
	env_free(&e);
	env_init(&e, path);
	vec_init(&files, sizeof(struct apt_list_file), 1000);
	is_int(apt_lists_scan(&e.ctx, &files), MAMORI_E_NOTFOUND,
	    "a root without /var/lib/apt/lists");
	env_free(&e);

	/* This machine: the whole security path, timed. */
	vec_init(&files, sizeof(struct apt_list_file), 1000);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = apt_lists_scan(&e2.ctx, &files);
	size_t stanzas = 0, nread = 0;
	for (size_t i = 0; rc == 0 && i < files.n; i++) {
		const struct apt_list_file *f = vec_at(&files, i);
		char *buf;
		size_t len;
		int n = 0;
		if (f->kind != APT_LIST_PACKAGES || !f->security ||
		    apt_lists_read(&e2.ctx, f, &buf, &len))
			continue;
		apt_lists_parse_packages((struct span){ buf, len }, stop_at_two,
		    &n);
		stanzas += (size_t)n;
		nread++;
		free(buf);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	if (rc || nread == 0) {
		ok(true, "# SKIP no security lists on this machine");
	} else {
		printf("# %zu security lists read and walked in %ld ms\n", nread, ms);
		ok(ms < 1000, "security lists in %ld ms (budget 300 ms without "
		    "sanitizers)", ms);
	}
	env_free(&e2);
	/* Leave no temp tree behind. */
	for (size_t i = 0; i < 7; i++) {
		snprintf(path, sizeof(path), "%s/%s", cmd_dir, names[i]);
		unlink(path);
	}
	rmdir(cmd_dir);
	snprintf(path, sizeof(path), "%s/var/lib/apt", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/var/lib", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/var", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/empty", root);
	rmdir(path);
	rmdir(root);
}

/* ---- apt.conf ---- */

struct confseen {
	char out[32][160];
	size_t n;
};

static int
conf_record(void *arg, enum apt_conf_event ev, const char *key,
    const char *value, int line)
{
	struct confseen *s = arg;
	if (s->n < 32)
		snprintf(s->out[s->n++], 160, "%s %s=%s @%d",
		    ev == APT_CONF_SET ? "set" : ev == APT_CONF_CLEAR ? "clear" :
		    "include", key, value, line);
	return 0;
}

static void
test_conf(void)
{
	const char text[] =
	    "// 20auto-upgrades\n"
	    "APT::Periodic::Update-Package-Lists \"1\";\n"
	    "APT::Periodic::Unattended-Upgrade \"1\"; # trailing comment\n"
	    "/* a block\n comment */ APT {\n"
	    "  Periodic { Enable \"0\"; };\n"
	    "  Never-MarkAuto-Sections { \"metapackages\"; \"restricted\"; };\n"
	    "};\n"
	    "#clear APT::Periodic;\n"
	    "#include /etc/apt/other.conf;\n"
	    "Dpkg::Options:: \"--force-confold\";\n"
	    "Unattended-Upgrade::Origins-Pattern { \"origin=Debian,codename=${distro_codename},label=Debian-Security\"; };\n"
	    "Acquire::http::Proxy \"http://proxy:3128/\"; // url with //\n";
	struct confseen s = { 0 };

	is_int(apt_conf_parse((struct span){ text, sizeof(text) - 1 },
	    conf_record, &s), 0, "a real-looking apt.conf parses");
	is_int(s.n, 10, "ten events");
	is_str(s.out[0], "set APT::Periodic::Update-Package-Lists=1 @2", "flat key");
	is_str(s.out[1], "set APT::Periodic::Unattended-Upgrade=1 @3",
	    "# comment after a statement");
	is_str(s.out[2], "set APT::Periodic::Enable=0 @6", "nested scopes");
	is_str(s.out[3], "set APT::Never-MarkAuto-Sections::=metapackages @7",
	    "list items take the scope as key");
	is_str(s.out[5], "clear APT::Periodic= @9", "#clear");
	is_str(s.out[6], "include =/etc/apt/other.conf @10", "#include");
	is_str(s.out[7], "set Dpkg::Options::=--force-confold @11", "list key ending in ::");
	is_str(s.out[8], "set Unattended-Upgrade::Origins-Pattern::="
	    "origin=Debian,codename=${distro_codename},label=Debian-Security @12",
	    "quoted value with commas and ${}");
	is_str(s.out[9], "set Acquire::http::Proxy=http://proxy:3128/ @13",
	    "// inside quotes is not a comment");

	static const char *const bad[] = {
	    "APT { Periodic \"1\";", "APT::X \"1", "}", "/* open",
	    "A { B { C { D { E { F { G { H { I { J { K { L { M { N { O { P { Q "
	    "{ R { S { T { U { V { W { X { Y { Z { a { b { c { d { e { f { g {",
	    "APT::Periodic::Unattended-Upgrade \"1\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct confseen b = { 0 };
		is_int(apt_conf_parse(span_from_cstr(bad[i]), conf_record, &b),
		    MAMORI_E_PARSE, "syntax error %zu refused", i);
	}
	char longkey[3000];
	memset(longkey, 'k', sizeof(longkey) - 2);
	longkey[sizeof(longkey) - 2] = ';';
	longkey[sizeof(longkey) - 1] = '\0';
	struct confseen l = { 0 };
	is_int(apt_conf_parse(span_from_cstr(longkey), conf_record, &l),
	    MAMORI_E_PARSE, "a 3000-byte key is refused, not overflowed");

	ok(apt_conf_valid_part_name("20auto-upgrades"), "20auto-upgrades is read");
	ok(apt_conf_valid_part_name("50unattended-upgrades.conf"), ".conf is read");
	ok(!apt_conf_valid_part_name("20auto-upgrades.dpkg-old"), ".dpkg-old is not");
	ok(!apt_conf_valid_part_name("20auto-upgrades~"), "backup~ is not");
	ok(!apt_conf_valid_part_name("a b"), "space is not");
}

/* ---- ClamAV header ---- */

static void
test_cvd(void)
{
	char head[512];
	struct clamav_cvd c;

	memset(head, ' ', sizeof(head));
	const char h[] = "ClamAV-VDB:24 Nov 2026 08-35 +0000:27830:2077123:90:"
	    "5eb4b5ae0d4bc1e5e8d4e7ef2b1ff7c3:sigsigsig:raynman:1795509300";
	memcpy(head, h, sizeof(h) - 1);
	is_int(clamav_cvd_parse((struct span){ head, sizeof(head) }, &c), 0,
	    "a padded header parses");
	is_int(c.version, 27830, "version");
	is_int(c.signatures, 2077123, "signatures");
	is_int(c.flevel, 90, "functionality level");
	is_int(c.build_time, 1795509300, "build time from the seconds field");
	is_str(c.builder, "raynman", "builder");

	const char old[] = "ClamAV-VDB:24 Nov 2026 17-35 +0900:100:5:4:x:y:z";
	is_int(clamav_cvd_parse(span_from_cstr(old), &c), 0, "no seconds field");
	is_int(c.build_time, 1795509300, "time text with +0900 zone");
	is_int(clamav_cvd_parse(span_from_cstr("ClamAV-VDB:x"), &c),
	    MAMORI_E_PARSE, "no version");
	is_int(clamav_cvd_parse(span_from_cstr("MZ\x90"), &c), MAMORI_E_PARSE,
	    "not a header");
	is_int(clamav_cvd_parse(span_from_cstr("ClamAV-VDB::1:::::::99999999999999999999"),
	    &c), 0, "overlong seconds fall back");
	is_int(c.build_time, 0, "and unknown text time is 0");
}

int
main(void)
{
	test_packages();
	test_release();
	test_scan();
	test_conf();
	test_cvd();
	return done_testing();
}
