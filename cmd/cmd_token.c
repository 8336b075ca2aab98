/*
 * cmd_token.c - mamori token create [--ttl DURATION] [--kind agent|sensor]
 * [--tenant NAME] prints a one-time enrolment token; mamori token list
 * shows them (never the token text, which only its creator saw).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "common/err.h"
#include "manager/agent_cred.h"
#include "manager/login.h"
#include "storage/db.h"
#include "storage/store_agent.h"
#include "storage/store_auth.h"

static void
token_usage(FILE *out)
{
	fprintf(out, "usage: mamori [--db FILE] token create [--ttl DURATION] [--kind agent|sensor] [--tenant NAME]\n"
	    "       mamori [--db FILE] token list [--tenant NAME]\n"
	    "  --ttl   how long the token can be used: 90s, 30m, 24h (default), 7d; at most 30d\n");
}

/* "90", "90s", "30m", "24h", "7d" -> seconds. */
static int
parse_duration(const char *s, int64_t *out)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || v <= 0 || v > 100000000 || *s == '+')
		return MAMORI_E_INVAL;
	int64_t mul = 1;
	if (*end == 'm')
		mul = 60;
	else if (*end == 'h')
		mul = 3600;
	else if (*end == 'd')
		mul = 86400;
	else if (*end != 's' && *end != '\0')
		return MAMORI_E_INVAL;
	if (*end && end[1])
		return MAMORI_E_INVAL;
	*out = (int64_t)v * mul;
	return MAMORI_OK;
}

static int
print_token(void *ctx, const struct store_agent_token *t)
{
	int64_t now = *(const int64_t *)ctx;
	const char *state = t->used_at ? "used" : t->expires_at <= now ? "expired" : "unused";
	printf("%" PRId64 "\t%s\t%s\texpires %" PRId64 "\t", t->id, t->kind, state, t->expires_at);
	if (t->agent_id)
		printf("agent %" PRId64 "\n", t->agent_id);
	else
		printf("-\n");
	return 0;
}

int
cmd_token(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ttl", required_argument, NULL, 't' },
		{ "kind", required_argument, NULL, 'k' },
		{ "tenant", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kind = "agent", *tenant = "default", *sub;
	int64_t ttl = AGENT_CRED_TTL_DEFAULT, tid = 0, id = 0, expires = 0;
	int64_t now = (int64_t)time(NULL);
	char err[512], token[AUTH_TOKEN_CHARS + 1];
	struct db *db = NULL;
	int c, rc = EXIT_SOFTWARE;

	if (argc < 2) {
		token_usage(stderr);
		return EXIT_USAGE;
	}
	sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		token_usage(stdout);
		return EXIT_OK_RUN;
	}
	if (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0)
		return cmd_usage_error("token", "unknown subcommand '%s' (create, list)", sub);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_duration(optarg, &ttl) != MAMORI_OK || ttl < AGENT_CRED_TTL_MIN ||
			    ttl > AGENT_CRED_TTL_MAX)
				return cmd_usage_error("token", "--ttl is 60s to 30d (like 30m, 24h, 7d), not '%s'",
				    optarg);
			break;
		case 'k': kind = optarg; break;
		case 'T': tenant = optarg; break;
		case 'h':
			token_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("token", c, argc - 1, argv + 1, opts);
		}
	}
	if (optind < argc - 1)
		return cmd_usage_error("token", "unexpected argument '%s'", argv[optind + 1]);
	if (strcmp(kind, "agent") != 0 && strcmp(kind, "sensor") != 0)
		return cmd_usage_error("token", "--kind is agent or sensor");
	if (!login_name_ok(tenant, strlen(tenant)))
		return cmd_usage_error("token", "bad tenant name");
	if (auth_init() != MAMORI_OK) {
		fprintf(stderr, "mamori token: libsodium failed to initialise\n");
		return EXIT_SOFTWARE;
	}
	const char *path = env->db_path ? env->db_path : db_default_path();
	if (db_open(path, env->db_path == NULL, &db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori token: %s\n", err);
		return EXIT_CANTCREAT;
	}
	if (store_auth_tenant(db, tenant, strcmp(sub, "create") == 0, now, &tid) != MAMORI_OK) {
		fprintf(stderr, "mamori token: no tenant '%s'\n", tenant);
		rc = EXIT_DATAERR;
		goto out;
	}
	if (strcmp(sub, "list") == 0) {
		rc = store_agent_tokens(db, tid, print_token, &now) == MAMORI_OK ? EXIT_OK_RUN : EXIT_SOFTWARE;
		goto out;
	}
	if (agent_cred_token_issue(db, tid, kind, ttl, now, token, &id, &expires) != MAMORI_OK) {
		fprintf(stderr, "mamori token: %s\n", db_errmsg(db));
		goto out;
	}
	printf("%s\n", token);
	fprintf(stderr, "mamori token: one-time %s enrolment token %" PRId64 " for tenant '%s', valid for "
	    "%" PRId64 " s. It is shown only now.\n"
	    "  on the computer: mamori agent --enrol https://MANAGER:PORT TOKEN\n"
	    "mamori token: 登録用のワンタイムトークンです。一度だけ有効で、表示は今回限りです。\n",
	    kind, id, tenant, ttl);
	explicit_bzero(token, sizeof(token));
	rc = fflush(stdout) == 0 ? EXIT_OK_RUN : EXIT_IOERR;
out:
	db_close(db);
	return rc;
}
