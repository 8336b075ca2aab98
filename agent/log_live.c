#include "agent/log_live.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "agent/log_follow.h"
#include "agent/log_journal.h"
#include "agent/syslog_server.h"
#include "common/err.h"
#include "common/monotime.h"
#include "storage/db.h"

enum { PFD_SIG, PFD_FOLLOW, PFD_JOURNAL, PFD_FIXED };

static int
save_positions(const struct log_live *l)
{
	int rc = MAMORI_OK;
	if (l->follow)
		rc = log_follow_save(l->follow, (int64_t)time(NULL));
	if (l->journal && rc == MAMORI_OK)
		rc = log_journal_save(l->journal, (int64_t)time(NULL));
	return rc;
}

/* Read positions, and with checkpoint the detections' state with them. */
static void
save(const struct log_live *l, bool checkpoint)
{
	int rc = MAMORI_E_INVAL;
	if (checkpoint && l->on_checkpoint && l->db && (rc = db_begin(l->db)) == MAMORI_OK) {
		if ((rc = l->on_checkpoint(l->arg)) == MAMORI_OK)
			rc = save_positions(l);
		if (rc == MAMORI_OK)
			rc = db_commit(l->db);
		if (rc != MAMORI_OK)
			db_rollback(l->db);
	}
	if (checkpoint && l->on_checkpoint && l->db && rc != MAMORI_OK && l->on_save_error)
		l->on_save_error(l->arg, rc);
	if (rc != MAMORI_OK && (rc = save_positions(l)) != MAMORI_OK && l->on_save_error)
		l->on_save_error(l->arg, rc);
}

/*
 * Ends the open batch: the read positions join the transaction of the
 * batch's alerts (when it stored any), so the alerts and the positions
 * past the lines they came from commit together, and a crash loses or
 * repeats neither; then on_batch commits and flushes.
 */
static void
batch_end(const struct log_live *l, int64_t *batch_start)
{
	int rc;
	if (l->db && db_in_tx(l->db) && (rc = save_positions(l)) != MAMORI_OK && l->on_save_error)
		l->on_save_error(l->arg, rc);
	if (l->on_batch)
		l->on_batch(l->arg);
	*batch_start = 0;
}

/* After a round of reading: the batch ends when it is full or old enough. */
static void
batch_round(const struct log_live *l, int64_t *batch_start, int batch_ms)
{
	int64_t now = monotime_ms();
	if (!*batch_start)
		*batch_start = now;
	if (now - *batch_start >= batch_ms || (l->batch_full && l->batch_full(l->arg)))
		batch_end(l, batch_start);
}

int
log_live_run(const struct log_live *l)
{
	size_t nsys = l->syslog ? syslog_server_max_fds(l->syslog) : 0;
	struct pollfd *pfd = calloc(PFD_FIXED + nsys, sizeof(*pfd));
	sigset_t mask, old;
	int tick = l->tick_ms > 0 ? l->tick_ms : 1000, rc = MAMORI_OK;
	int64_t start = monotime_ms(), next_tick = start;
	int every = l->checkpoint_ms > 0 ? l->checkpoint_ms : 10000;
	int64_t next_checkpoint = start + every;
	int batch_ms = l->batch_ms > 0 ? l->batch_ms : 200;
	int64_t batch_start = 0;	/* monotonic ms the open batch began, 0: none */

	if (!pfd)
		return MAMORI_E_NOMEM;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, &old);
	pfd[PFD_SIG].fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	pfd[PFD_SIG].events = POLLIN;
	if (pfd[PFD_SIG].fd < 0) {
		rc = MAMORI_E_IO;
		goto out;
	}
	pfd[PFD_FOLLOW].fd = l->follow ? log_follow_fd(l->follow) : -1;
	pfd[PFD_FOLLOW].events = POLLIN;
	pfd[PFD_JOURNAL].fd = l->journal ? log_journal_fd(l->journal) : -1;
	pfd[PFD_JOURNAL].events = POLLIN;
	bool more = false;	/* an input stopped at its per-round budget */
	for (;;) {
		int64_t now = monotime_ms();
		if (l->duration_ms > 0 && now - start >= l->duration_ms)
			break;
		bool got = false;	/* read a round outside the tick */
		if (now >= next_tick || more) {
			/* the timer: polling fallback, files on filesystems without inotify;
			 * and inputs with more to read than one round's budget */
			more = false;
			if (l->follow)
				more |= log_follow_poll(l->follow);
			if (l->journal)
				more |= log_journal_poll(l->journal);
			got = true;
		}
		if (now >= next_tick) {
			got = false;
			if (l->syslog)
				syslog_server_tick(l->syslog);
			batch_end(l, &batch_start);
			save(l, now >= next_checkpoint);
			if (now >= next_checkpoint)
				next_checkpoint = now + every;
			next_tick = now + tick;
		}
		int64_t wait = more ? 0 : next_tick - now;
		if (batch_start && batch_start + batch_ms - now < wait)
			wait = batch_start + batch_ms - now;	/* an alert waits at most batch_ms */
		if (l->duration_ms > 0 && start + l->duration_ms - now < wait)
			wait = start + l->duration_ms - now;
		size_t ns = l->syslog ? syslog_server_pollfds(l->syslog, pfd + PFD_FIXED, nsys) : 0;
		int n = poll(pfd, PFD_FIXED + ns, wait < 0 ? 0 : (int)wait);
		if (n < 0 && errno != EINTR) {
			rc = MAMORI_E_IO;
			break;
		}
		if (n <= 0) {
			if (got || batch_start)
				batch_round(l, &batch_start, batch_ms);
			continue;
		}
		if (pfd[PFD_SIG].revents) {
			/* consumed here, or it would end the process when unblocked */
			struct signalfd_siginfo si;
			if (read(pfd[PFD_SIG].fd, &si, sizeof(si)) > 0)
				break;
		}
		if (pfd[PFD_FOLLOW].revents && l->follow)
			more |= log_follow_poll(l->follow);
		if (pfd[PFD_JOURNAL].revents && l->journal)
			more |= log_journal_poll(l->journal);
		if (ns)
			syslog_server_handle(l->syslog, pfd + PFD_FIXED, ns);
		batch_round(l, &batch_start, batch_ms);
	}
	if (l->follow)
		log_follow_finish(l->follow);
	if (l->syslog)
		syslog_server_close_all(l->syslog);
	batch_end(l, &batch_start);
	save(l, true);
out:
	if (pfd[PFD_SIG].fd >= 0)
		close(pfd[PFD_SIG].fd);
	free(pfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
