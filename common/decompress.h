/*
 * decompress.h - whole-buffer decompression of package lists and feeds.
 *
 * The format is recognised by its magic bytes (lz4 frame, gzip, xz, zstd);
 * anything else is returned as is. The output is capped: a decompression
 * bomb is MAMORI_E_LIMIT, a corrupt stream MAMORI_E_PARSE.
 */
#ifndef MAMORI_COMMON_DECOMPRESS_H
#define MAMORI_COMMON_DECOMPRESS_H

#include <stddef.h>

enum decompress_format { DECOMPRESS_NONE, DECOMPRESS_LZ4, DECOMPRESS_GZIP,
	DECOMPRESS_XZ, DECOMPRESS_ZSTD };

enum decompress_format decompress_detect(const void *in, size_t len);
/* *out is from malloc() and NUL-terminated (not counted in *outlen). */
int decompress_buffer(const void *in, size_t len, size_t max_out, char **out,
    size_t *outlen);

#endif
