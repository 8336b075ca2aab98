/* fuzz_ioc.c - IOC feed loading (format detection, CSV, plain lists) and
 * lookups of values taken from the same bytes. */
#include <stdint.h>

#include "detection/ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ioc_set s;
	struct ioc_load_stats st;
	struct span text = { (const char *)data, size };
	uint8_t addr[16] = { 0 };
	ioc_set_init(&s, 100000);
	ioc_set_load(&s, text, "fuzz", &st);
	for (size_t i = 0; i < 16 && i < size; i++)
		addr[i] = data[i];
	ioc_match_ip(&s, addr);
	struct span head = { text.p, size < 64 ? size : 64 };
	ioc_match_domain(&s, head);
	ioc_match_url(&s, head);
	ioc_match_hash(&s, IOC_JA3, head);
	ioc_set_release(&s);
	return 0;
}
