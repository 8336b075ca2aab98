/* decompress.c - not written yet: only uncompressed input. */
#include "common/decompress.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

enum decompress_format
decompress_detect(const void *in, size_t len)
{
	(void)in;
	(void)len;
	return DECOMPRESS_NONE;
}

int
decompress_buffer(const void *in, size_t len, size_t max_out, char **out,
    size_t *outlen)
{
	if (len > max_out)
		return MAMORI_E_LIMIT;
	*out = malloc(len + 1);
	if (!*out)
		return MAMORI_E_NOMEM;
	memcpy(*out, in, len);
	(*out)[len] = '\0';
	*outlen = len;
	return MAMORI_OK;
}
