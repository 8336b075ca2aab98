/* digest.c - fetched-once message digests for the TLS parsers. */
#include "sensor/digest.h"

#include <string.h>

#include "common/err.h"

static const char *const names[DIGEST__COUNT] = { "MD5", "SHA1", "SHA256" };

int
digest_set_init(struct digest_set *d)
{
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < DIGEST__COUNT; i++)
		d->md[i] = EVP_MD_fetch(NULL, names[i], NULL);
	d->ctx = EVP_MD_CTX_new();
	/* a missing algorithm (FIPS-only provider: no MD5) is looked up per
	 * call and fails there, as before; only no memory is an error */
	if (!d->ctx) {
		digest_set_free(d);
		return MAMORI_E_NOMEM;
	}
	return MAMORI_OK;
}

void
digest_set_free(struct digest_set *d)
{
	for (int i = 0; i < DIGEST__COUNT; i++)
		EVP_MD_free(d->md[i]);
	EVP_MD_CTX_free(d->ctx);
	memset(d, 0, sizeof(*d));
}

unsigned
digest_compute(struct digest_set *d, enum digest_algo a, const void *p, size_t n,
    unsigned char *out)
{
	unsigned int len = 0;
	if (d && d->md[a] && d->ctx) {
		if (EVP_DigestInit_ex(d->ctx, d->md[a], NULL) && EVP_DigestUpdate(d->ctx, p, n) &&
		    EVP_DigestFinal_ex(d->ctx, out, &len))
			return len;
		return 0;
	}
	const EVP_MD *md = a == DIGEST_MD5 ? EVP_md5() : a == DIGEST_SHA1 ? EVP_sha1() : EVP_sha256();
	return EVP_Digest(p, n, out, &len, md, NULL) ? len : 0;
}
