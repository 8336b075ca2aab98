/*
 * fim_hash.h - streamed SHA-256 of an open file with bounded memory.
 *
 * The caller opens the file (openat + O_NOFOLLOW) and passes the
 * descriptor, so what is hashed is exactly what was fstat()ed. The file
 * is read in large chunks into a caller-owned buffer; nothing grows with
 * the file's size.
 *
 * A large file none of which is in the page cache (cachestat; before
 * Linux 6.5, mincore() over its first 256 KiB) is read with O_DIRECT: the disk writes straight into the buffer. A baseline of
 * /usr then neither evicts the machine's working set for data read once,
 * nor pays for filling the page cache and copying out of it, which on a
 * cold cache cost more CPU than the hashing. Anything cached, or where
 * the filesystem refuses O_DIRECT, is read through the page cache.
 */
#ifndef MAMORI_AGENT_FIM_HASH_H
#define MAMORI_AGENT_FIM_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FIM_HASH_LEN 32
#define FIM_HASH_BUF (256 * 1024)
/* Files from this size on are candidates for O_DIRECT. */
#define FIM_HASH_DIRECT_MIN (64 * 1024)

struct fim_hasher {
	void *md;		/* EVP_MD_CTX */
	const void *alg;	/* EVP_MD */
	unsigned char *buf;	/* FIM_HASH_BUF bytes, page-aligned */
};

int fim_hasher_init(struct fim_hasher *h);
/* True when the page cache holds none of fd (size bytes long): by
 * cachestat(2) when use_cachestat and the kernel has it, else by the
 * mincore() probe. False when unknown. */
bool fim_hash_uncached(int fd, uint64_t size, bool use_cachestat);
void fim_hasher_release(struct fim_hasher *h);
/*
 * Hashes from offset 0 to EOF, at most size bytes: the caller passes the
 * size it fstat()ed and fstat()s again afterwards, which tells a file
 * that grew meanwhile, so no read is spent on finding EOF (UINT64_MAX:
 * to EOF). *nread gets the bytes hashed (less than size when the file
 * shrank while read). MAMORI_E_IO with errno on a read error.
 */
int fim_hash_fd(struct fim_hasher *h, int fd, uint64_t size,
    unsigned char out[FIM_HASH_LEN], uint64_t *nread);
/* SHA-256 of a memory buffer (symlink targets, tests). */
int fim_hash_buf(struct fim_hasher *h, const void *p, size_t n,
    unsigned char out[FIM_HASH_LEN]);
/* 64 lower-case hex digits and a NUL. */
void fim_hash_hex(const unsigned char in[FIM_HASH_LEN], char out[65]);

#endif
