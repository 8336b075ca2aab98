#include "agent/agent_run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "agent/agent_http.h"
#include "agent/agent_state.h"
#include "agent/ransom_respond.h"
#include "agent/scan.h"
#include "agent/spool.h"
#include "agent/watch.h"
#include "common/atomicfile.h"
#include "common/err.h"

#define LINE_MAX_BYTES (1024 * 1024)	/* one event line from the source */
#define BATCH_RAW_MAX (4u * 1024 * 1024)
#define HEAD_RESERVE 192		/* room before the events for the header line */
#define BACKOFF_MAX 60
#define SEND_ROUNDS 16			/* batches per loop turn before reading again */

struct run {
	const struct agent_run_opts *o;
	struct agent_state st;
	struct spool sp;
	struct agent_http h;
	char auth[192];
	char *buf, *zbuf;
	size_t len, cap, zcap;
	uint64_t first_seq, last_seq;
	size_t batch_limit;
	/* The event source. */
	int evfd;
	bool ev_regular, ev_done;
	char *line;
	size_t linelen;
	bool discarding;
	uint64_t evoff, ino;		/* regular files: where the next line starts */
	uint64_t skipped, undeliverable;
	int64_t backoff, next_send;
	int retry_hint;			/* the manager's Retry-After, seconds */
	/* The host's watches: their alert lines are spooled as they come. */
	struct watch w;
	struct child_env cenv;
	char fim_manager[300];
	uint64_t watch_spooled, watch_synced;
	uint64_t sensor_spooled;	/* EVE alert and asset lines */
	bool sensor_only;		/* enrolled as a sensor: no scans, no host watches */
};

static int64_t
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

static int
reserve(struct run *r, size_t more)
{
	if (r->len + more <= r->cap)
		return MAMORI_OK;
	size_t cap = r->cap ? r->cap : 64 * 1024;
	while (cap < r->len + more)
		cap *= 2;
	char *p = realloc(r->buf, cap);
	if (!p)
		return MAMORI_E_NOMEM;
	r->buf = p;
	r->cap = cap;
	return MAMORI_OK;
}

/* Spools one event: {"ts":..,"kind":..,"data":<json>}. */
static int
spool_event(struct run *r, const char *kind, const char *json, size_t n)
{
	char head[96];
	int hn = snprintf(head, sizeof(head), "{\"ts\":%" PRId64 ",\"kind\":\"%s\",\"data\":",
	    now_s(), kind);
	size_t total = (size_t)hn + n + 1;
	char *p = malloc(total);
	uint64_t seq;
	if (!p)
		return MAMORI_E_NOMEM;
	memcpy(p, head, (size_t)hn);
	memcpy(p + hn, json, n);
	p[total - 1] = '}';
	int rc = spool_append(&r->sp, p, total, &seq);
	free(p);
	if (rc == MAMORI_E_IO)
		log_error(r->o->log, "agent: cannot write the spool (%s): the event is lost and "
		    "counted in a gap event", strerror(errno));
	else if (rc == MAMORI_E_LIMIT)
		log_warn(r->o->log, "agent: a %s event of %zu bytes is larger than the spool allows; "
		    "skipped", kind, n);
	return rc;
}

/* A JSON object line as a kind event; anything else is counted and skipped. 0 or negative. */
static int
spool_line(struct run *r, const char *kind, const char *s, size_t n)
{
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (n == 0)
		return MAMORI_E_PARSE;
	json_t *v = json_loadb(s, n, 0, NULL);
	bool ok = json_is_object(v);
	json_decref(v);
	if (!ok) {
		r->skipped++;
		log_warn(r->o->log, "agent: events: a line that is not a JSON object was skipped (%" PRIu64
		    " so far)", r->skipped);
		return MAMORI_E_PARSE;
	}
	return spool_event(r, kind, s, n);
}

static void
handle_line(struct run *r, char *s, size_t n)
{
	(void)spool_line(r, r->o->events_kind, s, n);
}

/* An alert line of the file or log watch. */
static void
watch_line(void *arg, const char *line, size_t len)
{
	struct run *r = arg;
	if (spool_line(r, "alert", line, len) == MAMORI_OK)
		r->watch_spooled++;
}

/* The EVE types the manager takes from a sensor (manager/eve_intake.c):
 * its alerts, the devices it sees and its statistics (drops, anomalies,
 * flows: the sensor's status). Flows, protocol metadata and single
 * anomalies stay on the sensor's box (see docs/architecture.md). */
static bool
eve_wanted(const char *line, size_t len)
{
	static const char *const marks[] = { "\"event_type\":\"alert\"", "\"event_type\":\"asset\"",
		"\"event_type\":\"stats\"" };
	bool maybe = false;
	/* Most lines are flows: a cheap look before a full parse. */
	for (size_t i = 0; i < 3 && !maybe; i++)
		maybe = memmem(line, len, marks[i], strlen(marks[i])) != NULL;
	if (!maybe)
		return false;
	json_t *v = json_loadb(line, len, 0, NULL);
	const char *type = json_string_value(json_object_get(v, "event_type"));
	bool ok = type && (strcmp(type, "alert") == 0 || strcmp(type, "asset") == 0 ||
	    strcmp(type, "stats") == 0);
	json_decref(v);
	return ok;
}

/* A line of the network sensor: its alerts and devices go to the manager
 * as eve events, in order with the rest. */
static void
sensor_line(void *arg, const char *line, size_t len)
{
	struct run *r = arg;
	if (eve_wanted(line, len) && spool_event(r, "eve", line, len) == MAMORI_OK) {
		r->sensor_spooled++;
		r->watch_spooled++;
	}
}

/*
 * Isolating the host keeps the manager reachable: when ransom.manager_address
 * is not set, the enrolled manager's address is given to the file watch if
 * it is an IP address (a name would need DNS, which isolation cuts).
 */
static const char *
fim_manager(struct run *r)
{
	const char *m = r->st.manager, *end;
	char buf[2048];
	if (*conf_str(r->o->conf, CONF_RANSOM_MANAGER_ADDRESS))
		return NULL;
	if (strncmp(m, "https://", 8) == 0)
		m += 8;
	end = strchr(m, '/');
	snprintf(r->fim_manager, sizeof(r->fim_manager), "%.*s", end ? (int)(end - m) : (int)strlen(m), m);
	return ransom_respond_ruleset(r->fim_manager, buf, sizeof(buf)) == MAMORI_OK ? r->fim_manager : NULL;
}

/*
 * The file and log watches and the network sensor as children (not with
 * --once). A credential enrolled as a sensor runs the sensor (auto unless
 * an interface is given) and nothing that watches this computer.
 */
static int
watch_begin(struct run *r)
{
	const struct agent_run_opts *o = r->o;
	struct watch_opts wo = { .fim = o->watch_folders ? o->watch_folders : "off",
		.logs = o->watch_logs ? o->watch_logs : "off", .on_fim = watch_line,
		.on_logs = watch_line, .on_sensor = sensor_line, .arg = r,
		.sensor_stats_s = conf_int(o->conf, CONF_SENSOR_STATS_INTERVAL_S) };
	r->cenv = (struct child_env){ .who = "mamori agent", .config_path = o->config_path,
		.db_path = o->watch_db, .devnull = -1 };
	wo.sensor = o->sensor && *o->sensor ? o->sensor : r->sensor_only ? "auto" : NULL;
	if (r->sensor_only) {
		wo.fim = wo.logs = "off";
		log_info(o->log, "agent: enrolled as a sensor: the network sensor runs, this "
		    "computer's scans and watches do not");
	}
	if (o->once || (strcmp(wo.fim, "off") == 0 && strcmp(wo.logs, "off") == 0 &&
	    (!wo.sensor || strcmp(wo.sensor, "off") == 0)))
		return MAMORI_OK;
	if ((r->cenv.devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		return MAMORI_E_IO;
	wo.fim_manager = fim_manager(r);
	return watch_start(&r->w, &r->cenv, &wo);
}

/* Children that ended: restarted later by watch_tick when they ran long enough. */
static void
watch_reap(struct run *r)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		(void)watch_reaped(&r->w, pid, status);
}

/* Stops the watches and spools what they wrote last. */
static void
watch_end(struct run *r)
{
	pid_t pids[WATCH_CHILDREN];
	size_t n = watch_pids(&r->w, pids);
	if (r->cenv.devnull < 0)
		return;
	child_stop_all(&r->cenv, pids, n);
	watch_finish(&r->w);
	close(r->cenv.devnull);
	r->cenv.devnull = -1;
	if (r->watch_spooled > r->sensor_spooled)
		log_info(r->o->log, "agent: %" PRIu64 " alerts of the file and log watches spooled",
		    r->watch_spooled - r->sensor_spooled);
	if (r->sensor_spooled)
		log_info(r->o->log, "agent: %" PRIu64 " alerts and device updates of the network "
		    "sensor spooled", r->sensor_spooled);
}

/* Splits what was read into lines; a line over LINE_MAX_BYTES is skipped. */
static int
feed(struct run *r, const char *p, size_t n)
{
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) : n;
		if (!r->discarding) {
			if (r->linelen + k > LINE_MAX_BYTES) {
				r->discarding = true;
				r->skipped++;
				log_warn(r->o->log, "agent: events: a line longer than %d bytes was skipped",
				    LINE_MAX_BYTES);
			} else {
				char *q = realloc(r->line, r->linelen + k + 1);
				if (!q)
					return MAMORI_E_NOMEM;
				r->line = q;
				memcpy(r->line + r->linelen, p, k);
				r->linelen += k;
			}
		}
		if (!nl)
			break;
		if (!r->discarding)
			handle_line(r, r->line, r->linelen);
		r->evoff += r->linelen + 1;
		if (r->discarding)
			r->evoff += k;	/* approximate: only for resuming a file */
		r->linelen = 0;
		r->discarding = false;
		p += k + 1;
		n -= k + 1;
	}
	return MAMORI_OK;
}

static void
save_pos(struct run *r)
{
	char path[4096], text[64], err[512];
	if (!r->ev_regular)
		return;
	int n = snprintf(text, sizeof(text), "%" PRIu64 " %" PRIu64 "\n", r->ino, r->evoff);
	if (snprintf(path, sizeof(path), "%s/events.pos", r->o->dir) >= (int)sizeof(path))
		return;
	if (atomicfile_write_mem(path, 0600, text, (size_t)n, err, sizeof(err)) != MAMORI_OK)
		log_warn(r->o->log, "agent: %s", err);
}

/* A followed file resumes after the last line already spooled. */
static void
load_pos(struct run *r)
{
	char path[4096], text[64];
	unsigned long long ino = 0, off = 0;
	struct stat st;
	if (snprintf(path, sizeof(path), "%s/events.pos", r->o->dir) >= (int)sizeof(path))
		return;
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	bool got = fgets(text, sizeof(text), f) && sscanf(text, "%llu %llu", &ino, &off) == 2;
	fclose(f);
	if (got && fstat(r->evfd, &st) == 0 && (uint64_t)st.st_ino == ino &&
	    (uint64_t)st.st_size >= off && lseek(r->evfd, (off_t)off, SEEK_SET) == (off_t)off)
		r->evoff = off;
}

static int
open_source(struct run *r)
{
	struct stat st;
	r->evfd = -1;
	if (!r->o->events) {
		r->ev_done = true;
		return MAMORI_OK;
	}
	if (strcmp(r->o->events, "-") == 0)
		r->evfd = STDIN_FILENO;
	else if ((r->evfd = open(r->o->events, O_RDONLY | O_CLOEXEC)) < 0)
		return MAMORI_E_IO;
	if (fstat(r->evfd, &st) != 0)
		return MAMORI_E_IO;
	r->ev_regular = S_ISREG(st.st_mode);
	r->ino = (uint64_t)st.st_ino;
	if (r->ev_regular)
		load_pos(r);
	else
		fcntl(r->evfd, F_SETFL, fcntl(r->evfd, F_GETFL) | O_NONBLOCK);
	return MAMORI_OK;
}

/* Reads what the source has now; returns the number of bytes read. */
static size_t
read_source(struct run *r)
{
	char chunk[64 * 1024];
	size_t total = 0;
	if (r->evfd < 0)
		return 0;
	for (int i = 0; i < 64; i++) {
		ssize_t n = read(r->evfd, chunk, sizeof(chunk));
		if (n > 0) {
			if (feed(r, chunk, (size_t)n) != MAMORI_OK)
				break;
			total += (size_t)n;
			continue;
		}
		if (n == 0) {
			/* A file is followed; a pipe or terminal has ended. */
			if (!r->ev_regular || r->o->once) {
				if (r->linelen && !r->discarding)
					handle_line(r, r->line, r->linelen);
				r->linelen = 0;
				if (r->evfd != STDIN_FILENO)
					close(r->evfd);
				r->evfd = -1;
			}
			r->ev_done = true;
		} else if (errno != EAGAIN && errno != EINTR) {
			log_error(r->o->log, "agent: reading events: %s", strerror(errno));
			r->ev_done = true;
			if (r->evfd != STDIN_FILENO)
				close(r->evfd);
			r->evfd = -1;
		}
		break;
	}
	return total;
}

static int
run_scan(struct run *r)
{
	struct scan s;
	struct scan_options opt = { .root = "/", .lang = r->o->lang, .db_path = r->o->db_path };
	char err[512];
	int rc = scan_run(&s, &opt, r->o->conf, r->o->log, err, sizeof(err));
	if (rc != MAMORI_OK) {
		log_error(r->o->log, "agent: scan failed: %s", err);
		scan_release(&s);
		return rc;
	}
	json_t *doc = scan_to_json(&s, &opt);
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	scan_release(&s);
	if (!text)
		return MAMORI_E_NOMEM;
	rc = spool_event(r, "scan", text, strlen(text));
	free(text);
	if (rc == MAMORI_OK)
		rc = spool_sync(&r->sp);
	log_info(r->o->log, "agent: scan spooled");
	return rc;
}

static int
add_record(void *ctx, uint64_t seq, const char *payload, size_t len)
{
	struct run *r = ctx;
	char head[32];
	if (len < 2 || payload[0] != '{')
		return MAMORI_E_PARSE;
	int hn = snprintf(head, sizeof(head), "{\"seq\":%" PRIu64 ",", seq);
	if (reserve(r, (size_t)hn + len) != MAMORI_OK)
		return MAMORI_E_NOMEM;
	memcpy(r->buf + r->len, head, (size_t)hn);
	memcpy(r->buf + r->len + hn, payload + 1, len - 1);
	r->len += (size_t)hn + len - 1;
	r->buf[r->len++] = '\n';
	if (!r->first_seq)
		r->first_seq = seq;
	r->last_seq = seq;
	return MAMORI_OK;
}

/* Builds the next batch (header + events) and compresses it: *zlen 0 when
 * nothing waits. */
static int
build_batch(struct run *r, size_t *zlen, size_t *start)
{
	char head[HEAD_RESERVE];
	*zlen = 0;
	r->len = 0;
	r->first_seq = r->last_seq = 0;
	if (reserve(r, HEAD_RESERVE) != MAMORI_OK)
		return MAMORI_E_NOMEM;
	r->len = HEAD_RESERVE;
	int rc = spool_read(&r->sp, r->batch_limit, BATCH_RAW_MAX, add_record, r);
	if (rc != MAMORI_OK || !r->first_seq)
		return rc;
	/* The spool depth the manager shows: what is left once this batch is stored. */
	uint64_t left = spool_pending(&r->sp), nb = r->last_seq - r->first_seq + 1;
	left = left > nb ? left - nb : 0;
	int hn = snprintf(head, sizeof(head), "{\"v\":1,\"agent\":%" PRId64 ",\"floor\":%" PRIu64
	    ",\"spool\":{\"records\":%" PRIu64 ",\"bytes\":%" PRIu64 "}}\n", r->st.agent_id,
	    r->first_seq, left, r->sp.bytes);
	*start = HEAD_RESERVE - (size_t)hn;
	memcpy(r->buf + *start, head, (size_t)hn);
	size_t raw = r->len - *start, bound = ZSTD_compressBound(raw);
	if (bound > r->zcap) {
		char *p = realloc(r->zbuf, bound);
		if (!p)
			return MAMORI_E_NOMEM;
		r->zbuf = p;
		r->zcap = bound;
	}
	size_t z = ZSTD_compress(r->zbuf, r->zcap, r->buf + *start, raw, 3);
	if (ZSTD_isError(z))
		return MAMORI_E_NOMEM;
	*zlen = z;
	return MAMORI_OK;
}

enum send_result { SENT, NOTHING, RETRY, REFUSED };

static enum send_result
send_one(struct run *r, char *err, size_t errsz)
{
	struct agent_http_answer ans;
	size_t zlen = 0, start = 0;
	int rc = build_batch(r, &zlen, &start);
	if (rc != MAMORI_OK) {
		snprintf(err, errsz, "reading the spool: %s", err_str(rc));
		return RETRY;
	}
	if (zlen == 0)
		return NOTHING;
	rc = agent_http_request(&r->h, "POST", "/api/intake", r->auth, r->zbuf, zlen, &ans, err,
	    errsz);
	if (rc == MAMORI_E_PERM)
		return REFUSED;
	if (rc != MAMORI_OK)
		return RETRY;
	json_t *reply = json_loadb(ans.body, ans.len, 0, NULL);
	const char *msg = json_string_value(json_object_get(reply, "message"));
	enum send_result res = RETRY;
	if (ans.status == 200) {
		json_t *acked = json_object_get(reply, "acked");
		if (json_is_integer(acked) && json_integer_value(acked) >= 0) {
			uint64_t a = (uint64_t)json_integer_value(acked);
			if (spool_ack(&r->sp, a) != MAMORI_OK)
				log_error(r->o->log, "agent: cannot record the acknowledgement: %s",
				    strerror(errno));
			log_info(r->o->log, "agent: manager acknowledged up to seq %" PRIu64
			    " (batch %" PRIu64 "-%" PRIu64 ")", a, r->first_seq, r->last_seq);
			/* Acked below the batch's end: the manager stored less (a hole). */
			res = a >= r->last_seq ? SENT : RETRY;
			if (res == RETRY)
				snprintf(err, errsz, "the manager acknowledged only up to %" PRIu64, a);
			if (r->batch_limit < r->o->batch_events)
				r->batch_limit = r->batch_limit * 2 < r->o->batch_events ?
				    r->batch_limit * 2 : r->o->batch_events;
		} else {
			snprintf(err, errsz, "the manager's answer has no acked seq");
		}
	} else if (ans.status == 401 || ans.status == 403) {
		snprintf(err, errsz, "the manager refused this agent (%d): %s", ans.status,
		    msg ? msg : "no reason given");
		res = REFUSED;
	} else if (ans.status == 413 || ans.status == 400) {
		if (r->first_seq == r->last_seq) {
			/* One event the manager will never take: skip it, loudly. */
			r->undeliverable++;
			log_error(r->o->log, "agent: the manager refused event %" PRIu64 " (%d: %s); "
			    "it is skipped", r->first_seq, ans.status, msg ? msg : "");
			(void)spool_ack(&r->sp, r->first_seq);
			res = SENT;
		} else {
			r->batch_limit = (r->last_seq - r->first_seq + 1) / 2;
			if (r->batch_limit == 0)
				r->batch_limit = 1;
			snprintf(err, errsz, "batch refused (%d), trying %zu events per batch", ans.status,
			    r->batch_limit);
			res = SENT;	/* retry at once with the smaller size */
		}
	} else {
		snprintf(err, errsz, "the manager answered %d: %s", ans.status, msg ? msg : "");
		r->retry_hint = ans.retry_after;
	}
	json_decref(reply);
	agent_http_answer_free(&ans);
	return res;
}

static int
setup(struct run *r, const struct agent_run_opts *o, char *err, size_t errsz)
{
	char spool_dir[4096];
	int rc;
	r->o = o;
	r->evfd = -1;
	r->batch_limit = o->batch_events ? o->batch_events : 1000;
	if ((rc = agent_state_load(o->dir, &r->st, err, errsz)) != MAMORI_OK) {
		if (rc == MAMORI_E_NOTFOUND)
			snprintf(err, errsz, "not enrolled: run 'mamori agent --enrol https://MANAGER:PORT TOKEN' first");
		return rc;
	}
	snprintf(r->auth, sizeof(r->auth), "X-Mamori-Agent: %" PRId64 "\r\nAuthorization: Bearer %s\r\n"
	    "Content-Type: application/x-ndjson\r\nContent-Encoding: zstd\r\n",
	    r->st.agent_id, r->st.secret);
	if ((rc = agent_http_init(&r->h, r->st.manager, r->st.fingerprint, 30, err, errsz)))
		return rc;
	r->sensor_only = strcmp(r->st.kind, "sensor") == 0;
	if (snprintf(spool_dir, sizeof(spool_dir), "%s/spool", o->dir) >= (int)sizeof(spool_dir))
		return MAMORI_E_LIMIT;
	rc = spool_open(&r->sp, spool_dir, o->spool_cap);
	if (rc != MAMORI_OK) {
		snprintf(err, errsz, rc == MAMORI_E_PERM ? "%s: another mamori agent uses this spool" :
		    "%s: cannot open the spool: %s", spool_dir, strerror(errno));
		return rc;
	}
	if (r->sp.stats.torn_bytes || r->sp.stats.corrupt_records)
		log_warn(o->log, "agent: spool recovered: %" PRIu64 " bytes of an unfinished write cut, "
		    "%" PRIu64 " damaged events counted in a gap event", r->sp.stats.torn_bytes,
		    r->sp.stats.corrupt_records);
	if ((rc = open_source(r)) != MAMORI_OK) {
		snprintf(err, errsz, "%s: %s", o->events, strerror(errno));
		return rc;
	}
	if ((rc = watch_begin(r)) != MAMORI_OK) {
		snprintf(err, errsz, "starting the file and log watches: %s", err_str(rc));
		return rc;
	}
	return MAMORI_OK;
}

static void
teardown(struct run *r)
{
	watch_end(r);
	(void)spool_sync(&r->sp);
	spool_close(&r->sp);
	agent_http_release(&r->h);
	if (r->evfd > STDIN_FILENO)
		close(r->evfd);
	free(r->buf);
	free(r->zbuf);
	free(r->line);
	explicit_bzero(r->auth, sizeof(r->auth));
	explicit_bzero(&r->st, sizeof(r->st));
}

int
agent_run(const struct agent_run_opts *o, char *err, size_t errsz)
{
	struct run r;
	sigset_t stop;
	int sfd = -1, rc;
	int64_t next_scan = 0;
	bool scanned = false;

	memset(&r, 0, sizeof(r));
	r.cenv.devnull = -1;
	watch_init(&r.w);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGCHLD);	/* the watches */
	sigaddset(&stop, SIGHUP);	/* passed on to the sensor: its indicator files again */
	sigprocmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((sfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		snprintf(err, errsz, "signalfd: %s", strerror(errno));
		return MAMORI_E_IO;
	}
	if ((rc = setup(&r, o, err, errsz)) != MAMORI_OK)
		goto out;
	log_info(o->log, "agent: %" PRId64 " sending to %s; %" PRIu64 " events waiting in the spool",
	    r.st.agent_id, r.st.manager, spool_pending(&r.sp));
	/* --once sends what there is: it scans only when asked to. */
	if (((o->scan_interval > 0 && !o->once) || o->scan_now) && !r.sensor_only)
		next_scan = now_s();
	for (;;) {
		int wfd[WATCH_CHILDREN];
		watch_fds(&r.w, wfd);
		struct pollfd p[2 + WATCH_CHILDREN] = { { .fd = sfd, .events = POLLIN },
			{ .fd = r.ev_regular ? -1 : r.evfd, .events = POLLIN } };
		for (size_t i = 0; i < WATCH_CHILDREN; i++)
			p[2 + i] = (struct pollfd){ .fd = wfd[i], .events = POLLIN };
		int64_t now = now_s();
		bool pending = spool_pending(&r.sp) > 0;
		int timeout = 1000;
		if (pending && now >= r.next_send)
			timeout = 0;
		if (r.ev_regular && !r.ev_done)
			timeout = 0;
		bool stopping = false;
		if (poll(p, 2 + WATCH_CHILDREN, timeout) > 0 && (p[0].revents & POLLIN)) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGHUP)
					(void)watch_hup(&r.w);
				else
					stopping |= si.ssi_signo != SIGCHLD;
			}
		}
		if (stopping) {
			log_info(o->log, "agent: stopping; %" PRIu64 " events stay in the spool",
			    spool_pending(&r.sp));
			rc = MAMORI_OK;
			break;
		}
		/* Every turn, not only on SIGCHLD: merged signals must not leave a zombie. */
		watch_reap(&r);
		watch_tick(&r.w);
		watch_read(&r.w);
		if (r.watch_spooled != r.watch_synced) {
			if (spool_sync(&r.sp) != MAMORI_OK)
				log_error(o->log, "agent: cannot sync the spool: %s", strerror(errno));
			r.watch_synced = r.watch_spooled;
		}
		if (r.ev_regular && r.evfd >= 0)
			r.ev_done = false;	/* a followed file may have grown */
		if (read_source(&r) > 0) {
			if (spool_sync(&r.sp) != MAMORI_OK)
				log_error(o->log, "agent: cannot sync the spool: %s", strerror(errno));
			save_pos(&r);
		}
		if (next_scan && now >= next_scan && (!o->once || !scanned)) {
			(void)run_scan(&r);
			scanned = true;
			next_scan = o->scan_interval > 0 ? now + o->scan_interval : 0;
		}
		/* --once spools the whole source first, then sends. */
		if (o->once && !r.ev_done)
			continue;
		now = now_s();
		for (int round = 0; round < SEND_ROUNDS && now >= r.next_send; round++) {
			enum send_result s = send_one(&r, err, errsz);
			if (s == NOTHING)
				break;
			if (s == REFUSED) {
				rc = MAMORI_E_PERM;
				goto out;
			}
			if (s == RETRY) {
				if (r.retry_hint > 0)
					r.backoff = r.retry_hint;
				else
					r.backoff = r.backoff ? (r.backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX :
					    r.backoff * 2) : 1;
				r.retry_hint = 0;
				r.next_send = now + r.backoff;
				log_warn(o->log, "agent: %s; %" PRIu64 " events kept in the spool, retrying in "
				    "%" PRId64 " s", err, spool_pending(&r.sp), r.backoff);
				if (o->once) {
					rc = MAMORI_E_IO;
					goto out;
				}
				break;
			}
			r.backoff = 0;
		}
		if (o->once && r.ev_done && (r.evfd < 0 || r.ev_regular) &&
		    (!next_scan || scanned) && spool_pending(&r.sp) == 0) {
			rc = MAMORI_OK;
			break;
		}
	}
out:
	teardown(&r);
	close(sfd);
	return rc;
}
