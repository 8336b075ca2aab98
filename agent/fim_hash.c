/*
 * fim_hash.c - SHA-256 through OpenSSL's EVP interface, which picks the
 * SHA-NI / AVX2 code paths that sha256sum's own implementation may not.
 */
#include "agent/fim_hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "common/err.h"

int
fim_hasher_init(struct fim_hasher *h)
{
	h->md = EVP_MD_CTX_new();
	h->alg = EVP_sha256();
	h->buf = aligned_alloc(4096, FIM_HASH_BUF);	/* O_DIRECT needs it */
	if (!h->md || !h->alg || !h->buf) {
		fim_hasher_release(h);
		return MAMORI_E_NOMEM;
	}
	return MAMORI_OK;
}

void
fim_hasher_release(struct fim_hasher *h)
{
	EVP_MD_CTX_free(h->md);
	free(h->buf);
	h->md = NULL;
	h->buf = NULL;
}

/* cachestat(2), Linux 6.5; older C libraries do not name it. */
#if !defined(SYS_cachestat) && (defined(__x86_64__) || defined(__aarch64__))
#define SYS_cachestat 451
#endif

/* The mincore() fallback looks at the first read's worth, in pages of at
 * least 4 KiB (larger pages: fewer of them). */
#define PROBE_PAGES (FIM_HASH_BUF / 4096)

/* Before Linux 6.5 (Debian 12 runs 6.1) there is no cachestat: map the
 * start of the file and ask mincore() whether any of its pages is in the
 * page cache. No I/O is started. The kernel answers truly only to the
 * file's owner, root or a writer; to others it says "resident", which
 * keeps the page cache, the safe side. */
static bool
uncached_mincore(int fd, uint64_t size)
{
	size_t len = size < (uint64_t)PROBE_PAGES * 4096 ? (size_t)size : (size_t)PROBE_PAGES * 4096;
	long page = sysconf(_SC_PAGESIZE);
	unsigned char vec[PROBE_PAGES];
	if (len == 0 || page < 4096)
		return false;
	void *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return false;
	bool none = mincore(m, len, vec) == 0;
	for (size_t i = 0; none && i < (len + (size_t)page - 1) / (size_t)page; i++)
		if (vec[i] & 1)
			none = false;
	munmap(m, len);
	return none;
}

bool
fim_hash_uncached(int fd, uint64_t size, bool use_cachestat)
{
#ifdef SYS_cachestat
	struct { uint64_t off, len; } range = { 0, 0 };	/* 0: to the end */
	struct { uint64_t cache, dirty, writeback, evicted, recently_evicted; } cs;
	if (use_cachestat) {
		if (syscall(SYS_cachestat, fd, &range, &cs, 0) == 0)
			return cs.cache == 0;
		if (errno != ENOSYS)
			return false;
	}
#else
	(void)use_cachestat;
#endif
	return uncached_mincore(fd, size);
}

static bool
set_direct(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);
	return fl >= 0 && fcntl(fd, F_SETFL, on ? fl | O_DIRECT : fl & ~O_DIRECT) == 0;
}

int
fim_hash_fd(struct fim_hasher *h, int fd, uint64_t size,
    unsigned char out[FIM_HASH_LEN], uint64_t *nread)
{
	unsigned int olen = 0;
	uint64_t total = 0;
	bool direct = false;

	if (EVP_DigestInit_ex(h->md, h->alg, NULL) != 1)
		return MAMORI_E_NOMEM;
	if (size != UINT64_MAX && size >= FIM_HASH_DIRECT_MIN && fim_hash_uncached(fd, size, true))
		direct = set_direct(fd, true);
	else if (size > FIM_HASH_BUF)
		/* Sequential read-ahead; DONTNEED afterwards would slow a
		 * warm re-check, so the page cache is left to the kernel. */
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	while (total < size) {
		/* Whole 4 KiB blocks, as O_DIRECT wants; no more than is due. */
		uint64_t left = size - total;
		uint64_t want = left >= FIM_HASH_BUF ? FIM_HASH_BUF :
		    (left + 4095) & ~(uint64_t)4095;
		ssize_t n = pread(fd, h->buf, (size_t)want, (off_t)total);
		if (n < 0 && errno == EINVAL && direct) {
			/* The filesystem takes the flag but not the read. */
			direct = false;
			if (set_direct(fd, false))
				continue;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return MAMORI_E_IO;
		}
		if (n == 0)
			break;
		if ((uint64_t)n > size - total)
			n = (ssize_t)(size - total);	/* grew: fstat will tell */
		if (EVP_DigestUpdate(h->md, h->buf, (size_t)n) != 1)
			return MAMORI_E_NOMEM;
		total += (uint64_t)n;
	}
	if (EVP_DigestFinal_ex(h->md, out, &olen) != 1 || olen != FIM_HASH_LEN)
		return MAMORI_E_NOMEM;
	if (nread)
		*nread = total;
	return MAMORI_OK;
}

int
fim_hash_buf(struct fim_hasher *h, const void *p, size_t n,
    unsigned char out[FIM_HASH_LEN])
{
	unsigned int olen = 0;
	if (EVP_DigestInit_ex(h->md, h->alg, NULL) != 1 ||
	    EVP_DigestUpdate(h->md, p, n) != 1 ||
	    EVP_DigestFinal_ex(h->md, out, &olen) != 1 || olen != FIM_HASH_LEN)
		return MAMORI_E_NOMEM;
	return MAMORI_OK;
}

void
fim_hash_hex(const unsigned char in[FIM_HASH_LEN], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < FIM_HASH_LEN; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[64] = '\0';
}
