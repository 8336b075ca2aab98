#include "agent/spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "common/atomicfile.h"
#include "common/err.h"

#define SEG_MAX_BYTES (8u * 1024 * 1024)
#define GAP_SLACK 512	/* room kept for the gap event an overflow appends */

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t
rec_crc(uint64_t seq, const void *payload, size_t len)
{
	uint8_t b[8];
	put64(b, seq);
	uLong c = crc32(0L, Z_NULL, 0);
	c = crc32(c, b, sizeof(b));
	c = crc32_z(c, payload, len);
	return (uint32_t)c;
}

static void
seg_name(char *out, size_t outsz, uint64_t first)
{
	snprintf(out, outsz, "%020" PRIu64 ".seg", first);
}

static int
grow_rbuf(struct spool *s, size_t need)
{
	if (need <= s->rbufcap)
		return MAMORI_OK;
	size_t cap = s->rbufcap ? s->rbufcap : 4096;
	while (cap < need)
		cap *= 2;
	char *p = realloc(s->rbuf, cap);
	if (!p)
		return MAMORI_E_NOMEM;
	s->rbuf = p;
	s->rbufcap = cap;
	return MAMORI_OK;
}

/*
 * Reads the record at off into s->rbuf. 1: valid (seq, len set); 0: the
 * bytes there are not a whole, correct record with seq want.
 */
static int
read_record(struct spool *s, int fd, uint64_t off, uint64_t size, uint64_t want,
    uint32_t *len)
{
	uint8_t h[SPOOL_HEADER];
	if (off + SPOOL_HEADER > size || pread(fd, h, sizeof(h), (off_t)off) != (ssize_t)sizeof(h))
		return 0;
	uint32_t n = get32(h);
	if (n > SPOOL_RECORD_MAX || off + SPOOL_HEADER + n > size || get64(h + 8) != want)
		return 0;
	if (grow_rbuf(s, (size_t)n + 1) != MAMORI_OK)
		return -1;
	if (pread(fd, s->rbuf, n, (off_t)(off + SPOOL_HEADER)) != (ssize_t)n)
		return 0;
	if (rec_crc(want, s->rbuf, n) != get32(h + 4))
		return 0;
	s->rbuf[n] = '\0';
	*len = n;
	return 1;
}

static int
push_seg(struct spool *s, struct spool_seg seg)
{
	if (s->nseg == s->segcap) {
		size_t cap = s->segcap ? s->segcap * 2 : 16;
		struct spool_seg *p = realloc(s->segs, cap * sizeof(*p));
		if (!p)
			return MAMORI_E_NOMEM;
		s->segs = p;
		s->segcap = cap;
	}
	s->segs[s->nseg++] = seg;
	return MAMORI_OK;
}

/* A gap event's count, when payload is one (they start with our own prefix). */
static bool
gap_count(const char *p, size_t len, uint64_t *dropped)
{
	const char *k = memmem(p, len < 64 ? len : 64, "\"kind\":\"gap\"", 12);
	const char *d = k ? memmem(p, len, "\"dropped\":", 10) : NULL;
	if (!d)
		return false;
	*dropped = strtoull(d + 10, NULL, 10);
	return true;
}

static int
gap_push(struct spool *s, uint64_t seq, uint64_t dropped)
{
	if (s->ngaps == s->gapcap) {
		size_t cap = s->gapcap ? s->gapcap * 2 : 8;
		struct spool_gap *p = realloc(s->gaps, cap * sizeof(*p));
		if (!p)
			return MAMORI_E_NOMEM;
		s->gaps = p;
		s->gapcap = cap;
	}
	s->gaps[s->ngaps++] = (struct spool_gap){ seq, dropped };
	return MAMORI_OK;
}

/* Forgets gap events up to seq; returns how many there were in (from, seq]
 * and the sum of their counts. */
static uint64_t
gap_take(struct spool *s, uint64_t from, uint64_t to, uint64_t *sum)
{
	size_t k = 0;
	uint64_t n = 0;
	*sum = 0;
	for (size_t i = 0; i < s->ngaps; i++) {
		if (s->gaps[i].seq <= to) {
			if (s->gaps[i].seq > from) {
				n++;
				*sum += s->gaps[i].dropped;
			}
			continue;
		}
		s->gaps[k++] = s->gaps[i];
	}
	s->ngaps = k;
	return n;
}

/* Validates one segment, truncating at the first bad record. */
static int
recover_seg(struct spool *s, const char *name, uint64_t first, bool last)
{
	struct stat st;
	uint64_t off = 0, seq = first;
	uint32_t len;
	int fd = openat(s->dirfd, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW), r = 1;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return MAMORI_E_IO;
	}
	struct spool_seg seg = { .first = first, .last = first - 1 };
	while ((r = read_record(s, fd, off, (uint64_t)st.st_size, seq, &len)) == 1) {
		uint64_t dropped;
		if (gap_count(s->rbuf, len, &dropped) && gap_push(s, seq, dropped) != MAMORI_OK)
			r = -1;
		if (r < 0)
			break;
		off += SPOOL_HEADER + len;
		seg.last = seq++;
		seg.nrec++;
	}
	if (r < 0) {
		close(fd);
		return MAMORI_E_NOMEM;
	}
	if (off < (uint64_t)st.st_size) {
		/* A torn tail is an append that never completed (never synced,
		 * never sent); inside an older segment it is damage, counted when
		 * the next segment shows how many seqs are missing. */
		if (last)
			s->stats.torn_bytes += (uint64_t)st.st_size - off;
		if (ftruncate(fd, (off_t)off) != 0 || fsync(fd) != 0) {
			close(fd);
			return MAMORI_E_IO;
		}
	}
	close(fd);
	seg.bytes = off;
	if (seg.nrec == 0) {
		(void)unlinkat(s->dirfd, name, 0);
		return MAMORI_OK;
	}
	s->bytes += seg.bytes;
	return push_seg(s, seg);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int
read_acked(struct spool *s)
{
	char buf[32];
	int fd = openat(s->dirfd, "acked", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? MAMORI_OK : MAMORI_E_IO;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return MAMORI_OK;	/* a lost ack only means resending */
	buf[n] = '\0';
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(buf, &end, 10);
	if (!errno && end != buf && (*end == '\n' || *end == '\0'))
		s->acked = v;
	return MAMORI_OK;
}

static void
drop_reader(struct spool *s)
{
	if (s->rfd >= 0)
		close(s->rfd);
	s->rfd = -1;
	s->rseq = 0;
	s->last_read_seq = 0;
}

static uint64_t
seg_unacked(const struct spool *s, const struct spool_seg *g)
{
	if (g->nrec == 0 || g->last <= s->acked)
		return 0;
	return g->last - (g->first > s->acked ? g->first : s->acked + 1) + 1;
}

/* Removes segs[0] from disk and the list. */
static void
remove_oldest(struct spool *s)
{
	char name[32];
	seg_name(name, sizeof(name), s->segs[0].first);
	(void)unlinkat(s->dirfd, name, 0);
	s->dir_dirty = 1;
	if (s->rfd >= 0 && s->rseg_first == s->segs[0].first)
		drop_reader(s);
	s->bytes -= s->segs[0].bytes;
	memmove(s->segs, s->segs + 1, (s->nseg - 1) * sizeof(*s->segs));
	s->nseg--;
	if (s->nseg == 0 && s->wfd >= 0) {
		close(s->wfd);
		s->wfd = -1;
	}
}

static void
note_lost(struct spool *s, uint64_t n, uint64_t first, uint64_t last, const char *reason)
{
	if (n == 0)
		return;
	if (s->unreported == 0 || !s->lost_first || first < s->lost_first)
		s->lost_first = first;
	if (last > s->lost_last)
		s->lost_last = last;
	s->unreported += n;
	s->lost_reason = reason;
}

static int append_record(struct spool *s, const char *payload, size_t len, uint64_t *seq);

/* Appends the gap event for losses not yet reported. */
static int
report_lost(struct spool *s)
{
	char buf[320];
	if (s->unreported == 0)
		return MAMORI_OK;
	int64_t now = s->now_override ? s->now_override : (int64_t)time(NULL);
	int n = snprintf(buf, sizeof(buf),
	    "{\"ts\":%" PRId64 ",\"kind\":\"gap\",\"data\":{\"dropped\":%" PRIu64 ","
	    "\"first\":%" PRIu64 ",\"last\":%" PRIu64 ",\"reason\":\"%s\"}}",
	    now, s->unreported, s->lost_first, s->lost_last, s->lost_reason);
	uint64_t seq;
	int rc = append_record(s, buf, (size_t)n, &seq);
	if (rc == MAMORI_OK)
		rc = gap_push(s, seq, s->unreported);
	if (rc == MAMORI_OK) {
		s->stats.gap_events++;
		s->unreported = 0;
		s->lost_first = s->lost_last = 0;
	}
	return rc;
}

int
spool_open(struct spool *s, const char *dir, uint64_t cap)
{
	DIR *d = NULL;
	struct dirent *de;
	uint64_t *firsts = NULL;
	size_t n = 0, ncap = 0;
	int rc = MAMORI_E_IO;

	memset(s, 0, sizeof(*s));
	s->dirfd = s->lockfd = s->wfd = s->rfd = -1;
	s->cap = cap;
	s->seg_max = cap / 8 < SEG_MAX_BYTES ? cap / 8 : SEG_MAX_BYTES;
	if (s->seg_max < 4096)
		s->seg_max = 4096;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return MAMORI_E_IO;
	if ((s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return MAMORI_E_IO;
	s->lockfd = openat(s->dirfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (s->lockfd < 0)
		goto fail;
	if (flock(s->lockfd, LOCK_EX | LOCK_NB) != 0) {
		rc = errno == EWOULDBLOCK ? MAMORI_E_PERM : MAMORI_E_IO;
		goto fail;
	}
	if ((rc = read_acked(s)) != MAMORI_OK)
		goto fail;
	rc = MAMORI_E_IO;
	int dfd = dup(s->dirfd);
	if (dfd < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		goto fail;
	}
	while ((de = readdir(d))) {
		char *end = NULL;
		size_t l = strlen(de->d_name);
		if (l != 24 || strcmp(de->d_name + 20, ".seg") != 0)
			continue;
		errno = 0;
		unsigned long long first = strtoull(de->d_name, &end, 10);
		if (errno || end != de->d_name + 20 || first == 0)
			continue;
		if (n == ncap) {
			ncap = ncap ? ncap * 2 : 16;
			uint64_t *p = realloc(firsts, ncap * sizeof(*p));
			if (!p) {
				rc = MAMORI_E_NOMEM;
				goto fail;
			}
			firsts = p;
		}
		firsts[n++] = first;
	}
	if (n)
		qsort(firsts, n, sizeof(*firsts), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		char name[32];
		seg_name(name, sizeof(name), firsts[i]);
		if ((rc = recover_seg(s, name, firsts[i], i + 1 == n)) != MAMORI_OK)
			goto fail;
	}
	/* Seqs missing between segments were lost to damage (or, before the
	 * acked point, deleted normally). */
	for (size_t i = 0; i + 1 < s->nseg; i++) {
		uint64_t from = s->segs[i].last + 1, to = s->segs[i + 1].first - 1;
		if (from <= s->acked)
			from = s->acked + 1;
		if (to >= from) {
			s->stats.corrupt_records += to - from + 1;
			note_lost(s, to - from + 1, from, to, "spool_damaged");
		}
	}
	uint64_t sum;
	(void)gap_take(s, 0, s->acked, &sum);
	s->next_seq = s->acked + 1;
	if (s->nseg && s->segs[s->nseg - 1].last >= s->next_seq)
		s->next_seq = s->segs[s->nseg - 1].last + 1;
	/* Fully acknowledged segments are gone, except that the last one must
	 * never be appended to out of order. */
	while (s->nseg && s->segs[0].last <= s->acked)
		remove_oldest(s);
	if (s->nseg && s->segs[s->nseg - 1].bytes < s->seg_max) {
		char name[32];
		seg_name(name, sizeof(name), s->segs[s->nseg - 1].first);
		s->wfd = openat(s->dirfd, name, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
		if (s->wfd < 0)
			goto fail;
	}
	if ((rc = report_lost(s)) != MAMORI_OK || (rc = spool_sync(s)) != MAMORI_OK)
		goto fail;
	closedir(d);
	free(firsts);
	return MAMORI_OK;
fail:
	if (d)
		closedir(d);
	free(firsts);
	spool_close(s);
	return rc;
}

void
spool_close(struct spool *s)
{
	drop_reader(s);
	if (s->wfd >= 0)
		close(s->wfd);
	if (s->lockfd >= 0)
		close(s->lockfd);
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s->segs);
	free(s->rbuf);
	free(s->gaps);
	s->gaps = NULL;
	s->ngaps = s->gapcap = 0;
	s->segs = NULL;
	s->rbuf = NULL;
	s->nseg = 0;
	s->wfd = s->lockfd = s->dirfd = -1;
}

/* Drops the oldest segments until need more bytes fit under the cap. */
static void
make_room(struct spool *s, uint64_t need)
{
	while (s->nseg && s->bytes + need > s->cap) {
		if (s->nseg == 1 && s->wfd >= 0) {
			close(s->wfd);	/* the only segment: start a new one after it */
			s->wfd = -1;
		}
		struct spool_seg g = s->segs[0];
		uint64_t lost = seg_unacked(s, &g), carried = 0;
		/* Gap events dropped here are not events lost: their counts carry over. */
		uint64_t ngap = gap_take(s, s->acked, g.last, &carried);
		s->stats.dropped_records += lost - ngap;
		if (lost)
			note_lost(s, lost - ngap + carried, g.last - lost + 1, g.last, "spool_full");
		remove_oldest(s);
	}
}

static int
append_record(struct spool *s, const char *payload, size_t len, uint64_t *seq)
{
	uint8_t h[SPOOL_HEADER];
	struct spool_seg *g;

	if (s->wfd >= 0 && s->segs[s->nseg - 1].bytes >= s->seg_max) {
		close(s->wfd);
		s->wfd = -1;
	}
	if (s->wfd < 0) {
		char name[32];
		seg_name(name, sizeof(name), s->next_seq);
		s->wfd = openat(s->dirfd, name, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, 0600);
		if (s->wfd < 0)
			return MAMORI_E_IO;
		if (push_seg(s, (struct spool_seg){ .first = s->next_seq, .last = s->next_seq - 1 })) {
			close(s->wfd);
			s->wfd = -1;
			(void)unlinkat(s->dirfd, name, 0);
			return MAMORI_E_NOMEM;
		}
		s->dir_dirty = 1;
	}
	g = &s->segs[s->nseg - 1];
	put32(h, (uint32_t)len);
	put32(h + 4, rec_crc(s->next_seq, payload, len));
	put64(h + 8, s->next_seq);
	struct iovec iov[2] = { { h, sizeof(h) }, { (void *)(uintptr_t)payload, len } };
	ssize_t w = writev(s->wfd, iov, 2);
	if (w != (ssize_t)(sizeof(h) + len)) {
		int e = w < 0 ? errno : ENOSPC;
		/* Undo a partial record so the segment stays well-formed. */
		if (w > 0 && ftruncate(s->wfd, (off_t)g->bytes) != 0) {
			close(s->wfd);
			s->wfd = -1;	/* recovery will cut it */
		}
		errno = e;
		return MAMORI_E_IO;
	}
	g->bytes += sizeof(h) + len;
	g->last = s->next_seq;
	g->nrec++;
	s->bytes += sizeof(h) + len;
	*seq = s->next_seq++;
	return MAMORI_OK;
}

int
spool_append(struct spool *s, const char *payload, size_t len, uint64_t *seq)
{
	uint64_t need = SPOOL_HEADER + (uint64_t)len;
	if (len > SPOOL_RECORD_MAX || need + GAP_SLACK > s->cap / 2)
		return MAMORI_E_LIMIT;
	make_room(s, need + GAP_SLACK);
	if (report_lost(s) != MAMORI_OK) {
		s->stats.unspooled++;
		note_lost(s, 1, 0, 0, "spool_write_failed");
		return MAMORI_E_IO;
	}
	int rc = append_record(s, payload, len, seq);
	if (rc == MAMORI_E_IO) {
		int e = errno;
		s->stats.unspooled++;
		note_lost(s, 1, 0, 0, "spool_write_failed");
		errno = e;
	}
	return rc;
}

int
spool_sync(struct spool *s)
{
	if (s->wfd >= 0 && fdatasync(s->wfd) != 0)
		return MAMORI_E_IO;
	if (s->dir_dirty) {
		if (fsync(s->dirfd) != 0)
			return MAMORI_E_IO;
		s->dir_dirty = 0;
	}
	return MAMORI_OK;
}

static int
open_reader(struct spool *s, size_t i)
{
	char name[32];
	if (s->rfd >= 0 && s->rseg_first == s->segs[i].first)
		return MAMORI_OK;
	drop_reader(s);
	seg_name(name, sizeof(name), s->segs[i].first);
	if ((s->rfd = openat(s->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return MAMORI_E_IO;
	s->rseg_first = s->segs[i].first;
	return MAMORI_OK;
}

int
spool_read(struct spool *s, size_t max_records, size_t max_bytes,
    spool_record_fn fn, void *ctx)
{
	size_t count = 0, bytes = 0;
	uint64_t seq = s->acked + 1, off = 0;
	size_t i;
	uint32_t len;
	int rc;

	/* The first unacknowledged record: after a drop it may be further on. */
	for (i = 0; i < s->nseg && s->segs[i].last < seq; i++)
		;
	if (i == s->nseg)
		return MAMORI_OK;
	if (s->segs[i].first > seq)
		seq = s->segs[i].first;
	if (s->rfd >= 0 && s->rseg_first == s->segs[i].first && s->rseq == seq)
		off = s->roff;
	else if ((rc = open_reader(s, i)) != MAMORI_OK)
		return rc;
	else {
		/* Walk from the segment start to seq. */
		for (uint64_t q = s->segs[i].first; q < seq; q++) {
			int r = read_record(s, s->rfd, off, s->segs[i].bytes, q, &len);
			if (r != 1)
				return r < 0 ? MAMORI_E_NOMEM : MAMORI_E_PARSE;
			off += SPOOL_HEADER + len;
		}
		s->rseq = seq;
		s->roff = off;
	}
	while (count < max_records && (count == 0 || bytes < max_bytes)) {
		if (seq > s->segs[i].last) {
			if (++i == s->nseg)
				break;
			if ((rc = open_reader(s, i)) != MAMORI_OK)
				return rc;
			off = 0;
			seq = s->segs[i].first;
			s->rseq = seq;
			s->roff = 0;
		}
		int r = read_record(s, s->rfd, off, s->segs[i].bytes, seq, &len);
		if (r != 1)
			return r < 0 ? MAMORI_E_NOMEM : MAMORI_E_PARSE;
		if ((rc = fn(ctx, seq, s->rbuf, len)) != 0)
			return rc;
		off += SPOOL_HEADER + len;
		s->last_read_seq = seq;
		s->last_read_end = off;
		s->last_read_seg = s->segs[i].first;
		seq++;
		count++;
		bytes += len;
	}
	return MAMORI_OK;
}

static int
write_acked(struct spool *s, uint64_t seq)
{
	char buf[32], err[256];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", seq);
	/* Synced with its directory before any segment it covers is removed. */
	return atomicfile_write_mem_at(s->dirfd, "acked", 0600, buf, (size_t)n, err, sizeof(err));
}

int
spool_ack(struct spool *s, uint64_t seq)
{
	if (seq >= s->next_seq)
		seq = s->next_seq - 1;
	if (seq <= s->acked)
		return MAMORI_OK;
	/* The ack is written before anything is deleted: a crash in between
	 * leaves records that are skipped, never a hole. */
	int rc = write_acked(s, seq);
	if (rc != MAMORI_OK)
		return rc;
	s->acked = seq;
	uint64_t sum;
	(void)gap_take(s, 0, seq, &sum);
	if (s->rfd >= 0 && seq == s->last_read_seq && s->rseg_first == s->last_read_seg) {
		s->rseq = seq + 1;
		s->roff = s->last_read_end;
	}
	while (s->nseg && s->segs[0].last <= s->acked &&
	    (s->nseg > 1 || s->segs[0].last + 1 == s->next_seq))
		remove_oldest(s);
	return spool_sync(s);
}

uint64_t
spool_pending(const struct spool *s)
{
	uint64_t n = 0;
	for (size_t i = 0; i < s->nseg; i++)
		n += seg_unacked(s, &s->segs[i]);
	return n;
}
