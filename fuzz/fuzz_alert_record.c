/* fuzz_alert_record.c - an alert line as an agent or a pipe hands it to the
 * database: JSON, timestamps, field lengths. Runs against an in-memory
 * database opened once (migrations are costly); every accepted line must
 * be readable back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/err.h"
#include "storage/db.h"
#include "storage/store_alert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
seen(void *ctx, const struct store_alert_row *r)
{
	if (r->severity < 0 || r->severity > 4 || r->count < 1)
		__builtin_trap();
	*(int *)ctx = 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct db *db;	/* the harness's own: one process, one input at a time */
	char err[256];
	int64_t id;
	bool is_new;

	if (!db && db_open(":memory:", false, &db, err, sizeof(err)) != MAMORI_OK)
		abort();
	struct store_alert_in in = { .tenant_id = 1, .source = "fuzz", .host_name = "h",
		.now_ms = 1700000000000LL };
	if (store_alert_record_json(db, &in, (const char *)data, size, &id, &is_new) == MAMORI_OK) {
		int found = 0;
		if (store_alert_get(db, 1, id, seen, NULL, &found) != MAMORI_OK || !found)
			__builtin_trap();
	}
	return 0;
}
