/*
 * fuzz_vuln_pack.c - the reader of packed advisory rows (vuln_pkg_pack,
 * migration 0022) on arbitrary bytes: every row it hands out has its
 * CVE and status, and all strings end inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/store_vuln_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct bounds {
	const char *start, *end;
	size_t rows;
};

static void
inside(const struct bounds *b, const char *s)
{
	if (s && (s < b->start || s + strlen(s) >= b->end))
		abort();
}

static int
on_row(void *ctx, const struct store_vuln_pkg *row)
{
	struct bounds *b = ctx;
	if (!row->cve || !row->status || strcmp(row->package, "pkg") != 0)
		abort();
	inside(b, row->cve);
	inside(b, row->status);
	inside(b, row->fixed_version);
	inside(b, row->urgency);
	inside(b, row->ranges);
	b->rows++;
	return b->rows > 100000 ? MAMORI_E_LIMIT : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bounds b = { (const char *)data, (const char *)data + size, 0 };
	int rc = store_vuln_pack_parse(data, size, "pkg", on_row, &b);
	if (rc != MAMORI_OK && rc != MAMORI_E_PARSE && rc != MAMORI_E_LIMIT)
		abort();
	return 0;
}
