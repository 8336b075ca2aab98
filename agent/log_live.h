/*
 * log_live.h - the loop of live log monitoring: waits on the inputs
 * (followed files, the journal, syslog listeners) and on SIGINT/SIGTERM,
 * reads what arrived, and saves read positions every tick and at the end.
 */
#ifndef MAMORI_AGENT_LOG_LIVE_H
#define MAMORI_AGENT_LOG_LIVE_H

#include <stdbool.h>
#include <stdint.h>

struct db;
struct log_follow;
struct log_journal;
struct syslog_server;

struct log_live {
	struct log_follow *follow;	/* each may be NULL */
	struct log_journal *journal;
	struct syslog_server *syslog;
	int tick_ms;			/* file polling and position saves (0 = 1000) */
	int64_t duration_ms;		/* 0 = until SIGINT/SIGTERM */
	/*
	 * Batches: the rounds of reading within batch_ms (0 = 200) of the
	 * first, or until batch_full says so, end with on_batch (flush output,
	 * commit what the batch stored). When the batch stored anything (a
	 * transaction is open on db), the read positions are written into its
	 * transaction first, so alerts and positions commit together.
	 */
	void (*on_batch)(void *arg);
	bool (*batch_full)(void *arg);	/* may be NULL */
	int batch_ms;
	void (*on_save_error)(void *arg, int err);
	/*
	 * Every checkpoint_ms (0 = 10 s) and at the end: writes the
	 * detections' state into db in one transaction with the read
	 * positions. Positions are saved every tick besides, so after a
	 * kill -9 what was read since the last checkpoint is not read again
	 * and its counts are lost; nothing is counted twice.
	 */
	int (*on_checkpoint)(void *arg);
	struct db *db;
	int checkpoint_ms;
	void *arg;
};

/* Returns 0 after a signal or the duration, or a negative error. */
int log_live_run(const struct log_live *l);

#endif
