#include "manager/notify.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "manager/notify_msg.h"
#include "manager/notify_route.h"
#include "storage/db.h"
#include "storage/store_alert.h"

#define DUE_MAX 1000		/* deliveries looked at per channel and pass */
#define ERR_MAX 256
#define CLAIM_MS (15LL * 60 * 1000)	/* a try that never recorded its end is retried after this */

struct run {
	struct db *db;
	const struct notify_config *cfg;
	int64_t now;
	struct notify_stats *st;
	struct store_notify_due *due, *pick;
	struct notify_msg *msg;
	bool down;		/* the channel's receiver failed in this pass */
};

struct add_ctx {
	struct notify_msg *m;
	bool resolved;
	int rc;
};

static int
add_alert(void *ctx, const struct store_alert_row *r)
{
	struct add_ctx *a = ctx;
	if (strcmp(r->state, "resolved") == 0) {
		a->resolved = true;
		return 0;
	}
	return a->rc = notify_msg_add(a->m, r);
}

/* Commits when everything went well, else rolls back. */
static int
tx_end(struct db *db, int rc)
{
	if (rc == MAMORI_OK)
		rc = db_commit(db);
	if (rc != MAMORI_OK)
		db_rollback(db);
	return rc;
}

/* Success: every alert of the message is sent, with a timeline step. */
static int
record_sent(struct run *run, const struct store_notify_channel *ch, struct store_notify_due *d,
    int k, bool digest)
{
	char note[STORE_NOTIFY_NAME_MAX + 64];
	snprintf(note, sizeof(note), "%s %s%s", ch->kind, ch->name, digest ? " (digest)" : "");
	int rc = db_begin(run->db);
	for (int i = 0; i < k && rc == MAMORI_OK; i++) {
		if (!d[i].delivery_id)
			continue;
		rc = store_notify_delivery_set(run->db, d[i].delivery_id, "sent", d[i].attempts + 1, 0,
		    run->now, "");
		if (rc == MAMORI_OK)
			rc = store_alert_add_step(run->db, ch->tenant_id, d[i].alert_id, "notified",
			    "notify", note, run->now);
	}
	if (rc == MAMORI_OK && digest)
		rc = store_notify_channel_digest_done(run->db, ch->id, run->now);
	return tx_end(run->db, rc);
}

/* Failure: try again after a backoff, or give up and say so on the timeline. */
static int
record_failed(struct run *run, const struct store_notify_channel *ch, struct store_notify_due *d,
    int k, const char *err)
{
	char note[ERR_MAX + STORE_NOTIFY_NAME_MAX + 64];
	int rc = db_begin(run->db);
	for (int i = 0; i < k && rc == MAMORI_OK; i++) {
		if (!d[i].delivery_id)
			continue;
		int attempts = d[i].attempts + 1;
		if (attempts < NOTIFY_ROUTE_MAX_ATTEMPTS) {
			run->st->retry++;
			rc = store_notify_delivery_set(run->db, d[i].delivery_id, "pending", attempts,
			    run->now + notify_route_backoff_ms(attempts), run->now, err);
			continue;
		}
		run->st->gave_up++;
		snprintf(note, sizeof(note), "notification on %s %s failed %d times: %s", ch->kind,
		    ch->name, attempts, err);
		rc = store_notify_delivery_set(run->db, d[i].delivery_id, "failed", attempts, 0,
		    run->now, err);
		if (rc == MAMORI_OK)
			rc = store_alert_add_step(run->db, ch->tenant_id, d[i].alert_id, "note", "notify",
			    note, run->now);
	}
	return tx_end(run->db, rc);
}

/* One message with the alerts of d[0..k) (one, or a digest). */
static int
deliver(struct run *run, const struct store_notify_channel *ch, struct store_notify_due *d, int k,
    bool digest)
{
	char err[ERR_MAX] = "", key[37], seed[96];
	char *payload = NULL;
	size_t len = 0;
	int live = 0;
	struct notify_msg *m = run->msg;
	int rc = notify_msg_init(m, ch, run->cfg->public_url, digest);
	for (int i = 0; i < k && rc == MAMORI_OK; i++) {
		struct add_ctx a = { .m = m };
		rc = store_notify_claim(run->db, d[i].delivery_id, run->now, run->now + CLAIM_MS);
		if (rc == MAMORI_E_NOTFOUND) {
			/* Another dispatcher has it. */
			d[i].delivery_id = 0;
			rc = MAMORI_OK;
			continue;
		}
		if (rc != MAMORI_OK)
			break;
		rc = store_alert_get(run->db, ch->tenant_id, d[i].alert_id, add_alert, NULL, &a);
		if (rc == MAMORI_OK && a.rc != MAMORI_OK)
			rc = a.rc;
		if (rc == MAMORI_OK && a.resolved) {
			run->st->skipped++;
			rc = store_notify_delivery_set(run->db, d[i].delivery_id, "skipped", d[i].attempts,
			    0, run->now, "resolved before it was sent");
			d[i].delivery_id = 0;
		} else if (rc == MAMORI_OK) {
			live++;
		}
	}
	if (rc != MAMORI_OK || live == 0)
		goto out;
	if ((rc = notify_msg_finish(m)) != MAMORI_OK ||
	    (rc = notify_msg_payload(m, ch, run->now, &payload, &len)) != MAMORI_OK) {
		snprintf(err, sizeof(err), "cannot build the message: %s", err_str(rc));
		rc = record_failed(run, ch, d, k, err);
		goto out;
	}
	int64_t first = 0;
	for (int i = 0; i < k && !first; i++)
		first = d[i].delivery_id;
	/* The same deliveries give the same key on every retry. */
	snprintf(seed, sizeof(seed), "mamori:%lld:%lld:%d", (long long)ch->id, (long long)first, live);
	notify_send_retry_key(seed, key);
	if (notify_send(ch, &run->cfg->send, payload, len, key, err, sizeof(err)) != MAMORI_OK) {
		log_warn(run->cfg->log, "notify: %s %s: %s", ch->kind, ch->name, err);
		run->down = true;
		rc = record_failed(run, ch, d, k, err);
		goto out;
	}
	log_info(run->cfg->log, "notify: %s %s: sent %d alert%s%s", ch->kind, ch->name, live,
	    live == 1 ? "" : "s", digest ? " (digest)" : "");
	run->st->sent++;
	run->st->alerts += live;
	rc = record_sent(run, ch, d, k, digest);
out:
	free(payload);
	notify_msg_release(m);
	return rc;
}

static int
channel_pass(void *ctx, const struct store_notify_channel *ch)
{
	struct run *run = ctx;
	int added = 0, n = 0, k = 0, rc;
	if ((rc = store_notify_enqueue(run->db, ch, &added)) != MAMORI_OK ||
	    (rc = store_notify_due_list(run->db, ch->id, run->now, run->due, DUE_MAX, &n)) != MAMORI_OK)
		return rc;
	run->st->queued += added;
	run->down = false;
	for (int i = 0; i < n && rc == MAMORI_OK; i++) {
		switch (notify_route_alert(ch, run->due[i].severity, run->now)) {
		case NOTIFY_ROUTE_SEND:
			/* After one failure the rest wait for the next pass: a receiver
			 * that hangs costs one timeout per pass, not one per alert. */
			if (run->down)
				run->st->retry++;
			else
				rc = deliver(run, ch, &run->due[i], 1, false);
			break;
		case NOTIFY_ROUTE_HOLD:
			run->st->held++;
			break;
		case NOTIFY_ROUTE_DIGEST:
			run->pick[k++] = run->due[i];
			break;
		case NOTIFY_ROUTE_DROP:
			rc = store_notify_delivery_set(run->db, run->due[i].delivery_id, "skipped",
			    run->due[i].attempts, 0, run->now, "below the channel's severity");
			run->st->skipped++;
			break;
		}
	}
	if (rc != MAMORI_OK || run->down || !notify_route_digest_due(ch, run->now)) {
		run->st->held += k;
		return rc;
	}
	if (k > 0)
		return deliver(run, ch, run->pick, k, true);
	/* Nothing for this slot: it is used up, unless failed tries still wait. */
	struct store_notify_counts c;
	if ((rc = store_notify_counts(run->db, ch->id, &c)) == MAMORI_OK && c.pending == 0)
		rc = store_notify_channel_digest_done(run->db, ch->id, run->now);
	return rc;
}

int
notify_run_once(struct db *db, const struct notify_config *cfg, int64_t now_ms,
    struct notify_stats *st)
{
	struct run run = { .db = db, .cfg = cfg, .now = now_ms, .st = st };
	memset(st, 0, sizeof(*st));
	run.due = calloc(DUE_MAX, sizeof(*run.due));
	run.pick = calloc(DUE_MAX, sizeof(*run.pick));
	run.msg = malloc(sizeof(*run.msg));
	int rc = run.due && run.pick && run.msg ? store_notify_channel_list(db, 0, channel_pass, &run) :
	    MAMORI_E_NOMEM;
	free(run.due);
	free(run.pick);
	free(run.msg);
	return rc;
}

int
notify_test(const struct notify_config *cfg, const struct store_notify_channel *ch,
    int64_t now_ms, char *err, size_t errsz)
{
	char *payload = NULL;
	size_t len = 0;
	struct notify_msg *m = malloc(sizeof(*m));
	int rc = m ? notify_msg_init(m, ch, cfg->public_url, false) : MAMORI_E_NOMEM;
	if (rc == MAMORI_OK && (rc = notify_msg_test(m)) == MAMORI_OK)
		rc = notify_msg_payload(m, ch, now_ms, &payload, &len);
	if (rc != MAMORI_OK)
		snprintf(err, errsz, "cannot build the message: %s", err_str(rc));
	else
		rc = notify_send(ch, &cfg->send, payload, len, NULL, err, errsz);
	free(payload);
	if (m)
		notify_msg_release(m);
	free(m);
	return rc;
}

struct notify_thread {
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	int interval_s;
	struct db *db;
	struct notify_config cfg;
	char public_url[512], ca_file[4096];
};

static void *
thread_main(void *arg)
{
	struct notify_thread *t = arg;
	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		pthread_mutex_unlock(&t->lock);
		struct timespec now;
		struct notify_stats st;
		clock_gettime(CLOCK_REALTIME, &now);
		int rc = notify_run_once(t->db, &t->cfg, (int64_t)now.tv_sec * 1000 +
		    now.tv_nsec / 1000000, &st);
		if (rc != MAMORI_OK)
			log_error(t->cfg.log, "notify: %s (%s)", err_str(rc), db_errmsg(t->db));
		pthread_mutex_lock(&t->lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += t->interval_s;
		while (!t->stop && pthread_cond_timedwait(&t->cond, &t->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

int
notify_thread_start(const char *db_path, const struct notify_config *cfg, int interval_s,
    struct notify_thread **out, char *err, size_t errsz)
{
	struct notify_thread *t = calloc(1, sizeof(*t));
	*out = NULL;
	if (!t) {
		snprintf(err, errsz, "out of memory");
		return MAMORI_E_NOMEM;
	}
	t->interval_s = interval_s > 0 ? interval_s : 60;
	t->cfg = *cfg;
	snprintf(t->public_url, sizeof(t->public_url), "%s", cfg->public_url ? cfg->public_url : "");
	snprintf(t->ca_file, sizeof(t->ca_file), "%s", cfg->send.ca_file ? cfg->send.ca_file : "");
	t->cfg.public_url = t->public_url;
	t->cfg.send.ca_file = t->ca_file;
	/* Its own connection: sending must never hold the API's handle. */
	int rc = db_open(db_path, false, &t->db, err, errsz);
	if (rc != MAMORI_OK) {
		free(t);
		return rc;
	}
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	if (pthread_create(&t->th, NULL, thread_main, t) != 0) {
		snprintf(err, errsz, "cannot start the notification thread");
		pthread_cond_destroy(&t->cond);
		pthread_mutex_destroy(&t->lock);
		db_close(t->db);
		free(t);
		return MAMORI_E_NOMEM;
	}
	*out = t;
	return MAMORI_OK;
}

void
notify_thread_stop(struct notify_thread *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->th, NULL);
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	db_close(t->db);
	free(t);
}
