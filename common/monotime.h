/* monotime.h - milliseconds of the monotonic clock, for timeouts and ticks. */
#ifndef MAMORI_COMMON_MONOTIME_H
#define MAMORI_COMMON_MONOTIME_H

#include <stdint.h>

int64_t monotime_ms(void);

#endif
