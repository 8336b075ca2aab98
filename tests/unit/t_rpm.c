/* t_rpm.c - rpm header blobs and the rpm inventory collector. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/inventory.h"
#include "agent/rpm_header.h"
#include "common/conf.h"
#include "common/err.h"
#include "tests/tap.h"

struct env {
	struct conf conf;
	struct arena arena;
	struct rootfs root;
	struct scan_ctx ctx;
	struct inventory inv;
};

static bool
env_init(struct env *e, const char *root)
{
	memset(e, 0, sizeof(*e));
	conf_init(&e->conf);
	arena_init(&e->arena, 64 * 1024 * 1024);
	e->ctx.conf = &e->conf;
	e->ctx.arena = &e->arena;
	vec_init(&e->ctx.warnings, sizeof(struct scan_warning), 10000);
	vec_init(&e->inv.packages, sizeof(struct inv_package), 200000);
	if (rootfs_open(&e->root, root) != MAMORI_OK)
		return false;
	e->ctx.root = &e->root;
	return true;
}

static void
env_free(struct env *e)
{
	if (e->ctx.root)
		rootfs_close(&e->root);
	arena_release(&e->arena);
	conf_release(&e->conf);
}

static bool
warned(const struct env *e, const char *needle)
{
	for (size_t i = 0; i < e->ctx.warnings.n; i++) {
		const struct scan_warning *w = vec_at(&e->ctx.warnings, i);
		if (w->message && strstr(w->message, needle))
			return true;
	}
	return false;
}

/* A header blob builder: the documented layout, big-endian. */
struct blob {
	unsigned char b[4096];
	unsigned char data[2048];
	uint32_t il, dl;
	unsigned char index[1024];
};

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void
add_entry(struct blob *b, uint32_t tag, uint32_t type, uint32_t off, uint32_t count)
{
	unsigned char *e = b->index + b->il * 16;
	put32(e, tag);
	put32(e + 4, type);
	put32(e + 8, off);
	put32(e + 12, count);
	b->il++;
}

static void
add_string(struct blob *b, uint32_t tag, const char *s)
{
	size_t n = strlen(s) + 1;
	add_entry(b, tag, 6, b->dl, 1);
	memcpy(b->data + b->dl, s, n);
	b->dl += (uint32_t)n;
}

static void
add_epoch(struct blob *b, uint32_t epoch)
{
	while (b->dl % 4)
		b->data[b->dl++] = 0;
	add_entry(b, RPMTAG_EPOCH, 4, b->dl, 1);
	put32(b->data + b->dl, epoch);
	b->dl += 4;
}

static size_t
finish(struct blob *b)
{
	put32(b->b, b->il);
	put32(b->b + 4, b->dl);
	memcpy(b->b + 8, b->index, b->il * 16);
	memcpy(b->b + 8 + b->il * 16, b->data, b->dl);
	return 8 + b->il * 16 + b->dl;
}

static size_t
openssl_blob(struct blob *b)
{
	memset(b, 0, sizeof(*b));
	/* rpm puts a region tag first: ignored. */
	add_entry(b, 63, 7, 0, 16);
	memset(b->data, 0, 16);
	b->dl = 16;
	add_string(b, RPMTAG_NAME, "openssl-libs");
	add_string(b, RPMTAG_VERSION, "3.0.7");
	add_string(b, RPMTAG_RELEASE, "27.el9");
	add_epoch(b, 1);
	add_string(b, RPMTAG_ARCH, "x86_64");
	add_string(b, RPMTAG_SOURCERPM, "openssl-3.0.7-27.el9.src.rpm");
	return finish(b);
}

static void
test_header(void)
{
	struct blob b;
	struct rpm_header_pkg h;
	const char *why;
	struct arena a;
	arena_init(&a, 1 << 20);

	size_t len = openssl_blob(&b);
	struct span s = { (const char *)b.b, len };
	is_int(rpm_header_parse(s, &h, &why), MAMORI_OK, "constructed header parses");
	ok(span_eq(h.name, "openssl-libs") && span_eq(h.arch, "x86_64"), "name, arch");
	ok(h.has_epoch && h.epoch == 1, "epoch");
	is_str(rpm_header_evr(&a, &h), "1:3.0.7-27.el9", "epoch:version-release");
	struct span sn, sv;
	ok(rpm_header_source(h.sourcerpm, &sn, &sv) && span_eq(sn, "openssl") &&
	    span_eq(sv, "3.0.7-27.el9"), "SOURCERPM split");
	ok(rpm_header_source(SPAN_LIT("a-b-c-1-2.nosrc.rpm"), &sn, &sv) &&
	    span_eq(sn, "a-b-c") && span_eq(sv, "1-2"), "nosrc, hyphens in name");
	ok(!rpm_header_source(SPAN_LIT("broken.src.rpm"), &sn, &sv), "no hyphens refused");
	ok(!rpm_header_source(SPAN_LIT("-1-2.src.rpm"), &sn, &sv), "empty name refused");
	ok(!rpm_header_source(SPAN_LIT("x-1-.src.rpm"), &sn, &sv), "empty release refused");

	/* Every truncation fails cleanly. */
	int refused = 0;
	for (size_t n = 0; n < len; n++)
		if (rpm_header_parse((struct span){ (const char *)b.b, n }, &h, &why) ==
		    MAMORI_E_PARSE)
			refused++;
	is_int(refused, len, "every truncated blob is refused");

	/* Offsets past the data store. */
	openssl_blob(&b);
	put32(b.b + 8 + 16 + 8, 100000);	/* NAME offset */
	ok(rpm_header_parse(s, &h, &why) == MAMORI_E_PARSE && why, "offset out of range");
	/* A string without its NUL: the last string runs to the end. */
	len = openssl_blob(&b);
	b.b[len - 1] = 'x';
	ok(rpm_header_parse(s, &h, &why) == MAMORI_E_PARSE, "unterminated string");
	/* Absurd counts. */
	openssl_blob(&b);
	put32(b.b, 0x7fffffff);
	is_int(rpm_header_parse(s, &h, &why), MAMORI_E_PARSE, "huge il");
	openssl_blob(&b);
	put32(b.b + 4, 0xffffffff);
	is_int(rpm_header_parse(s, &h, &why), MAMORI_E_PARSE, "huge dl");
	/* Misaligned epoch. */
	openssl_blob(&b);
	put32(b.b + 8 + 4 * 16 + 8, 17);
	is_int(rpm_header_parse(s, &h, &why), MAMORI_E_PARSE, "misaligned EPOCH");
	/* Wrong type for NAME. */
	openssl_blob(&b);
	put32(b.b + 8 + 16 + 4, 4);
	is_int(rpm_header_parse(s, &h, &why), MAMORI_E_PARSE, "NAME not a string");
	/* No RELEASE. */
	memset(&b, 0, sizeof(b));
	add_string(&b, RPMTAG_NAME, "gpg-pubkey");
	add_string(&b, RPMTAG_VERSION, "fd431d51");
	len = finish(&b);
	ok(rpm_header_parse((struct span){ (const char *)b.b, len }, &h, &why) ==
	    MAMORI_E_PARSE && strstr(why, "RELEASE"), "missing RELEASE refused");
	arena_release(&a);
}

static const struct inv_package *
find(const struct inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->packages.n; i++) {
		const struct inv_package *p = vec_at(&inv->packages, i);
		if (strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

/* tests/data/packages/rpm-root: an rpmdb.sqlite made by rpm 4.18 (rpm
 * --initdb; rpm -i --justdb of three packages built with rpmbuild).
 * rpm -qa --qf '%{NAME} %{EPOCH} %{VERSION}-%{RELEASE} %{ARCH}' says:
 *   libdemo 2 1.0.5-1.fc39 x86_64, hello-tool (none) 2.1-3 x86_64,
 *   noarch-data (none) 20240101-1 noarch */
static void
test_collector(void)
{
	const char *data = getenv("MAMORI_TEST_DATA");
	char root[4096];
	struct env e;

	snprintf(root, sizeof(root), "%s/packages/rpm-root", data ? data : "tests/data");
	if (!ok(env_init(&e, root), "fixture root opens")) {
		env_free(&e);
		return;
	}
	is_int(inventory_rpm_collect(&e.ctx, &e.inv), MAMORI_OK, "collect");
	ok(e.inv.have_packages, "have_packages");
	is_int(e.inv.packages.n, 3, "three packages like rpm -qa");
	is_int(e.ctx.warnings.n, 0, "no warnings");
	const struct inv_package *p = find(&e.inv, "libdemo");
	if (ok(p != NULL, "libdemo")) {
		is_str(p->version, "2:1.0.5-1.fc39", "epoch:version-release");
		is_str(p->arch, "x86_64", "arch");
		is_str(p->source, "libdemo", "source from SOURCERPM");
		is_str(p->source_version, "2:1.0.5-1.fc39", "source version");
		is_str(p->format, "rpm", "format");
		is_str(p->status, "installed", "status");
	}
	p = find(&e.inv, "noarch-data");
	ok(p && strcmp(p->version, "20240101-1") == 0 && strcmp(p->arch, "noarch") == 0,
	    "noarch package without epoch");
	char wal[4200];
	snprintf(wal, sizeof(wal), "%s/var/lib/rpm/rpmdb.sqlite-shm", root);
	ok(access(wal, F_OK) != 0, "nothing written into the offline tree");
	env_free(&e);

	/* Old formats and a broken file. */
	char tmp[] = "/tmp/mamori-t-rpm-XXXXXX";
	if (!mkdtemp(tmp))
		return;
	char path[256];
	snprintf(path, sizeof(path), "%s/var", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib/rpm", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib/rpm/Packages", tmp);
	FILE *f = fopen(path, "w");
	if (f) {
		/* A Berkeley DB hash file starts with its magic at 12. */
		static const unsigned char bdb[16] = { [13] = 0x06, [14] = 0x15, [15] = 0x61 };
		fwrite(bdb, 1, sizeof(bdb), f);
		fclose(f);
	}
	env_init(&e, tmp);
	is_int(inventory_rpm_collect(&e.ctx, &e.inv), MAMORI_OK, "BDB: collect returns");
	ok(warned(&e, "unsupported rpm database format (Berkeley DB)"), "BDB warned");
	ok(!e.inv.have_packages, "BDB: no packages claimed");
	env_free(&e);
	unlink(path);

	snprintf(path, sizeof(path), "%s/var/lib/rpm/rpmdb.sqlite", tmp);
	if ((f = fopen(path, "w"))) {
		for (int i = 0; i < 5000; i++)
			fputc((i * 7919) & 0xff, f);
		fclose(f);
	}
	env_init(&e, tmp);
	is_int(inventory_rpm_collect(&e.ctx, &e.inv), MAMORI_OK, "garbage sqlite: returns");
	ok(warned(&e, "cannot read the rpm database"), "garbage sqlite warned");
	ok(!e.inv.have_packages && e.inv.packages.n == 0, "garbage sqlite: nothing listed");
	env_free(&e);
	unlink(path);
	snprintf(path, sizeof(path), "%s/var/lib/rpm", tmp);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/var/lib", tmp);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/var", tmp);
	rmdir(path);
	rmdir(tmp);
}

int
main(void)
{
	test_header();
	test_collector();
	return done_testing();
}
