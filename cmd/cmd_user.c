/*
 * cmd_user.c - mamori user add NAME --role admin|operator|viewer
 * [--tenant NAME]: an account of the manager. The password is read from
 * standard input (one line), never from the command line where ps shows it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "common/err.h"
#include "manager/auth.h"
#include "manager/login.h"
#include "storage/db.h"
#include "storage/store_auth.h"

static void
user_usage(FILE *out)
{
	fprintf(out, "usage: mamori [--db FILE] user add NAME --role admin|operator|viewer [--tenant NAME]\n"
	    "  the password (%d to %d characters) is read from standard input\n",
	    AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
}

static int
read_password(char *buf, size_t sz, size_t *len)
{
	if (!fgets(buf, (int)sz, stdin))
		return MAMORI_E_IO;
	size_t n = strlen(buf);
	if (n == sz - 1 && buf[n - 1] != '\n')
		return MAMORI_E_LIMIT;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	*len = n;
	return MAMORI_OK;
}

static int
user_add(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "tenant", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *role = NULL, *tenant = "default", *name = NULL;
	char pw[AUTH_PASSWORD_MAX + 2], hash[STORE_AUTH_HASH_MAX + 1], err[512];
	enum auth_role r;
	struct db *db = NULL;
	size_t pwlen = 0;
	int64_t tid = 0;
	int c, rc = EXIT_SOFTWARE;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': role = optarg; break;
		case 't': tenant = optarg; break;
		case 'h':
			user_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("user add", c, argc, argv, opts);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error("user add", "give exactly one account name");
	name = argv[optind];
	if (!login_name_ok(name, strlen(name)))
		return cmd_usage_error("user add", "account names are 1 to %d characters without control characters",
		    STORE_AUTH_NAME_MAX);
	if (!login_name_ok(tenant, strlen(tenant)))
		return cmd_usage_error("user add", "bad tenant name");
	if (!role || auth_role_parse(role, &r) != MAMORI_OK)
		return cmd_usage_error("user add", "--role is admin, operator or viewer");
	if (read_password(pw, sizeof(pw), &pwlen) != MAMORI_OK ||
	    !auth_password_acceptable(pw, pwlen)) {
		explicit_bzero(pw, sizeof(pw));
		fprintf(stderr, "mamori user add: the password on standard input must be %d to %d "
		    "characters without control characters\n", AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
		return EXIT_DATAERR;
	}
	if (auth_init() != MAMORI_OK || auth_password_hash(pw, pwlen, hash) != MAMORI_OK) {
		explicit_bzero(pw, sizeof(pw));
		fprintf(stderr, "mamori user add: cannot hash the password\n");
		return EXIT_SOFTWARE;
	}
	explicit_bzero(pw, sizeof(pw));

	const char *path = env->db_path ? env->db_path : db_default_path();
	if (db_open(path, env->db_path == NULL, &db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori user add: %s\n", err);
		return EXIT_CANTCREAT;
	}
	int64_t now = (int64_t)time(NULL);
	if (store_auth_tenant(db, tenant, 1, now, &tid) != MAMORI_OK) {
		fprintf(stderr, "mamori user add: tenant '%s': %s\n", tenant, db_errmsg(db));
		goto out;
	}
	int add = store_auth_user_add(db, tid, name, auth_role_name(r), hash, now);
	if (add == MAMORI_E_INVAL) {
		fprintf(stderr, "mamori user add: '%s' already exists in tenant '%s'\n", name, tenant);
		rc = EXIT_DATAERR;
		goto out;
	}
	if (add != MAMORI_OK) {
		fprintf(stderr, "mamori user add: %s\n", db_errmsg(db));
		goto out;
	}
	fprintf(stderr, "mamori user add: '%s' (%s) added to tenant '%s'\n", name, auth_role_name(r), tenant);
	rc = EXIT_OK_RUN;
out:
	db_close(db);
	return rc;
}

int
cmd_user(struct cmd_env *env, int argc, char **argv)
{
	if (argc < 2) {
		user_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		user_usage(stdout);
		return EXIT_OK_RUN;
	}
	if (strcmp(argv[1], "add") == 0)
		return user_add(env, argc - 1, argv + 1);
	return cmd_usage_error("user", "unknown subcommand '%s' (add)", argv[1]);
}
