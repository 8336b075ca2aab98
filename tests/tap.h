/*
 * tap.h - a tiny TAP producer for mamori's unit tests.
 *
 * Each test program prints "ok N - name" / "not ok N - name" lines and a
 * plan at the end; tests/run counts them. Failed comparisons print the
 * values as TAP diagnostics ("# ...").
 */
#ifndef MAMORI_TESTS_TAP_H
#define MAMORI_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct tap_state {
	int n;
	int failed;
};

/* One per test program (tests are single-threaded executables). */
static struct tap_state tap_state_;

__attribute__((format(printf, 2, 3)))
static inline bool
ok(bool cond, const char *fmt, ...)
{
	va_list ap;
	tap_state_.n++;
	if (!cond)
		tap_state_.failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_state_.n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

#define is_int(got, want, ...)                                              \
	do {                                                                \
		long long g_ = (long long)(got), w_ = (long long)(want);    \
		if (!ok(g_ == w_, __VA_ARGS__))                             \
			printf("#   got: %lld\n#  want: %lld\n", g_, w_);       \
	} while (0)

#define is_str(got, want, ...)                                              \
	do {                                                                \
		const char *g_ = (got), *w_ = (want);                       \
		bool e_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;      \
		if (!ok(e_, __VA_ARGS__))                                   \
			printf("#   got: \"%s\"\n#  want: \"%s\"\n",            \
			    g_ ? g_ : "(null)", w_ ? w_ : "(null)");        \
	} while (0)

static inline void
diag(const char *msg)
{
	printf("# %s\n", msg);
}

/* Prints the plan; returns the exit status for main(). */
static inline int
done_testing(void)
{
	printf("1..%d\n", tap_state_.n);
	return tap_state_.failed ? 1 : 0;
}

#endif
