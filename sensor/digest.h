/*
 * digest.h - MD5, SHA-1 and SHA-256 of the short inputs the sensor hashes
 * (JA3 and JA4 strings, certificates), with the algorithms looked up once:
 * OpenSSL 3 finds an algorithm by name on every EVP_md5()-style call,
 * which cost more than hashing a ClientHello's fields.
 */
#ifndef MAMORI_SENSOR_DIGEST_H
#define MAMORI_SENSOR_DIGEST_H

#include <stddef.h>

#include <openssl/evp.h>

enum digest_algo { DIGEST_MD5, DIGEST_SHA1, DIGEST_SHA256, DIGEST__COUNT };

struct digest_set {
	EVP_MD *md[DIGEST__COUNT];
	EVP_MD_CTX *ctx;
};

/* 0 or MAMORI_E_NOMEM (nothing to free then). */
int digest_set_init(struct digest_set *d);
void digest_set_free(struct digest_set *d);
/* The digest of n bytes at p into out (EVP_MAX_MD_SIZE bytes of room):
 * its length, or 0 when hashing failed. d may be NULL (parsers called
 * alone, tests): the algorithm is then looked up for this call. */
unsigned digest_compute(struct digest_set *d, enum digest_algo a, const void *p, size_t n,
    unsigned char *out);

#endif
