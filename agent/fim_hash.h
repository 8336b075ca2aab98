/*
 * fim_hash.h - streamed SHA-256 of an open file with bounded memory.
 *
 * The caller opens the file (openat + O_NOFOLLOW) and passes the
 * descriptor, so what is hashed is exactly what was fstat()ed. The file
 * is read in large chunks into a caller-owned buffer; nothing grows with
 * the file's size.
 */
#ifndef MAMORI_AGENT_FIM_HASH_H
#define MAMORI_AGENT_FIM_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FIM_HASH_LEN 32
#define FIM_HASH_BUF (256 * 1024)

struct fim_hasher {
	void *md;		/* EVP_MD_CTX */
	const void *alg;	/* EVP_MD */
	unsigned char *buf;	/* FIM_HASH_BUF bytes */
};

int fim_hasher_init(struct fim_hasher *h);
void fim_hasher_release(struct fim_hasher *h);
/*
 * Hashes from the current offset to EOF. *nread gets the bytes hashed
 * (which differs from st_size when the file changed while read).
 * MAMORI_E_IO with errno on a read error.
 */
int fim_hash_fd(struct fim_hasher *h, int fd, unsigned char out[FIM_HASH_LEN],
    uint64_t *nread);
/* SHA-256 of a memory buffer (symlink targets, tests). */
int fim_hash_buf(struct fim_hasher *h, const void *p, size_t n,
    unsigned char out[FIM_HASH_LEN]);
/* 64 lower-case hex digits and a NUL. */
void fim_hash_hex(const unsigned char in[FIM_HASH_LEN], char out[65]);

#endif
