/* t_fim_walk.c - the safe walk, hashing and baseline comparison. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/fim_baseline.h"
#include "agent/fim_walk.h"
#include "common/err.h"
#include "tests/tap.h"

static void
put(const char *dir, const char *name, const char *content)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, content, strlen(content)) < 0)
			perror("write");
		close(fd);
	}
}

static const struct fim_record *
find(const struct fim_set *s, const char *suffix)
{
	size_t sl = strlen(suffix);
	for (size_t i = 0; i < s->n; i++) {
		size_t pl = strlen(s->v[i].path);
		if (pl >= sl && strcmp(s->v[i].path + pl - sl, suffix) == 0)
			return &s->v[i];
	}
	return NULL;
}

struct counts {
	size_t n[4];
	char last[4][256];
	unsigned fields;
};

static int
count_cb(void *arg, const struct fim_change *c)
{
	struct counts *k = arg;
	const struct fim_record *r = c->cur ? c->cur : c->old;
	k->n[c->kind]++;
	snprintf(k->last[c->kind], sizeof(k->last[0]), "%s", strrchr(r->path, '/') + 1);
	if (c->kind == FIM_MODIFIED)
		k->fields |= c->fields;
	return 0;
}

static int
depth_cb(void *arg, const struct fim_entry *e)
{
	size_t *max = arg;
	if (strlen(e->path) > *max)
		*max = strlen(e->path);
	return 0;
}

/* Removes everything below dfd (depth-first, by descriptor: paths can be
 * longer than PATH_MAX). */
static void
rm_tree(int dfd)
{
	DIR *d = fdopendir(dup(dfd));
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_type == DT_DIR) {
			int c = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			if (c >= 0) {
				rm_tree(c);
				close(c);
			}
			unlinkat(dfd, de->d_name, AT_REMOVEDIR);
		} else {
			unlinkat(dfd, de->d_name, 0);
		}
	}
	closedir(d);
}

int
main(void)
{
	char tmpl[] = "/tmp/t_fim_walk.XXXXXX";
	char *root = mkdtemp(tmpl), p[PATH_MAX], q[PATH_MAX];
	struct fim_walk_opts o = { .hash = true, .xdev = true };
	struct fim_set a, b;

	if (!root)
		return 1;
	put(root, "abc.txt", "abc");
	snprintf(p, sizeof(p), "%s/sub", root);
	mkdir(p, 0755);
	put(p, "keep", "same");
	put(p, "gone", "x");
	snprintf(p, sizeof(p), "%s/loop1", root);
	snprintf(q, sizeof(q), "%s/loop2", root);
	if (symlink("loop2", p) || symlink("loop1", q))
		return 1;
	snprintf(p, sizeof(p), "%s/tosub", root);
	if (symlink("sub", p))
		return 1;
	snprintf(p, sizeof(p), "%s/fifo", root);
	mkfifo(p, 0600);

	fim_set_init(&a);
	is_int(fim_set_collect(&a, root, &o), 0, "walk succeeds");
	is_int(a.n, 9, "root, abc.txt, sub, keep, gone, loop1, loop2, tosub, fifo");
	const struct fim_record *r = find(&a, "/abc.txt");
	char hex[65] = "";
	if (r && r->has_hash)
		fim_hash_hex(r->hash, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "SHA-256 of \"abc\"");
	r = find(&a, "/tosub");
	ok(r && r->type == FIM_T_SYMLINK && r->link && strcmp(r->link, "sub") == 0,
	    "symlink to a directory is recorded, not followed");
	ok(!find(&a, "/tosub/keep"), "nothing reached through the link");
	r = find(&a, "/loop1");
	ok(r && r->type == FIM_T_SYMLINK && r->state == FIM_S_OK, "symlink loop is just two links");
	r = find(&a, "/fifo");
	ok(r && r->type == FIM_T_FIFO, "FIFO recorded without opening it");

	/* Changes: modify, remove, add, chmod, retarget a link. */
	usleep(10000);
	put(root, "abc.txt", "abd");
	snprintf(p, sizeof(p), "%s/sub/gone", root);
	unlink(p);
	put(root, "new\nline", "n");
	snprintf(p, sizeof(p), "%s/sub", root);
	chmod(p, 0700);
	snprintf(p, sizeof(p), "%s/tosub", root);
	unlink(p);
	if (symlink("abc.txt", p))
		return 1;
	fim_set_init(&b);
	fim_set_collect(&b, root, &o);
	struct counts k = { 0 };
	fim_diff(&a, &b, count_cb, &k);
	is_int(k.n[FIM_ADDED], 1, "one added");
	is_str(k.last[FIM_ADDED], "new\nline", "the added file keeps its newline");
	is_int(k.n[FIM_REMOVED], 1, "one removed");
	is_str(k.last[FIM_REMOVED], "gone", "sub/gone removed");
	is_int(k.n[FIM_MODIFIED], 3, "abc.txt, sub (mode), tosub (link) modified");
	ok((k.fields & FIM_F_HASH) && (k.fields & FIM_F_MODE) && (k.fields & FIM_F_LINK),
	    "hash, mode and link changes named");
	ok(!(k.fields & FIM_F_SIZE), "same size is not a size change");
	is_int(k.n[FIM_UNVERIFIED], 0, "nothing unverified");

	/* A file that cannot be verified is never "unchanged". */
	struct fim_record ro = *find(&b, "/abc.txt"), rc = ro;
	rc.state = FIM_S_CHANGING;
	rc.has_hash = false;
	struct fim_set s1, s2;
	fim_set_init(&s1);
	fim_set_init(&s2);
	fim_set_add_record(&s1, &ro);
	fim_set_add_record(&s2, &rc);
	struct counts k2 = { 0 };
	fim_diff(&s1, &s2, count_cb, &k2);
	is_int(k2.n[FIM_UNVERIFIED], 1, "changing-while-read is reported as unverified");
	fim_set_free(&s1);
	fim_set_free(&s2);

	/* Deeper than PATH_MAX: no recursion, no limit. */
	snprintf(p, sizeof(p), "%s/deep", root);
	mkdir(p, 0755);
	int dfd = open(p, O_RDONLY | O_DIRECTORY);
	for (int i = 0; i < 600 && dfd >= 0; i++) {
		mkdirat(dfd, "dddddddddd", 0755);
		int nfd = openat(dfd, "dddddddddd", O_RDONLY | O_DIRECTORY);
		close(dfd);
		dfd = nfd;
	}
	if (dfd >= 0)
		close(dfd);
	size_t maxlen = 0;
	struct fim_walk_opts nh = { .hash = false };
	is_int(fim_walk(root, &nh, depth_cb, &maxlen), 0, "600-deep tree walked");
	ok(maxlen > PATH_MAX, "paths longer than PATH_MAX reported (%zu)", maxlen);

	/* Threads: the same records as the serial walk. 300 files in the
	 * root and 80 directories (more than 2 threads keep listed at once),
	 * each with files, a link and a subdirectory. */
	for (int i = 0; i < 300; i++) {
		char name[32], body[64];
		snprintf(name, sizeof(name), "f%03d", i);
		snprintf(body, sizeof(body), "content %d", i * 7919);
		put(root, name, body);
	}
	for (int i = 0; i < 80; i++) {
		snprintf(p, sizeof(p), "%s/d%02d", root, i);
		mkdir(p, 0755);
		put(p, "a", "alpha");
		put(p, "b", i % 2 ? "beta" : "");
		snprintf(q, sizeof(q), "%s/d%02d/ln", root, i);
		if (symlink("a", q))
			return 1;
		snprintf(q, sizeof(q), "%s/d%02d/s", root, i);
		mkdir(q, 0700);
		put(q, "c", "gamma");
	}
	struct fim_walk_opts par = o;
	struct fim_set ser, pa;
	fim_set_init(&ser);
	is_int(fim_set_collect(&ser, root, &o), 0, "serial walk");
	fim_set_sort(&ser);
	static const unsigned nthreads[] = { 2, 4, 16 };
	for (size_t t = 0; t < sizeof(nthreads) / sizeof(nthreads[0]); t++) {
		par.threads = nthreads[t];
		fim_set_init(&pa);
		is_int(fim_set_collect(&pa, root, &par), 0, "walk with %u threads", par.threads);
		fim_set_sort(&pa);
		int same = ser.n == pa.n;
		for (size_t i = 0; same && i < ser.n; i++)
			same = fim_compare(&ser.v[i], &pa.v[i]) == 0 &&
			    strcmp(ser.v[i].path, pa.v[i].path) == 0 &&
			    ser.v[i].has_hash == pa.v[i].has_hash &&
			    ser.v[i].state == pa.v[i].state;
		ok(same && pa.n > 300 + 80 * 6, "%u threads: identical entries and hashes (%zu, %zu)",
		    par.threads, ser.n, pa.n);
		fim_set_free(&pa);
	}
	fim_set_init(&pa);
	par.max_entries = 50;
	is_int(fim_set_collect(&pa, root, &par), MAMORI_E_LIMIT,
	    "a stop from the callback ends the threaded walk");
	fim_set_free(&pa);
	fim_set_free(&ser);

	/* A large file out of the page cache is read with O_DIRECT (where the
	 * filesystem allows it): same hash as the bytes in memory, and its
	 * odd size ends in a short direct read. */
	size_t big = 3 * FIM_HASH_BUF + 4097;
	unsigned char *body = malloc(big), want[FIM_HASH_LEN], got[FIM_HASH_LEN];
	struct fim_hasher h;
	uint64_t nread = 0;
	if (!body || fim_hasher_init(&h))
		return 1;
	for (size_t i = 0; i < big; i++)
		body[i] = (unsigned char)(i * 2654435761u >> 13);
	snprintf(p, sizeof(p), "%s/big.bin", root);
	int bfd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ok(bfd >= 0 && write(bfd, body, big) == (ssize_t)big && fsync(bfd) == 0,
	    "large file written");
	(void)posix_fadvise(bfd, 0, 0, POSIX_FADV_DONTNEED);
	/* Whether a file is in the page cache, by both probes (mincore is
	 * what kernels before 6.5 use); the second read fills the cache. */
	bool dropped = fim_hash_uncached(bfd, big, false);
	ok(dropped == fim_hash_uncached(bfd, big, true), "mincore and cachestat agree on a dropped file");
	fim_hash_buf(&h, body, big, want);
	is_int(fim_hash_fd(&h, bfd, big, got, &nread), 0, "uncached large file hashed");
	ok(nread == big && memcmp(got, want, FIM_HASH_LEN) == 0, "same hash as in memory (%llu bytes)",
	    (unsigned long long)nread);
	/* Cached now or not, the same again; and a size limit stops there
	 * (the caller's second fstat tells a file that grew). */
	is_int(fim_hash_fd(&h, bfd, big, got, &nread), 0, "hashed again");
	ok(memcmp(got, want, FIM_HASH_LEN) == 0, "same hash the second time");
	{
		unsigned char one[4096];
		/* fim_hash_fd may have left O_DIRECT on (its callers close the file) */
		(void)fcntl(bfd, F_SETFL, fcntl(bfd, F_GETFL) & ~O_DIRECT);
		ok(pread(bfd, one, sizeof(one), 0) == (ssize_t)sizeof(one), "first page read through the cache");
		ok(!fim_hash_uncached(bfd, big, false) && !fim_hash_uncached(bfd, big, true),
		    "a cached page is seen by both probes");
		(void)posix_fadvise(bfd, 0, 0, POSIX_FADV_DONTNEED);
		ok(fim_hash_uncached(bfd, big, false) || !dropped,
		    "mincore sees the page dropped again (where the filesystem drops pages)");
	}
	fim_hash_buf(&h, body, 1000, want);
	fim_hash_fd(&h, bfd, 1000, got, &nread);
	ok(nread == 1000 && memcmp(got, want, FIM_HASH_LEN) == 0, "read stops at the size given");
	fim_hash_fd(&h, bfd, UINT64_MAX, got, &nread);
	ok(nread == big, "UINT64_MAX reads to the end");
	close(bfd);
	fim_hasher_release(&h);
	free(body);

	/* A single file as root. */
	fim_set_free(&a);
	fim_set_init(&a);
	snprintf(p, sizeof(p), "%s/abc.txt", root);
	is_int(fim_set_collect(&a, p, &o), 0, "single file root");
	ok(a.n == 1 && strcmp(a.v[0].path, p) == 0 && a.v[0].has_hash, "one hashed entry");
	is_int(fim_set_collect(&a, "/nonexistent/x/y", &o), MAMORI_E_NOTFOUND, "missing root");

	fim_set_free(&a);
	fim_set_free(&b);
	int rfd = open(root, O_RDONLY | O_DIRECTORY);
	if (rfd >= 0) {
		rm_tree(rfd);
		close(rfd);
	}
	rmdir(root);
	return done_testing();
}
