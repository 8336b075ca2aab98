/* fuzz_decode_packet.c - the whole sensor pipeline on one Ethernet frame:
 * decode, flow table, DNS/HTTP/TLS parsing, detectors, EVE output. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "detection/ioc.h"
#include "sensor/decode.h"
#include "sensor/sensor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sensor s;
	struct ioc_set iocs;
	struct sensor_conf conf = { .max_flows = 8 };
	FILE *out = fopen("/dev/null", "w");
	if (!out)
		return 0;
	ioc_set_init(&iocs, 0);
	ioc_set_add(&iocs, IOC_DOMAIN, SPAN_LIT("evil.example"), "test", "fuzz");
	ioc_set_add(&iocs, IOC_IP, SPAN_LIT("10.0.0.0/8"), "test", "fuzz");
	if (sensor_init(&s, &conf, LINKTYPE_ETHERNET, out, &iocs) == 0) {
		/* the same frame three times, as both directions would be */
		for (int i = 0; i < 3; i++)
			sensor_packet(&s, 1700000000000000LL + i * 1000, data, (uint32_t)size,
			    (uint32_t)size);
		sensor_finish(&s);
		sensor_free(&s);
	}
	ioc_set_release(&iocs);
	fclose(out);
	return 0;
}
