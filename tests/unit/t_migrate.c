/* t_migrate.c - processes that open a new database at the same moment
 * (the agent and the manager on one SQLite file) all succeed, and each
 * migration is applied once. */
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"
#include "storage/db.h"
#include "tests/tap.h"

#define PROCS 8
#define ROUNDS 4

/* One integer from the first row of sql, or -1. */
static int
query_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A child: waits until the parent closes the pipe, so all start together. */
static void
child(int gate, const char *path)
{
	char b, err[512];
	struct db *db = NULL;
	(void)read(gate, &b, 1);
	int rc = db_open(path, false, &db, err, sizeof(err));
	if (rc != MAMORI_OK)
		fprintf(stderr, "# child %d: %s\n", (int)getpid(), err);
	db_close(db);
	_exit(rc == MAMORI_OK ? 0 : 1);
}

int
main(void)
{
	char dir[] = "/tmp/t_migrate.XXXXXX", path[256];
	if (!mkdtemp(dir))
		return 1;
	fflush(stdout);	/* children must not print the parent's buffered TAP */
	for (int round = 0; round < ROUNDS; round++) {
		int gate[2], failed = 0, started = 0;
		pid_t pids[PROCS];
		snprintf(path, sizeof(path), "%s/round%d.db", dir, round);
		if (pipe(gate) != 0)
			return 1;
		for (int i = 0; i < PROCS; i++) {
			pids[i] = fork();
			if (pids[i] == 0) {
				close(gate[1]);
				child(gate[0], path);
			}
			started += pids[i] > 0;
		}
		close(gate[0]);
		close(gate[1]);	/* go */
		for (int i = 0; i < PROCS; i++) {
			int status = 0;
			if (pids[i] > 0 && (waitpid(pids[i], &status, 0) != pids[i] ||
			    !WIFEXITED(status) || WEXITSTATUS(status) != 0))
				failed++;
		}
		is_int(started, PROCS, "round %d: %d processes started", round + 1, PROCS);
		is_int(failed, 0, "round %d: every process opened and migrated the new database",
		    round + 1);

		sqlite3 *h = NULL;
		if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
			return 1;
		is_int(query_int(h, "PRAGMA user_version"), db_migration_count(),
		    "round %d: the schema is at the last migration", round + 1);
		/* 0001 inserts the default tenant: applied twice it would fail or add one. */
		is_int(query_int(h, "SELECT count(*) FROM tenants"), 1,
		    "round %d: the first migration's row exists once", round + 1);
		ok(query_int(h, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1,
		    "round %d: the database passes integrity_check", round + 1);
		sqlite3_close(h);
	}
	/* An up-to-date database opens without a migration or a write. */
	struct db *db = NULL;
	char err[512];
	is_int(db_open(path, false, &db, err, sizeof(err)), MAMORI_OK, "reopening needs no migration");
	is_int(db_schema_version(db), db_migration_count(), "and keeps the version");
	db_close(db);
	for (int round = 0; round < ROUNDS; round++) {
		const char *suffix[] = { "", "-wal", "-shm" };
		for (int k = 0; k < 3; k++) {
			snprintf(path, sizeof(path), "%s/round%d.db%s", dir, round, suffix[k]);
			unlink(path);
		}
	}
	rmdir(dir);
	return done_testing();
}
