/* api_openapi.c - the embedded OpenAPI document (manager/openapi.json). */
#include "manager/api.h"

/* From the build: tools/embed.py over manager/openapi.json. */
extern const char *const api_openapi_doc[];

const char *
api_openapi_text(void)
{
	return api_openapi_doc[0];
}
