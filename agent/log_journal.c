#include "agent/log_journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/lib_journal.h"
#include "common/err.h"
#include "storage/db.h"
#include "storage/store_logpos.h"

#define JOURNAL_FIELD_MAX 256		/* host, identifier, pid */

struct log_journal {
	struct lib_journal sd;
	sd_journal *j;
	struct log_source src;
	char key[STORE_LOGPOS_CURSOR];
	char cursor[STORE_LOGPOS_CURSOR];	/* of the last entry read; "" = none */
	char saved[STORE_LOGPOS_CURSOR];	/* last cursor written to the database */
	struct db *db;
	log_line_fn on_line;
	log_notice_fn on_notice;
	void *arg;
	char *line;				/* LOG_MAX_LINE + header room */
	struct log_journal_stats st;
};

#define JOURNAL_LINE_CAP (LOG_MAX_LINE + 3 * JOURNAL_FIELD_MAX + 64)

/* The value of FIELD= in the current entry, or false. */
static bool
field(const struct log_journal *lj, const char *name, struct span *out)
{
	const void *d;
	size_t len, nl = strlen(name);
	if (lj->sd.get_data(lj->j, name, &d, &len) < 0 || len <= nl || ((const char *)d)[nl] != '=')
		return false;
	*out = (struct span){ (const char *)d + nl + 1, len - nl - 1 };
	return true;
}

/* Appends s (at most max bytes, newlines as spaces) at line[*at]. */
static void
put(char *line, size_t *at, struct span s, size_t max)
{
	size_t n = s.len < max ? s.len : max;
	for (size_t i = 0; i < n; i++)
		line[*at + i] = s.p[i] == '\n' || s.p[i] == '\r' ? ' ' : s.p[i];
	*at += n;
}

static void
read_entry(struct log_journal *lj)
{
	struct span msg, host, ident, pid;
	uint64_t usec = 0;
	size_t at = 0;
	bool cut = false;
	struct tm tm;
	char ts[40];

	if (!field(lj, "MESSAGE", &msg)) {
		lj->st.no_message++;
		return;
	}
	if (!field(lj, "_HOSTNAME", &host))
		host = SPAN_LIT("localhost");
	if (!field(lj, "SYSLOG_IDENTIFIER", &ident) && !field(lj, "_COMM", &ident))
		ident = SPAN_LIT("unknown");
	if (!field(lj, "SYSLOG_PID", &pid) && !field(lj, "_PID", &pid))
		pid = (struct span){ "", 0 };
	lj->sd.get_realtime_usec(lj->j, &usec);
	time_t secs = (time_t)(usec / 1000000);
	gmtime_r(&secs, &tm);
	int n = snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(usec % 1000000));
	put(lj->line, &at, (struct span){ ts, (size_t)n }, sizeof(ts));
	put(lj->line, &at, host, JOURNAL_FIELD_MAX);
	lj->line[at++] = ' ';
	put(lj->line, &at, ident, JOURNAL_FIELD_MAX);
	if (pid.len) {
		lj->line[at++] = '[';
		put(lj->line, &at, pid, JOURNAL_FIELD_MAX);
		lj->line[at++] = ']';
	}
	lj->line[at++] = ':';
	lj->line[at++] = ' ';
	if (msg.len > LOG_MAX_LINE) {
		cut = true;
		lj->st.cut++;
	}
	put(lj->line, &at, msg, LOG_MAX_LINE);
	lj->st.entries++;
	lj->src.lineno++;
	lj->on_line(lj->arg, &lj->src, (struct span){ lj->line, at }, cut);
}

bool
log_journal_poll(struct log_journal *lj)
{
	int r = 0;
	lj->sd.process(lj->j);
	for (int k = 0; k < LOG_JOURNAL_ROUND && (r = lj->sd.next(lj->j)) > 0; k++) {
		char *c = NULL;
		read_entry(lj);
		if (lj->sd.get_cursor(lj->j, &c) >= 0 && strlen(c) < sizeof(lj->cursor))
			memcpy(lj->cursor, c, strlen(c) + 1);
		free(c);
	}
	return r > 0;
}

int
log_journal_new(const struct log_journal_opts *o, int year, int month, struct log_journal **out,
    char *err, size_t errsz)
{
	struct log_journal *lj = calloc(1, sizeof(*lj));
	struct store_logpos p;
	int r, rc = MAMORI_E_NOMEM;

	*out = NULL;
	if (!lj || !(lj->line = malloc(JOURNAL_LINE_CAP)))
		goto out;
	lj->db = o->db;
	lj->on_line = o->on_line;
	lj->on_notice = o->on_notice;
	lj->arg = o->arg;
	snprintf(lj->key, sizeof(lj->key), "journal:%s", o->dir ? o->dir : "");
	lj->src.name = "journal";
	decoder_ctx_init(&lj->src.dc, year, month);
	if ((rc = lib_journal_open(&lj->sd, err, errsz)) != MAMORI_OK)
		goto out;
	r = o->dir ? lj->sd.open_directory(&lj->j, o->dir, 0) :
	    lj->sd.open(&lj->j, SD_JOURNAL_LOCAL_ONLY);
	if (r < 0) {
		snprintf(err, errsz, "%s", strerror(-r));
		rc = MAMORI_E_IO;
		goto out;
	}
	if (lj->db && store_logpos_get(lj->db, lj->key, &p) == MAMORI_OK && p.cursor[0]) {
		memcpy(lj->saved, p.cursor, sizeof(lj->saved));
		memcpy(lj->cursor, p.cursor, sizeof(lj->cursor));
		if (lj->sd.seek_cursor(lj->j, p.cursor) < 0) {
			if (lj->on_notice)
				lj->on_notice(lj->arg, "journal: the saved position cannot be used; reading from the oldest entry");
			lj->sd.seek_head(lj->j);
		} else {
			/* the saved cursor names the last entry read: step onto it so the
			 * next read starts after it; if it was vacuumed, step back */
			if (lj->sd.next(lj->j) > 0 && lj->sd.test_cursor(lj->j, p.cursor) <= 0)
				lj->sd.previous(lj->j);
			lj->st.resumed = true;
		}
	} else if (o->from_end) {
		lj->sd.seek_tail(lj->j);
		lj->sd.previous(lj->j);
	} else {
		lj->sd.seek_head(lj->j);
	}
	*out = lj;
	lj = NULL;
	rc = MAMORI_OK;
out:
	log_journal_free(lj);
	return rc;
}

void
log_journal_free(struct log_journal *lj)
{
	if (!lj)
		return;
	if (lj->j)
		lj->sd.close(lj->j);
	free(lj->line);
	free(lj);
}

int
log_journal_fd(struct log_journal *lj)
{
	int fd = lj->sd.get_fd(lj->j);
	return fd < 0 ? -1 : fd;
}

int
log_journal_save(struct log_journal *lj, int64_t now)
{
	struct store_logpos p = { 0 };
	int rc;
	if (!lj->db || !lj->cursor[0] || strcmp(lj->cursor, lj->saved) == 0)
		return MAMORI_OK;
	memcpy(p.cursor, lj->cursor, sizeof(p.cursor));
	if ((rc = store_logpos_put(lj->db, lj->key, &p, now)) == MAMORI_OK)
		memcpy(lj->saved, lj->cursor, sizeof(lj->saved));
	return rc;
}

void
log_journal_stats(const struct log_journal *lj, struct log_journal_stats *st)
{
	*st = lj->st;
}
