#include "agent/ransom_detect.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/ransom_backup.h"
#include "common/conf.h"
#include "common/err.h"

#define MAX_PROCS 64
#define MAX_BURST 1024
#define MAX_NOTE_DIRS 16

struct ransom_proc {
	int pid;
	bool used;
	int64_t last_ms, first_ms;
	unsigned reported;		/* reasons already returned */
	int64_t ring[MAX_BURST];	/* times of suspicious events */
	unsigned ring_n, ring_head;
	unsigned writes, renames, files_total;
	char *files[RANSOM_MAX_FILES];
	size_t nfiles;
	char ext[32];
	char note[64];
	char *note_dirs[MAX_NOTE_DIRS];
	unsigned nnote_dirs;
	int64_t note_ms;
	unsigned backup_deletes;
	int64_t backup_first_ms;
	bool backup_command;
};

void
ransom_conf_defaults(struct ransom_conf *c)
{
	c->burst_files = 10;
	c->window_ms = 10000;
	c->entropy_min = 7.5;
	c->min_sample = 512;
	c->note_dirs = 3;
	c->backup_files = 5;
}

void
ransom_conf_load(struct ransom_conf *c, const struct conf *conf)
{
	ransom_conf_defaults(c);
	if (!conf)
		return;
	c->burst_files = (unsigned)conf_int(conf, CONF_RANSOM_BURST_FILES);
	c->window_ms = conf_int(conf, CONF_RANSOM_WINDOW_MS);
	c->entropy_min = (double)conf_int(conf, CONF_RANSOM_ENTROPY_MIN_CENTIBITS) / 100.0;
	c->note_dirs = (unsigned)conf_int(conf, CONF_RANSOM_NOTE_DIRS);
	c->backup_files = (unsigned)conf_int(conf, CONF_RANSOM_BACKUP_FILES);
	c->min_sample = (size_t)conf_int(conf, CONF_RANSOM_MIN_SAMPLE_BYTES);
}

double
ransom_entropy(const unsigned char *p, size_t n)
{
	unsigned cnt[256] = { 0 };
	double h = 0;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		cnt[p[i]]++;
	for (int i = 0; i < 256; i++) {
		if (!cnt[i])
			continue;
		double q = (double)cnt[i] / (double)n;
		h -= q * log2(q);
	}
	return h;
}

/* Formats that are high-entropy by nature: compressed archives, images,
 * audio/video, Office (ZIP), PDF (deflate streams), packages. */
bool
ransom_known_format(const unsigned char *p, size_t n)
{
	static const struct { size_t off; size_t len; const char *m; } magics[] = {
		{ 0, 2, "\x1f\x8b" },			/* gzip */
		{ 0, 4, "\x28\xb5\x2f\xfd" },		/* zstd */
		{ 0, 6, "\xfd" "7zXZ\x00" },		/* xz */
		{ 0, 3, "BZh" },			/* bzip2 */
		{ 0, 4, "\x04\x22\x4d\x18" },		/* lz4 */
		{ 0, 4, "PK\x03\x04" },			/* zip, docx, xlsx, jar, odt */
		{ 0, 4, "PK\x05\x06" },			/* empty zip */
		{ 0, 6, "7z\xbc\xaf\x27\x1c" },		/* 7z */
		{ 0, 4, "Rar!" },			/* rar */
		{ 0, 3, "\xff\xd8\xff" },		/* jpeg */
		{ 0, 8, "\x89PNG\r\n\x1a\n" },		/* png */
		{ 0, 4, "GIF8" },			/* gif */
		{ 0, 4, "RIFF" },			/* webp, avi, wav */
		{ 4, 4, "ftyp" },			/* mp4, mov, heic, m4a */
		{ 0, 4, "\x1a\x45\xdf\xa3" },		/* mkv, webm */
		{ 0, 4, "OggS" },			/* ogg, opus */
		{ 0, 4, "fLaC" },			/* flac */
		{ 0, 3, "ID3" },			/* mp3 */
		{ 0, 2, "\xff\xfb" },			/* mp3 frame */
		{ 0, 5, "%PDF-" },			/* pdf */
		{ 0, 4, "\xed\xab\xee\xdb" },		/* rpm */
		{ 0, 8, "!<arch>\n" },			/* deb, ar */
		{ 0, 4, "MSCF" },			/* cab */
		{ 0, 4, "II*\x00" },			/* tiff, raw photos */
		{ 0, 4, "MM\x00*" },			/* tiff */
		{ 0, 4, "\x00\x00\x00\x0c" },		/* jpeg 2000 */
		{ 0, 4, "wOFF" },			/* woff */
		{ 0, 4, "wOF2" },			/* woff2 */
		{ 0, 2, "\x78\x9c" },			/* zlib (git objects) */
		{ 0, 2, "\x78\x01" },
		{ 0, 2, "\x78\xda" },
		{ 0, 4, "\x89HDF" },
		{ 0, 8, "SQLite f" },			/* sqlite (not high entropy, but ours) */
		{ 0, 5, "-----" },			/* PEM, PGP armour */
		{ 0, 4, "\x85\x01\x0c\x03" },		/* gpg binary (user's own encryption) */
	};
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		if (n >= magics[i].off + magics[i].len &&
		    memcmp(p + magics[i].off, magics[i].m, magics[i].len) == 0)
			return true;
	}
	return false;
}

void
ransom_sample_analyze(const unsigned char *head, size_t hn,
    const unsigned char *tail, size_t tn, struct ransom_sample *out)
{
	unsigned cnt[256] = { 0 };
	size_t n = hn + tn;
	double h = 0;
	for (size_t i = 0; i < hn; i++)
		cnt[head[i]]++;
	for (size_t i = 0; i < tn; i++)
		cnt[tail[i]]++;
	for (int i = 0; i < 256 && n; i++) {
		if (!cnt[i])
			continue;
		double q = (double)cnt[i] / (double)n;
		h -= q * log2(q);
	}
	out->entropy = h;
	out->len = n;
	out->known_format = ransom_known_format(head, hn);
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Lower-case letters and digits only: "!!!HOW_TO_DECRYPT!!!.txt" ->
 * "howtodecrypttxt". */
static void
squash(const char *s, char *out, size_t n)
{
	size_t k = 0;
	for (; *s && k + 1 < n; s++)
		if (isalnum((unsigned char)*s))
			out[k++] = (char)tolower((unsigned char)*s);
	out[k] = '\0';
}

bool
ransom_note_name(const char *name)
{
	/* Names and name parts used by the families IPA and JPCERT list
	 * most often (LockBit, Conti, Phobos, STOP/Djvu, WannaCry, Akira). */
	static const char *const parts[] = {
		"decrypt", "ransom", "restoremyfiles", "recoverfiles",
		"recoveryourfiles", "howtorecover", "howtorestore", "howtoback",
		"yourfilesare", "filesencrypted", "pleasereadme", "readmewarning",
		"readforrestore", "unlockfiles", "restorefiles", "helpdecrypt",
		"readmelock", "akirareadme",
	};
	char sq[256];
	const char *b = base_name(name);
	if (strcmp(b, "_readme.txt") == 0 || strcmp(b, "!README!.txt") == 0 ||
	    strcmp(b, "info.hta") == 0)
		return true;
	squash(b, sq, sizeof(sq));
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strstr(sq, parts[i]))
			return true;
	return false;
}

static bool
all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

bool
ransom_ext_rename(const char *old_path, const char *new_path, const char **ext)
{
	/* Temp-file, backup and rotation suffixes that tools add or drop by
	 * the thousand: rsync ".name.XXXXXX", dpkg, editors, logrotate. */
	static const char *const benign[] = { "tmp", "temp", "part", "partial",
		"crdownload", "swp", "bak", "old", "orig", "new", "dpkg-new",
		"dpkg-old", "dpkg-tmp", "dpkg-dist", "ucf-old", "save", "gz",
		"xz", "bz2", "zst", "lz4", "rej", "lock" };
	const char *ob = base_name(old_path), *nb = base_name(new_path);
	size_t ol = strlen(ob);

	if (ob[0] == '.' || strncmp(nb, ob, ol) != 0 || nb[ol] != '.')
		return false;
	/* "a.docx" -> "a.docx.<ext>" (possibly "a.docx.id-1234.[mail].ext"):
	 * the last extension is what the family names itself. */
	const char *e = strrchr(nb + ol, '.') + 1;
	if (!*e || all_digits(e) || strlen(e) > 30)
		return false;
	for (size_t i = 0; i < sizeof(benign) / sizeof(benign[0]); i++)
		if (strcasecmp(e, benign[i]) == 0)
			return false;
	if (ext)
		*ext = e;
	return true;
}

int
ransom_detect_init(struct ransom_detector *d, const struct ransom_conf *c)
{
	memset(d, 0, sizeof(*d));
	if (c)
		d->conf = *c;
	else
		ransom_conf_defaults(&d->conf);
	if (d->conf.burst_files < 1)
		d->conf.burst_files = 1;
	if (d->conf.burst_files > MAX_BURST)
		d->conf.burst_files = MAX_BURST;
	d->procs = calloc(MAX_PROCS, sizeof(*d->procs));
	if (!d->procs)
		return MAMORI_E_NOMEM;
	d->nprocs = MAX_PROCS;
	return MAMORI_OK;
}

static void
proc_clear(struct ransom_proc *p)
{
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	for (unsigned i = 0; i < p->nnote_dirs; i++)
		free(p->note_dirs[i]);
	memset(p, 0, sizeof(*p));
}

void
ransom_detect_release(struct ransom_detector *d)
{
	for (size_t i = 0; i < d->nprocs; i++)
		proc_clear(&d->procs[i]);
	free(d->procs);
	for (size_t i = 0; i < d->ncanaries; i++)
		free(d->canaries[i]);
	free(d->canaries);
	for (size_t i = 0; i < d->nbackups; i++)
		free(d->backups[i]);
	free(d->backups);
	memset(d, 0, sizeof(*d));
}

/* Appends a copy of path to a list of strings. */
static int
add_path(char ***list, size_t *n, const char *path)
{
	char **v = realloc(*list, (*n + 1) * sizeof(*v));
	if (!v)
		return MAMORI_E_NOMEM;
	*list = v;
	if (!(v[*n] = strdup(path)))
		return MAMORI_E_NOMEM;
	(*n)++;
	return MAMORI_OK;
}

int
ransom_detect_add_backup(struct ransom_detector *d, const char *path)
{
	int rc = add_path(&d->backups, &d->nbackups, path);
	if (rc)
		return rc;
	/* "/x/" and "/x" are one directory. */
	char *b = d->backups[d->nbackups - 1];
	for (size_t n = strlen(b); n > 1 && b[n - 1] == '/'; n--)
		b[n - 1] = '\0';
	return MAMORI_OK;
}

bool
ransom_detect_in_backup(const struct ransom_detector *d, const char *path)
{
	if (!path)
		return false;
	for (size_t i = 0; i < d->nbackups; i++) {
		size_t n = strlen(d->backups[i]);
		if (strncmp(path, d->backups[i], n) == 0 && path[n] == '/')
			return true;
	}
	return false;
}

/* A deletion of a backup (or moving one away): the Linux counterpart of
 * deleting shadow copies. Backup tools pruning their own old backups are
 * not counted; snapshot-removal commands count at once. */
static bool
backup_deleted(struct ransom_detector *d, struct ransom_proc *p, const struct ransom_event *ev)
{
	bool cmd = ransom_backup_command(ev->cmdline);
	if (!cmd && !ransom_detect_in_backup(d, ev->kind == RE_RENAME ? ev->old_path : ev->path))
		return false;
	if (cmd) {
		p->backup_command = true;
		p->backup_deletes++;
		return true;
	}
	if (ransom_backup_tool(ev->cmdline))
		return false;
	if (!p->backup_deletes || ev->ts_ms - p->backup_first_ms > d->conf.window_ms) {
		p->backup_deletes = 0;
		p->backup_first_ms = ev->ts_ms;
	}
	return ++p->backup_deletes >= d->conf.backup_files;
}

int
ransom_detect_add_canary(struct ransom_detector *d, const char *path)
{
	return add_path(&d->canaries, &d->ncanaries, path);
}

bool
ransom_detect_is_canary(const struct ransom_detector *d, const char *path)
{
	if (!path)
		return false;
	for (size_t i = 0; i < d->ncanaries; i++)
		if (strcmp(d->canaries[i], path) == 0)
			return true;
	return false;
}

void
ransom_detect_forget(struct ransom_detector *d, int pid)
{
	for (size_t i = 0; i < d->nprocs; i++)
		if (d->procs[i].used && d->procs[i].pid == pid)
			proc_clear(&d->procs[i]);
}

static struct ransom_proc *
proc_get(struct ransom_detector *d, int pid, int64_t now)
{
	struct ransom_proc *free_slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < d->nprocs; i++) {
		struct ransom_proc *p = &d->procs[i];
		if (p->used && p->pid == pid)
			return p;
		if (!p->used && !free_slot)
			free_slot = p;
		if (p->used && (!oldest || p->last_ms < oldest->last_ms))
			oldest = p;
	}
	struct ransom_proc *p = free_slot ? free_slot : oldest;
	proc_clear(p);
	p->used = true;
	p->pid = pid;
	p->first_ms = now;
	return p;
}

static void
touch_file(struct ransom_proc *p, const char *path)
{
	p->files_total++;
	if (p->nfiles < RANSOM_MAX_FILES) {
		for (size_t i = 0; i < p->nfiles; i++)
			if (strcmp(p->files[i], path) == 0)
				return;
		char *c = strdup(path);
		if (c)
			p->files[p->nfiles++] = c;
	}
}

/* Records a suspicious event; true when the burst threshold is crossed. */
static bool
suspicious(struct ransom_detector *d, struct ransom_proc *p, int64_t ts)
{
	unsigned k = d->conf.burst_files;
	if (p->ring_n == 0)
		p->first_ms = ts;
	p->ring[p->ring_head] = ts;
	p->ring_head = (p->ring_head + 1) % k;
	if (p->ring_n < k)
		p->ring_n++;
	if (p->ring_n < k)
		return false;
	/* The oldest of the last k events is the one just overwritten next. */
	int64_t oldest = p->ring[p->ring_head];
	return ts - oldest <= d->conf.window_ms;
}

static void
note_seen(struct ransom_detector *d, struct ransom_proc *p, const char *path,
    int64_t ts)
{
	const char *b = base_name(path);
	size_t dl = (size_t)(b - path);
	if (p->nnote_dirs && ts - p->note_ms > d->conf.window_ms) {
		for (unsigned i = 0; i < p->nnote_dirs; i++)
			free(p->note_dirs[i]);
		p->nnote_dirs = 0;
	}
	p->note_ms = ts;
	for (unsigned i = 0; i < p->nnote_dirs; i++)
		if (strlen(p->note_dirs[i]) == dl && memcmp(p->note_dirs[i], path, dl) == 0)
			return;
	if (p->nnote_dirs < MAX_NOTE_DIRS) {
		char *c = strndup(path, dl);
		if (c)
			p->note_dirs[p->nnote_dirs++] = c;
	}
	snprintf(p->note, sizeof(p->note), "%s", b);
}

const struct ransom_verdict *
ransom_detect_feed(struct ransom_detector *d, const struct ransom_event *ev)
{
	struct ransom_proc *p;
	unsigned now_reasons = 0;
	const char *canary = NULL;

	if (!ev->path)
		return NULL;
	p = proc_get(d, ev->pid, ev->ts_ms);
	p->last_ms = ev->ts_ms;
	if (ev->kind != RE_CREATE)
		touch_file(p, ev->path);

	if (ransom_detect_is_canary(d, ev->path))
		canary = ev->path;
	else if (ev->kind == RE_RENAME && ransom_detect_is_canary(d, ev->old_path))
		canary = ev->old_path;
	if (canary && ev->kind != RE_CREATE)
		now_reasons |= RANSOM_R_CANARY;

	switch (ev->kind) {
	case RE_WRITE:
		if (ev->sampled && ev->sample.len >= d->conf.min_sample &&
		    !ev->sample.known_format &&
		    ev->sample.entropy >= d->conf.entropy_min) {
			p->writes++;
			if (suspicious(d, p, ev->ts_ms))
				now_reasons |= RANSOM_R_ENTROPY;
		}
		/* A note is written, too. */
		__attribute__((fallthrough));
	case RE_CREATE:
		if (ransom_note_name(ev->path)) {
			note_seen(d, p, ev->path, ev->ts_ms);
			if (p->nnote_dirs >= d->conf.note_dirs)
				now_reasons |= RANSOM_R_NOTES;
		}
		break;
	case RE_RENAME: {
		const char *ext;
		if (ev->old_path && ransom_ext_rename(ev->old_path, ev->path, &ext)) {
			p->renames++;
			snprintf(p->ext, sizeof(p->ext), "%s", ext);
			if (suspicious(d, p, ev->ts_ms))
				now_reasons |= RANSOM_R_RENAME;
		}
		if (ransom_note_name(ev->path)) {
			note_seen(d, p, ev->path, ev->ts_ms);
			if (p->nnote_dirs >= d->conf.note_dirs)
				now_reasons |= RANSOM_R_NOTES;
		}
		break;
	}
	case RE_DELETE:
		if (backup_deleted(d, p, ev))
			now_reasons |= RANSOM_R_BACKUP;
		break;
	}
	/* Moving backups out of their directory counts like deleting them. */
	if (ev->kind == RE_RENAME && ev->old_path && !ransom_detect_in_backup(d, ev->path) &&
	    backup_deleted(d, p, ev))
		now_reasons |= RANSOM_R_BACKUP;
	/* The burst counts writes and renames together: a family that
	 * encrypts in place and renames gives both per file. */
	if (now_reasons & (RANSOM_R_ENTROPY | RANSOM_R_RENAME)) {
		if (p->writes)
			now_reasons |= RANSOM_R_ENTROPY;
		if (p->renames)
			now_reasons |= RANSOM_R_RENAME;
	}
	if (!(now_reasons & ~p->reported))
		return NULL;
	p->reported |= now_reasons;

	struct ransom_verdict *v = &d->verdict;
	memset(v, 0, sizeof(*v));
	v->pid = p->pid;
	v->reasons = p->reported;
	v->first_ms = p->first_ms;
	v->ts_ms = ev->ts_ms;
	v->writes = p->writes;
	v->renames = p->renames;
	v->note_dirs = p->nnote_dirs;
	v->files_total = p->files_total;
	for (size_t i = 0; i < p->nfiles; i++)
		v->files[i] = p->files[i];
	v->nfiles = p->nfiles;
	v->ext = p->ext[0] ? p->ext : NULL;
	v->note = p->note[0] ? p->note : NULL;
	v->canary = canary;
	v->backup_deletes = p->backup_deletes;
	v->backup_command = p->backup_command;
	return v;
}
