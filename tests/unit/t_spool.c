/* t_spool.c - the agent's disk spool: order, acknowledgement, recovery of
 * a torn tail and of a CRC mismatch, the byte cap with drop-oldest and its
 * gap event, and the single-process lock. */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/spool.h"
#include "common/err.h"
#include "tests/tap.h"

struct seen {
	uint64_t seqs[4096];
	size_t n;
	bool ordered;
	uint64_t gap_dropped, gaps;
	char last[256];
};

static int
collect(void *ctx, uint64_t seq, const char *p, size_t len)
{
	struct seen *s = ctx;
	if (s->n && seq <= s->seqs[s->n - 1])
		s->ordered = false;
	if (s->n < sizeof(s->seqs) / sizeof(s->seqs[0]))
		s->seqs[s->n++] = seq;
	snprintf(s->last, sizeof(s->last), "%.*s", (int)(len < 255 ? len : 255), p);
	const char *g = strstr(p, "\"dropped\":");
	if (strstr(p, "\"kind\":\"gap\"") && g) {
		s->gap_dropped += strtoull(g + 10, NULL, 10);
		s->gaps++;
	}
	return 0;
}

static void
read_all(struct spool *sp, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	s->ordered = true;
	(void)spool_read(sp, 100000, 1u << 30, collect, s);
}

static uint64_t
put(struct spool *sp, int i)
{
	char buf[128];
	uint64_t seq = 0;
	int n = snprintf(buf, sizeof(buf), "{\"ts\":1,\"kind\":\"event\",\"data\":{\"n\":%d}}", i);
	if (spool_append(sp, buf, (size_t)n, &seq) != MAMORI_OK)
		return 0;
	return seq;
}

static char *
mkdtemp_dir(void)
{
	static char base[64];
	snprintf(base, sizeof(base), "/tmp/t_spool.XXXXXX");
	return mkdtemp(base);
}

/* The one segment file of dir, or the first when there are several. */
static int
seg_path(const char *dir, int which, char *out, size_t outsz)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort), found = 0, k = 0;
	for (int i = 0; i < n; i++) {
		if (!found && strstr(list[i]->d_name, ".seg") && k++ == which) {
			snprintf(out, outsz, "%s/%s", dir, list[i]->d_name);
			found = 1;
		}
		free(list[i]);
	}
	free(list);
	return found;
}

static void
test_order_and_ack(const char *dir)
{
	struct spool sp;
	struct seen s;
	is_int(spool_open(&sp, dir, 1 << 20), MAMORI_OK, "a new spool opens");
	for (int i = 1; i <= 100; i++)
		put(&sp, i);
	ok(spool_sync(&sp) == MAMORI_OK, "sync");
	is_int(spool_pending(&sp), 100, "100 pending");
	read_all(&sp, &s);
	ok(s.n == 100 && s.ordered && s.seqs[0] == 1 && s.seqs[99] == 100, "read back 1..100 in order");
	struct spool other;
	is_int(spool_open(&other, dir, 1 << 20), MAMORI_E_PERM, "a second process cannot open it");
	is_int(spool_ack(&sp, 40), MAMORI_OK, "ack 40");
	is_int(spool_pending(&sp), 60, "60 pending after the ack");
	memset(&s, 0, sizeof(s));
	s.ordered = true;
	(void)spool_read(&sp, 10, 1u << 30, collect, &s);
	ok(s.n == 10 && s.seqs[0] == 41 && s.seqs[9] == 50, "a batch of 10 starts after the ack");
	spool_close(&sp);

	is_int(spool_open(&sp, dir, 1 << 20), MAMORI_OK, "reopens");
	is_int(sp.acked, 40, "the ack survived the restart");
	read_all(&sp, &s);
	ok(s.n == 60 && s.seqs[0] == 41, "records 41..100 are still there");
	is_int(put(&sp, 101), 101, "numbering continues at 101");
	ok(spool_ack(&sp, 101) == MAMORI_OK && spool_pending(&sp) == 0, "all acked: nothing pending");
	spool_close(&sp);
	is_int(spool_open(&sp, dir, 1 << 20), MAMORI_OK, "reopens empty");
	is_int(put(&sp, 102), 102, "an empty spool remembers its numbering (acked file)");
	spool_close(&sp);
}

static void
test_torn_tail(const char *dir)
{
	struct spool sp;
	struct seen s;
	char seg[512];
	spool_open(&sp, dir, 1 << 20);
	for (int i = 1; i <= 10; i++)
		put(&sp, i);
	spool_sync(&sp);
	spool_close(&sp);
	ok(seg_path(dir, 0, seg, sizeof(seg)), "the segment file exists");
	struct stat st;
	stat(seg, &st);
	/* A crash in the middle of the 10th append: its last 5 bytes never made it. */
	ok(truncate(seg, st.st_size - 5) == 0, "tail torn");
	is_int(spool_open(&sp, dir, 1 << 20), MAMORI_OK, "recovery opens it");
	ok(sp.stats.torn_bytes > 0 && sp.stats.corrupt_records == 0, "the torn bytes are counted (%" PRIu64 ")",
	    sp.stats.torn_bytes);
	read_all(&sp, &s);
	ok(s.n == 9 && s.seqs[8] == 9, "nine whole records remain");
	is_int(put(&sp, 10), 10, "the next append takes seq 10");
	spool_sync(&sp);
	spool_close(&sp);

	/* Garbage after the last record (a half-written header). */
	int fd = open(seg, O_WRONLY | O_APPEND);
	ok(fd >= 0 && write(fd, "\x07\x00\x00", 3) == 3, "three stray bytes appended");
	close(fd);
	is_int(spool_open(&sp, dir, 1 << 20), MAMORI_OK, "recovery again");
	read_all(&sp, &s);
	ok(s.n == 10 && s.ordered, "all ten records readable, stray bytes cut");
	stat(seg, &st);
	is_int((long long)st.st_size, (long long)sp.bytes, "the file was truncated to its last good record");
	spool_close(&sp);
}

static void
test_crc_mismatch(const char *dir)
{
	struct spool sp;
	struct seen s;
	char seg[512];
	/* 16 KiB cap: 4 KiB segments, so 200 records span several files. */
	spool_open(&sp, dir, 16 * 1024);
	for (int i = 1; i <= 200; i++)
		put(&sp, i);
	spool_sync(&sp);
	ok(sp.nseg >= 2, "records span %zu segments", sp.nseg);
	uint64_t first_last = sp.segs[0].last;
	spool_close(&sp);
	ok(seg_path(dir, 0, seg, sizeof(seg)), "first segment found");
	/* Flip one payload byte of the third record of the first segment. */
	int fd = open(seg, O_RDWR);
	unsigned char c, h[4];
	off_t off = 0;
	for (int i = 0; i < 2; i++) {
		ok(pread(fd, h, 4, off) == 4, "header %d", i + 1);
		off += SPOOL_HEADER + (h[0] | h[1] << 8);
	}
	off += SPOOL_HEADER + 5;
	ok(pread(fd, &c, 1, off) == 1, "read a byte");
	c ^= 0x20;
	ok(pwrite(fd, &c, 1, off) == 1, "bit flipped in record 3");
	close(fd);
	is_int(spool_open(&sp, dir, 16 * 1024), MAMORI_OK, "recovery opens it");
	uint64_t lost = first_last - 2;
	is_int(sp.stats.corrupt_records, lost, "records from the damaged one to the segment's end are counted");
	read_all(&sp, &s);
	ok(s.ordered && s.seqs[0] == 1 && s.seqs[1] == 2 && s.seqs[2] == first_last + 1,
	    "reading skips from seq 2 to the next segment");
	is_int(s.gap_dropped, lost, "a gap event reports the lost records");
	ok(strstr(s.last, "spool_damaged") != NULL, "with the reason");
	spool_close(&sp);
}

static void
test_cap(const char *dir)
{
	struct spool sp;
	struct seen s;
	char big[1100];
	uint64_t seq, appended = 0;
	const uint64_t cap = 64 * 1024;
	spool_open(&sp, dir, cap);
	memset(big, 'x', sizeof(big));
	memcpy(big, "{\"ts\":1,\"kind\":\"event\",\"data\":{\"p\":\"", 36);
	memcpy(big + sizeof(big) - 3, "\"}}", 3);
	uint64_t maxbytes = 0;
	for (int i = 0; i < 400; i++) {
		if (spool_append(&sp, big, sizeof(big), &seq) == MAMORI_OK)
			appended++;
		if (sp.bytes > maxbytes)
			maxbytes = sp.bytes;
	}
	spool_sync(&sp);
	is_int(appended, 400, "every append succeeds (the oldest make room)");
	ok(maxbytes <= cap, "the spool never passed its cap (%" PRIu64 " <= %" PRIu64 ")", maxbytes, cap);
	ok(sp.stats.dropped_records > 0 && sp.stats.gap_events > 0, "%" PRIu64 " records dropped, %" PRIu64
	    " gap events", sp.stats.dropped_records, sp.stats.gap_events);
	read_all(&sp, &s);
	is_int(s.gap_dropped, sp.stats.dropped_records,
	    "the gap events left count every dropped event (dropped gap events carry over)");
	is_int(s.n - s.gaps + sp.stats.dropped_records, appended, "kept + dropped = appended");
	ok(s.ordered, "what is left is in order");
	is_int(spool_append(&sp, big, 40 * 1024, &seq), MAMORI_E_LIMIT, "a record larger than half the cap is refused");
	spool_close(&sp);
}

static void
rmtree(const char *dir)
{
	struct dirent **list;
	char p[512];
	int n = scandir(dir, &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.') {
			snprintf(p, sizeof(p), "%s/%s", dir, list[i]->d_name);
			unlink(p);
		}
		free(list[i]);
	}
	free(list);
	rmdir(dir);
}

int
main(void)
{
	char *base = mkdtemp_dir();
	char d[4][128];
	if (!base) {
		ok(false, "temporary directory");
		return done_testing();
	}
	for (int i = 0; i < 4; i++)
		snprintf(d[i], sizeof(d[i]), "%s/s%d", base, i);
	test_order_and_ack(d[0]);
	test_torn_tail(d[1]);
	test_crc_mismatch(d[2]);
	test_cap(d[3]);
	for (int i = 0; i < 4; i++)
		rmtree(d[i]);
	rmdir(base);
	return done_testing();
}
