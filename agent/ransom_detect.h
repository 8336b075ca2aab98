/*
 * ransom_detect.h - ransomware behaviour, as pure logic over file events.
 *
 * The watcher (fim_watch.c) turns kernel events into struct ransom_event
 * (with an entropy sample of written files) and feeds them here; nothing
 * here touches the system, so the rules are tested with synthetic event
 * sequences. Per process, within a sliding window:
 *  - files rewritten with high-entropy content that does not start with a
 *    known compressed/media format (zstd, JPEG, ZIP/Office ... are high
 *    entropy by nature and not suspicious on their own),
 *  - renames that put a new extension on a file ("a.docx" ->
 *    "a.docx.locked"), not temp-file or log-rotation renames,
 *  - ransom-note names appearing in several directories,
 *  - files deleted (or moved away) under backup/snapshot paths, or a
 *    snapshot-removal command deleting anything (ransom_backup.h),
 *  - and at once: a canary file (planted by the watcher) written, renamed
 *    or deleted.
 */
#ifndef MAMORI_AGENT_RANSOM_DETECT_H
#define MAMORI_AGENT_RANSOM_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conf;

struct ransom_conf {
	unsigned burst_files;	/* suspicious writes + renames in the window */
	int64_t window_ms;
	double entropy_min;	/* bits per byte of the sample */
	size_t min_sample;	/* smaller samples say nothing */
	unsigned note_dirs;	/* same note in this many directories */
	unsigned backup_files;	/* deletions under backup paths in the window */
};

void ransom_conf_defaults(struct ransom_conf *c);
/* From the ransom.* keys of the configuration table. */
void ransom_conf_load(struct ransom_conf *c, const struct conf *conf);

struct ransom_sample {
	double entropy;		/* Shannon entropy, bits per byte */
	size_t len;		/* bytes sampled */
	bool known_format;	/* starts with a compressed/media magic */
};

/* Entropy over the head and tail samples together, magic from head. */
void ransom_sample_analyze(const unsigned char *head, size_t hn,
    const unsigned char *tail, size_t tn, struct ransom_sample *out);
double ransom_entropy(const unsigned char *p, size_t n);
bool ransom_known_format(const unsigned char *p, size_t n);
/* A ransom-note file name (basename). */
bool ransom_note_name(const char *name);
/* old -> new puts a new extension on the file; *ext gets it. */
bool ransom_ext_rename(const char *old_path, const char *new_path,
    const char **ext);

enum ransom_ev_kind { RE_WRITE, RE_RENAME, RE_CREATE, RE_DELETE };

struct ransom_event {
	int64_t ts_ms;			/* a monotonic clock (windows only) */
	int pid;			/* 0 = unknown (inotify) */
	enum ransom_ev_kind kind;
	const char *path;		/* the file (new name of a rename) */
	const char *old_path;		/* renames: the old name */
	bool sampled;
	struct ransom_sample sample;
	const char *cmdline;		/* deletions: the process's, or NULL */
};

enum ransom_reason {
	RANSOM_R_ENTROPY = 1 << 0,	/* high-entropy rewrites */
	RANSOM_R_RENAME = 1 << 1,	/* new extensions */
	RANSOM_R_NOTES = 1 << 2,	/* ransom notes in many directories */
	RANSOM_R_CANARY = 1 << 3,	/* a canary file was touched */
	RANSOM_R_BACKUP = 1 << 4,	/* backups or snapshots deleted */
};

#define RANSOM_MAX_FILES 20

struct ransom_verdict {
	int pid;
	unsigned reasons;
	int64_t first_ms, ts_ms;	/* first suspicious event, this one (events' clock) */
	unsigned writes, renames, note_dirs;
	unsigned files_total;		/* file events of this process */
	const char *files[RANSOM_MAX_FILES];
	size_t nfiles;
	const char *ext;		/* the new extension, if any */
	const char *note;		/* the note name, if any */
	const char *canary;		/* the canary touched, if any */
	unsigned backup_deletes;	/* under backup paths, in the window */
	bool backup_command;		/* by a snapshot-removal command */
};

struct ransom_proc;

struct ransom_detector {
	struct ransom_conf conf;
	struct ransom_proc *procs;	/* fixed table, least recently seen evicted */
	size_t nprocs;
	char **canaries;
	size_t ncanaries;
	char **backups;			/* backup/snapshot directories */
	size_t nbackups;
	struct ransom_verdict verdict;	/* the last one returned */
};

int ransom_detect_init(struct ransom_detector *d, const struct ransom_conf *c);
void ransom_detect_release(struct ransom_detector *d);
int ransom_detect_add_canary(struct ransom_detector *d, const char *path);
bool ransom_detect_is_canary(const struct ransom_detector *d, const char *path);
/* Deletions below path count as backup deletions. */
int ransom_detect_add_backup(struct ransom_detector *d, const char *path);
bool ransom_detect_in_backup(const struct ransom_detector *d, const char *path);
/*
 * Feeds one event. Returns a verdict (valid until the next call) the
 * first time a process crosses a threshold, and again only when a new
 * reason appears; NULL otherwise.
 */
const struct ransom_verdict *ransom_detect_feed(struct ransom_detector *d,
    const struct ransom_event *ev);
/* Forgets a process (after it was stopped). */
void ransom_detect_forget(struct ransom_detector *d, int pid);

#endif
