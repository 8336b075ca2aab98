/* proto_tls_ja4.c - JA4 TLS client fingerprint (FoxIO's specification):
 * a_b_c where a = t, version, d/i (SNI), cipher count, extension count and
 * the first ALPN's first and last characters; b = SHA-256 (12 hex) of the
 * sorted ciphers; c = SHA-256 (12 hex) of the sorted extensions without SNI
 * and ALPN, then "_" and the signature algorithms in their order. */
#include "sensor/proto_tls.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <string.h>

static const char hexd[] = "0123456789abcdef";

/* Insertion sort: the lists are short (tens of entries) and mostly
 * ordered; qsort's merge sort with a callback per compare cost more. */
static void
sort_u16(uint16_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint16_t x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* "0a0b,0c0d" into buf; returns the length. */
static size_t
hex_list(const uint16_t *v, size_t n, char *buf)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf[len++] = ',';
		buf[len++] = hexd[v[i] >> 12];
		buf[len++] = hexd[(v[i] >> 8) & 15];
		buf[len++] = hexd[(v[i] >> 4) & 15];
		buf[len++] = hexd[v[i] & 15];
	}
	return len;
}

/* The first 12 hex digits of SHA-256(s), or twelve '0' for empty input. */
static void
sha256_12(const char *s, size_t n, char out[12], struct digest_set *d)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	memset(out, '0', 12);
	if (n == 0 || digest_compute(d, DIGEST_SHA256, s, n, md) < 6)
		return;
	for (int i = 0; i < 6; i++) {
		out[2 * i] = hexd[md[i] >> 4];
		out[2 * i + 1] = hexd[md[i] & 15];
	}
}

static const char *
version_code(uint16_t v)
{
	switch (v) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0002: return "s2";
	default: return "00";
	}
}

static void
two_digits(char *w, size_t n)
{
	if (n > 99)
		n = 99;
	w[0] = (char)('0' + n / 10);
	w[1] = (char)('0' + n % 10);
}

void
proto_tls_ja4(const struct tls_ja4_in *in, char out[TLS_JA4_LEN + 1], struct digest_set *d)
{
	/* every list entry is 5 bytes of text ("xxxx,") */
	char text[TLS_LIST_MAX * 5 * 2 + 2];
	uint16_t sorted[TLS_LIST_MAX];
	out[0] = '\0';
	if (in->over)
		return;
	char *w = out;
	const char *ver = version_code(in->version);
	w[0] = 't';
	w[1] = ver[0];
	w[2] = ver[1];
	w[3] = in->sni ? 'd' : 'i';
	two_digits(w + 4, in->nciphers);
	two_digits(w + 6, in->nexts);
	if (in->alpn.len == 0) {
		w[8] = w[9] = '0';
	} else {
		unsigned char f = (unsigned char)in->alpn.p[0];
		unsigned char l = (unsigned char)in->alpn.p[in->alpn.len - 1];
		if (isalnum(f) && isalnum(l) && f < 0x80 && l < 0x80) {
			w[8] = (char)f;
			w[9] = (char)l;
		} else {	/* not ASCII letters/digits: first and last hex digit */
			w[8] = hexd[f >> 4];
			w[9] = hexd[l & 15];
		}
	}
	w[10] = '_';

	memcpy(sorted, in->ciphers, in->nciphers * sizeof(sorted[0]));
	sort_u16(sorted, in->nciphers);
	sha256_12(text, hex_list(sorted, in->nciphers, text), w + 11, d);
	w[23] = '_';

	size_t ne = 0;
	for (size_t i = 0; i < in->nexts; i++)
		if (in->exts[i] != 0x0000 && in->exts[i] != 0x0010)
			sorted[ne++] = in->exts[i];
	sort_u16(sorted, ne);
	size_t len = hex_list(sorted, ne, text);
	if (ne && in->nsigalgs) {
		text[len++] = '_';
		len += hex_list(in->sigalgs, in->nsigalgs, text + len);
	}
	sha256_12(text, ne ? len : 0, w + 24, d);
	w[36] = '\0';
}
