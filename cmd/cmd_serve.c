/*
 * cmd_serve.c - mamori serve: the manager's HTTPS API.
 *
 * Defaults to 127.0.0.1:8443 so a first start exposes nothing to the
 * network; manager.listen or --listen opens it up. On the first start with
 * no account it creates "admin" with a random password and prints it once
 * on stderr with the address to open (the one-time setup step); only the
 * argon2id hash is kept.
 */
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "common/err.h"
#include "manager/api.h"
#include "manager/auth.h"
#include "manager/cert.h"
#include "manager/http.h"
#include "manager/notify.h"
#include "storage/db.h"
#include "storage/db_pool.h"
#include "storage/store_auth.h"
#include "storage/store_intake.h"

#define HEADER_BYTES (32 * 1024)	/* request line + headers; 431 beyond */
#define CONN_TIMEOUT_S 30		/* slow clients (slowloris) are dropped */
#define PER_IP_CONNECTIONS 64

static void
serve_usage(FILE *out)
{
	fprintf(out, "usage: mamori [--db FILE] serve [--listen ADDR:PORT] [--db FILE]\n"
	    "  --listen ADDR:PORT   default manager.listen (127.0.0.1:8443); port 0 picks a free one\n"
	    "  --db FILE            the database (also a global option)\n");
}

/* dir/name where dir is the database's directory. */
static int
beside_db(const char *db_path, const char *name, char *out, size_t outsz)
{
	char copy[4096];
	int n = snprintf(copy, sizeof(copy), "%s", db_path);
	if (n < 0 || (size_t)n >= sizeof(copy))
		return MAMORI_E_LIMIT;
	n = snprintf(out, outsz, "%s/%s", dirname(copy), name);
	return n < 0 || (size_t)n >= outsz ? MAMORI_E_LIMIT : MAMORI_OK;
}

/* First start: an administrator with a random password, shown once, and a
 * setup link that carries it in the fragment (never sent to the server)
 * for the dashboard's login page to fill in. */
static int
first_admin(struct db *db, struct serve *s, const char *who, char *err, size_t errsz)
{
	int64_t n = 0, tenant = 0;
	char pw[AUTH_TOKEN_CHARS + 1], hash[STORE_AUTH_HASH_MAX + 1];

	if (store_auth_user_count(db, &n) != MAMORI_OK) {
		snprintf(err, errsz, "reading accounts: %s", db_errmsg(db));
		return MAMORI_E_DB;
	}
	if (n > 0)
		return MAMORI_OK;
	auth_token_new(pw);
	if (auth_password_hash(pw, strlen(pw), hash) != MAMORI_OK ||
	    store_auth_tenant(db, "default", 1, (int64_t)time(NULL), &tenant) != MAMORI_OK ||
	    store_auth_user_add(db, tenant, "admin", "admin", hash, (int64_t)time(NULL)) != MAMORI_OK) {
		snprintf(err, errsz, "creating the administrator: %s", db_errmsg(db));
		return MAMORI_E_DB;
	}
	snprintf(s->setup, sizeof(s->setup), "%s#setup=%s", s->url, pw);
	fprintf(stderr,
	    "mamori %s: first start - administrator account created\n"
	    "  open:     %s\n"
	    "  user:     admin\n"
	    "  password: %s\n"
	    "  setup:    %s\n"
	    "  This password is shown only now. Keep it safe, or add your own account with\n"
	    "  'mamori user add NAME --role admin' (password on standard input).\n"
	    "mamori %s: 初回起動のため管理者アカウント admin を作成しました。上のパスワードと setup のリンクは今回だけ表示されます。\n",
	    who, s->url, pw, s->setup, who);
	explicit_bzero(pw, sizeof(pw));
	return MAMORI_OK;
}

int
cmd_serve_start(struct cmd_env *env, const char *listen, const char *db_path,
    const char *who, struct serve *s)
{
	char err[512], certp[4096], keyp[4096], fp[128];
	bool created = false;
	int rc = EXIT_SOFTWARE;

	memset(s, 0, sizeof(*s));
	struct http_config hc = {
		.max_body = (size_t)conf_int(&env->conf, CONF_MANAGER_MAX_BODY_BYTES),
		.max_header = HEADER_BYTES,
		.max_connections = (unsigned)conf_int(&env->conf, CONF_MANAGER_MAX_CONNECTIONS),
		.max_per_ip = PER_IP_CONNECTIONS,
		.timeout_s = CONN_TIMEOUT_S,
		.threads = (unsigned)conf_int(&env->conf, CONF_MANAGER_THREADS),
		.handler = api_handle,
		.log = &env->log,
	};
	if (http_parse_listen(listen, &hc.addr, &hc.addrlen) != MAMORI_OK)
		return cmd_usage_error(who, "--listen wants ADDR:PORT or [V6ADDR]:PORT, not '%s'", listen);
	if (auth_init() != MAMORI_OK) {
		fprintf(stderr, "mamori %s: libsodium failed to initialise\n", who);
		return EXIT_SOFTWARE;
	}
	if (!(s->api = calloc(1, sizeof(*s->api)))) {
		fprintf(stderr, "mamori %s: out of memory\n", who);
		return EXIT_SOFTWARE;
	}
	hc.ctx = s->api;

	const char *path = db_path ? db_path : db_default_path();
	if (db_open(path, db_path == NULL, &s->db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori %s: %s\n", who, err);
		free(s->api);
		s->api = NULL;
		return EXIT_CANTCREAT;
	}
	/* Agent batches get their own handle, committing with synchronous=FULL:
	 * an acknowledged event survives a power cut. */
	if (db_open(path, false, &s->idb, err, sizeof(err)) != MAMORI_OK ||
	    store_intake_durable(s->idb) != MAMORI_OK) {
		fprintf(stderr, "mamori %s: %s\n", who, s->idb ? db_errmsg(s->idb) : err);
		rc = EXIT_CANTCREAT;
		goto fail;
	}
	const char *cp = conf_str(&env->conf, CONF_MANAGER_CERT);
	const char *kp = conf_str(&env->conf, CONF_MANAGER_KEY);
	if ((!*cp && beside_db(path, "manager.crt", certp, sizeof(certp))) ||
	    (!*kp && beside_db(path, "manager.key", keyp, sizeof(keyp)))) {
		fprintf(stderr, "mamori %s: database path too long\n", who);
		goto fail;
	}
	if (*cp)
		snprintf(certp, sizeof(certp), "%s", cp);
	if (*kp)
		snprintf(keyp, sizeof(keyp), "%s", kp);
	char host[64] = "";
	const char *colon = strrchr(listen, ':');
	if (colon && (size_t)(colon - listen) < sizeof(host)) {
		memcpy(host, listen, (size_t)(colon - listen));
		host[colon - listen] = '\0';
	}
	/* Only the default locations are created; a configured path must exist. */
	if (cert_load_or_create(certp, keyp, host[0] == '[' ? NULL : host, !*cp && !*kp,
	    &s->cert, &s->key, &created, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori %s: TLS certificate: %s\n", who, err);
		rc = EXIT_CONFIG;
		goto fail;
	}
	if (created)
		fprintf(stderr, "mamori %s: made a self-signed certificate %s (key %s)\n", who, certp, keyp);
	if (cert_fingerprint(s->cert, fp, sizeof(fp)) == MAMORI_OK)
		fprintf(stderr, "mamori %s: certificate SHA-256 %s\n", who, fp);

	struct api_limits lim = {
		.idle_s = conf_int(&env->conf, CONF_MANAGER_SESSION_IDLE_SECONDS),
		.absolute_s = conf_int(&env->conf, CONF_MANAGER_SESSION_MAX_SECONDS),
		.login_window_s = conf_int(&env->conf, CONF_MANAGER_LOGIN_WINDOW_SECONDS),
		.max_fail_account = (int)conf_int(&env->conf, CONF_MANAGER_LOGIN_MAX_FAILURES),
		.max_fail_ip = (int)conf_int(&env->conf, CONF_MANAGER_LOGIN_MAX_FAILURES_PER_IP),
		.intake_max_decoded = (size_t)conf_int(&env->conf, CONF_MANAGER_INTAKE_MAX_DECODED_BYTES),
		.history_keep = (int)conf_int(&env->conf, CONF_SCAN_HISTORY_KEEP),
		.learn_ms = conf_int(&env->conf, CONF_SENSOR_LEARN_HOURS) * 3600 * 1000,
	};
	if (api_init(s->api, s->db, s->idb, &env->log, &lim, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori %s: %s\n", who, err);
		goto fail;
	}
	s->api_ready = true;
	s->api->company = conf_str(&env->conf, CONF_COMPANY_NAME);
	/* Opened after the writer migrated the database. */
	if (db_pool_open(path, (int)conf_int(&env->conf, CONF_MANAGER_READ_CONNECTIONS),
	    &s->api->readers, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori %s: %s\n", who, err);
		rc = EXIT_CANTCREAT;
		goto fail;
	}

	/* Block the stop signals before any thread starts; the caller waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	hc.cert_pem = s->cert;
	hc.key_pem = s->key;
	if (http_start(&hc, &s->srv, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori %s: %s: %s\n", who, listen, err);
		rc = EXIT_IOERR;
		goto fail;
	}
	pthread_mutex_lock(&s->api->lock);
	s->api->http = s->srv;
	pthread_mutex_unlock(&s->api->lock);
	if (host[0] == '\0' || strcmp(host, "0.0.0.0") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	snprintf(s->url, sizeof(s->url), "https://%s:%u/", host, http_port(s->srv));
	pthread_mutex_lock(&s->api->lock);
	int frc = first_admin(s->db, s, who, err, sizeof(err));
	pthread_mutex_unlock(&s->api->lock);
	if (frc != MAMORI_OK) {
		fprintf(stderr, "mamori %s: %s\n", who, err);
		goto fail;
	}
	/* The API keeps a pointer to it (test messages): it lives as long as the server. */
	if (!(s->notify = calloc(1, sizeof(*s->notify)))) {
		fprintf(stderr, "mamori %s: out of memory\n", who);
		goto fail;
	}
	cmd_notify_config(env, s->notify, s->notify_url, sizeof(s->notify_url));
	pthread_mutex_lock(&s->api->lock);
	s->api->notify = s->notify;
	pthread_mutex_unlock(&s->api->lock);
	int64_t every = conf_int(&env->conf, CONF_NOTIFY_INTERVAL_SECONDS);
	if (every > 0) {
		if (notify_thread_start(path, s->notify, (int)every, &s->notifier, err, sizeof(err)) != MAMORI_OK) {
			fprintf(stderr, "mamori %s: notifications: %s\n", who, err);
			goto fail;
		}
	}
	return EXIT_OK_RUN;
fail:
	cmd_serve_stop(s);
	return rc;
}

void
cmd_serve_stop(struct serve *s)
{
	notify_thread_stop(s->notifier);
	s->notifier = NULL;
	http_stop(s->srv);
	s->srv = NULL;
	if (s->api_ready) {
		db_pool_close(s->api->readers);
		api_release(s->api);
	}
	free(s->notify);
	s->notify = NULL;
	s->api_ready = false;
	free(s->api);
	s->api = NULL;
	free(s->cert);
	s->cert = NULL;
	if (s->key) {
		explicit_bzero(s->key, strlen(s->key));
		free(s->key);
		s->key = NULL;
	}
	db_close(s->idb);
	s->idb = NULL;
	db_close(s->db);
	s->db = NULL;
}

int
cmd_serve(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *listen = conf_str(&env->conf, CONF_MANAGER_LISTEN);
	const char *db_path = env->db_path;
	struct serve s;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 'd': db_path = optarg; break;
		case 'h':
			serve_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("serve", c, argc, argv, opts);
		}
	}
	if (optind < argc)
		return cmd_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if ((rc = cmd_serve_start(env, listen, db_path, "serve", &s)) != EXIT_OK_RUN)
		return rc;
	fprintf(stderr, "mamori serve: listening on %s (TLS 1.3 only)\n", s.url);
	fflush(stderr);

	sigset_t stop;
	int sig = 0;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigwait(&stop, &sig);
	fprintf(stderr, "mamori serve: %s, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	cmd_serve_stop(&s);
	return EXIT_OK_RUN;
}
