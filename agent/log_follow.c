#include "agent/log_follow.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/monotime.h"
#include "common/linebuf.h"
#include "storage/db.h"
#include "storage/store_logpos.h"

#define FOLLOW_BUF (256 * 1024)
#define FOLLOW_HEAD 512			/* bytes that recognise a file */
#define FOLLOW_GRACE_MS 2000		/* a renamed-away file is still read this long */
#define FOLLOW_DIR_SCAN 100000		/* directory entries looked at for a rotated file */

/* One open file: the current one, or the one just rotated away. */
struct follow_stream {
	int fd;
	uint64_t dev, ino;
	uint64_t read_pos;		/* file offset after the last byte read */
	struct linebuf lb;
	unsigned char head[FOLLOW_HEAD];
	uint32_t head_len;
};

struct follow_file {
	struct log_source src;
	char *path, *key;
	struct follow_stream cur, old;
	int64_t old_until_ms;
	struct store_logpos saved;	/* last position written */
	bool have_saved;
};

struct log_follow {
	struct follow_file *files;
	size_t n;
	int ino_fd;
	struct db *db;
	log_line_fn on_line;
	log_notice_fn on_notice;
	void *arg;
	struct log_follow_stats st;
};

static void notice(struct log_follow *lf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
notice(struct log_follow *lf, const char *fmt, ...)
{
	char msg[PATH_MAX + 256];
	va_list ap;
	if (!lf->on_notice)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lf->on_notice(lf->arg, msg);
}

static void
hash_head(const unsigned char *p, size_t n, unsigned char out[STORE_LOGPOS_HASH])
{
	unsigned int len = STORE_LOGPOS_HASH;
	if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1)
		memset(out, 0, STORE_LOGPOS_HASH);
}

static void
stream_close(struct follow_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	linebuf_reset(&s->lb);
	s->head_len = 0;
}

/* Opens path as a stream at offset 0; false when it cannot be read. */
static bool
stream_open(struct follow_stream *s, int dirfd, const char *path)
{
	struct stat sb;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return false;
	if (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
		close(fd);
		errno = EISDIR;
		return false;
	}
	stream_close(s);
	s->fd = fd;
	s->dev = sb.st_dev;
	s->ino = sb.st_ino;
	s->read_pos = 0;
	return true;
}

static void
stream_seek(struct follow_stream *s, uint64_t off)
{
	if (lseek(s->fd, (off_t)off, SEEK_SET) == (off_t)off)
		s->read_pos = off;
}

/* Does the file start with the bytes a saved position hashed? */
static bool
head_matches(int fd, const struct store_logpos *p)
{
	unsigned char buf[FOLLOW_HEAD], h[STORE_LOGPOS_HASH];
	if (p->head_len == 0)
		return true;
	if (p->head_len > FOLLOW_HEAD || pread(fd, buf, p->head_len, 0) != (ssize_t)p->head_len)
		return false;
	hash_head(buf, p->head_len, h);
	return memcmp(h, p->head_hash, STORE_LOGPOS_HASH) == 0;
}

static void
emit(struct log_follow *lf, struct follow_file *f, struct span line, bool cut)
{
	f->src.lineno++;
	lf->st.lines++;
	if (cut)
		lf->st.cut++;
	lf->on_line(lf->arg, &f->src, line, cut);
}

/*
 * Reads s to its current end or at most budget bytes (0 = no limit),
 * handing out whole lines; true when it stopped at the budget.
 */
static bool
stream_read_some(struct log_follow *lf, struct follow_file *f, struct follow_stream *s, size_t budget)
{
	struct span line;
	bool cut, more = false;
	size_t got = 0;

	if (s->fd < 0)
		return false;
	for (;;) {
		if (budget && got >= budget) {
			more = true;
			break;
		}
		size_t room;
		char *p = linebuf_space(&s->lb, &room);
		ssize_t n = read(s->fd, p, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			lf->st.read_errors++;
			notice(lf, "%s: read error: %s", f->path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		linebuf_added(&s->lb, (size_t)n);
		got += (size_t)n;
		s->read_pos += (uint64_t)n;
		lf->st.bytes += (uint64_t)n;
		while (linebuf_next(&s->lb, &line, &cut))
			emit(lf, f, line, cut);
	}
	if (s->head_len < FOLLOW_HEAD) {
		ssize_t h = pread(s->fd, s->head, FOLLOW_HEAD, 0);
		s->head_len = h > 0 ? (uint32_t)h : 0;
	}
	return more;
}

static void
stream_read(struct log_follow *lf, struct follow_file *f, struct follow_stream *s)
{
	(void)stream_read_some(lf, f, s, 0);
}

/* The last line of a file that will not grow any more. */
static void
stream_finish(struct log_follow *lf, struct follow_file *f, struct follow_stream *s)
{
	struct span line;
	stream_read(lf, f, s);
	if (linebuf_rest(&s->lb, &line))
		emit(lf, f, line, false);
	stream_close(s);
}

/* copytruncate: the file got shorter, or its first bytes changed. */
static void
check_truncated(struct log_follow *lf, struct follow_file *f)
{
	struct follow_stream *s = &f->cur;
	unsigned char buf[FOLLOW_HEAD];
	struct stat sb;
	bool rewritten = false;

	if (fstat(s->fd, &sb) != 0)
		return;
	if ((uint64_t)sb.st_size < s->read_pos)
		rewritten = true;
	else if (s->head_len > 0 && (pread(s->fd, buf, s->head_len, 0) != (ssize_t)s->head_len ||
	    memcmp(buf, s->head, s->head_len) != 0))
		rewritten = true;
	if (!rewritten)
		return;
	lf->st.truncations++;
	notice(lf, "%s: truncated (copytruncate?); reading it again from the start (%llu bytes were read before)",
	    f->path, (unsigned long long)s->read_pos);
	linebuf_reset(&s->lb);
	s->head_len = 0;
	stream_seek(s, 0);
}

/*
 * The file a saved position points to was rotated while we were stopped:
 * look for it by device and inode in the same directory (logrotate renames
 * auth.log to auth.log.1 next to it).
 */
static bool
find_rotated(struct follow_file *f, const struct store_logpos *p, struct follow_stream *s)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(f->path, '/');
	int n = slash ? snprintf(dir, sizeof(dir), "%.*s", (int)(slash - f->path), f->path) :
	    snprintf(dir, sizeof(dir), ".");
	bool found = false;
	size_t seen = 0;
	if (n < 0 || (size_t)n >= sizeof(dir))
		return false;
	if (dir[0] == '\0')
		dir[0] = '/', dir[1] = '\0';
	DIR *d = opendir(dir);
	if (!d)
		return false;
	struct dirent *e;
	while (!found && (e = readdir(d)) && seen++ < FOLLOW_DIR_SCAN) {
		struct stat sb;
		/* no d_ino shortcut: overlayfs may report other numbers there than stat */
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(sb.st_mode) || (uint64_t)sb.st_dev != p->dev || (uint64_t)sb.st_ino != p->inode ||
		    (uint64_t)sb.st_size < p->offset)
			continue;
		if (stream_open(s, dirfd(d), e->d_name) && head_matches(s->fd, p))
			found = true;
		else
			stream_close(s);
	}
	closedir(d);
	return found;
}

/* First open of a file: resume at its saved position when it is the same file. */
static void
file_start(struct log_follow *lf, struct follow_file *f, bool from_end)
{
	struct store_logpos p;
	bool have = lf->db && store_logpos_get(lf->db, f->key, &p) == MAMORI_OK;
	bool open_ok = stream_open(&f->cur, AT_FDCWD, f->path);

	if (have) {
		f->saved = p;
		f->have_saved = true;
	}
	if (!open_ok && errno != ENOENT)
		notice(lf, "%s: cannot open: %s; trying again", f->path, strerror(errno));
	if (have && open_ok && f->cur.dev == p.dev && f->cur.ino == p.inode) {
		struct stat sb;
		if (fstat(f->cur.fd, &sb) == 0 && (uint64_t)sb.st_size >= p.offset &&
		    head_matches(f->cur.fd, &p)) {
			stream_seek(&f->cur, p.offset);
			lf->st.resumed++;
			return;
		}
		lf->st.truncations++;
		notice(lf, "%s: rewritten while mamori was stopped; reading it from the start (was at %llu)",
		    f->path, (unsigned long long)p.offset);
		return;
	}
	if (have) {
		/* rotated (or deleted) while stopped: finish the old file first */
		if (find_rotated(f, &p, &f->old)) {
			stream_seek(&f->old, p.offset);
			lf->st.rotated_while_stopped++;
			notice(lf, "%s: rotated while mamori was stopped; reading the rest of the old file from %llu",
			    f->path, (unsigned long long)p.offset);
			stream_finish(lf, f, &f->old);
		} else {
			lf->st.lost_while_stopped++;
			notice(lf, "%s: rotated while mamori was stopped and the old file is gone "
			    "(compressed or deleted); lines after byte %llu of it were not read",
			    f->path, (unsigned long long)p.offset);
		}
		return;
	}
	if (open_ok && from_end) {
		off_t end = lseek(f->cur.fd, 0, SEEK_END);
		if (end > 0)
			f->cur.read_pos = (uint64_t)end;
	}
}

static bool
poll_file(struct log_follow *lf, struct follow_file *f, int64_t now)
{
	struct stat sb;

	if (f->old.fd >= 0) {
		stream_read(lf, f, &f->old);
		if (now >= f->old_until_ms)
			stream_finish(lf, f, &f->old);
	}
	if (f->cur.fd < 0) {
		if (!stream_open(&f->cur, AT_FDCWD, f->path))
			return false;
		notice(lf, "%s: appeared; reading it from the start", f->path);
	}
	check_truncated(lf, f);
	if (stream_read_some(lf, f, &f->cur, LOG_FOLLOW_ROUND))
		return true;	/* rotation is looked at once the file is read */
	if (stat(f->path, &sb) != 0 || ((uint64_t)sb.st_dev == f->cur.dev && (uint64_t)sb.st_ino == f->cur.ino))
		return false;	/* unchanged, or renamed away and not yet replaced */
	/* rotated by rename: the old file is read on for a while, the new from its start */
	lf->st.rotations++;
	if (f->old.fd >= 0)
		stream_finish(lf, f, &f->old);
	struct follow_stream t = f->old;
	f->old = f->cur;
	f->cur = t;
	f->old_until_ms = now + FOLLOW_GRACE_MS;
	return stream_open(&f->cur, AT_FDCWD, f->path) &&
	    stream_read_some(lf, f, &f->cur, LOG_FOLLOW_ROUND);
}

int
log_follow_new(const struct log_follow_opts *o, int year, int month, struct log_follow **out)
{
	struct log_follow *lf = calloc(1, sizeof(*lf));
	int rc = MAMORI_E_NOMEM;

	*out = NULL;
	if (!lf)
		return MAMORI_E_NOMEM;
	lf->ino_fd = -1;
	lf->db = o->db;
	lf->on_line = o->on_line;
	lf->on_notice = o->on_notice;
	lf->arg = o->arg;
	if (!(lf->files = calloc(o->npaths ? o->npaths : 1, sizeof(*lf->files))))
		goto out;
	for (size_t i = 0; i < o->npaths; i++) {
		struct follow_file *f = &lf->files[i];
		/* the saved position is keyed by the absolute path: the same file
		 * named from another directory is the same input */
		char cwd[PATH_MAX] = "";
		if (o->paths[i][0] != '/' && !getcwd(cwd, sizeof(cwd)))
			cwd[0] = '\0';
		size_t kl = strlen(cwd) + strlen(o->paths[i]) + 7;
		f->cur.fd = f->old.fd = -1;
		lf->n++;
		if (!(f->path = strdup(o->paths[i])) || !(f->key = malloc(kl)) ||
		    linebuf_init(&f->cur.lb, FOLLOW_BUF, LOG_MAX_LINE) != MAMORI_OK ||
		    linebuf_init(&f->old.lb, FOLLOW_BUF, LOG_MAX_LINE) != MAMORI_OK)
			goto out;
		snprintf(f->key, kl, "file:%s%s%s", cwd, cwd[0] ? "/" : "", o->paths[i]);
		f->src.name = f->path;
		decoder_ctx_init(&f->src.dc, year, month);
	}
	if (!o->no_inotify && (lf->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) >= 0) {
		lf->st.inotify = true;
		for (size_t i = 0; i < lf->n && lf->st.inotify; i++) {
			char dir[PATH_MAX];
			const char *slash = strrchr(lf->files[i].path, '/');
			int n = slash ? snprintf(dir, sizeof(dir), "%.*s", (int)(slash - lf->files[i].path),
			    lf->files[i].path) : snprintf(dir, sizeof(dir), ".");
			if (n >= 0 && dir[0] == '\0')
				dir[0] = '/', dir[1] = '\0';
			if (n < 0 || (size_t)n >= sizeof(dir) || inotify_add_watch(lf->ino_fd, dir,
			    IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
			    IN_CLOSE_WRITE | IN_ATTRIB | IN_ONLYDIR) < 0) {
				notice(lf, "%s: no inotify watch on its directory; polling only",
				    lf->files[i].path);
				lf->st.inotify = false;
			}
		}
		if (!lf->st.inotify) {
			close(lf->ino_fd);
			lf->ino_fd = -1;
		}
	}
	for (size_t i = 0; i < lf->n; i++)
		file_start(lf, &lf->files[i], o->from_end);
	*out = lf;
	lf = NULL;
	rc = MAMORI_OK;
out:
	log_follow_free(lf);
	return rc;
}

void
log_follow_free(struct log_follow *lf)
{
	if (!lf)
		return;
	for (size_t i = 0; i < lf->n; i++) {
		struct follow_file *f = &lf->files[i];
		stream_close(&f->old);
		stream_close(&f->cur);
		linebuf_release(&f->cur.lb);
		linebuf_release(&f->old.lb);
		free(f->path);
		free(f->key);
	}
	if (lf->ino_fd >= 0)
		close(lf->ino_fd);
	free(lf->files);
	free(lf);
}

void
log_follow_finish(struct log_follow *lf)
{
	for (size_t i = 0; i < lf->n; i++)
		if (lf->files[i].old.fd >= 0)
			stream_finish(lf, &lf->files[i], &lf->files[i].old);
}

int
log_follow_fd(const struct log_follow *lf)
{
	return lf->ino_fd;
}

bool
log_follow_poll(struct log_follow *lf)
{
	bool more = false;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int64_t now = monotime_ms();

	while (lf->ino_fd >= 0 && read(lf->ino_fd, buf, sizeof(buf)) > 0)
		;	/* which file changed does not matter: all are looked at */
	for (size_t i = 0; i < lf->n; i++)
		more |= poll_file(lf, &lf->files[i], now);
	return more;
}

int
log_follow_save(struct log_follow *lf, int64_t now)
{
	bool began = false;
	int rc = MAMORI_OK;

	if (!lf->db)
		return MAMORI_OK;
	/* inside the caller's transaction (a checkpoint of the detections'
	 * state): the positions commit with it */
	bool outer = db_in_tx(lf->db);
	for (size_t i = 0; i < lf->n && rc == MAMORI_OK; i++) {
		struct follow_file *f = &lf->files[i];
		struct follow_stream *s = &f->cur;
		struct store_logpos p = { 0 };
		if (s->fd < 0)
			continue;
		p.dev = s->dev;
		p.inode = s->ino;
		p.offset = s->read_pos - linebuf_pending(&s->lb);
		p.head_len = s->head_len;
		hash_head(s->head, s->head_len, p.head_hash);
		if (f->have_saved && f->saved.dev == p.dev && f->saved.inode == p.inode &&
		    f->saved.offset == p.offset && f->saved.head_len == p.head_len)
			continue;
		if (!began && !outer && (rc = db_begin(lf->db)) != MAMORI_OK)
			break;
		began = !outer;
		if ((rc = store_logpos_put(lf->db, f->key, &p, now)) == MAMORI_OK) {
			f->saved = p;
			f->have_saved = true;
		}
	}
	if (began) {
		if (rc == MAMORI_OK)
			rc = db_commit(lf->db);
		else
			db_rollback(lf->db);
	}
	return rc;
}

void
log_follow_stats(const struct log_follow *lf, struct log_follow_stats *st)
{
	*st = lf->st;
}
