/*
 * decompress.c - lz4 frame, gzip, xz and zstd into one malloc()ed buffer.
 *
 * Each decoder writes into a buffer that doubles up to max_out; producing
 * more than max_out bytes is MAMORI_E_LIMIT (a bomb), a stream the library
 * rejects or one that ends early is MAMORI_E_PARSE. Concatenated frames
 * and members are decoded in sequence, as lz4cat, zcat, xzcat and zstdcat
 * do.
 */
#include "common/decompress.h"

#include <lz4frame.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "common/err.h"

struct outbuf {
	char *p;
	size_t len;
	size_t cap;
	size_t max;
};

/* Makes room for at least one more byte (and the final NUL). */
static int
grow(struct outbuf *o)
{
	size_t ncap;
	char *np;

	if (o->len < o->cap)
		return MAMORI_OK;
	if (o->cap >= o->max + 1)
		return MAMORI_E_LIMIT;
	ncap = o->cap ? o->cap * 2 : 64 * 1024;
	if (ncap < o->cap || ncap > o->max + 1)
		ncap = o->max + 1;
	np = realloc(o->p, ncap);
	if (!np)
		return MAMORI_E_NOMEM;
	o->p = np;
	o->cap = ncap;
	return MAMORI_OK;
}

/* Output of a stream must fit max bytes plus the NUL we add. */
static int
check_limit(const struct outbuf *o)
{
	return o->len > o->max ? MAMORI_E_LIMIT : MAMORI_OK;
}

static int
do_lz4(const unsigned char *in, size_t len, struct outbuf *o)
{
	LZ4F_dctx *dctx = NULL;
	size_t off = 0, ret = 1;
	int rc;

	if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
		return MAMORI_E_NOMEM;
	while (off < len) {
		if ((rc = grow(o)))
			goto out;
		size_t src = len - off, dst = o->cap - o->len;
		ret = LZ4F_decompress(dctx, o->p + o->len, &dst, in + off, &src,
		    NULL);
		if (LZ4F_isError(ret)) {
			rc = MAMORI_E_PARSE;
			goto out;
		}
		off += src;
		o->len += dst;
		if ((rc = check_limit(o)))
			goto out;
		if (src == 0 && dst == 0 && o->len < o->cap) {
			/* No progress with room left: the frame is stuck. */
			rc = MAMORI_E_PARSE;
			goto out;
		}
	}
	/* Flush what the context still holds for a frame whose input ended. */
	while (ret != 0) {
		if ((rc = grow(o)))
			goto out;
		size_t src = 0, dst = o->cap - o->len;
		ret = LZ4F_decompress(dctx, o->p + o->len, &dst, NULL, &src, NULL);
		if (LZ4F_isError(ret) || dst == 0)
			break;
		o->len += dst;
		if ((rc = check_limit(o)))
			goto out;
	}
	/* ret != 0 means the last frame wanted more input: truncated. */
	rc = ret == 0 ? MAMORI_OK : MAMORI_E_PARSE;
out:
	LZ4F_freeDecompressionContext(dctx);
	return rc;
}

static int
do_gzip(const unsigned char *in, size_t len, struct outbuf *o)
{
	z_stream zs;
	int rc = MAMORI_OK, zr;

	memset(&zs, 0, sizeof(zs));
	/* 15 + 32: zlib or gzip header, detected. */
	if (inflateInit2(&zs, 15 + 32) != Z_OK)
		return MAMORI_E_NOMEM;
	size_t off = 0;
	for (;;) {
		if ((rc = grow(o)))
			goto out;
		size_t inchunk = len - off > UINT32_MAX ? UINT32_MAX : len - off;
		size_t outchunk = o->cap - o->len > UINT32_MAX ? UINT32_MAX :
		    o->cap - o->len;
		zs.next_in = (unsigned char *)(uintptr_t)(in + off);
		zs.avail_in = (uInt)inchunk;
		zs.next_out = (unsigned char *)o->p + o->len;
		zs.avail_out = (uInt)outchunk;
		zr = inflate(&zs, Z_NO_FLUSH);
		off += inchunk - zs.avail_in;
		o->len += outchunk - zs.avail_out;
		if ((rc = check_limit(o)))
			goto out;
		if (zr == Z_STREAM_END) {
			/* Another gzip member may follow (zcat reads them all);
			 * zero padding before it is skipped like gzip does. */
			size_t k = off;
			while (k < len && in[k] == 0)
				k++;
			if (len - k < 2 || in[k] != 0x1f || in[k + 1] != 0x8b)
				break;	/* gzip ignores trailing garbage too */
			off = k;
			if (inflateReset(&zs) != Z_OK) {
				rc = MAMORI_E_PARSE;
				goto out;
			}
			continue;
		}
		if (zr == Z_BUF_ERROR && zs.avail_out != 0) {
			rc = MAMORI_E_PARSE;	/* input ended mid-stream */
			goto out;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			rc = MAMORI_E_PARSE;
			goto out;
		}
		if (off >= len && zs.avail_out != 0) {
			rc = MAMORI_E_PARSE;
			goto out;
		}
	}
out:
	inflateEnd(&zs);
	return rc;
}

static int
do_xz(const unsigned char *in, size_t len, struct outbuf *o)
{
	lzma_stream xs = LZMA_STREAM_INIT;
	lzma_ret lr;
	int rc = MAMORI_OK;

	/* 256 MiB of decoder memory is far above any real preset (-9e needs
	 * 65 MiB) and refuses headers asking for absurd dictionaries. */
	if (lzma_stream_decoder(&xs, 256u << 20, LZMA_CONCATENATED) != LZMA_OK)
		return MAMORI_E_NOMEM;
	xs.next_in = in;
	xs.avail_in = len;
	for (;;) {
		if ((rc = grow(o)))
			goto out;
		xs.next_out = (uint8_t *)o->p + o->len;
		xs.avail_out = o->cap - o->len;
		size_t before = xs.avail_out;
		lr = lzma_code(&xs, xs.avail_in ? LZMA_RUN : LZMA_FINISH);
		o->len += before - xs.avail_out;
		if ((rc = check_limit(o)))
			goto out;
		if (lr == LZMA_STREAM_END)
			break;
		if (lr == LZMA_MEMLIMIT_ERROR || lr == LZMA_MEM_ERROR) {
			rc = MAMORI_E_LIMIT;
			goto out;
		}
		if (lr != LZMA_OK) {
			rc = MAMORI_E_PARSE;
			goto out;
		}
	}
out:
	lzma_end(&xs);
	return rc;
}

static int
do_zstd(const unsigned char *in, size_t len, struct outbuf *o)
{
	ZSTD_DStream *zd = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, len, 0 };
	size_t ret = 1;
	int rc = MAMORI_OK;

	if (!zd)
		return MAMORI_E_NOMEM;
	/* Window up to 2^27 (zstd's default limit), like zstd -d. */
	ZSTD_DCtx_setParameter(zd, ZSTD_d_windowLogMax, 27);
	while (ib.pos < ib.size || ret != 0) {
		if ((rc = grow(o)))
			goto out;
		ZSTD_outBuffer ob = { o->p, o->cap, o->len };
		size_t inpos = ib.pos;
		ret = ZSTD_decompressStream(zd, &ob, &ib);
		if (ZSTD_isError(ret)) {
			rc = ZSTD_getErrorCode(ret) ==
			    ZSTD_error_frameParameter_windowTooLarge ?
			    MAMORI_E_LIMIT : MAMORI_E_PARSE;
			goto out;
		}
		size_t produced = ob.pos - o->len;
		o->len = ob.pos;
		if ((rc = check_limit(o)))
			goto out;
		/* Input used up, frame unfinished and nothing came out with
		 * room to spare: the stream was cut short. */
		if (ret != 0 && ib.pos == ib.size && inpos == ib.pos &&
		    produced == 0 && o->len < o->cap) {
			rc = MAMORI_E_PARSE;
			goto out;
		}
	}
out:
	ZSTD_freeDStream(zd);
	return rc;
}

enum decompress_format
decompress_detect(const void *in, size_t len)
{
	const unsigned char *p = in;

	if (len >= 4 && p[0] == 0x04 && p[1] == 0x22 && p[2] == 0x4d &&
	    p[3] == 0x18)
		return DECOMPRESS_LZ4;
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return DECOMPRESS_GZIP;
	if (len >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return DECOMPRESS_XZ;
	if (len >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f &&
	    p[3] == 0xfd)
		return DECOMPRESS_ZSTD;
	return DECOMPRESS_NONE;
}

int
decompress_buffer(const void *in, size_t len, size_t max_out, char **out,
    size_t *outlen)
{
	struct outbuf o = { NULL, 0, 0, max_out };
	int rc;

	*out = NULL;
	*outlen = 0;
	switch (decompress_detect(in, len)) {
	case DECOMPRESS_LZ4:
		rc = do_lz4(in, len, &o);
		break;
	case DECOMPRESS_GZIP:
		rc = do_gzip(in, len, &o);
		break;
	case DECOMPRESS_XZ:
		rc = do_xz(in, len, &o);
		break;
	case DECOMPRESS_ZSTD:
		rc = do_zstd(in, len, &o);
		break;
	default:
		if (len > max_out)
			return MAMORI_E_LIMIT;
		o.p = malloc(len + 1);
		if (!o.p)
			return MAMORI_E_NOMEM;
		if (len)
			memcpy(o.p, in, len);
		o.len = len;
		o.cap = len + 1;
		rc = MAMORI_OK;
		break;
	}
	if (rc == MAMORI_OK && o.len >= o.cap) {
		/* Room for the NUL: the buffer is exactly full. */
		char *np = realloc(o.p, o.len + 1);
		if (!np)
			rc = MAMORI_E_NOMEM;
		else
			o.p = np;
	}
	if (rc) {
		free(o.p);
		return rc;
	}
	o.p[o.len] = '\0';
	*out = o.p;
	*outlen = o.len;
	return MAMORI_OK;
}
