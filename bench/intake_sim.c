/*
 * intake_sim.c - many simulated agents in one process, for bench/intake.sh.
 *
 *   intake_sim URL DB AGENTS EVENTS_PER_AGENT BATCH THREADS [RATE]
 *
 * Enrols AGENTS agents (tokens issued straight into the manager's database
 * DB, enrolment over HTTPS like `mamori agent --enrol`), then sends each
 * agent's EVENTS_PER_AGENT numbered events in zstd NDJSON batches of BATCH
 * over THREADS keep-alive TLS connections. Without RATE it sends as fast as
 * the manager acknowledges (throughput); with RATE (events per second per
 * agent) each agent sends one batch of RATE events every second. Every
 * answer's acked seq is checked against what was sent. Prints one JSON line.
 */
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "agent/agent_http.h"
#include "common/err.h"
#include "manager/agent_cred.h"
#include "storage/db.h"

struct sim_agent {
	int64_t id;
	char secret[64];
	uint64_t sent;
};

struct sim {
	const char *url;
	struct sim_agent *agents;
	int nagents, nthreads;
	long events, batch, rate;
	atomic_ulong acked_events, batches, errors, mismatches;
	atomic_ullong latency_us_sum, latency_us_max;
};

struct worker {
	struct sim *s;
	int index;
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
enrol_all(struct sim *s, const char *db_path)
{
	struct db *db = NULL;
	struct agent_http h;
	char err[512];
	if (db_open(db_path, false, &db, err, sizeof(err)) != MAMORI_OK ||
	    agent_http_init(&h, s->url, NULL, 30, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "intake_sim: %s\n", err);
		db_close(db);
		return -1;
	}
	for (int i = 0; i < s->nagents; i++) {
		char tok[AUTH_TOKEN_CHARS + 1], body[256];
		int64_t tid, exp;
		struct agent_http_answer ans;
		if (agent_cred_token_issue(db, 1, "agent", 600, (int64_t)time(NULL), tok, &tid, &exp)) {
			fprintf(stderr, "intake_sim: token: %s\n", db_errmsg(db));
			break;
		}
		snprintf(body, sizeof(body), "{\"token\":\"%s\",\"hostname\":\"sim-%04d\"}", tok, i);
		if (agent_http_request(&h, "POST", "/api/enrol", "Content-Type: application/json\r\n",
		    body, strlen(body), &ans, err, sizeof(err)) != MAMORI_OK || ans.status != 201) {
			fprintf(stderr, "intake_sim: enrol %d: %s %s\n", i, err, ans.body ? ans.body : "");
			agent_http_answer_free(&ans);
			break;
		}
		json_t *o = json_loads(ans.body, 0, NULL);
		s->agents[i].id = json_integer_value(json_object_get(o, "agent_id"));
		snprintf(s->agents[i].secret, sizeof(s->agents[i].secret), "%s",
		    json_string_value(json_object_get(o, "secret")));
		json_decref(o);
		agent_http_answer_free(&ans);
	}
	agent_http_release(&h);
	db_close(db);
	return s->agents[s->nagents - 1].id > 0 ? 0 : -1;
}

/* One batch of n events for agent a; returns 0 when acked in full. */
static int
send_batch(struct sim *s, struct agent_http *h, struct sim_agent *a, long n, char *raw,
    size_t rawcap, char *z, size_t zcap)
{
	size_t len = (size_t)snprintf(raw, rawcap, "{\"v\":1,\"agent\":%" PRId64 ",\"floor\":%" PRIu64 "}\n",
	    a->id, a->sent + 1);
	time_t ts = time(NULL);
	for (long i = 1; i <= n; i++) {
		uint64_t seq = a->sent + (uint64_t)i;
		len += (size_t)snprintf(raw + len, rawcap - len,
		    "{\"seq\":%" PRIu64 ",\"ts\":%lld,\"kind\":\"event\",\"data\":{\"n\":%" PRIu64 ","
		    "\"message\":\"sshd[%" PRIu64 "]: Failed password for invalid user admin from "
		    "203.0.113.%" PRIu64 " port %" PRIu64 " ssh2\",\"host\":\"sim-%" PRId64 "\"}}\n",
		    seq, (long long)ts, seq, 1000 + seq % 30000, seq % 250, 40000 + seq % 20000, a->id);
	}
	size_t zl = ZSTD_compress(z, zcap, raw, len, 1);
	char hdr[256], err[256];
	struct agent_http_answer ans;
	snprintf(hdr, sizeof(hdr), "X-Mamori-Agent: %" PRId64 "\r\nAuthorization: Bearer %s\r\n"
	    "Content-Encoding: zstd\r\nContent-Type: application/x-ndjson\r\n", a->id, a->secret);
	double t0 = now_s();
	if (ZSTD_isError(zl) ||
	    agent_http_request(h, "POST", "/api/intake", hdr, z, zl, &ans, err, sizeof(err))) {
		atomic_fetch_add(&s->errors, 1);
		return -1;
	}
	unsigned long long us = (unsigned long long)((now_s() - t0) * 1e6);
	atomic_fetch_add(&s->latency_us_sum, us);
	unsigned long long mx = atomic_load(&s->latency_us_max);
	while (us > mx && !atomic_compare_exchange_weak(&s->latency_us_max, &mx, us))
		;
	json_t *o = json_loads(ans.body ? ans.body : "", 0, NULL);
	int64_t acked = json_integer_value(json_object_get(o, "acked"));
	json_decref(o);
	int status = ans.status;
	agent_http_answer_free(&ans);
	if (status != 200) {
		atomic_fetch_add(&s->errors, 1);
		return -1;
	}
	if ((uint64_t)acked != a->sent + (uint64_t)n) {
		atomic_fetch_add(&s->mismatches, 1);
		return -1;
	}
	a->sent += (uint64_t)n;
	atomic_fetch_add(&s->acked_events, (unsigned long)n);
	atomic_fetch_add(&s->batches, 1);
	return 0;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct sim *s = w->s;
	struct agent_http h;
	char err[256];
	size_t rawcap = (size_t)s->batch * 400 + 256, zcap = ZSTD_compressBound(rawcap);
	char *raw = malloc(rawcap), *z = malloc(zcap);
	if (!raw || !z || agent_http_init(&h, s->url, NULL, 60, err, sizeof(err)) != MAMORI_OK)
		return NULL;
	double start = now_s();
	for (long round = 0;; round++) {
		bool more = false;
		for (int i = w->index; i < s->nagents; i += s->nthreads) {
			struct sim_agent *a = &s->agents[i];
			long left = s->events - (long)a->sent;
			if (left <= 0)
				continue;
			long n = s->rate ? s->rate : (left < s->batch ? left : s->batch);
			if (n > left)
				n = left;
			/* A failed batch is sent again, as an agent would. */
			for (int tries = 0; tries < 5 && send_batch(s, &h, a, n, raw, rawcap, z, zcap); tries++)
				usleep(100000);
			more = more || (long)a->sent < s->events;
		}
		if (!more)
			break;
		if (s->rate) {
			double next = start + (double)(round + 1);
			double d = next - now_s();
			if (d > 0)
				usleep((useconds_t)(d * 1e6));
		}
	}
	agent_http_release(&h);
	free(raw);
	free(z);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct sim s = { 0 };
	if (argc < 7) {
		fprintf(stderr, "usage: intake_sim URL DB AGENTS EVENTS_PER_AGENT BATCH THREADS [RATE]\n");
		return 2;
	}
	s.url = argv[1];
	s.nagents = (int)strtol(argv[3], NULL, 10);
	s.events = strtol(argv[4], NULL, 10);
	s.batch = strtol(argv[5], NULL, 10);
	s.nthreads = (int)strtol(argv[6], NULL, 10);
	s.rate = argc > 7 ? strtol(argv[7], NULL, 10) : 0;
	if (s.nagents < 1 || s.events < 1 || s.batch < 1 || s.nthreads < 1 || s.nthreads > 64)
		return 2;
	if (auth_init() != MAMORI_OK || !(s.agents = calloc((size_t)s.nagents, sizeof(*s.agents))))
		return 1;
	if (enrol_all(&s, argv[2]) != 0)
		return 1;
	pthread_t th[64];
	struct worker w[64];
	double t0 = now_s();
	for (int i = 0; i < s.nthreads; i++) {
		w[i] = (struct worker){ &s, i };
		pthread_create(&th[i], NULL, work, &w[i]);
	}
	for (int i = 0; i < s.nthreads; i++)
		pthread_join(th[i], NULL);
	double secs = now_s() - t0;
	unsigned long acked = atomic_load(&s.acked_events), batches = atomic_load(&s.batches);
	printf("{\"agents\":%d,\"events_per_agent\":%ld,\"batch\":%ld,\"threads\":%d,\"rate\":%ld,"
	    "\"acked_events\":%lu,\"batches\":%lu,\"errors\":%lu,\"mismatches\":%lu,\"seconds\":%.3f,"
	    "\"acked_per_s\":%.0f,\"batch_ms_mean\":%.2f,\"batch_ms_max\":%.2f}\n",
	    s.nagents, s.events, s.batch, s.nthreads, s.rate, acked, batches,
	    atomic_load(&s.errors), atomic_load(&s.mismatches), secs, (double)acked / secs,
	    batches ? (double)atomic_load(&s.latency_us_sum) / (double)batches / 1000.0 : 0.0,
	    (double)atomic_load(&s.latency_us_max) / 1000.0);
	free(s.agents);
	return acked == (unsigned long)s.nagents * (unsigned long)s.events ? 0 : 1;
}
