/*
 * cmd_agent.c - mamori agent: enrol with a manager, run (spool and send),
 * and, on the manager's machine, list and revoke agents.
 *
 *   mamori agent --enrol https://HOST:PORT TOKEN [--fingerprint FP] [--name NAME]
 *   mamori agent [--events FILE|-] [--kind alert|event] [--once] [--scan-now]
 *                [--fim auto|off|DIR,...] [--logs auto|off|FILE,...]
 *                [--sensor auto|off|IFACE]
 *   mamori agent list | revoke ID        (the manager's database)
 *
 * --state DIR (agent.state_dir) holds the credential and the spool.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent_run.h"
#include "agent/agent_state.h"
#include "agent/watch.h"
#include "cmd/cmd.h"
#include "common/err.h"
#include "storage/db.h"
#include "storage/store_agent.h"

static void
agent_usage(FILE *out)
{
	fprintf(out, "usage: mamori agent --enrol https://HOST:PORT TOKEN [--fingerprint SHA256] [--name NAME] [--state DIR]\n"
	    "       mamori agent [--state DIR] [--events FILE|-] [--kind alert|event] [--once] [--scan-now]\n"
	    "                    [--fim auto|off|DIR[,DIR]] [--logs auto|off|FILE[,FILE]]\n"
	    "                    [--sensor auto|off|IFACE]\n"
	    "       mamori [--db FILE] agent list\n"
	    "       mamori [--db FILE] agent revoke ID\n"
	    "  --events     NDJSON events to send (one JSON object per line; a file is followed)\n"
	    "  --once       send what there is and stop (exit 75 when the manager is unreachable)\n"
	    "  --scan-now   scan this computer once at start (agent.scan_interval_seconds repeats it)\n"
	    "  --fim        the ransomware and file watch (agent.watch_folders; auto: /home, /srv, /root;\n"
	    "               its response is ransom.respond: none, kill or isolate)\n"
	    "  --logs       the log watch for break-ins (agent.watch_logs; auto: /var/log/auth.log,\n"
	    "               secure, syslog, messages and the journal; read positions in --db, else\n"
	    "               agent.db in the state directory)\n"
	    "  --sensor     the network sensor on IFACE, e.g. a switch's mirror port (agent.sensor_interface;\n"
	    "               auto: the default route's; default: auto when enrolled with a sensor token,\n"
	    "               else off); needs root or CAP_NET_RAW. Its alerts and the devices it sees\n"
	    "               are sent as eve events\n"
	    "  Their alerts are spooled and sent like --events; none runs with --once.\n");
}

static int
print_agent(void *ctx, const struct store_agent *a)
{
	(void)ctx;
	printf("%" PRId64 "\t%s\t%s\t%s\tacked %" PRId64 "\tspool %" PRId64 "\t%s\n", a->id, a->kind,
	    a->name, a->hostname, a->acked_seq, a->spool_records,
	    a->revoked_at ? "revoked" : "active");
	return 0;
}

static int
manager_side(struct cmd_env *env, int argc, char **argv)
{
	struct db *db = NULL;
	char err[512], *end = NULL;
	int rc = EXIT_SOFTWARE;
	long long id = 0;

	for (int i = 2; i < argc; i++)
		if (argv[i][0] == '-')
			return cmd_arg_error(argv[1][0] == 'r' ? "agent revoke" : "agent list", argv[i]);
	if (strcmp(argv[1], "revoke") == 0) {
		if (argc != 3)
			return cmd_usage_error("agent revoke", "give exactly one agent id");
		errno = 0;
		id = strtoll(argv[2], &end, 10);
		if (errno || *end || id <= 0)
			return cmd_usage_error("agent revoke", "'%s' is not an agent id", argv[2]);
	} else if (argc != 2) {
		return cmd_usage_error("agent list", "unexpected argument '%s'", argv[2]);
	}
	const char *path = env->db_path ? env->db_path : db_default_path();
	if (db_open(path, false, &db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori agent: %s\n", err);
		return EXIT_CANTCREAT;
	}
	if (id) {
		int r = store_agent_revoke(db, 0, id, (int64_t)time(NULL));
		if (r == MAMORI_E_NOTFOUND) {
			fprintf(stderr, "mamori agent revoke: no agent %lld\n", id);
			rc = EXIT_DATAERR;
		} else if (r != MAMORI_OK) {
			fprintf(stderr, "mamori agent revoke: %s\n", db_errmsg(db));
		} else {
			fprintf(stderr, "mamori agent revoke: agent %lld revoked; its batches are refused from now on\n"
			    "mamori agent revoke: エージェント %lld を失効させました。以後の送信は拒否されます。\n", id, id);
			rc = EXIT_OK_RUN;
		}
	} else {
		rc = store_agent_list(db, 0, print_agent, NULL) == MAMORI_OK ? EXIT_OK_RUN : EXIT_SOFTWARE;
	}
	db_close(db);
	return rc;
}

int
cmd_agent(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "enrol", required_argument, NULL, 'e' },
		{ "fingerprint", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ "state", required_argument, NULL, 's' },
		{ "events", required_argument, NULL, 'E' },
		{ "kind", required_argument, NULL, 'k' },
		{ "once", no_argument, NULL, 'o' },
		{ "scan-now", no_argument, NULL, 'S' },
		{ "fim", required_argument, NULL, 'F' },
		{ "logs", required_argument, NULL, 'L' },
		{ "sensor", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *enrol = NULL, *fp = NULL, *name = NULL;
	const char *dir = conf_str(&env->conf, CONF_AGENT_STATE_DIR);
	struct agent_run_opts o = {
		.events_kind = "alert",
		.scan_interval = conf_int(&env->conf, CONF_AGENT_SCAN_INTERVAL_SECONDS),
		.batch_events = (size_t)conf_int(&env->conf, CONF_AGENT_BATCH_EVENTS),
		.spool_cap = (uint64_t)conf_int(&env->conf, CONF_AGENT_SPOOL_MAX_BYTES),
		.db_path = env->db_path,
		.watch_folders = conf_str(&env->conf, CONF_AGENT_WATCH_FOLDERS),
		.watch_logs = conf_str(&env->conf, CONF_AGENT_WATCH_LOGS),
		.sensor = conf_str(&env->conf, CONF_AGENT_SENSOR_INTERFACE),
		.config_path = env->config_path,
		.lang = env->lang,
		.conf = &env->conf,
		.log = &env->log,
	};
	char err[1024] = "", watch_db[4096];
	int c, rc;

	if (argc >= 2 && (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "revoke") == 0))
		return manager_side(env, argc, argv);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'e': enrol = optarg; break;
		case 'f': fp = optarg; break;
		case 'n': name = optarg; break;
		case 's': dir = optarg; break;
		case 'E': o.events = optarg; break;
		case 'k': o.events_kind = optarg; break;
		case 'o': o.once = true; break;
		case 'S': o.scan_now = true; break;
		case 'F': o.watch_folders = optarg; break;
		case 'L': o.watch_logs = optarg; break;
		case 'i': o.sensor = optarg; break;
		case 'h':
			agent_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("agent", c, argc, argv, opts);
		}
	}
	if (!*dir)
		dir = agent_state_default_dir();
	o.dir = dir;
	if (enrol) {
		struct agent_state st;
		if (optind != argc - 1)
			return cmd_usage_error("agent", "--enrol needs the manager's address and one token");
		rc = agent_state_enrol(dir, enrol, argv[optind], fp, name, &st, err, sizeof(err));
		if (rc != MAMORI_OK) {
			fprintf(stderr, "mamori agent: enrolment failed: %s\n", err);
			return rc == MAMORI_E_PERM ? EXIT_NOPERM : rc == MAMORI_E_IO ? EXIT_TEMPFAIL :
			    EXIT_SOFTWARE;
		}
		printf("%" PRId64 "\n", st.agent_id);
		fprintf(stderr, "mamori agent: enrolled as %s %" PRId64 " with %s\n"
		    "  manager certificate SHA-256 %s (pinned: a different certificate is refused)\n"
		    "  credential kept in %s/%s (mode 0600)\n"
		    "mamori agent: マネージャーへの登録が完了しました。\n",
		    st.kind, st.agent_id, st.manager, st.fingerprint, dir, AGENT_STATE_FILE);
		explicit_bzero(&st, sizeof(st));
		return EXIT_OK_RUN;
	}
	if (fp || name)
		return cmd_usage_error("agent", "--fingerprint and --name go with --enrol");
	if (optind < argc)
		return cmd_usage_error("agent", "unexpected argument '%s'", argv[optind]);
	if (strcmp(o.events_kind, "alert") != 0 && strcmp(o.events_kind, "event") != 0)
		return cmd_usage_error("agent", "--kind is alert or event");
	if (watch_spec_check(o.watch_folders, err, sizeof(err)) != MAMORI_OK)
		return cmd_usage_error("agent", "--fim (agent.watch_folders) %s", err);
	if (watch_spec_check(o.watch_logs, err, sizeof(err)) != MAMORI_OK)
		return cmd_usage_error("agent", "--logs (agent.watch_logs) %s", err);
	if (*o.sensor && watch_sensor_check(o.sensor, err, sizeof(err)) != MAMORI_OK)
		return cmd_usage_error("agent", "--sensor (agent.sensor_interface) %s", err);
	/* The log watch's read positions: --db, else beside the credential and the spool. */
	if (snprintf(watch_db, sizeof(watch_db), "%s/agent.db", dir) >= (int)sizeof(watch_db))
		return cmd_usage_error("agent", "--state path too long");
	o.watch_db = env->db_path ? env->db_path : watch_db;
	rc = agent_run(&o, err, sizeof(err));
	if (rc == MAMORI_OK)
		return EXIT_OK_RUN;
	fprintf(stderr, "mamori agent: %s\n", err);
	if (rc == MAMORI_E_PERM)
		return EXIT_NOPERM;
	if (rc == MAMORI_E_IO)
		return EXIT_TEMPFAIL;
	return rc == MAMORI_E_NOTFOUND ? EXIT_CONFIG : EXIT_SOFTWARE;
}
