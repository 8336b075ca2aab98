/*
 * fim_hash.c - SHA-256 through OpenSSL's EVP interface, which picks the
 * SHA-NI / AVX2 code paths that sha256sum's own implementation may not.
 */
#include "agent/fim_hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "common/err.h"

int
fim_hasher_init(struct fim_hasher *h)
{
	h->md = EVP_MD_CTX_new();
	h->alg = EVP_sha256();
	h->buf = malloc(FIM_HASH_BUF);
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

int
fim_hash_fd(struct fim_hasher *h, int fd, unsigned char out[FIM_HASH_LEN],
    uint64_t *nread)
{
	unsigned int olen = 0;
	uint64_t total = 0;

	if (EVP_DigestInit_ex(h->md, h->alg, NULL) != 1)
		return MAMORI_E_NOMEM;
	/* Sequential read-ahead; DONTNEED afterwards would slow a warm
	 * re-check, so the page cache is left to the kernel. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (;;) {
		ssize_t n = read(fd, h->buf, FIM_HASH_BUF);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return MAMORI_E_IO;
		}
		if (n == 0)
			break;
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
