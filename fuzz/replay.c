/*
 * replay.c - runs a fuzz target over every file of a corpus directory,
 * printing one TAP line per input. Linked with each fuzz_<parser>.c in the
 * normal (ASan+UBSan) build, so CI replays the corpora without libFuzzer:
 * a crash or sanitizer report fails the test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	DIR *d = opendir(argv[1]);
	if (!d) {
		printf("not ok 1 - cannot open corpus %s\n1..1\n", argv[1]);
		return 1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				return 1;
			names = nn;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", argv[1], names[i]);
		FILE *f = fopen(path, "rb");
		if (!f) {
			printf("not ok %zu - %s: cannot open\n", i + 1, names[i]);
			failed++;
			continue;
		}
		uint8_t *buf = NULL;
		size_t len = 0, bcap = 0;
		for (;;) {
			if (len == bcap) {
				bcap = bcap ? bcap * 2 : 4096;
				uint8_t *nb = realloc(buf, bcap);
				if (!nb)
					return 1;
				buf = nb;
			}
			size_t k = fread(buf + len, 1, bcap - len, f);
			if (k == 0)
				break;
			len += k;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
		printf("ok %zu - %s (%zu bytes)\n", i + 1, names[i], len);
		free(names[i]);
	}
	free(names);
	printf("1..%zu\n", n ? n : 1);
	if (n == 0)
		printf("not ok 1 - empty corpus\n");
	return failed || n == 0;
}
