/*
 * t_decompress.c - lz4 frame, gzip, xz and zstd: round trips through the
 * real libraries, concatenated streams, truncation, corruption, bombs,
 * and a real apt list compared with lz4cat's output.
 */
#include <dirent.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <lzma.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "common/decompress.h"
#include "common/err.h"
#include "tests/tap.h"

extern char **environ;

struct blob {
	unsigned char *p;
	size_t len;
};

static struct blob
make_text(size_t n)
{
	struct blob b = { malloc(n), n };
	for (size_t i = 0; i < n; i++)
		b.p[i] = (unsigned char)("Package: x\nVersion: 1.0-1\n\n"[i % 28] ^
		    (i % 997 == 0 ? 1 : 0));
	return b;
}

static struct blob
c_lz4(const struct blob *in)
{
	size_t cap = LZ4F_compressFrameBound(in->len, NULL);
	struct blob o = { malloc(cap), 0 };
	o.len = LZ4F_compressFrame(o.p, cap, in->p, in->len, NULL);
	return o;
}

static struct blob
c_gzip(const struct blob *in)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	size_t cap = deflateBound(&zs, in->len) + 64;
	struct blob o = { malloc(cap), 0 };
	zs.next_in = in->p;
	zs.avail_in = (uInt)in->len;
	zs.next_out = o.p;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	o.len = cap - zs.avail_out;
	deflateEnd(&zs);
	return o;
}

static struct blob
c_xz(const struct blob *in)
{
	size_t cap = lzma_stream_buffer_bound(in->len);
	struct blob o = { malloc(cap), 0 };
	lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, in->p, in->len, o.p,
	    &o.len, cap);
	return o;
}

static struct blob
c_zstd(const struct blob *in)
{
	size_t cap = ZSTD_compressBound(in->len);
	struct blob o = { malloc(cap), 0 };
	o.len = ZSTD_compress(o.p, cap, in->p, in->len, 3);
	return o;
}

static struct blob
concat(const struct blob *a, const struct blob *b)
{
	struct blob o = { malloc(a->len + b->len), a->len + b->len };
	memcpy(o.p, a->p, a->len);
	if (b->len)
		memcpy(o.p + a->len, b->p, b->len);
	return o;
}

static void
test_format(const char *name, enum decompress_format fmt,
    struct blob (*compress)(const struct blob *))
{
	struct blob text = make_text(300000);
	struct blob z = compress(&text);
	char *out;
	size_t outlen;

	is_int(decompress_detect(z.p, z.len), fmt, "%s: detected", name);
	ok(decompress_buffer(z.p, z.len, 1u << 24, &out, &outlen) == 0 &&
	    outlen == text.len && memcmp(out, text.p, text.len) == 0 &&
	    out[outlen] == '\0', "%s: round trip of %zu bytes", name, text.len);
	free(out);

	struct blob two = concat(&z, &z);
	ok(decompress_buffer(two.p, two.len, 1u << 24, &out, &outlen) == 0 &&
	    outlen == 2 * text.len && memcmp(out + text.len, text.p,
	    text.len) == 0, "%s: two concatenated streams", name);
	free(out);

	is_int(decompress_buffer(z.p, z.len, text.len, &out, &outlen), 0,
	    "%s: output exactly at the cap is fine", name);
	free(out);
	is_int(decompress_buffer(z.p, z.len, text.len - 1, &out, &outlen),
	    MAMORI_E_LIMIT, "%s: one byte over the cap is a limit", name);
	ok(out == NULL, "%s: no buffer on failure", name);

	int bad = 0;
	for (size_t cut = 6; cut < z.len; cut += z.len / 37 + 1) {
		int rc = decompress_buffer(z.p, cut, 1u << 24, &out, &outlen);
		if (rc != MAMORI_E_PARSE) {
			bad++;
			printf("# %s: cut at %zu/%zu gave %d\n", name, cut, z.len, rc);
		}
		if (rc == 0)
			free(out);
	}
	is_int(bad, 0, "%s: every truncation is a parse error", name);

	/* Flip bytes in the middle of the payload. */
	struct blob c = concat(&z, &(struct blob){ NULL, 0 });
	for (size_t i = z.len / 3; i < z.len / 3 + 16 && i < z.len; i++)
		c.p[i] ^= 0x5a;
	int rc = decompress_buffer(c.p, c.len, 1u << 24, &out, &outlen);
	ok(rc == MAMORI_E_PARSE || (rc == 0 && (outlen != text.len ||
	    memcmp(out, text.p, text.len) != 0)) || rc == MAMORI_E_LIMIT,
	    "%s: corruption is refused or cannot pass as the original", name);
	if (rc == 0)
		free(out);
	free(text.p);
	free(z.p);
	free(two.p);
	free(c.p);
}

static void
test_bomb(void)
{
	struct blob zeros = { calloc(1, 64u << 20), 64u << 20 };
	struct blob (*const fns[])(const struct blob *) = { c_lz4, c_gzip,
	    c_xz, c_zstd };
	const char *names[] = { "lz4", "gzip", "xz", "zstd" };
	for (size_t i = 0; i < 4; i++) {
		struct blob z = fns[i](&zeros);
		char *out;
		size_t outlen;
		is_int(decompress_buffer(z.p, z.len, 1u << 20, &out, &outlen),
		    MAMORI_E_LIMIT, "%s: 64 MiB of zeros in %zu bytes stops at "
		    "the 1 MiB cap", names[i], z.len);
		free(z.p);
	}
	free(zeros.p);
}

static void
test_plain(void)
{
	char *out;
	size_t outlen;

	ok(decompress_buffer("abc", 3, 10, &out, &outlen) == 0 && outlen == 3 &&
	    strcmp(out, "abc") == 0, "plain text is copied");
	free(out);
	ok(decompress_buffer("", 0, 10, &out, &outlen) == 0 && outlen == 0 &&
	    out[0] == '\0', "empty input");
	free(out);
	is_int(decompress_buffer("abcdef", 6, 5, &out, &outlen), MAMORI_E_LIMIT,
	    "plain text over the cap");
	is_int(decompress_buffer("\x1f\x8b", 2, 10, &out, &outlen),
	    MAMORI_E_PARSE, "gzip magic alone");
	is_int(decompress_buffer("\x04\x22\x4d\x18", 4, 10, &out, &outlen),
	    MAMORI_E_PARSE, "lz4 magic alone");
	is_int(decompress_buffer("\x28\xb5\x2f\xfd", 4, 10, &out, &outlen),
	    MAMORI_E_PARSE, "zstd magic alone");
	is_int(decompress_buffer("\xfd" "7zXZ\0", 6, 10, &out, &outlen),
	    MAMORI_E_PARSE, "xz magic alone");
}

/* The real thing: this machine's lz4 apt lists against lz4cat. */
static void
test_real_lz4(void)
{
	const char *dir = "/var/lib/apt/lists";
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096] = "";

	while (d && (e = readdir(d)))
		if (strstr(e->d_name, "_Packages.lz4") && (!path[0] ||
		    strstr(e->d_name, "-security_")))
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
	if (d)
		closedir(d);
	char tmpl[] = "/tmp/t_decompress.XXXXXX";
	int fd = path[0] ? mkstemp(tmpl) : -1;
	if (fd < 0) {
		ok(true, "# SKIP no lz4 apt list here");
		return;
	}
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = -1;
	char *argv[] = { (char *)(uintptr_t)"lz4cat", path, NULL };
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	if (posix_spawnp(&pid, "lz4cat", &fa, NULL, argv, environ) == 0)
		waitpid(pid, &st, 0);
	posix_spawn_file_actions_destroy(&fa);
	if (st != 0) {
		close(fd);
		unlink(tmpl);
		ok(true, "# SKIP lz4cat not available");
		return;
	}
	off_t want_len = lseek(fd, 0, SEEK_END);
	char *want = malloc((size_t)want_len + 1);
	ssize_t got = pread(fd, want, (size_t)want_len, 0);
	close(fd);
	unlink(tmpl);

	FILE *f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *raw = malloc((size_t)n);
	size_t rn = fread(raw, 1, (size_t)n, f);
	fclose(f);
	char *out;
	size_t outlen;
	int64_t t0 = 0;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	int rc = decompress_buffer(raw, rn, 1u << 30, &out, &outlen);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("# %s: %zu -> %zu bytes in %lld ms\n", path, rn, outlen,
	    (long long)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - t0));
	ok(rc == 0 && got == want_len && outlen == (size_t)want_len &&
	    memcmp(out, want, outlen) == 0, "real apt list equals lz4cat output");
	if (rc == 0)
		free(out);
	free(raw);
	free(want);
}

int
main(void)
{
	test_format("lz4", DECOMPRESS_LZ4, c_lz4);
	test_format("gzip", DECOMPRESS_GZIP, c_gzip);
	test_format("xz", DECOMPRESS_XZ, c_xz);
	test_format("zstd", DECOMPRESS_ZSTD, c_zstd);
	test_bomb();
	test_plain();
	test_real_lz4();
	return done_testing();
}
