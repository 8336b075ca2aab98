/*
 * The certificate is made with OpenSSL's libcrypto, not GnuTLS, although
 * libmicrohttpd serves it with GnuTLS: libcrypto is already linked by the
 * rest of mamori (feeds, hashes), and the agent enrolment CA that signs
 * agent CSRs will be built on the same X509 API. The files are plain PEM,
 * which both libraries read.
 */
#include "manager/cert.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomicfile.h"
#include "common/err.h"

#define PEM_MAX (64 * 1024)
#define VALID_DAYS 825	/* the CA/Browser limit browsers still accept */

static int
read_pem(const char *path, char **out, char *err, size_t errsz)
{
	FILE *f = fopen(path, "rbe");
	char *buf = NULL;
	size_t n;
	*out = NULL;
	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? MAMORI_E_NOTFOUND : MAMORI_E_IO;
	}
	if (!(buf = malloc(PEM_MAX + 1))) {
		fclose(f);
		return MAMORI_E_NOMEM;
	}
	n = fread(buf, 1, PEM_MAX + 1, f);
	fclose(f);
	if (n == 0 || n > PEM_MAX) {
		snprintf(err, errsz, "%s: empty or larger than %d bytes", path, PEM_MAX);
		free(buf);
		return MAMORI_E_PARSE;
	}
	buf[n] = '\0';
	*out = buf;
	return MAMORI_OK;
}

/* Replaces path with a BIO's contents (mode as given; see common/atomicfile.h). */
static int
write_bio(BIO *b, const char *path, mode_t mode, char *err, size_t errsz)
{
	char *data;
	long len = BIO_get_mem_data(b, &data);
	if (len <= 0)
		return MAMORI_E_INVAL;
	return atomicfile_write_mem(path, mode, data, (size_t)len, err, errsz);
}

static int
add_ext(X509 *crt, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, crt, crt, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return MAMORI_E_INVAL;
	int ok = X509_add_ext(crt, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? MAMORI_OK : MAMORI_E_INVAL;
}

static int
make_selfsigned(const char *cert_path, const char *key_path, const char *host,
    char *err, size_t errsz)
{
	EVP_PKEY *pkey = NULL;
	X509 *crt = NULL;
	BIO *kb = NULL, *cb = NULL;
	unsigned char serial[16];
	BIGNUM *bn = NULL;
	char san[512];
	int rc = MAMORI_E_INVAL;

	if (!(pkey = EVP_EC_gen("P-256")) || !(crt = X509_new()))
		goto out;
	if (RAND_bytes(serial, sizeof(serial)) != 1)
		goto out;
	serial[0] &= 0x7f;	/* positive */
	if (!(bn = BN_bin2bn(serial, sizeof(serial), NULL)) ||
	    !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(crt)))
		goto out;
	if (!X509_set_version(crt, 2) ||
	    !X509_gmtime_adj(X509_getm_notBefore(crt), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(crt), (long)VALID_DAYS * 86400))
		goto out;
	X509_NAME *name = X509_get_subject_name(crt);
	if (!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"mamori",
	    -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"mamori-manager", -1, -1, 0) ||
	    !X509_set_issuer_name(crt, name) || !X509_set_pubkey(crt, pkey))
		goto out;
	/* An IP literal goes in as IP:, a host name as DNS:, anything else not at all. */
	unsigned char ipbuf[16];
	const char *kind = NULL;
	if (host && (inet_pton(AF_INET, host, ipbuf) == 1 || inet_pton(AF_INET6, host, ipbuf) == 1))
		kind = "IP";
	else if (host && *host && strlen(host) < 254 && strspn(host,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == strlen(host))
		kind = "DNS";
	if (kind && strcmp(host, "localhost") && strcmp(host, "127.0.0.1") && strcmp(host, "::1"))
		snprintf(san, sizeof(san), "DNS:localhost,IP:127.0.0.1,IP:::1,%s:%s", kind, host);
	else
		snprintf(san, sizeof(san), "DNS:localhost,IP:127.0.0.1,IP:::1");
	if (add_ext(crt, NID_subject_alt_name, san) ||
	    add_ext(crt, NID_basic_constraints, "critical,CA:FALSE") ||
	    add_ext(crt, NID_key_usage, "critical,digitalSignature") ||
	    add_ext(crt, NID_ext_key_usage, "serverAuth"))
		goto out;
	if (!X509_sign(crt, pkey, EVP_sha256()))
		goto out;
	/* secmem: the private key's PEM is cleared when the BIO is freed. */
	if (!(kb = BIO_new(BIO_s_secmem())) || !(cb = BIO_new(BIO_s_mem())) ||
	    !PEM_write_bio_PrivateKey(kb, pkey, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_bio_X509(cb, crt))
		goto out;
	/* The key first: a certificate without its key would block the next start. */
	if ((rc = write_bio(kb, key_path, 0600, err, errsz)) != MAMORI_OK)
		goto out;
	if ((rc = write_bio(cb, cert_path, 0644, err, errsz)) != MAMORI_OK) {
		unlink(key_path);
		goto out;
	}
	rc = MAMORI_OK;
out:
	if (rc == MAMORI_E_INVAL)
		snprintf(err, errsz, "could not make a self-signed certificate");
	BN_free(bn);
	BIO_free(kb);
	BIO_free(cb);
	X509_free(crt);
	EVP_PKEY_free(pkey);
	return rc;
}

int
cert_load_or_create(const char *cert_path, const char *key_path,
    const char *host, bool may_create, char **cert, char **key, bool *created,
    char *err, size_t errsz)
{
	struct stat st;
	int have_c = stat(cert_path, &st) == 0, have_k = stat(key_path, &st) == 0;
	int rc;

	*cert = *key = NULL;
	*created = false;
	if (!have_c && !have_k && may_create) {
		if ((rc = make_selfsigned(cert_path, key_path, host, err, errsz)) != MAMORI_OK)
			return rc;
		*created = true;
	} else if (have_c != have_k) {
		snprintf(err, errsz, "%s exists but %s does not; give both or neither",
		    have_c ? cert_path : key_path, have_c ? key_path : cert_path);
		return MAMORI_E_NOTFOUND;
	}
	if ((rc = read_pem(cert_path, cert, err, errsz)) != MAMORI_OK)
		return rc;
	if ((rc = read_pem(key_path, key, err, errsz)) != MAMORI_OK) {
		free(*cert);
		*cert = NULL;
		return rc;
	}
	return MAMORI_OK;
}

int
cert_fingerprint(const char *cert_pem, char *out, size_t outsz)
{
	BIO *b = BIO_new_mem_buf(cert_pem, -1);
	X509 *crt = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int rc = MAMORI_E_PARSE;
	if (crt && X509_digest(crt, EVP_sha256(), md, &n) && outsz >= n * 3) {
		for (unsigned int i = 0; i < n; i++)
			snprintf(out + i * 3, outsz - i * 3, "%02X%s", md[i], i + 1 < n ? ":" : "");
		rc = MAMORI_OK;
	}
	X509_free(crt);
	BIO_free(b);
	return rc;
}
